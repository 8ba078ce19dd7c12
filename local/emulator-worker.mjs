/**
 * One local emulator (dynalite or aws-ses-v2-local) on a worker thread of its own, started by
 * `emulators.ts`: it answers on its own event loop, so the HTTP server and the handlers keep the
 * main one. Plain JavaScript, so it runs the same under tsx, vitest and plain Node.
 *
 * workerData: { kind: 'dynamodb' | 'ses', host, port, path? }. Messages to the parent:
 * `{ type: 'listening', port }`, or `{ type: 'failed', message, code? }` (then the thread ends).
 * The parent sends `{ type: 'close' }`; the server closes (dynalite closes LevelDB too), the port
 * closes, and the thread ends by itself.
 */
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { kind, host, port, path } = workerData;

/** Resolves once `server` listens (or rejects with the listen error). */
function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * aws-ses-v2-local resolves with its server even when listening failed (Express hands the error to
 * the listen callback, which ignores it): binding the same address again gives the real reason.
 */
async function whyNotListening() {
  const probe = createServer();
  try {
    await listen(probe);
  } catch (error) {
    return error;
  }
  await new Promise((resolve) => probe.close(resolve));
  return new Error('the server did not start listening');
}

/**
 * dynalite opens LevelDB in the background and, when that fails (another process holds the folder:
 * LevelDB allows one), throws at the first request instead. Opening it here first says why, now.
 */
async function ensureOpenable() {
  // dynalite's own `level`, wherever the install put it.
  const { Level } = createRequire(fileURLToPath(import.meta.resolve('dynalite')))('level');
  const db = new Level(path);
  try {
    await db.open();
  } catch (error) {
    const cause = error?.cause ?? error;
    const held = cause?.code === 'LEVEL_LOCKED';
    throw Object.assign(
      new Error(
        held
          ? `${path} is already open elsewhere (another npm start or admin command?) and LevelDB allows one holder: stop that one, or use another DATA_DIR`
          : `cannot open ${path}: ${cause?.message}`,
      ),
      { code: cause?.code ?? error?.code },
    );
  }
  await db.close();
}

async function start() {
  if (kind === 'dynamodb') {
    await ensureOpenable();
    const { default: dynalite } = await import('dynalite');
    const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await listen(server);
    return server;
  }
  if (kind === 'ses') {
    // CommonJS with an ES-style default export: module.exports.default is the function.
    const { default: sesLocal } = await import('aws-ses-v2-local');
    const server = await (sesLocal.default ?? sesLocal)({ host, port });
    if (!server.listening) throw await whyNotListening();
    return server;
  }
  throw new Error(`unknown emulator "${kind}"`);
}

try {
  const server = await start();
  parentPort.on('message', (message) => {
    if (message?.type !== 'close') return;
    server.closeAllConnections?.();
    server.close(() => parentPort.close());
  });
  parentPort.postMessage({ type: 'listening', port: server.address().port });
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error), code: error?.code });
  // A failed dynalite may have opened LevelDB already: ending the thread closes it (classic-level's cleanup hook).
  parentPort.close();
}
