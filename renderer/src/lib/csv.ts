import Papa from 'papaparse';

/**
 * Every CSV the UI reads or writes goes through here (papaparse): one table per file, CRLF line ends, and cells that a
 * spreadsheet would run as a formula (starting with = + - @, tab or CR) written with a leading quote.
 */
const WRITE = { escapeFormulae: true, newline: '\r\n' } as const;

export type CsvRow = readonly (string | number | undefined)[];

const cells = (rows: readonly CsvRow[]) => rows.map((row) => row.map((cell) => (cell === undefined ? '' : String(cell))));

/** Rows as CSV text, each ended by CRLF. */
export function csvText(rows: readonly CsvRow[]): string {
  return rows.length === 0 ? '' : `${Papa.unparse(cells(rows), WRITE)}\r\n`;
}

/** A CSV file built a chunk of rows at a time, so that a million rows are never one string. */
export class CsvFile {
  private readonly parts: string[] = [];

  constructor(header: readonly string[]) {
    this.add([header]);
  }

  add(rows: readonly CsvRow[]): void {
    this.parts.push(csvText(rows));
  }

  blob(): Blob {
    return new Blob(this.parts, { type: 'text/csv;charset=utf-8' });
  }
}

/**
 * Reads a CSV file a chunk at a time (papaparse streams a File from disk), handing over its records as they come;
 * lines after `stop()` is called are not read. A byte-order mark is dropped.
 */
export function readCsv(source: File | string, onRecords: (records: string[][], stop: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    Papa.parse<string[]>(source, {
      skipEmptyLines: false,
      chunk(results, parser) {
        onRecords(results.data, () => parser.abort());
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
}

/** Offers a file to the user as a download. */
export function download(fileName: string, content: Blob | string): void {
  const url = URL.createObjectURL(typeof content === 'string' ? new Blob([content], { type: 'text/csv;charset=utf-8' }) : content);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
