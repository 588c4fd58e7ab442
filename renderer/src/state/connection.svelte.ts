import { api, type RequestOutcome } from '../../lib/api';

export type ConnectionStatus =
  /** Requests are answered. */
  | 'ok'
  /** The last request did not reach the emulator; it is asked again every few seconds. */
  | 'unreachable'
  /** It answers again and this page is still signed in, but what the page shows may be out of date. */
  | 'back'
  /** It answers again but refuses this page's session: it restarted, and a restart ends every sign-in. */
  | 'signed-out';

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
      this.retry ??= setInterval(() => void api.info().catch(() => undefined), RETRY_MS);
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
