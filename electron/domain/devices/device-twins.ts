import { randomUUID } from 'node:crypto';
import type { BehaviorRecord, CommandRecord, DeviceRecord, DeviceTwinRecord, PropertyStateRecord } from '../../store/records.js';
import type { Clock } from '../clock.js';
import { DomainError, invalid, notFound } from '../errors.js';
import { OUTCOME, type OperationKind, type Outcome } from '../fleet-executor.js';
import type { AppStore } from '../persisted.js';
import type { BehaviorProfiles } from './behavior-profiles.js';
import { writeStateOf, type DeviceProperty, type PropertyWrite } from './device-properties.js';
import { isObject, type ComponentInfo } from './capabilities.js';
import type { DeviceCatalog } from './device-catalog.js';
import type { DeviceTemplates } from './device-templates.js';

/** One device's answer to a single operation; host.ts hands in the simulator's `simulateOne`. */
export type SingleDeviceSimulator = (request: {
  seed: number;
  salt: string;
  kind: OperationKind;
  deviceId: string;
  profile: BehaviorRecord;
  connectivity?: number;
  desiredVersion?: number;
}) => {
  outcome: Outcome;
  ack?: { code: number; version?: number; description: string };
  reply?: { responseCode: number; response: unknown };
  error?: string;
};

/** Values the job engine reported for a device, by `name` or `component.name`. */
export type ReportedPropertySource = (deviceId: string) => Record<string, unknown> | undefined;

/** The last time a job ran a command on a device (simulated ms; absent for a job still running), and how it went. */
export type JobCommandSource = (deviceId: string, path: string) => { jobId: string; at?: number; request?: unknown; succeeded: boolean } | undefined;

/** How the devices API reaches a provisioned real device (the hub over MQTT); host.ts hands it in. */
export interface RealDeviceChannel {
  /** Writes desired properties and notifies the device, without waiting for its ack (IoT Central's 202). */
  setDesired(deviceId: string, writes: readonly (readonly [path: string, value: unknown])[]): Promise<void>;
  /**
   * Runs a command as a direct method, waiting up to `connectWithinMs` for a device that is away; undefined when it
   * is not connected by then. Rejects when it does not answer within `timeoutMs`.
   */
  invoke(deviceId: string, path: string, request: unknown, timeoutMs: number, connectWithinMs: number): Promise<CommandRecord | undefined>;
}

export interface CommandInput {
  request?: unknown;
  connectionTimeout?: number;
  responseTimeout?: number;
}

const OFFLINE = 0;
const OFFLINE_COMMAND_MESSAGE = 'Could not connect to device in order to send command.';
/** IoT Central's default wait for a command's answer, in seconds. */
const DEFAULT_RESPONSE_TIMEOUT_S = 30;

/**
 * Property writes and commands on one device through the devices API. Simulated devices answer through the
 * simulator with the same behaviour profile a job would use; provisioned real devices through the hub; other devices
 * that are not simulated (or disabled) never answer.
 */
export class DeviceTwins {
  constructor(
    private readonly store: AppStore,
    private readonly clock: Clock,
    private readonly catalog: DeviceCatalog,
    private readonly templates: DeviceTemplates,
    private readonly behavior: BehaviorProfiles,
    private readonly simulate: SingleDeviceSimulator,
    private readonly reported: ReportedPropertySource = () => undefined,
    private readonly jobCommands: JobCommandSource = () => undefined,
    private readonly real?: RealDeviceChannel,
  ) {}

  /** Each known property with its value and write state, in the order they became known; `component` narrows to one. */
  properties(deviceId: string, component?: string): DeviceProperty[] {
    const device = this.catalog.require(deviceId);
    if (component !== undefined) this.requireComponent(device, component);
    const fromJobs = this.reported(deviceId) ?? {};
    const states = this.twinOf(deviceId)?.properties ?? {};
    const found: DeviceProperty[] = [];
    for (const path of new Set([...Object.keys(fromJobs), ...Object.keys(states)])) {
      const [owner, name] = splitPath(path);
      if (component !== undefined && owner !== component) continue;
      const state = states[path];
      const value = state && 'value' in state ? state.value : fromJobs[path];
      found.push({ ...(owner !== undefined && { component: owner }), name, ...(value !== undefined && { value }), ...(state && { state: writeStateOf(state) }) });
    }
    return found;
  }

  /** One reported or cloud property value, for device group filters. */
  propertyValue(deviceId: string, path: string): unknown {
    const state = this.twinOf(deviceId)?.properties[path];
    return state && 'value' in state ? state.value : this.reported(deviceId)?.[path];
  }

