import type { DeviceTemplateInput } from '../../domain/devices/device-templates.js';
import type { DeviceTemplateRecord } from '../../store/records.js';

/** The template fields IoT Central's model names; every other top-level field is echoed as sent. */
const SPEC_FIELDS = new Set(['@id', '@type', 'etag', 'displayName', 'description', 'capabilityModel']);

/** A device template as the IoT Central API shows it, and the fields the client sent beyond the spec's, echoed. */
export interface CentralTemplate {
  [echoed: string]: unknown;
  '@id': string;
  '@type': string[];
  etag: string;
  displayName?: string;
  description?: string;
  capabilityModel: Record<string, unknown>;
}

/** A device template as the IoT Central API shows it: its id as `@id`, the fields the client sent echoed. */
export function toCentralTemplate(record: DeviceTemplateRecord): CentralTemplate {
  return {
    ...record.echoed,
    '@id': record.id,
    '@type': record.types,
    etag: record.etag,
    ...(record.displayName !== undefined && { displayName: record.displayName }),
    ...(record.description !== undefined && { description: record.description }),
    capabilityModel: record.capabilityModel,
  };
}

/** A template as a client sends it (PUT or PATCH). */
interface CentralTemplateBody {
  [echoed: string]: unknown;
  '@type'?: string[];
  etag?: string;
  displayName?: string;
  description?: string;
  capabilityModel?: Record<string, unknown>;
}

/** A template body as the domain takes it: `@type` as its types, the fields beyond the spec's as echoed ones. */
export function fromCentralTemplate(body: CentralTemplateBody): DeviceTemplateInput {
  const echoed = Object.fromEntries(Object.entries(body).filter(([name]) => !SPEC_FIELDS.has(name)));
  return {
    ...(body['@type'] !== undefined && { types: body['@type'] }),
    ...(body.etag !== undefined && { etag: body.etag }),
    ...(body.displayName !== undefined && { displayName: body.displayName }),
    ...(body.description !== undefined && { description: body.description }),
    ...(body.capabilityModel !== undefined && { capabilityModel: body.capabilityModel }),
    ...(Object.keys(echoed).length > 0 && { echoed }),
  };
}
