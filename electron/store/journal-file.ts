import { open, type FileHandle } from 'node:fs/promises';
import { storageErrorOf } from './storage-error.js';

/**
 * An append-only file of JSON lines. Each append is written and fdatasync'd before it resolves; one that fails is cut
 * off again, so that the file only ever holds whole lines that were acknowledged.
 */
export class JournalFile {
  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private bytes: number,
  ) {}

  /** A failed append could not be cut off: bytes beyond `bytes` must go before the next one. */
  private torn = false;

  /** Opens `file` for appending, creating it empty when `fresh` or missing. */
  static async open(file: string, fresh = false): Promise<JournalFile> {
    // Append mode whatever happens: after a failed append is cut off, the next one must land at the new end.
    const handle = await open(file, 'a');
    if (fresh) await handle.truncate(0);
    const { size } = await handle.stat();
    return new JournalFile(file, handle, size);
  }

  get size(): number {
    return this.bytes;
  }

  async append(text: string): Promise<void> {
    const data = Buffer.from(text, 'utf8');
    try {
      if (this.torn) await this.handle.truncate(this.bytes);
      this.torn = false;
      const { bytesWritten } = await this.handle.write(data, 0, data.length, null);
      if (bytesWritten !== data.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      await this.handle.datasync();
      this.bytes += data.length;
    } catch (error) {
      await this.handle.truncate(this.bytes).catch(() => (this.torn = true));
      throw storageErrorOf(error, 'the change');
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