  /**
   * Writes properties (`{name: v}` or `{component: {name: v}}`; with `component`, that component's `{name: v}`) and
   * answers each write with its checked value.
   */
  async writeProperties(deviceId: string, body: Record<string, unknown>, component?: string): Promise<PropertyWrite[]> {
    const toDevice: [string, unknown][] = [];
    const written = await this.catalog.serialize(deviceId, async () => {
      const device = this.catalog.require(deviceId);
      if (component !== undefined) this.requireComponent(device, component);
      const writes = this.flatten(device, body, component);
      const twin = this.twinOf(deviceId);
      const properties = { ...twin?.properties };
      const real = device.provisioned === true && this.real !== undefined;
      for (const [path, value] of writes) {
        if (real && !this.isCloud(device, path)) toDevice.push([path, value]);
        else properties[path] = this.applyWrite(device, path, value, properties[path]);
      }
      if (writes.length > toDevice.length) await this.store.commit((tx) => tx.put('deviceTwins', deviceId, { ...twin, properties, commands: twin?.commands ?? {} }));
      return writes.map(([path, value]): PropertyWrite => {
        const [owner, name] = splitPath(path);
        return { ...(owner !== undefined && { component: owner }), name, value };
      });
    });
    // The hub keeps the real device's twin under the same per-device queue, so it writes after this one is done.
    if (toDevice.length > 0) await this.real!.setDesired(deviceId, toDevice);
    return written;
  }

  runCommand(deviceId: string, command: string, input: CommandInput, component?: string): Promise<Omit<CommandRecord, 'at'>> {
    const candidate = this.catalog.require(deviceId);
    if (candidate.provisioned && this.real) return this.runOnRealDevice(candidate, command, input, component);
    return this.catalog.serialize(deviceId, async () => {
      const device = this.catalog.require(deviceId);
      if (component !== undefined) this.requireComponent(device, component);
      const path = component === undefined ? command : `${component}.${command}`;
      let request = input.request;
      if (device.template !== undefined) {
        if (!this.templates.capability(device.template, 'command', path)) throw notFound('Command', path);
        if (request !== undefined) request = this.templates.normalizeJobValue(device.template, 'command', path, request);
      }
      const id = randomUUID();
      const result = this.simulate({ ...this.simulationOf(device), salt: `api/command/${path}/${id}`, kind: 'command' });
      if (!result.reply) throw new DomainError('NotFound', result.error ?? OFFLINE_COMMAND_MESSAGE);
      const record: CommandRecord = {
        id,
        at: this.clock.now(),
        ...(request !== undefined && { request }),
        response: result.reply.response,
        responseCode: result.reply.responseCode,
        ...(input.connectionTimeout !== undefined && { connectionTimeout: input.connectionTimeout }),
        ...(input.responseTimeout !== undefined && { responseTimeout: input.responseTimeout }),
      };
      const twin = this.twinOf(deviceId);
      await this.store.commit((tx) =>
        tx.put('deviceTwins', deviceId, { ...twin, properties: twin?.properties ?? {}, commands: { ...twin?.commands, [path]: record } }),
      );
      const { at: _at, ...shown } = record;
      return shown;
    });
  }

  /**
   * The most recent invocation of a command (IoT Central keeps only the last one): a direct call, or a job's run of
   * it on this device (id: the job's id; responseCode 200 when the device completed it, 500 when it failed).
   */
  commandHistory(deviceId: string, command: string, component?: string): Omit<CommandRecord, 'at'>[] {
    const device = this.catalog.require(deviceId);
    if (component !== undefined) this.requireComponent(device, component);
    const path = component === undefined ? command : `${component}.${command}`;
    if (device.template !== undefined && !this.templates.capability(device.template, 'command', path)) throw notFound('Command', path);
    const record = this.twinOf(deviceId)?.commands[path];
    const run = this.jobCommands(deviceId, path);
    if (run && (!record || (run.at ?? Infinity) >= (record.at ?? -Infinity))) {
      return [{ id: run.jobId, ...(run.request !== undefined && { request: run.request }), responseCode: run.succeeded ? 200 : 500 }];
    }
    if (!record) return [];
    const { at: _at, ...shown } = record;
    return [shown];
  }

