import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NotFoundError } from '../core/errors';
import { httpHandler } from '../http/http-handler';
import manifest from '../static/manifest.json' with { type: 'json' };
import { ASSET_VERSION } from '../views/assets';
import { httpOptions } from '../wiring/http-options';

/**
 * GET /assets/<version>/<file>: the USWDS files and our own, served by the service itself.
 * The files sit in functions/static locally; in Lambda they are copied beside the one-file
 * bundle, in the task root. Only files the build listed are served, so no path can reach
 * anything else.
 */
const taskRoot = process.env.LAMBDA_TASK_ROOT;
const root = taskRoot ? pathToFileURL(`${taskRoot}/static/`) : new URL('../static/', import.meta.url);
const known = new Set<string>(manifest.files);
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.woff2': 'font/woff2',
};
const YEAR = 31_536_000;

export const handler = httpHandler(
  'assets',
  {
    GET: async ({ event }) => {
      const [, , version = '', ...rest] = event.rawPath.split('/');
      const path = rest.join('/');
      const type = TYPES[extname(path)];
      if (!known.has(path) || !type) throw new NotFoundError('There is no file at this address.');
      const body = await readFile(new URL(path, root));
      return {
        statusCode: 200,
        headers: {
          'Content-Type': type,
          // A stale version still gets the file (a page cached elsewhere), but only briefly.
          'Cache-Control': version === ASSET_VERSION ? `public, max-age=${YEAR}, immutable` : 'public, max-age=300',
          'X-Content-Type-Options': 'nosniff',
          'Cross-Origin-Resource-Policy': 'same-origin',
        },
        body: body.toString('base64'),
        isBase64Encoded: true,
      };
    },
  },
  httpOptions,
);
