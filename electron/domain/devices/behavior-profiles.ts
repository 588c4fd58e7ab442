import type { BehaviorRecord, DeviceRecord } from '../../store/records.js';
import { checkLatency } from '../latency-range.js';
import { invalid } from '../errors.js';
import type { DeviceSlice } from '../fleet-executor.js';
import type { AppStore } from '../persisted.js';
import type { DeviceCatalog } from './device-catalog.js';
import type { DeviceTemplates } from './device-templates.js';
import { newEtag } from '../etag.js';

export type BehaviorOverride = Partial<BehaviorRecord>;

export interface TemplateBehaviorView {
  /** The values set on this level. */
  behavior: BehaviorOverride;
  /** What this level would have without its own values: the simulation defaults, or for a device its template's profile. */
  inherited: BehaviorRecord;
  /** inherited <- behavior */
  effective: BehaviorRecord;
}

export interface DeviceBehaviorView extends TemplateBehaviorView {
  /** Explicit connectivity; null when the profile's offlineRate decides. */
  online: boolean | null;
  /** A real agent, not the simulator, answers the device's AWS IoT job executions. */
  external: boolean;
}

export type DeviceBehaviorInput = BehaviorOverride & { online?: boolean | null; external?: boolean };

export interface FleetBehavior {
  profiles: BehaviorRecord[];
  profileIndex?: Uint16Array;
  connectivity?: Int8Array;
  /** 1 for a device the simulator does not answer: an AWS external thing, or a provisioned real device. */
  external?: Uint8Array;
}

/** Simulation behaviour: simulation defaults, overridden per template, overridden per device. */
export class BehaviorProfiles {
  constructor(
    private readonly store: AppStore,
    private readonly catalog: DeviceCatalog,
    private readonly templates: DeviceTemplates,
  ) {}

  templateBehavior(templateId: string): TemplateBehaviorView {
    const template = this.templates.require(templateId);
    return { behavior: template.behavior ?? {}, inherited: this.store.get('simulation').defaults, effective: this.templateProfile(templateId) };
  }

  async setTemplateBehavior(templateId: string, behavior: BehaviorOverride): Promise<TemplateBehaviorView> {
    const template = this.templates.require(templateId);
    checkLatency({ ...this.store.get('simulation').defaults, ...behavior }.latencyMs);
    await this.templates.save({ ...template, behavior, etag: newEtag() });
    return this.templateBehavior(templateId);
  }

  deviceBehavior(deviceId: string): DeviceBehaviorView {
    const device = this.catalog.require(deviceId);
    return {
      behavior: device.behavior ?? {},
      online: device.online ?? null,
      external: device.external ?? false,
      inherited: this.inheritedProfile(device),
      effective: this.profileOf(device),
    };
  }

  async setDeviceBehavior(deviceId: string, input: DeviceBehaviorInput): Promise<DeviceBehaviorView> {
    const { online, external, ...behavior } = input;
    const { behavior: _old, online: _oldOnline, external: oldExternal, ...device } = this.catalog.require(deviceId);
    const record: DeviceRecord = {
      ...device,
      etag: newEtag(),
      ...(Object.keys(behavior).length > 0 && { behavior }),
      ...(online !== undefined && online !== null && { online }),
      // Unlike the profile, the external flag stays as it was when the body does not name it.
      ...((external ?? oldExternal) && { external: true }),
    };
    checkLatency(this.profileOf(record).latencyMs);
    await this.catalog.save(record);
    return this.deviceBehavior(deviceId);
  }

  profileOf(device: DeviceRecord): BehaviorRecord {
    return { ...this.inheritedProfile(device), ...device.behavior };
  }

  private inheritedProfile(device: DeviceRecord): BehaviorRecord {
    return device.template === undefined ? this.store.get('simulation').defaults : this.templateProfile(device.template);
  }

  /** Profiles and connectivity aligned with the concatenated order of `slices`, as the fleet executor takes them. */
  behaviorFor(slices: readonly DeviceSlice[]): FleetBehavior {
    const profiles: BehaviorRecord[] = [];
    const indexOf = new Map<string, number>();
    const profileId = (profile: BehaviorRecord) => {
      const key = JSON.stringify(profile);
      let id = indexOf.get(key);
      if (id === undefined) {
        id = profiles.push(profile) - 1;
        indexOf.set(key, id);
      }
      return id;
    };
    const runs: { start: number; end: number; profile: number }[] = [];
    const exceptions: { position: number; profile: number; online?: boolean; external?: boolean }[] = [];
    let position = 0;
    for (const slice of slices) {
      if ('ids' in slice) {
        for (const id of slice.ids) {
          const device = this.catalog.require(id);
          exceptions.push({ position: position++, profile: profileId(this.profileOf(device)), online: device.online, external: answeredOutsideSimulator(device) });
        }
        continue;
      }
      const start = position;
      position += slice.count;
      const view = this.catalog.index.memberOf(`${slice.prefix}-${slice.first}`)?.view;
      if (!view) throw invalid(`Devices "${slice.prefix}-${slice.first}" and following are not a fleet range.`);
      runs.push({ start, end: position, profile: profileId(this.templateProfile(view.fleet.template)) });
      for (const [n, device] of view.overrides) {
        if (n >= slice.first && n < slice.first + slice.count) {
          exceptions.push({ position: start + n - slice.first, profile: profileId(this.profileOf(device)), online: device.online, external: answeredOutsideSimulator(device) });
        }
      }
    }
    const result: FleetBehavior = { profiles: profiles.length > 0 ? profiles : [this.store.get('simulation').defaults] };
    if (profiles.length > 1) {
      const profileIndex = new Uint16Array(position);
      for (const run of runs) profileIndex.fill(run.profile, run.start, run.end);
      for (const exception of exceptions) profileIndex[exception.position] = exception.profile;
      result.profileIndex = profileIndex;
    }
    if (exceptions.some((exception) => exception.online !== undefined)) {
      const connectivity = new Int8Array(position).fill(-1);
      for (const { position: at, online } of exceptions) if (online !== undefined) connectivity[at] = online ? 1 : 0;
      result.connectivity = connectivity;
    }
    if (exceptions.some((exception) => exception.external)) {
      const external = new Uint8Array(position);
      for (const exception of exceptions) if (exception.external) external[exception.position] = 1;
      result.external = external;
    }
    return result;
  }

  private templateProfile(templateId: string): BehaviorRecord {
    const template = this.store.repository('deviceTemplates').get(templateId);
    return { ...this.store.get('simulation').defaults, ...template?.behavior };
  }
}

/** An AWS external thing (its agent takes executions) or a provisioned real device (it answers over MQTT). */
function answeredOutsideSimulator(device: DeviceRecord): boolean {
  return device.external === true || device.provisioned === true;
}
