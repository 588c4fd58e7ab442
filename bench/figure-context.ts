import type { Checkpoint } from './checkpoint-bytes.js';
import type { DispatchRow } from './dispatch.js';
import type { BenchOptions } from './options.js';
import type { Row } from './report.js';

/** What every figure group reads (the options) and adds to (the table's rows, the extra tables, whether one broke). */
export interface FigureContext {
  options: BenchOptions;
  rows: Row[];
  checkpoints: Checkpoint[];
  dispatch: DispatchRow[];
  /** True once a measurement could not run. */
  broken: boolean;
  failed(figure: string, target: string, error: unknown): void;
  progress(message: string): void;
}

export function createFigureContext(options: BenchOptions): FigureContext {
  const context: FigureContext = {
    options,
    rows: [],
    checkpoints: [],
    dispatch: [],
    broken: false,
    failed: (figure, target, error) => {
      context.broken = true;
      context.rows.push({ figure, measured: `failed: ${(error as Error).message}`, target, ok: 'ERROR' });
      console.error(`bench: ${figure}: ${(error as Error).stack ?? String(error)}`);
    },
    progress: (message) => console.error(`bench: ${message}`),
  };
  return context;
}
