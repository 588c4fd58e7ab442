import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { CommandRecord, DeviceRecord, DeviceTwinRecord, HubTwinRecord } from '../../store/records.js';
import type { Clock } from '../clock.js';
import { assertDeviceId } from '../devices/device-catalog.js';
import type { DeviceServices } from '../devices/device-services.js';
import { newEtag } from '../etag.js';
import { invalid } from '../errors.js';
import { mergePatch } from '../merge-patch.js';
import type { AppStore } from '../persisted.js';
import { desiredPatch, emptyTwin, reportedState, type PropertyAck, type PropertyReport } from './property-reports.js';

/** What the domain may ask of a connected device; the MQTT session implements it. */
export interface HubDeviceLink {
  readonly transport: string;
  /** Whether the device subscribed to desired-property notifications / direct methods. */
  receivesDesired(): boolean;
  receivesMethods(): boolean;
  /** Desired properties changed: `patch` holds the new values (a component's nested under it, `components` names those). */
  desiredChanged(patch: Record<string, unknown>, version: number, components: readonly string[]): Promise<void>;
  /** A direct method call for a command (`name` or `component.name`); rejects when the device does not answer within `timeoutMs`. */
  invoke(command: string, payload: unknown, timeoutMs: number): Promise<{ status: number; payload: unknown }>;
  /** Ends the connection (the device was deleted or disabled, or the store was replaced). */
  disconnect(): void;
}

export interface ConnectedDevice {
  deviceId: string;
  transport: string;
  /** Wall-clock ms of the connection. */
  since: number;
}

/** A device's twin: desired and reported documents with their versions, and which top-level keys are components. */
export interface HubTwin extends HubTwinRecord {
  components: readonly string[];
}

type AckWaiter = { path: string; version: number; resolve: (ack: PropertyAck) => void };

/**
 * Real devices on the IoT Hub device API: their registration (DPS), connections, twins and telemetry. The twin is
 * kept as the device sees it (desired and reported documents with versions) and mirrored into the property states
 * IoT Central shows, so that GET /api/devices/{id}/properties and group filters see what the device reported.
 */
