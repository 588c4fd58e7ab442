import type { HubTwinRecord, PropertyStateRecord } from '../../store/records.js';

/** IoT Plug and Play marks a component's object in a twin with `"__t": "c"`. */
const COMPONENT_MARKER = '__t';

export const emptyTwin = (): HubTwinRecord => ({ desired: {}, desiredVersion: 1, reported: {}, reportedVersion: 1 });

/** The twin as a device reads it (`GET $iothub/twin`), versions as `$version`. */
export function twinDocument(twin: HubTwinRecord): { desired: Record<string, unknown>; reported: Record<string, unknown> } {
  return { desired: { ...twin.desired, $version: twin.desiredVersion }, reported: { ...twin.reported, $version: twin.reportedVersion } };
}

/** A desired patch for one capability (`name` or `component.name`), components marked as PnP wants them. */
export function desiredPatch(path: string, value: unknown, isComponent: (name: string) => boolean): Record<string, unknown> {
  const dot = path.indexOf('.');
  if (dot > 0 && isComponent(path.slice(0, dot))) return { [path.slice(0, dot)]: { [COMPONENT_MARKER]: 'c', [path.slice(dot + 1)]: value } };
  return { [path]: value };
}

interface Ack {
  ac: number;
  av?: number;
  ad?: string;
}

/** A reported value in PnP's writable-property response shape `{ value, ac, av, ad }`. */
function asAck(value: unknown): (Ack & { value: unknown }) | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const candidate = value as Record<string, unknown>;
  if (!('value' in candidate) || typeof candidate.ac !== 'number') return undefined;
  return {
    value: candidate.value,
    ac: candidate.ac,
    ...(typeof candidate.av === 'number' && { av: candidate.av }),
    ...(typeof candidate.ad === 'string' && { ad: candidate.ad }),
  };
}

/** What a reported patch says about each capability, by `name` or `component.name`: a plain value or an ack. */
export function reportedCapabilities(patch: Record<string, unknown>): Map<string, { value: unknown; ack?: Ack }> {
  const found = new Map<string, { value: unknown; ack?: Ack }>();
  const visit = (key: string, value: unknown) => {
    if (value === null) return;
    const ack = asAck(value);
    found.set(key, ack ? { value: ack.value, ack } : { value });
  };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const inner = value as Record<string, unknown> | null;
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && inner[COMPONENT_MARKER] === 'c') {
      for (const [name, member] of Object.entries(inner)) if (name !== COMPONENT_MARKER) visit(`${key}.${name}`, member);
    } else {
      visit(key, value);
    }
  }
  return found;
}

/** The IoT Central property state after the device reported on it (an ack sets the acknowledged value and code). */
export function reportedState(previous: PropertyStateRecord | undefined, report: { value: unknown; ack?: Ack }, at: string): PropertyStateRecord {
  const base: PropertyStateRecord = previous ?? { desiredValue: undefined, desiredVersion: 0, lastUpdateTime: at };
  if (!report.ack) return { ...base, value: report.value, lastUpdateTime: at };
  const accepted = report.ack.ac >= 200 && report.ack.ac < 300;
  return {
    ...base,
    ...(accepted ? { value: report.value } : {}),
    ackCode: report.ack.ac,
    ...(report.ack.av !== undefined && { ackVersion: report.ack.av }),
    ...(report.ack.ad !== undefined && { ackDescription: report.ack.ad }),
    lastUpdateTime: at,
  };
}
