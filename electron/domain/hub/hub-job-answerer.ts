import { messageOf, type Supervisor } from '../background.js';
import type { CommandRecord } from '../../store/records.js';
import type { BehaviorProfiles } from '../devices/behavior-profiles.js';
import type { ExternalOutcome } from '../jobs/job-executions.js';
import type { JobRecord } from '../jobs/job-model.js';
import type { JobOperation } from '../jobs/job-spec.js';
import type { RealDeviceAnswerer } from '../jobs/real-device-answerer.js';
import type { SimulationClock } from '../simulation-clock.js';
import { sharedController, type HubDevices } from './hub-devices.js';
import { isAccepted } from './property-reports.js';

/** Where an answer goes: the engine's reportExternal. */
export type ReportOutcome = (jobId: string, deviceId: string, outcome: ExternalOutcome, error?: string) => void;

type Verdict = { outcome: ExternalOutcome; error?: string };

const NOT_ACKNOWLEDGED = 'The device did not acknowledge the property update before the timeout.';
const UNREACHABLE = 'Could not connect to device in order to send command.';
const NO_ANSWER = 'The device did not answer the command before the timeout.';

/**
 * Runs IoT Central job operations on provisioned real devices over the hub: a property job writes the desired
 * property and waits for the device's ack of that version (a 2xx code completes, anything else fails with the device's description); a
 * command job invokes the direct method and the status decides. A device that is not connected is offline: it
 * fails after its profile's command timeout, taken in real time (the device lives in real time even when the
 * simulation runs in virtual time), or completes if it connects and answers before.
 */
export class HubJobAnswerer implements RealDeviceAnswerer {
  private readonly stopping = sharedController();

  constructor(
    private readonly hub: HubDevices,
    private readonly behavior: BehaviorProfiles,
    private readonly clock: SimulationClock,
    private readonly supervisor: Supervisor,
    private readonly report: ReportOutcome,
  ) {}

  released(job: JobRecord, deviceIds: readonly string[]): void {
    // A job document is for an agent that takes its executions itself (AWS's jobs data plane and MQTT topics).
    if (job.spec.operations.some((op) => op.kind === 'document')) return;
    for (const deviceId of deviceIds) {
      if (!this.hub.isProvisioned(deviceId)) continue;
      this.supervisor.run(`Job "${job.id}" on real device "${deviceId}"`, async () => {
        // Whatever goes wrong (the device was deleted meanwhile, the disk refused the twin), the device gets an outcome.
        const verdict = await this.run(job.spec.operations, deviceId).catch((error: unknown): Verdict => ({ outcome: 'failed', error: messageOf(error) }));
        if (this.stopping.signal.aborted) return;
        try {
          this.report(job.id, deviceId, verdict.outcome, verdict.error);
        } catch {
          // The job let go of the device meanwhile (cancelled with force, removed): its answer no longer counts.
        }
      });
    }
  }

  /** Stops waiting for devices: the host is closing. */
  close(): void {
    this.stopping.abort();
  }

  private async run(operations: readonly JobOperation[], deviceId: string): Promise<Verdict> {
    for (const operation of operations) {
      const verdict = await this.runOne(operation, deviceId);
      if (verdict.outcome !== 'succeeded') return verdict;
    }
    return { outcome: 'succeeded' };
  }

  private async runOne(operation: JobOperation, deviceId: string): Promise<Verdict> {
    const value = operation.deviceValue ?? operation.value;
    const timeoutMs = this.timeoutMs(deviceId);
    if (operation.kind === 'property' && operation.path) {
      const ack = await this.hub.writeDesired(deviceId, operation.path, value, timeoutMs, this.stopping.signal);
      if (!ack) return { outcome: 'notAcknowledged', error: NOT_ACKNOWLEDGED };
      if (isAccepted(ack)) return { outcome: 'succeeded' };
      return { outcome: 'rejected', error: ack.description ?? `The device rejected the property update (status ${ack.code}).` };
    }
    if (operation.kind === 'command' && operation.path) return this.command(deviceId, operation.path, value, timeoutMs);
    // Cloud properties and migrations never reach the device.
    return { outcome: 'succeeded' };
  }

  private async command(deviceId: string, path: string, request: unknown, timeoutMs: number): Promise<Verdict> {
    let answer: CommandRecord | undefined;
    try {
      // A device that is away has the whole timeout to come online, as an offline simulated device has.
      answer = await this.hub.invokeCommand(deviceId, path, request, timeoutMs, timeoutMs, this.stopping.signal);
    } catch {
      return { outcome: 'timedOut', error: NO_ANSWER };
    }
    if (!answer) return { outcome: 'unreachable', error: UNREACHABLE };
    const status = answer.responseCode ?? 500;
    if (status >= 200 && status < 300) return { outcome: 'succeeded' };
    return { outcome: 'failed', error: errorOf(status, answer.response) };
  }

  /** The device profile's command timeout in real ms: simulated ms / timeScale, or as is in virtual time. */
  private timeoutMs(deviceId: string): number {
    const simulated = this.behavior.deviceBehavior(deviceId).effective.commandTimeoutMs;
    const scale = this.clock.timeScale;
    return scale > 0 ? simulated / scale : simulated;
  }
}

function errorOf(status: number, response: unknown): string {
  const payload = response as { error?: unknown; message?: unknown } | null;
  const said = typeof payload?.error === 'string' ? payload.error : typeof payload?.message === 'string' ? payload.message : undefined;
  return said ?? `The device responded to the command with status ${status}.`;
}
