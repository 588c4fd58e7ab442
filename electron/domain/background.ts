/** The log calls the domain makes (pino's signature: details first, then the message). */
export interface DomainLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const silentLog: DomainLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Runs work that no request waits for (checkpoints, scheduled runs, timers). A failure is logged and handed to the
 * task's `onFailure`, which records it as state; nothing it starts can become an unhandled rejection.
 */
export class Supervisor {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: DomainLog) {}

  run(task: string, work: () => unknown, onFailure?: (error: unknown) => unknown): void {
    const done: Promise<void> = (async () => {
      try {
        await work();
      } catch (error) {
        this.log.error({ err: error, task }, `${task} failed: ${messageOf(error)}`);
        try {
          await onFailure?.(error);
        } catch (again) {
          this.log.error({ err: again, task }, `${task}: recording the failure failed too: ${messageOf(again)}`);
        }
      }
    })().finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Resolves once every task started so far (and those they started) has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
