/**
 * IoT Central's wire types, generated from Microsoft's OpenAPI files (`generated/`, npm run gen:types). The handlers
 * type their bodies and answers with these, and the renderer imports them type-only, so neither retypes what the spec
 * already says (`CentralSchemas['DeviceTemplate']`). The 2022-10-31-preview file is the superset the routes serve
 * (every api-version is validated against its own or its nearest file at run time).
 */
import type { components, operations } from './generated/2022-10-31-preview.js';

/** @public The spec's definitions by name, for the renderer (`CentralSchemas['DeviceTemplate']`). */
export type CentralSchemas = components['schemas'];
export type OperationId = keyof operations;

type JsonContent<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON body an operation takes. */
export type RequestBody<Operation extends OperationId> = JsonContent<operations[Operation]['requestBody']>;

/** The JSON body an operation answers with the status (200 unless named). */
export type ResponseBody<Operation extends OperationId, Status extends number = 200> = Status extends keyof operations[Operation]['responses']
  ? JsonContent<operations[Operation]['responses'][Status]>
  : never;
