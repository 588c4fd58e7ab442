import { invalid } from '../errors.js';

export type CapabilityKind = 'property' | 'command' | 'cloudProperty';

export interface Capability {
  kind: CapabilityKind;
  name: string;
  /** The component that holds it; absent for the root interface. */
  component?: string;
  /** DTDL schema (a primitive name or a complex schema object, references resolved); a command's request schema. */
  schema?: unknown;
  /** Properties only: whether the cloud may write it. Cloud properties are always writable. */
  writable: boolean;
  /** The DTDL displayName, in its first language when it is localized. */
  displayName?: string;
}

/** A telemetry capability: sent by the device, never written by the cloud, so it is indexed apart from the others. */
export interface TelemetryInfo {
  name: string;
  component?: string;
  schema?: unknown;
  /** The DTDL @type entries besides Telemetry, e.g. Temperature. */
  semanticTypes: string[];
}

export interface ComponentInfo {
  name: string;
  interfaceId?: string;
  displayName?: unknown;
}

/** The writable properties, commands and cloud properties of a device template, addressed by `name` or `component.name`. */
export class CapabilityIndex {
  private readonly byKey = new Map<string, Capability>();
  private readonly telemetryByPath = new Map<string, TelemetryInfo>();
  readonly components: ComponentInfo[] = [];

  constructor(capabilityModel: Record<string, unknown>) {
    const definitions = new Map<string, Record<string, unknown>>();
    collectDefinitions(capabilityModel, definitions);
    new ModelWalker(definitions, this.byKey, this.components, this.telemetryByPath).visitInterface(capabilityModel, undefined, new Set());
  }

  get(kind: CapabilityKind, path: string): Capability | undefined {
    return this.byKey.get(`${kind}:${path}`);
  }

  /** Every capability in model order, each with the path a job names it by. */
  all(): (Capability & { path: string })[] {
    return [...this.byKey].map(([key, capability]) => ({ ...capability, path: key.slice(key.indexOf(':') + 1) }));
  }

  /** Any capability at a path whatever its kind; used to explain why a lookup of another kind failed. */
  anyAt(path: string): Capability | undefined {
    return this.get('property', path) ?? this.get('cloudProperty', path) ?? this.get('command', path);
  }

  /** A telemetry capability by `name` or `component.name`. */
  telemetry(path: string): TelemetryInfo | undefined {
    return this.telemetryByPath.get(path);
  }

  isComponent(name: string): boolean {
    return this.components.some((component) => component.name === name);
  }
}

class ModelWalker {
  constructor(
    private readonly definitions: Map<string, Record<string, unknown>>,
    private readonly byKey: Map<string, Capability>,
    private readonly components: ComponentInfo[],
    private readonly telemetry: Map<string, TelemetryInfo>,
  ) {}

  visitInterface(iface: unknown, component: string | undefined, visiting: Set<unknown>): void {
    const resolved = this.resolve(iface);
    if (!isObject(resolved) || visiting.has(resolved)) return;
    visiting.add(resolved);
    for (const base of asArray(resolved.extends)) this.visitInterface(base, component, visiting);
    if (resolved.contents !== undefined && !Array.isArray(resolved.contents)) throw invalid('capabilityModel: an interface\'s "contents" must be an array.');
    for (const entry of asArray(resolved.contents)) {
      if (isObject(entry)) this.visitContent(entry, component, visiting);
    }
    visiting.delete(resolved);
  }

  private visitContent(entry: Record<string, unknown>, component: string | undefined, visiting: Set<unknown>): void {
    const types = asArray(entry['@type']).filter((type): type is string => typeof type === 'string');
    const name = entry.name;
    if (typeof name !== 'string') throw invalid(`capabilityModel: every capability needs a "name" (found one of type ${types.join('/') || 'unknown'}).`);
    if (types.includes('Component')) {
      if (component !== undefined) return; // DTDL allows components in the root interface only
      const schema = this.resolve(entry.schema);
      this.components.push({
        name,
        ...(isObject(schema) && typeof schema['@id'] === 'string' && { interfaceId: schema['@id'] }),
        ...(entry.displayName !== undefined && { displayName: entry.displayName }),
      });
      this.visitInterface(schema, name, visiting);
      return;
    }
    const path = component === undefined ? name : `${component}.${name}`;
    const displayName = displayNameText(entry.displayName);
    const base = { name, ...(component !== undefined && { component }), ...(displayName !== undefined && { displayName }) };
    if (types.includes('Property')) {
      const cloud = types.includes('Cloud');
      const kind: CapabilityKind = cloud ? 'cloudProperty' : 'property';
      this.byKey.set(`${kind}:${path}`, { ...base, kind, schema: this.resolveSchema(entry.schema), writable: cloud || entry.writable === true });
    } else if (types.includes('Command')) {
      const request = isObject(entry.request) ? this.resolveSchema(entry.request.schema) : undefined;
      this.byKey.set(`command:${path}`, { ...base, kind: 'command', schema: request, writable: false });
    } else if (types.includes('Telemetry')) {
      const semanticTypes = types.filter((type) => type !== 'Telemetry');
      this.telemetry.set(path, { ...base, schema: this.resolveSchema(entry.schema), semanticTypes });
    }
  }

  private resolve(value: unknown): unknown {
    return typeof value === 'string' ? (this.definitions.get(value) ?? value) : value;
  }

  /** Inlines schema references (`dtmi:…`) so that value checks need no lookups. */
  private resolveSchema(schema: unknown, depth = 0): unknown {
    const resolved = this.resolve(schema);
    if (!isObject(resolved) || depth > 16) return resolved;
    const copy: Record<string, unknown> = { ...resolved };
    if (Array.isArray(copy.fields)) {
      copy.fields = copy.fields.map((field) => (isObject(field) ? { ...field, schema: this.resolveSchema(field.schema, depth + 1) } : field));
    }
    for (const key of ['elementSchema', 'mapValue'] as const) {
      const inner = copy[key];
      if (isObject(inner) && 'schema' in inner) copy[key] = { ...inner, schema: this.resolveSchema(inner.schema, depth + 1) };
      else if (inner !== undefined) copy[key] = this.resolveSchema(inner, depth + 1);
    }
    return copy;
  }
}

/** Every object with an `@id` in the model (interfaces and named schemas), so that references can be resolved. */
function collectDefinitions(value: unknown, into: Map<string, Record<string, unknown>>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectDefinitions(item, into);
  } else if (isObject(value)) {
    if (typeof value['@id'] === 'string' && value['@type'] !== undefined && !into.has(value['@id'])) into.set(value['@id'], value);
    for (const child of Object.values(value)) collectDefinitions(child, into);
  }
}

function displayNameText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return undefined;
  const first = Object.values(value)[0];
  return typeof first === 'string' ? first : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
