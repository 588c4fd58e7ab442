import { api, type RequestOutcome } from '../api/client';
import { control } from '../api/control';
import type { ConnectionStatus } from '../lib/connection-status';

const RETRY_MS = 2000;

/** Whether the emulator answers, from the outcome of every request the UI makes; the banner shows it. */
class ConnectionState {
  status = $state<ConnectionStatus>('ok');
  private answeredBefore = false;
  private retry?: ReturnType<typeof setInterval>;

  constructor() {
    api.observe((outcome) => this.heard(outcome));
  }

  private heard(outcome: RequestOutcome): void {
    if (!outcome.reached) {
      this.status = 'unreachable';
      this.retry ??= setInterval(() => void control.info().catch(() => undefined), RETRY_MS);
      return;
    }
    const wasDown = this.status === 'unreachable';
    if (outcome.status === 401 && this.answeredBefore) this.status = 'signed-out';
    else if (wasDown) this.status = 'back';
    if (outcome.status !== 401) this.answeredBefore = true;
    if (this.status !== 'unreachable') {
      clearInterval(this.retry);
      this.retry = undefined;
    }
  }
}

export const connection = new ConnectionState();
