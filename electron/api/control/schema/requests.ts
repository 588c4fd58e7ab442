import { Type, type Static } from '@sinclair/typebox';
import { QueryText } from './common.js';

const CapturedBody = Type.Object({ text: Type.String(), truncated: Type.Boolean({ description: 'Bytes beyond the cap were dropped' }) });

export const RequestSummary = Type.Object({
  id: Type.Integer(),
  time: Type.String({ format: 'date-time' }),
  method: Type.String(),
  /** Path and query string as the client sent them. */
  url: Type.String(),
  status: Type.Integer(),
  durationMs: Type.Number(),
  /** `ui` when Fleetlab's own UI made the call, else `client`. */
  source: Type.Union([Type.Literal('ui'), Type.Literal('client')]),
});

export const LoggedRequest = Type.Object({
  ...RequestSummary.properties,
  requestHeaders: Type.Record(Type.String(), Type.String()),
  responseHeaders: Type.Record(Type.String(), Type.String()),
  requestBody: CapturedBody,
  responseBody: CapturedBody,
});

export const RequestListQuery = Type.Object({ offset: QueryText, limit: QueryText, includeUi: QueryText });
export const RequestPage = Type.Object({ capacity: Type.Integer(), total: Type.Integer(), requests: Type.Array(RequestSummary) });

export type CapturedBody = Static<typeof CapturedBody>;
export type RequestSummary = Static<typeof RequestSummary>;
export type LoggedRequest = Static<typeof LoggedRequest>;
export type RequestPage = Static<typeof RequestPage>;
export type RequestListQuery = Static<typeof RequestListQuery>;
