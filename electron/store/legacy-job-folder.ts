import path from 'node:path';
import { hasBlockFileMagic, writeWholeBlockFile, type BlockLayout, type FileOpener } from './block-file.js';
import { readIfPresent, replaceFile } from './job-file-io.js';

/**
 * A folder written before format 1 (bare targets JSON, raw status bytes and times) is rewritten in format 1: times,
 * then status, then targets, which mark the folder as legacy. A crash part-way leaves it recognisable, and the files
 * already rewritten are recognised by their magic. `layouts` gets the layout of each block file it rewrites.
 */
export async function migrateLegacyFolder(
  opener: FileOpener,
  dir: string,
  layouts: Partial<Record<'status.bin' | 'times.bin', BlockLayout>>,
  rewriteTargets: () => Promise<unknown>,
): Promise<void> {
  const status = await readIfPresent(path.join(dir, 'status.bin'));
  const times = await readIfPresent(path.join(dir, 'times.bin'));
  const rawStatus = status && !hasBlockFileMagic(status) ? status : undefined;
  const rawTimes = times && !hasBlockFileMagic(times) && times.length % 8 === 0 ? times : undefined;
  // Versions before device times had none: every device gets none.
  const timeBytes = rawTimes ?? (!times && rawStatus ? new Uint8Array(rawStatus.length * 8) : undefined);
  if (timeBytes) layouts['times.bin'] = await replaceFile(dir, 'times.bin', (temp) => writeWholeBlockFile(opener, temp, 8, timeBytes));
  if (rawStatus) layouts['status.bin'] = await replaceFile(dir, 'status.bin', (temp) => writeWholeBlockFile(opener, temp, 1, rawStatus));
  await rewriteTargets();
}
