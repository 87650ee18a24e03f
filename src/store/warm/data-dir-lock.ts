// PGlite is one embedded PostgreSQL per data directory: two instances writing the same files would corrupt
// them, and PGlite does not guard against it. A lock file holding the owner's pid does, across processes and
// within one (a second open in the same process sees its own, live pid).
import fs from 'node:fs';
import path from 'node:path';
import { PlayforgeError } from '../../common/errors.ts';
import { STORE_CONNECT } from '../errors.ts';

export interface DirLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDirLock(lockPath: string): DirLock {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return { release: () => fs.rmSync(lockPath, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number(fs.readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
      throw new PlayforgeError(
        STORE_CONNECT,
        `the PGlite database is already open in process ${owner}; close it first, or point this run at another --data-dir (if no Playforge process is running, delete ${lockPath})`,
        { file: lockPath },
      );
    }
    // The owner died without closing: the lock is stale, take it over.
    fs.rmSync(lockPath, { force: true });
  }
  throw new PlayforgeError(STORE_CONNECT, 'could not take the PGlite lock (another process keeps recreating it)', { file: lockPath });
}
