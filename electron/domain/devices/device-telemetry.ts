import type { Clock } from '../clock.js';
import { notFound } from '../errors.js';
import type { AppStore } from '../persisted.js';
import type { DeviceCatalog } from './device-catalog.js';
import type { DeviceTemplates } from './device-templates.js';
import { telemetryValue } from './telemetry-values.js';

export interface TelemetryReading {
  value?: unknown;
  timestamp?: string;
}

const MINUTE_MS = 60_000;

/** The last telemetry value of a device: simulated devices send one reading per simulated minute, real ones what they sent. */
export class DeviceTelemetry {
  /** Real devices' last readings by device id, then capability path; kept in memory, as telemetry is not state. */
  private readonly readings = new Map<string, Map<string, TelemetryReading>>();

  constructor(
    private readonly store: AppStore,
    private readonly clock: Clock,
    private readonly catalog: DeviceCatalog,
    private readonly templates: DeviceTemplates,
  ) {}

  /** `{}` when the device has sent nothing: it is not simulated, or it is disabled. */
  lastValue(deviceId: string, telemetry: string, component?: string): TelemetryReading {
    const device = this.catalog.require(deviceId);
    const index = device.template === undefined ? undefined : this.templates.capabilities(device.template);
    if (component !== undefined && !index?.isComponent(component)) throw notFound('Component', component);
    const path = component === undefined ? telemetry : `${component}.${telemetry}`;
    const info = index?.telemetry(path);
    if (!info) throw notFound('Telemetry', path);
    if (!device.simulated) return this.readings.get(deviceId)?.get(path) ?? {};
    if (!device.enabled) return {};
    const minute = Math.floor(this.clock.now() / MINUTE_MS);
    return {
      value: telemetryValue(info, `${this.store.get('simulation').seed}/${deviceId}/${path}`, minute),
      timestamp: new Date(minute * MINUTE_MS).toISOString(),
    };
  }

  /** A real device's reading of one capability (`name` or `component.name`). */
  recordReading(deviceId: string, path: string, value: unknown, timestamp: string): void {
    const readings = this.readings.get(deviceId) ?? new Map<string, TelemetryReading>();
    this.readings.set(deviceId, readings);
    readings.set(path, { value, timestamp });
  }
}
