import { Type, type TSchema } from '@sinclair/typebox';

/** A 204 answer has no body. */
export const NoContent = Type.Null();

/** An ISO 8601 time, or absent. */
export const OptionalTime = Type.Optional(Type.String({ format: 'date-time' }));

/** Query values arrive as text; the route converts and checks each with a message naming it (query-params.ts). */
export const QueryText = Type.Optional(Type.String());

/** A body that must be an object with only the listed members. */
export const StrictObject = <T extends Record<string, TSchema>>(properties: T) => Type.Object(properties, { additionalProperties: false });