export class HubDevices {
  private readonly links = new Map<string, { link: HubDeviceLink; since: number }>();
  private readonly ackWaiters = new Map<string, Set<AckWaiter>>();
  /** Ends every wait when the host closes. */
  private readonly closing = sharedController();
  /** Callers waiting for a device to take direct methods, by device id. */
  private readonly methodWaiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly store: AppStore,
    private readonly clock: Clock,
    private readonly devices: DeviceServices,
  ) {
    // A connection lasts only as long as the device may connect: deleting or disabling it, a reset or an import ends it.
    store.subscribe((change) => {
      if (change.op === 'replaced') return this.disconnectAll();
      if (change.op === 'set' || change.collection !== 'devices') return;
      if (change.op === 'delete' || (change.record as DeviceRecord).enabled === false) this.links.get(change.id)?.link.disconnect();
    });
  }

  /** A DPS registration: creates the device when it is new (template from the model id), and marks it provisioned. */
  register(registrationId: string, modelId: string | undefined): Promise<DeviceRecord> {
    assertDeviceId(registrationId);
    const existing = this.devices.devices.find(registrationId);
    if (existing?.simulated) throw invalid(`Device "${registrationId}" is simulated; a real device cannot register as it.`);
    const template = existing?.template ?? (modelId === undefined ? undefined : this.templateFor(modelId));
    const record: DeviceRecord = existing
      ? { ...existing, etag: newEtag(), provisioned: true, ...(template !== undefined && { template }) }
      : { id: registrationId, etag: newEtag(), displayName: registrationId, enabled: true, simulated: false, provisioned: true, ...(template !== undefined && { template }) };
    return existing?.provisioned && existing.template === record.template ? Promise.resolve(existing) : this.devices.devices.save(record);
  }

  /** A device that may connect to the hub: in the catalog, not simulated, enabled. */
  hubDevice(deviceId: string): DeviceRecord | undefined {
    const device = this.devices.devices.find(deviceId);
    return device && !device.simulated && device.enabled ? device : undefined;
  }

  isProvisioned(deviceId: string): boolean {
    return this.devices.devices.find(deviceId)?.provisioned === true;
  }

  /**
   * The device connected (naming its model id, if it did); returns what to call when it disconnects. A second
   * connection replaces the first. A device without a template gets the one of its model id, as at registration.
   */
  async attach(deviceId: string, link: HubDeviceLink, modelId?: string): Promise<() => void> {
    const device = this.devices.devices.require(deviceId);
    const template = device.template ?? (modelId === undefined ? undefined : this.templateFor(modelId));
    if (!device.provisioned || template !== device.template) {
      await this.devices.devices.save({ ...device, etag: newEtag(), provisioned: true, ...(template !== undefined && { template }) });
    }
    const entry = { link, since: Date.now() };
    this.links.set(deviceId, entry);
    this.subscriptionsChanged(deviceId);
    return () => {
      if (this.links.get(deviceId) === entry) this.links.delete(deviceId);
    };
  }

  /** Stops every wait for a device (the host is closing). */
  close(): void {
    this.closing.abort();
  }

  disconnectAll(): void {
    for (const { link } of [...this.links.values()]) link.disconnect();
  }

  connected(): ConnectedDevice[] {
    return [...this.links].map(([deviceId, { link, since }]) => ({ deviceId, transport: link.transport, since }));
  }

  linkOf(deviceId: string): HubDeviceLink | undefined {
    return this.links.get(deviceId)?.link;
  }

  /** The device's link subscribed to more topics: whoever waits for it to take methods looks again. */
  subscriptionsChanged(deviceId: string): void {
    for (const wake of [...(this.methodWaiters.get(deviceId) ?? [])]) wake();
  }

  /** Resolves true once the device is connected and subscribed to direct methods, false after `timeoutMs` (real time). */
  whenTakingMethods(deviceId: string, timeoutMs: number, cancel: AbortSignal): Promise<boolean> {
    const ready = () => this.linkOf(deviceId)?.receivesMethods() === true;
    if (ready()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiters = this.methodWaiters.get(deviceId) ?? new Set();
      this.methodWaiters.set(deviceId, waiters);
      const done = (taking: boolean) => {
        clearTimeout(timer);
        cancel.removeEventListener('abort', stop);
        waiters.delete(wake);
        if (waiters.size === 0) this.methodWaiters.delete(deviceId);
        resolve(taking);
      };
      const wake = () => ready() && done(true);
      const stop = () => done(false);
      const timer = setTimeout(stop, timeoutMs);
      cancel.addEventListener('abort', stop, { once: true });
      waiters.add(wake);
      if (cancel.aborted) stop();
    });
  }

  twin(deviceId: string): HubTwin {
    return { ...(this.twinRecord(deviceId)?.hub ?? emptyTwin()), components: this.componentsOf(deviceId) };
  }

  /**
   * Applies a reported-properties patch (a merge patch of the reported document, kept as the device sent it) and what
   * it says about each capability; returns the new reported version.
   */
  reportProperties(deviceId: string, patch: Record<string, unknown>, reports: ReadonlyMap<string, PropertyReport>): Promise<number> {
    return this.devices.devices.serialize(deviceId, async () => {
      this.devices.devices.require(deviceId);
      const record = this.twinRecord(deviceId) ?? { properties: {}, commands: {} };
      const hub = record.hub ?? emptyTwin();
      const reported = mergePatch(hub.reported, patch) as Record<string, unknown>;
      const at = new Date(this.clock.now()).toISOString();
      const properties = { ...record.properties };
      for (const [path, report] of reports) properties[path] = reportedState(properties[path], report, at);
      const next: DeviceTwinRecord = { ...record, properties, hub: { ...hub, reported, reportedVersion: hub.reportedVersion + 1 } };
      await this.store.commit((tx) => tx.put('deviceTwins', deviceId, next));
      for (const [path, report] of reports) if (report.ack?.version !== undefined) this.settleAck(deviceId, path, report.ack.version, report.ack);
      return next.hub!.reportedVersion;
    });
  }

  /** Writes desired properties (IoT Central's property write on a real device) and notifies the device; no ack awaited. */
  async setDesired(deviceId: string, writes: readonly (readonly [path: string, value: unknown])[]): Promise<void> {
    const { patch, version } = await this.commitDesired(deviceId, writes);
    await this.notifyDesired(deviceId, patch, version);
  }

  /**
   * Writes one desired property and resolves with the device's ack for that version, or undefined when none came
   * within `timeoutMs` (real time) or `cancel` fired. A connected device is notified at once; one that connects later
   * reads the value from its twin.
   */
  async writeDesired(deviceId: string, path: string, value: unknown, timeoutMs: number, cancel: AbortSignal): Promise<PropertyAck | undefined> {
    const { patch, version } = await this.commitDesired(deviceId, [[path, value]]);
    const ack = this.awaitAck(deviceId, path, version, timeoutMs, cancel);
    await this.notifyDesired(deviceId, patch, version);
    return ack;
  }

  /**
   * Invokes a command (`name` or `component.name`) as a direct method and keeps the answer as its history; undefined
   * when the device is not connected within `connectWithinMs` or does not take methods. Rejects when it does not
   * answer within `timeoutMs`.
   */
  async invokeCommand(deviceId: string, path: string, request: unknown, timeoutMs: number, connectWithinMs = 0, cancel?: AbortSignal): Promise<CommandRecord | undefined> {
    if (connectWithinMs > 0) await this.whenTakingMethods(deviceId, connectWithinMs, cancel ?? this.closing.signal);
    const link = this.linkOf(deviceId);
    if (!link?.receivesMethods()) return undefined;
    const answer = await link.invoke(path, request, timeoutMs);
    return this.devices.devices.serialize(deviceId, async () => {
      const record = this.twinRecord(deviceId) ?? { properties: {}, commands: {} };
      const command: CommandRecord = { id: randomUUID(), at: this.clock.now(), ...(request !== undefined && { request }), response: answer.payload, responseCode: answer.status };
      await this.store.commit((tx) => tx.put('deviceTwins', deviceId, { ...record, commands: { ...record.commands, [path]: command } }));
      return command;
    });
  }

  private commitDesired(deviceId: string, writes: readonly (readonly [string, unknown])[]): Promise<{ patch: Record<string, unknown>; version: number }> {
    return this.devices.devices.serialize(deviceId, async () => {
      const device = this.devices.devices.require(deviceId);
      const record = this.twinRecord(deviceId) ?? { properties: {}, commands: {} };
      const hub: HubTwinRecord = record.hub ?? emptyTwin();
      const index = device.template === undefined ? undefined : this.devices.templates.capabilities(device.template);
      const version = hub.desiredVersion + 1;
      const at = new Date(this.clock.now()).toISOString();
      let patch: Record<string, unknown> = {};
      const properties = { ...record.properties };
      for (const [path, value] of writes) {
        patch = mergePatch(patch, desiredPatch(path, value, (name) => index?.isComponent(name) ?? false)) as Record<string, unknown>;
        properties[path] = { ...properties[path], desiredValue: value, desiredVersion: version, lastUpdateTime: at };
      }
      const next: DeviceTwinRecord = { ...record, properties, hub: { ...hub, desired: mergePatch(hub.desired, patch) as Record<string, unknown>, desiredVersion: version } };
      await this.store.commit((tx) => tx.put('deviceTwins', deviceId, next));
      return { patch, version };
    });
  }

  private async notifyDesired(deviceId: string, patch: Record<string, unknown>, version: number): Promise<void> {
    const link = this.linkOf(deviceId);
    // A device that is away, or not listening, reads the desired properties from its twin when it comes back.
    if (link?.receivesDesired()) await link.desiredChanged(patch, version, this.componentsOf(deviceId)).catch(() => undefined);
  }

  /** A telemetry message: each capability it names becomes the device's last value. */
  recordTelemetry(deviceId: string, body: unknown, component: string | undefined): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
    const at = new Date(this.clock.now()).toISOString();
    for (const [name, value] of Object.entries(body)) this.devices.telemetry.recordReading(deviceId, component === undefined ? name : `${component}.${name}`, value, at);
  }

  private awaitAck(deviceId: string, path: string, version: number, timeoutMs: number, cancel: AbortSignal): Promise<PropertyAck | undefined> {
    return new Promise((resolve) => {
      const waiters = this.ackWaiters.get(deviceId) ?? new Set();
      this.ackWaiters.set(deviceId, waiters);
      const finish = (ack: PropertyAck | undefined) => {
        clearTimeout(timer);
        cancel.removeEventListener('abort', stop);
        waiters.delete(waiter);
        if (waiters.size === 0) this.ackWaiters.delete(deviceId);
        resolve(ack);
      };
      const waiter: AckWaiter = { path, version, resolve: finish };
      const stop = () => finish(undefined);
      const timer = setTimeout(stop, timeoutMs);
      // Many waits share the host's signal: each removes its listener when it ends.
      cancel.addEventListener('abort', stop, { once: true });
      waiters.add(waiter);
      if (cancel.aborted) stop();
    });
  }

  private settleAck(deviceId: string, path: string, version: number, ack: PropertyAck): void {
    for (const waiter of [...(this.ackWaiters.get(deviceId) ?? [])]) if (waiter.path === path && waiter.version === version) waiter.resolve(ack);
  }

  private templateFor(modelId: string): string | undefined {
    return this.devices.templates.list().find((template) => template.id === modelId || template.capabilityModel['@id'] === modelId)?.id;
  }

  private componentsOf(deviceId: string): string[] {
    const template = this.devices.devices.find(deviceId)?.template;
    const index = template === undefined ? undefined : this.devices.templates.capabilities(template);
    return (index?.components ?? []).map((component) => component.name);
  }

  private twinRecord(deviceId: string): DeviceTwinRecord | undefined {
    return this.store.repository('deviceTwins').get(deviceId);
  }
}

/** An AbortController whose signal every wait of a device listens to: as many listeners as devices, no leak warning. */
export function sharedController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
