import type { DeviceTemplateRecord } from '../../store/records.js';

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
