import { randomBytes } from 'node:crypto';
import { createWriteStream, lstatSync, unlinkSync } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { Refused } from './session';

/**
 * Writes `path` as a new file readable by its owner only, all or nothing: the text goes to a
 * fresh file beside it (created exclusively, so no link is followed), which takes the final name
 * only once complete. An error or an interrupt (Ctrl-C, SIGTERM) removes it, so nothing partial is
 * ever under the final name. Without `force`, an existing file or link there is refused, and
 * stays refused if one appears meanwhile (the final name is taken with link(2), which never
 * replaces); with `force`, rename(2) replaces it (a link itself, never what it points to).
 */
export async function writePrivateFile(path: string, force: boolean, write: (sink: NodeJS.WritableStream) => Promise<void>): Promise<void> {
  if (!force && exists(path)) throw new Refused(`${path} exists: choose a new name, or add --force to replace it.`);
  const partial = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  // Listening before the file exists: an interrupt at any moment after it is made removes it (its
  // random name is ours alone, so it is removed even before the open's answer arrives).
  let created = false;
  const removeOnSignal = (signal: NodeJS.Signals) => {
    try {
      unlinkSync(partial);
    } catch {}
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', removeOnSignal);
  process.once('SIGTERM', removeOnSignal);
  try {
    const handle = await open(partial, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
      throw new Refused(`Cannot write beside ${path}: ${error.message}`);
    });
    created = true;
    const file = createWriteStream('', { fd: handle.fd, autoClose: true });
    try {
      await write(file);
    } finally {
      file.end();
      await finished(file);
    }
    if (force) await rename(partial, path);
    else {
      await link(partial, path).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'EEXIST' ? new Refused(`${path} appeared while exporting: nothing was replaced.`) : error;
      });
      await unlink(partial);
    }
  } catch (error) {
    if (created) await unlink(partial).catch(() => undefined);
    throw error;
  } finally {
    process.off('SIGINT', removeOnSignal);
    process.off('SIGTERM', removeOnSignal);
  }
}

/** Anything at the path, a dangling link included. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
