import { Type, type Static } from '@sinclair/typebox';
import { DeviceEndpoints } from './devices.js';

export const Info = Type.Object({
  name: Type.Literal('Fleetlab'),
  version: Type.String(),
  /** The origin clients reach the emulator at, as this request did. */
  apiOrigin: Type.String(),
  /** The local S3's endpoint for S3 clients (path-style), where job files go. */
  s3Endpoint: Type.String(),
  /** The IoT Central api-version the UI uses, and every one the emulator accepts. */
  apiVersion: Type.String(),
  apiVersions: Type.Array(Type.String()),
  devices: Type.Optional(DeviceEndpoints),
});

export const SessionCode = Type.Object({ code: Type.String(), url: Type.String({ description: 'The UI address that redeems the code' }) });

/** A PEM file or an event stream: text that no JSON schema describes further. */
export const Text = Type.String();

export const EventsQuery = Type.Object({ job: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) });

export type Info = Static<typeof Info>;
export type SessionCode = Static<typeof SessionCode>;
export type EventsQuery = Static<typeof EventsQuery>;
