import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';

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
