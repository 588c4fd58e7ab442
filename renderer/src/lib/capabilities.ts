/** The capabilities of a DTDL capability model, flattened with `component.name` paths as IoT Central names them. */

export type CapabilityKind = 'property' | 'writable property' | 'cloud property' | 'command' | 'telemetry';

export interface CapabilityRow {
  path: string;
  kind: CapabilityKind;
  schema: string;
  displayName?: string;
}

type Node = Record<string, unknown>;

const typesOf = (node: Node): string[] => {
  const type = node['@type'];
  return Array.isArray(type) ? type.map(String) : typeof type === 'string' ? [type] : [];
};

const schemaText = (schema: unknown): string =>
  typeof schema === 'string' ? schema.replace(/^dtmi:.*?:/, '') : typeof schema === 'object' && schema ? String((schema as Node)['@type'] ?? 'object') : '';

/** A command's request and response schemas, e.g. "request: double · response: object"; "no payload" without either. */
function commandSchemaText(command: Node): string {
  const parts = (['request', 'response'] as const).flatMap((member) => {
    const payload = command[member];
    return payload && typeof payload === 'object' ? [`${member}: ${schemaText((payload as Node).schema)}`] : [];
  });
  return parts.length > 0 ? parts.join(' · ') : 'no payload';
}

const displayNameOf = (node: Node): string | undefined => {
  const name = node.displayName;
  if (typeof name === 'string') return name;
  if (name && typeof name === 'object') return Object.values(name as Record<string, string>)[0];
  return undefined;
};

function kindOf(node: Node): CapabilityKind | undefined {
  const types = typesOf(node);
  if (types.includes('Command')) return 'command';
  if (types.includes('Telemetry')) return 'telemetry';
  if (types.includes('CloudProperty')) return 'cloud property';
  if (types.includes('Property')) return node.writable === true ? 'writable property' : 'property';
  return undefined;
}

export function capabilitiesOf(model: unknown): CapabilityRow[] {
  const rows: CapabilityRow[] = [];
  const visit = (node: Node, prefix: string) => {
    for (const entry of (Array.isArray(node.contents) ? node.contents : []) as Node[]) {
      if (typeof entry !== 'object' || entry === null || typeof entry.name !== 'string') continue;
      if (typesOf(entry).includes('Component') && typeof entry.schema === 'object' && entry.schema) {
        visit(entry.schema as Node, `${entry.name}.`);
        continue;
      }
      const kind = kindOf(entry);
      if (kind) rows.push({ path: `${prefix}${entry.name}`, kind, schema: kind === 'command' ? commandSchemaText(entry) : schemaText(entry.schema), displayName: displayNameOf(entry) });
    }
  };
  if (model && typeof model === 'object') visit(model as Node, '');
  return rows;
}

/**
 * What a dropped or picked DTDL file holds, as an IoT Central device template: a template export
 * (`{ "@id", capabilityModel }`) or a bare DTDL interface (wrapped in a template named after it).
 */
export function templateFromJson(json: unknown): { id: string; body: { '@type': string[]; displayName: string; description?: string; capabilityModel: Node } } {
  const root = Array.isArray(json) ? json.find((item: Node) => typesOf(item).includes('Interface')) : json;
  if (!root || typeof root !== 'object') throw new Error('The file is not a DTDL interface or an IoT Central device template.');
  const node = root as Node;
  if (node.capabilityModel && typeof node.capabilityModel === 'object') {
    const model = node.capabilityModel as Node;
    const id = typeof node['@id'] === 'string' ? node['@id'] : typeof model['@id'] === 'string' ? `${model['@id']}` : '';
    if (!id) throw new Error('The device template has no "@id".');
    return {
      id,
      body: {
        '@type': typesOf(node).length > 0 ? typesOf(node) : ['ModelDefinition', 'DeviceModel'],
        displayName: displayNameOf(node) ?? id,
        ...(typeof node.description === 'string' && { description: node.description }),
        capabilityModel: model,
      },
    };
  }
  if (!typesOf(node).includes('Interface') || typeof node['@id'] !== 'string') {
    throw new Error('The file is neither a DTDL interface ("@type": "Interface" with an "@id") nor a device template with a "capabilityModel".');
  }
  return { id: node['@id'], body: { '@type': ['ModelDefinition', 'DeviceModel'], displayName: displayNameOf(node) ?? node['@id'], capabilityModel: node } };
}
