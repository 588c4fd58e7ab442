import { rename } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { DamagedFileError, writeAll, type FileOpener } from './block-file.js';
import { readWhole } from './job-file-io.js';
import { syncFolder } from './json-document.js';

const TARGETS_FORMAT = 1;

/**
 * A job's targets as two lines: `{"format":1,"crc32":<of the second line>,"bytes":<its length>,"journal":<key>}` and
 * the targets' JSON. `journal` names the appends journal that extends these targets (targets-journal.ts): one with
 * another key extends an older targets file. Written to a temp file, synced, and renamed over the old one.
 */
export async function writeTargetsFile(opener: FileOpener, file: string, targets: unknown, journal: string): Promise<number> {
  const body = Buffer.from(JSON.stringify(targets), 'utf8');
  const head = Buffer.from(`${JSON.stringify({ format: TARGETS_FORMAT, crc32: crc32(body), bytes: body.length, journal })}\n`, 'utf8');
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  const handle = await opener.open(temp, 'w');
  const bytes = Buffer.concat([head, body]);
  try {
    await writeAll(handle, bytes, 0);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncFolder(path.dirname(file));
  return bytes.length;
}

export interface TargetsRead<Targets> {
  targets: Targets;
  /** A file from before format 1, the targets' JSON alone. */
  legacy: boolean;
  /** The key of the appends journal that extends it; none for a file written before journals. */
  journal: string | undefined;
  bytes: number;
}

export async function readTargetsFile<Targets>(opener: FileOpener, file: string): Promise<TargetsRead<Targets>> {
  const bytes = await readWhole(opener, file);
  const legacy = legacyTargets(bytes);
  if (legacy) return { targets: legacy as Targets, legacy: true, journal: undefined, bytes: bytes.length };
  const newline = bytes.indexOf(0x0a);
  const head = parseHead(bytes.subarray(0, newline < 0 ? bytes.length : newline).toString('utf8'));
  const body = bytes.subarray(newline + 1);
  if (body.length !== head.bytes) throw new DamagedFileError(`is truncated: ${body.length} bytes of targets where its header promises ${head.bytes}`);
  if (crc32(body) !== head.crc32) throw new DamagedFileError('fails its checksum');
  try {
    return { targets: JSON.parse(body.toString('utf8')) as Targets, legacy: false, journal: head.journal, bytes: bytes.length };
  } catch (error) {
    throw new DamagedFileError(`holds targets that are not JSON (${(error as Error).message})`);
  }
}

function parseHead(line: string): { crc32: number; bytes: number; journal: string | undefined } {
  let head: unknown;
  try {
    head = JSON.parse(line);
  } catch {
    throw new DamagedFileError('is not a Fleetlab targets file (no header line)');
  }
  const { format, crc32: sum, bytes, journal } = (head ?? {}) as Record<string, unknown>;
  if (format !== TARGETS_FORMAT) throw new DamagedFileError(`has format ${JSON.stringify(format)}; this Fleetlab reads format ${TARGETS_FORMAT}`);
  if (typeof sum !== 'number' || typeof bytes !== 'number' || (journal !== undefined && typeof journal !== 'string')) throw new DamagedFileError('has a damaged header line');
  return { crc32: sum, bytes, journal };
}

function legacyTargets(bytes: Buffer): unknown[] | undefined {
  if (bytes[0] !== 0x5b) return undefined;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
