/** IoT Central's bulk device import/export format: `IOTC_DEVICEID`, optional `IOTC_DEVICENAME`. */

export const MAX_DEVICE_ID_LENGTH = 128;
const DEVICE_ID = /^[a-zA-Z0-9-]+$/;

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

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The rows worth sending, and those refused with the reason; line numbers count the header as line 1. */
export function readDeviceImport(text: string): { rows: ImportRow[]; refused: RefusedRow[] } | { error: string } {
  const [header, ...records] = parseCsv(text);
  const columns = (header ?? []).map((name) => name.trim().toUpperCase());
  const idColumn = columns.indexOf('IOTC_DEVICEID');
  const nameColumn = columns.indexOf('IOTC_DEVICENAME');
  if (idColumn < 0) return { error: 'The file has no IOTC_DEVICEID column. Its first line must name the columns, e.g. IOTC_DEVICEID,IOTC_DEVICENAME.' };
  const rows: ImportRow[] = [];
  const refused: RefusedRow[] = [];
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const line = index + 2;
    if (record.every((value) => value.trim() === '')) return;
    const id = (record[idColumn] ?? '').trim();
    const name = nameColumn >= 0 ? record[nameColumn]?.trim() : undefined;
    let reason: string | undefined;
    if (id === '') reason = 'The device id is empty.';
    else if (!DEVICE_ID.test(id)) reason = 'The device id may only contain letters, digits and hyphens.';
    else if (id.length > MAX_DEVICE_ID_LENGTH) reason = `The device id is longer than ${MAX_DEVICE_ID_LENGTH} characters.`;
    else if (seen.has(id)) reason = 'The device id appears earlier in the file.';
    if (reason) refused.push({ line, id, reason });
    else {
      seen.add(id);
      rows.push({ line, id, ...(name ? { name } : {}) });
    }
  });
  return { rows, refused };
}

/** Offers `text` to the user as a file download. */
export function download(fileName: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
