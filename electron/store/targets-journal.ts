import { rename } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { DamagedFileError, writeAll, type FileOpener } from './block-file.js';
import { isMissing, readWhole } from './job-file-io.js';
import { syncFolder } from './json-document.js';

/**
 * The targets appended to a growing job since its targets.json was written, one record per append, so that an
 * append writes what it adds and not the whole list. Layout: a 32-byte header (magic, the key of the targets.json it
 * extends, format version, CRC32 of those 28 bytes), then records: payload length (u32), CRC32 of that length and the
 * payload (u32), the payload (the appended slices' JSON). A record is written and synced before its append is
 * acknowledged, so a kill can tear only the last one, which reading ignores (and the next append writes over).
 */
const MAGIC = Buffer.from('FLTGTAPP', 'latin1');
const FORMAT_VERSION = 1;
const KEY_BYTES = 16;
const HEADER_BYTES = 32;
const RECORD_HEAD_BYTES = 8;

/** The journal exists but does not hold what its header and checksums promise (a torn last record aside). */
export class DamagedJournalError extends DamagedFileError {}

export interface JournalRead {
  /** Every record's slices, in order. */
  appended: unknown[];
  /** Where the next record goes: the end of the last whole record; 0 when there is no journal for this key yet. */
  end: number;
}

/** The journal extending the targets.json of key `key`; one of another key extends older targets, so it reads empty. */
export async function readTargetsJournal(opener: FileOpener, file: string, key: string | undefined): Promise<JournalRead> {
  const bytes = await readWhole(opener, file).catch((error: unknown) => {
    if (isMissing(error)) return null;
    throw error;
  });
  if (!bytes) return { appended: [], end: 0 };
  const headerKey = checkHeader(bytes);
  if (headerKey !== key) return { appended: [], end: 0 };
  const appended: unknown[] = [];
  let offset = HEADER_BYTES;
  while (offset < bytes.length) {
    const slices = recordAt(bytes, offset);
    if (!slices) break;
    for (const slice of slices) appended.push(slice);
    offset += RECORD_HEAD_BYTES + bytes.readUInt32LE(offset);
  }
  return { appended, end: offset };
}

/**
 * Appends one record at `end` and syncs it; the journal's new end. Whatever lies past `end` (a torn record, a failed
 * write) is cut off first. At end 0 the journal is made anew (header and record in a temp file, synced, renamed over
 * any journal of older targets).
 */
export async function appendTargetsRecord(opener: FileOpener, file: string, key: string, end: number, slices: readonly unknown[]): Promise<number> {
  const record = recordOf(slices);
  if (end === 0) {
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
    const whole = Buffer.concat([header(key), record]);
    const handle = await opener.open(temp, 'w');
    try {
      await writeAll(handle, whole, 0);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    await syncFolder(path.dirname(file));
    return whole.length;
  }
  const handle = await opener.open(file, 'r+');
  try {
    await handle.truncate(end);
    await writeAll(handle, record, end);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return end + record.length;
}

function header(key: string): Buffer {
  const bytes = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(bytes, 0);
  bytes.write(key.padEnd(KEY_BYTES, ' ').slice(0, KEY_BYTES), 8, 'latin1');
  bytes.writeUInt32LE(FORMAT_VERSION, 24);
  bytes.writeUInt32LE(crc32(bytes.subarray(0, 28)), 28);
  return bytes;
}

function checkHeader(bytes: Buffer): string {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, 8).equals(MAGIC)) throw new DamagedJournalError('is not a Fleetlab targets journal (bad magic)');
  if (bytes.readUInt32LE(28) !== crc32(bytes.subarray(0, 28))) throw new DamagedJournalError('has a damaged header (checksum mismatch)');
  const version = bytes.readUInt32LE(24);
  if (version !== FORMAT_VERSION) throw new DamagedJournalError(`has format version ${version}; this Fleetlab reads version ${FORMAT_VERSION}`);
  return bytes.toString('latin1', 8, 8 + KEY_BYTES).trimEnd();
}

function recordOf(slices: readonly unknown[]): Buffer {
  const payload = Buffer.from(JSON.stringify(slices), 'utf8');
  const record = Buffer.alloc(RECORD_HEAD_BYTES + payload.length);
  record.writeUInt32LE(payload.length, 0);
  payload.copy(record, RECORD_HEAD_BYTES);
  record.writeUInt32LE(crc32(payload, crc32(record.subarray(0, 4))), 4);
  return record;
}

/**
 * The slices of the record at `offset`, or undefined for a torn last record: one that runs past the end, or fails its
 * check with nothing but zeros after it. A record that fails its check with data after it is damage, not a tear.
 */
function recordAt(bytes: Buffer, offset: number): unknown[] | undefined {
  if (bytes.length - offset < RECORD_HEAD_BYTES) return undefined;
  const length = bytes.readUInt32LE(offset);
  const end = offset + RECORD_HEAD_BYTES + length;
  if (end > bytes.length) return undefined;
  const payload = bytes.subarray(offset + RECORD_HEAD_BYTES, end);
  const slices = length > 0 && bytes.readUInt32LE(offset + 4) === crc32(payload, crc32(bytes.subarray(offset, offset + 4))) ? parseSlices(payload) : undefined;
  if (slices) return slices;
  if (bytes.subarray(offset).every((byte) => byte === 0) || end === bytes.length) return undefined;
  throw new DamagedJournalError(`fails its checksum in the record at byte ${offset}`);
}

function parseSlices(payload: Buffer): unknown[] | undefined {
  try {
    const parsed: unknown = JSON.parse(payload.toString('utf8'));
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