  /** A command on a real device: a direct method over the hub, outside the device's write queue (its answer may take long). */
  private async runOnRealDevice(device: DeviceRecord, command: string, input: CommandInput, component?: string): Promise<Omit<CommandRecord, 'at'>> {
    if (component !== undefined) this.requireComponent(device, component);
    const path = component === undefined ? command : `${component}.${command}`;
    let request = input.request;
    if (device.template !== undefined) {
      if (!this.templates.capability(device.template, 'command', path)) throw notFound('Command', path);
      if (request !== undefined) request = this.templates.normalizeJobValue(device.template, 'command', path, request);
    }
    const timeoutMs = (input.responseTimeout ?? DEFAULT_RESPONSE_TIMEOUT_S) * 1000;
    let record: CommandRecord | undefined;
    try {
      record = await this.real!.invoke(device.id, path, request, timeoutMs, (input.connectionTimeout ?? 0) * 1000);
    } catch {
      throw new DomainError('NotFound', `The device did not answer the command within ${timeoutMs / 1000} s.`);
    }
    if (!record) throw new DomainError('NotFound', OFFLINE_COMMAND_MESSAGE);
    const { at: _at, ...shown } = record;
    return {
      ...shown,
      ...(input.connectionTimeout !== undefined && { connectionTimeout: input.connectionTimeout }),
      ...(input.responseTimeout !== undefined && { responseTimeout: input.responseTimeout }),
    };
  }

  /** The components of the device's template, in the model's order. */
  components(deviceId: string): ComponentInfo[] {
    const device = this.catalog.require(deviceId);
    return device.template === undefined ? [] : (this.templates.capabilities(device.template)?.components ?? []);
  }

  private applyWrite(device: DeviceRecord, path: string, value: unknown, previous: PropertyStateRecord | undefined): PropertyStateRecord {
    const desiredVersion = (previous?.desiredVersion ?? 0) + 1;
    const lastUpdateTime = new Date(this.clock.now()).toISOString();
    const kept = previous && 'value' in previous ? { value: previous.value } : {};
    if (this.isCloud(device, path)) return { value, desiredValue: value, desiredVersion, lastUpdateTime };
    const result = this.simulate({ ...this.simulationOf(device), salt: `api/property/${path}/${desiredVersion}`, kind: 'property', desiredVersion });
    const state: PropertyStateRecord = { ...kept, desiredValue: value, desiredVersion, lastUpdateTime };
    if (!result.ack) return state;
    return {
      ...state,
      ...(result.outcome === OUTCOME.succeeded && { value }),
      ackCode: result.ack.code,
      ackVersion: result.ack.version ?? desiredVersion,
      ackDescription: result.ack.description,
    };
  }

  private isCloud(device: DeviceRecord, path: string): boolean {
    return device.template !== undefined && this.templates.capability(device.template, 'cloudProperty', path) !== undefined;
  }

  /** Each written capability with its checked value, by path. */
  private flatten(device: DeviceRecord, body: Record<string, unknown>, component: string | undefined): [string, unknown][] {
    const index = device.template === undefined ? undefined : this.templates.capabilities(device.template);
    const writes: [string, unknown][] = [];
    for (const [key, value] of Object.entries(body)) {
      // No DTDL name starts with "$": such a key is an API's metadata (IoT Central echoes `$metadata`), never a property.
      if (key.startsWith('$')) continue;
      if (component === undefined && index?.isComponent(key)) {
        if (!isObject(value)) throw invalid(`"${key}" is a component; send its properties as an object.`);
        for (const [name, inner] of Object.entries(value)) if (!name.startsWith('$')) writes.push([`${key}.${name}`, inner]);
      } else {
        writes.push([component === undefined ? key : `${component}.${key}`, value]);
      }
    }
    if (!index || device.template === undefined) return writes;
    const template = device.template;
    return writes.map(([path, value]) => {
      const kind = index.get('cloudProperty', path) ? 'cloudProperty' : 'property';
      return [path, this.templates.normalizeJobValue(template, kind, path, value)];
    });
  }

  private simulationOf(device: DeviceRecord) {
    const reachable = device.simulated && device.enabled;
    return {
      seed: this.store.get('simulation').seed,
      deviceId: device.id,
      profile: this.behavior.profileOf(device),
      connectivity: reachable ? (device.online === undefined ? -1 : device.online ? 1 : OFFLINE) : OFFLINE,
    };
  }

  private requireComponent(device: DeviceRecord, component: string): void {
    const index = device.template === undefined ? undefined : this.templates.capabilities(device.template);
    if (!index?.isComponent(component)) throw notFound('Component', component);
  }

  private twinOf(deviceId: string): DeviceTwinRecord | undefined {
    return this.store.repository('deviceTwins').get(deviceId);
  }
}

function splitPath(path: string): [string | undefined, string] {
  const dot = path.indexOf('.');
  return dot < 0 ? [undefined, path] : [path.slice(0, dot), path.slice(dot + 1)];
}
