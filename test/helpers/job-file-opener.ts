import { open } from 'node:fs/promises';
import type { BlockFileHandle, FileOpener } from '../../electron/store/block-file.js';

type Write = (buffer: Buffer, offset: number, length: number, position: number) => Promise<{ bytesWritten: number }>;

/** Opens real files whose writes go through `write(real)`. */
function openerWith(write: (real: Write) => Write): FileOpener {
  return {
    async open(file, flags) {
      const handle = await open(file, flags);
      return {
        stat: () => handle.stat(),
        read: handle.read.bind(handle),
        truncate: (length?: number) => handle.truncate(length),
        datasync: () => handle.datasync(),
        close: () => handle.close(),
        write: write(handle.write.bind(handle) as Write) as BlockFileHandle['write'],
      };
    },
  };
}

/** Counts the bytes written; while `diskFull` is set, writes fail with ENOSPC as on a full disk. */
export function instrumentedOpener(): FileOpener & { bytesWritten: number; diskFull: boolean; failedWrites: number } {
  const state = { bytesWritten: 0, diskFull: false, failedWrites: 0 };
  const opener = openerWith((real) => async (buffer, offset, length, position) => {
    if (state.diskFull) {
      state.failedWrites++;
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    const result = await real(buffer, offset, length, position);
    state.bytesWritten += result.bytesWritten;
    return result;
  });
  return Object.assign(state, opener);
}

/** Every write lands only its first `bytes` bytes, as when the process is killed in the middle of it. */
export function tornWriteOpener(bytes: number): FileOpener {
  return openerWith((real) => async (buffer, offset, length, position) => {
    await real(buffer, offset, Math.min(length, bytes), position);
    throw new Error('killed mid-write');
  });
}

/** While held, writes wait; `waiting()` resolves once a write is held. */
export function gatedOpener(): FileOpener & { hold(): void; release(): void; waiting(): Promise<void> } {
  let gate = Promise.resolve();
  let release = () => {};
  let held = () => {};
  let holding = Promise.resolve();
  const opener = openerWith((real) => async (...args) => {
    held();
    await gate;
    return real(...args);
  });
  return Object.assign(opener, {
    hold() {
      gate = new Promise<void>((resolve) => (release = resolve));
      holding = new Promise<void>((resolve) => (held = resolve));
    },
    release: () => release(),
    waiting: () => holding,
  });
}
