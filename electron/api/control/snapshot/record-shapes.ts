/** JSON Schema building blocks for a snapshot's records: every member a record's readers use, with its type. */

export const TEXT = { type: 'string' } as const;
export const FLAG = { type: 'boolean' } as const;
export const COUNT = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
/** ms epoch, within what a JavaScript Date can hold. */
export const TIME_MS = { type: 'number', minimum: -8.64e15, maximum: 8.64e15 } as const;
export const DATE_TIME = { type: 'string', format: 'date-time' } as const;
export const DATE = { type: 'string', format: 'date' } as const;
export const TEXTS = { type: 'array', items: TEXT } as const;
export const ANY_OBJECT = { type: 'object' } as const;
export const TEXT_MAP = { type: 'object', additionalProperties: TEXT } as const;
export const TAGS = { type: 'array', items: { type: 'object', required: ['Key'], properties: { Key: TEXT, Value: TEXT } } } as const;

/**
 * A record: its members' types, the required ones named. Members the readers do not know are kept (a record may
 * echo client fields, and an older Fleetlab may have written some): nothing reads them.
 */
export const record = (properties: Record<string, object>, required: readonly string[]) => ({ type: 'object', required, properties }) as const;

/** A collection: record ids through the id rule of the API that creates them, each record of one shape. */
export const collection = (id: { pattern: string; maxLength: number }, shape: object) => ({
  type: 'object',
  propertyNames: { ...id, minLength: 1 },
  additionalProperties: shape,
});

/** The id rules of the API each collection's ids come through; a snapshot's ids must pass the same ones. */
export const ID = {
  central: { type: 'string', pattern: '^[a-zA-Z0-9_-]+$', maxLength: 255 },
  // Thing names (AWS's rule) are device ids too.
  device: { type: 'string', pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  template: { type: 'string', pattern: '^[^\\u0000-\\u001f]+$', maxLength: 1024 },
  thingGroup: { type: 'string', pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  thingGroupMember: { type: 'string', pattern: '^[a-zA-Z0-9:_-]+/[a-zA-Z0-9:_-]+$', maxLength: 257 },
  thingType: { type: 'string', pattern: '^[a-zA-Z0-9:_-]+$', maxLength: 128 },
  jobTemplate: { type: 'string', pattern: '^[a-zA-Z0-9_-]+$', maxLength: 64 },
  bucket: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]+[a-z0-9]$', maxLength: 63 },
  certificate: { type: 'string', pattern: '^[0-9a-f]{64}$', maxLength: 64 },
} as const;
