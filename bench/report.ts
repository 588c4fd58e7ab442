import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';

export type Verdict = 'yes' | 'NO' | 'n/a' | 'ERROR';

export interface Row {
  figure: string;
  measured: string;
  target: string;
  ok: Verdict;
}

export const verdict = (met: boolean): Verdict => (met ? 'yes' : 'NO');

export function machineLine(now = new Date()): string {
  const cpus = os.cpus();
  return [
    now.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    `${os.availableParallelism()} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'})`,
    `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`,
    `Node ${process.version}`,
    `${os.platform()} ${os.release()}`,
  ].join(', ');
}

/** Other work on the machine skews every figure; the table says how busy it was. */
export const loadAverage = () => os.loadavg()[0]!.toFixed(1);

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => escape(row[column] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => escape(cell).padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function resultsTable(rows: readonly Row[]): string {
  return markdownTable(['figure', 'measured', 'target', 'ok?'], rows.map((row) => [row.figure, row.measured, row.target, row.ok]));
}

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

/** Replaces the generated block of the performance page, leaving the prose around it alone. */
export async function updateDocs(file: string, block: string): Promise<void> {
  const page = await readFile(file, 'utf8');
  const begin = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${file} has no ${BEGIN} … ${END} block to replace`);
  await writeFile(file, `${page.slice(0, begin + BEGIN.length)}\n${block}\n${page.slice(end)}`);
}
