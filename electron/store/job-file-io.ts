import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { FileOpener } from './block-file.js';

/** Writes a temp file, then renames it over the file: a crash leaves the old file or the new one. */
export async function replaceFile<T>(dir: string, name: string, write: (temp: string) => Promise<T>): Promise<T> {
  const temp = path.join(dir, `.${name}.tmp`);
  const result = await write(temp);
  await rename(temp, path.join(dir, name));
  return result;
}

export async function readIfPresent(file: string): Promise<Uint8Array | null> {
  try {
    const bytes = await readFile(file);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** The whole file, read through `opener`; a missing file rejects with ENOENT. */
export async function readWhole(opener: FileOpener, file: string): Promise<Buffer> {
  const handle = await opener.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.alloc(size);
    const { bytesRead } = await handle.read(bytes, 0, size, 0);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
