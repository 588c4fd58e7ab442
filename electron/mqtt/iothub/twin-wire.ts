import type { HubTwin } from '../../domain/hub/hub-devices.js';
import type { PropertyReport } from '../../domain/hub/property-reports.js';
import { isRecord } from '../topics.js';

/** IoT Plug and Play marks a component's object in a twin with `"__t": "c"`. */
const COMPONENT_MARKER = '__t';

type Document = Record<string, unknown>;

/** The twin as a device reads it (`GET $iothub/twin`): versions as `$version`, desired components marked. */
export function twinDocument(twin: HubTwin): { desired: Document; reported: Document } {
  return {
    desired: { ...markComponents(twin.desired, twin.components), $version: twin.desiredVersion },
    reported: { ...twin.reported, $version: twin.reportedVersion },
  };
}

/** A desired-properties notification's body. */
export function desiredPatchDocument(patch: Document, version: number, components: readonly string[]): Document {
  return { ...markComponents(patch, components), $version: version };
}

/**
 * A reported-properties patch as the hub keeps it (without `$version`) and what it says about each capability, by
 * `name` or `component.name`: a plain value, or PnP's writable-property response `{ value, ac, av, ad }`.
 */
export function readReportedPatch(body: Document): { patch: Document; reports: Map<string, PropertyReport> } {
  const { $version: _version, ...patch } = body;
  const reports = new Map<string, PropertyReport>();
  const visit = (path: string, value: unknown) => {
    if (value !== null) reports.set(path, reportOf(value));
  };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (isRecord(value) && value[COMPONENT_MARKER] === 'c') {
      for (const [name, member] of Object.entries(value)) if (name !== COMPONENT_MARKER) visit(`${key}.${name}`, member);
    } else {
      visit(key, value);
    }
  }
  return { patch, reports };
}

/** IoT Plug and Play names a component's command `component*command` on the wire. */
export function methodName(command: string): string {
  return command.replace('.', '*');
}

function reportOf(value: unknown): PropertyReport {
  if (!isRecord(value) || !('value' in value) || typeof value.ac !== 'number') return { value };
  return {
    value: value.value,
    ack: {
      code: value.ac,
      ...(typeof value.av === 'number' && { version: value.av }),
      ...(typeof value.ad === 'string' && { description: value.ad }),
    },
  };
}

function markComponents(document: Document, components: readonly string[]): Document {
  const marked = { ...document };
  for (const name of components) {
    const inner = marked[name];
    if (isRecord(inner)) marked[name] = { [COMPONENT_MARKER]: 'c', ...inner };
  }
  return marked;
}
