import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The registry snapshot kept in the repository (`registry/`): its CSV and when the registry published it. */
export const SNAPSHOT_DIR = fileURLToPath(new URL('../../registry/', import.meta.url));

/**
 * A registry file and its publication time: `REGISTRY_FILE` (a CSV; its time: the file's
 * `SNAPSHOT.json` beside it, else now), else the repository's snapshot.
 */
export function registryFile(env: NodeJS.ProcessEnv): { csv: string; publishedAt: string; path: string } {
  const path = env.REGISTRY_FILE ?? `${SNAPSHOT_DIR}current-full.csv`;
  const about = path.replace(/[^/]+$/, 'SNAPSHOT.json');
  let publishedAt = new Date().toISOString();
  try {
    publishedAt = (JSON.parse(readFileSync(about, 'utf8')) as { publishedAt: string }).publishedAt;
  } catch {
    // A file without its facts is as new as now: it is loaded over anything older.
  }
  return { csv: readFileSync(path, 'utf8'), publishedAt, path };
}
