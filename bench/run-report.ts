import { availableParallelism } from 'node:os';
import type { FigureContext } from './figure-context.js';
import { markdownTable, resultsTable } from './report.js';

/** The run's report: the machine and its load, the results table and the extra tables of the groups that ran. */
export function reportBlock(context: FigureContext, machine: string, loadBefore: string, loadAfter: string): string {
  const dispatchTable = markdownTable(
    ['dispatch', 'devices', 'tasks', 'ms', 'devices/s'],
    context.dispatch.map((row) => [row.label, row.devices.toLocaleString('en-US'), String(row.tasks), row.ms.toFixed(0), Math.round(row.devicesPerSecond).toLocaleString('en-US')]),
  );
  const checkpointTable = markdownTable(
    ['checkpoint', 'devices finished since the last', 'bytes written', 'bytes per device'],
    context.checkpoints.map((c, i) => [String(i + 1), c.finished.toLocaleString('en-US'), c.bytes.toLocaleString('en-US'), c.finished > 0 ? (c.bytes / c.finished).toFixed(1) : '-']),
  );
  const busy = Math.max(Number(loadBefore), Number(loadAfter)) > availableParallelism();
  const load = `1-minute load average ${loadBefore} at the start, ${loadAfter} at the end`;
  const warning = busy ? ' Other work kept the cores busy during this run, so the figures are pessimistic.' : '';
  return [
    `Measured ${machine}; ${load}.${warning}`,
    '',
    resultsTable(context.rows),
    ...(context.dispatch.length > 0 ? ['', 'Simulator dispatch (in the bench process, no HTTP):', '', dispatchTable] : []),
    ...(context.checkpoints.length > 0 ? ['', `Checkpoints of the ${context.options.largeLabel}-device job (in the bench process, no HTTP):`, '', checkpointTable] : []),
  ].join('\n');
}
