/** IoT Central's bulk device import/export format: `IOTC_DEVICEID`, optional `IOTC_DEVICENAME`. */
import { readCsv } from './csv';
import { deviceIdProblem } from './ids';

export const DEVICE_CSV_HEADER = ['IOTC_DEVICEID', 'IOTC_DEVICENAME'] as const;
export const REFUSED_CSV_HEADER = ['line', 'IOTC_DEVICEID', 'reason'] as const;

export interface ImportRow {
  line: number;
  id: string;
  name?: string;
}

export interface RefusedRow {
  line: number;
  id: string;
  reason: string;
}

function refusal(id: string, seen: ReadonlySet<string>): string | undefined {
  const problem = deviceIdProblem(id);
  if (problem) return problem;
  if (seen.has(id)) return 'The device id appears earlier in the file.';
  return undefined;
}

/**
 * The rows worth sending, and those refused with the reason, read from the file a chunk at a time; line numbers count
 * the header as line 1 (a record with a quoted line break counts as one line).
 */
export async function readDeviceImport(source: File | string): Promise<{ rows: ImportRow[]; refused: RefusedRow[] } | { error: string }> {
  const rows: ImportRow[] = [];
  const refused: RefusedRow[] = [];
  const seen = new Set<string>();
  let columns: { id: number; name: number } | undefined;
  let line = 0;
  let error: string | undefined;
  await readCsv(source, (records, stop) => {
    for (const record of records) {
      line++;
      if (!columns) {
        const names = record.map((name) => name.replace(/^\uFEFF/, '').trim().toUpperCase());
        if (names.every((name) => name === '')) {
          error = 'The file is empty.';
          return stop();
        }
        columns = { id: names.indexOf(DEVICE_CSV_HEADER[0]), name: names.indexOf(DEVICE_CSV_HEADER[1]) };
        if (columns.id < 0) {
          error = 'The file has no IOTC_DEVICEID column. Its first line must name the columns, e.g. IOTC_DEVICEID,IOTC_DEVICENAME.';
          return stop();
        }
        continue;
      }
      if (record.every((value) => value.trim() === '')) continue;
      const id = (record[columns.id] ?? '').trim();
      const name = columns.name >= 0 ? record[columns.name]?.trim() : undefined;
      const reason = refusal(id, seen);
      if (reason) refused.push({ line, id, reason });
      else {
        seen.add(id);
        rows.push({ line, id, ...(name ? { name } : {}) });
      }
    }
  });
  if (error) return { error };
  if (!columns) return { error: 'The file is empty.' };
  return { rows, refused };
}
