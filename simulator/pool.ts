import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { FleetExecutor, OperationOutcomes, OperationRequest } from '../electron/domain/fleet-executor.js';
import { concatOutcomes, splitRequest } from './slicing.js';
import { TASK, type TaskName } from './task-names.js';
import { deviceCount, executeOperations } from './tasks/execute-operations.js';
import type { TaskMessage, TASKS } from './worker.js';

/** Devices per worker task; bench/dispatch.ts measures the choice. */
export const DEFAULT_SLICE_SIZE = 8192;

export interface SimulatorPoolOptions {
  /** Worker threads; the machine's available parallelism when absent. */
  threads?: number;
  sliceSize?: number;
}

export interface SimulatorPool extends FleetExecutor {
  run<T extends TaskName>(task: T, payload: TaskMessage<T>['payload']): Promise<ReturnType<(typeof TASKS)[T]>>;
  /** Worker threads currently alive. */
  readonly threadCount: number;
}

/**
 * From TypeScript sources (vitest, tsx) the worker is worker.ts loaded through tsx; from dist/ it is the compiled
 * sibling. Packaged apps ship dist/simulator outside the asar archive, which worker threads cannot load from.
 */
export function resolveWorkerEntry(poolModuleUrl: string): { filename: string; execArgv?: string[] } {
  const fromSource = poolModuleUrl.endsWith('.ts');
  const filename = fileURLToPath(new URL(fromSource ? './worker.ts' : './worker.js', poolModuleUrl)).replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
  return fromSource ? { filename, execArgv: ['--import', 'tsx'] } : { filename };
}

export function createSimulatorPool(options: SimulatorPoolOptions = {}): SimulatorPool {
  const threads = options.threads ?? availableParallelism();
  const sliceSize = options.sliceSize ?? DEFAULT_SLICE_SIZE;
  const piscina = new Piscina({ ...resolveWorkerEntry(import.meta.url), minThreads: threads, maxThreads: threads });
  let closing: Promise<void> | undefined;

  const closedError = () => new Error('The simulator pool is closed.');
  const run: SimulatorPool['run'] = (task, payload) =>
    closing ? Promise.reject(closedError()) : piscina.run({ task, payload } satisfies TaskMessage);

  return {
    run,
    get threadCount() {
      return piscina.threads.length;
    },
    async execute(request: OperationRequest): Promise<OperationOutcomes> {
      if (closing) throw closedError();
      if (deviceCount(request.devices) <= sliceSize) return executeOperations(request);
      const slices = splitRequest(request, sliceSize);
      return concatOutcomes(await Promise.all(slices.map((slice) => run(TASK.executeOperations, slice))));
    },
    close: () => (closing ??= piscina.close()),
  };
}

/** The same task in the calling thread: for tests and for hosts that must not start workers. */
export function createInThreadExecutor(): FleetExecutor {
  return {
    execute: async (request) => executeOperations(request),
    close: async () => {},
  };
}
