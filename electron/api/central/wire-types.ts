/**
 * IoT Central's wire types, generated from Microsoft's OpenAPI files (`generated/`, npm run gen:types). The handlers
 * type their bodies and answers with these, and the renderer imports them type-only, so neither retypes what the spec
 * already says. The 2022-10-31-preview file is the superset the routes serve (every api-version is validated against
 * its own or its nearest file at run time); `StableSchemas` is there for a client that holds to 2022-07-31.
 */
import type { components as StableComponents } from './generated/2022-07-31.js';
import type { components, operations } from './generated/2022-10-31-preview.js';

export type CentralSchemas = components['schemas'];
export type StableSchemas = StableComponents['schemas'];
export type OperationId = keyof operations;

type JsonContent<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON body an operation takes. */
export type RequestBody<Operation extends OperationId> = JsonContent<operations[Operation]['requestBody']>;

/** The JSON body an operation answers with the status (200 unless named). */
export type ResponseBody<Operation extends OperationId, Status extends number = 200> = Status extends keyof operations[Operation]['responses']
  ? JsonContent<operations[Operation]['responses'][Status]>
  : never;

export type Job = CentralSchemas['Job'];
export type JobData = CentralSchemas['JobData'];
export type JobDeviceStatus = CentralSchemas['JobDeviceStatus'];
export type ScheduledJob = CentralSchemas['ScheduledJob'];
export type Device = CentralSchemas['Device'];
export type DeviceTemplate = CentralSchemas['DeviceTemplate'];
export type DeviceGroup = CentralSchemas['DeviceGroup'];
export type ApiToken = CentralSchemas['ApiToken'];
export type Role = CentralSchemas['Role'];
export type Organization = CentralSchemas['Organization'];
