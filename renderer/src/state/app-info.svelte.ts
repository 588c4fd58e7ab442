import { ApiError } from '../api/api-error';
import { control } from '../api/control';
import type { FleetlabInfo } from '../api/control-types';

export type InfoStatus =
  | { kind: 'loading' }
  | { kind: 'ready'; info: FleetlabInfo }
  | { kind: 'failed'; message: string };

/** What the emulator says about itself (address, api-version, token), loaded once and on Retry. */
class AppInfoState {
  status = $state<InfoStatus>({ kind: 'loading' });

  get info(): FleetlabInfo | undefined {
    return this.status.kind === 'ready' ? this.status.info : undefined;
  }

  async load(): Promise<void> {
    this.status = { kind: 'loading' };
    try {
      this.status = { kind: 'ready', info: await control.info() };
    } catch (error) {
      this.status = { kind: 'failed', message: describe(error) };
    }
  }
}

function describe(error: unknown): string {
  if (!(error instanceof ApiError)) return `Fleetlab could not read its API's answer (${String(error)}).`;
  if (error.status === 401) {
    return `The API did not accept this page (${error.message}) Open the exact address the emulator printed, on the machine it runs on, and reload.`;
  }
  return error.message;
}

export const appInfo = new AppInfoState();
