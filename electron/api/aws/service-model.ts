import jobsDataModelJson from './model/iot-jobs-data-2017-09-29.json' with { type: 'json' };
import modelJson from './model/iot-2015-05-28.json' with { type: 'json' };

/** The parts of a botocore service model (service-2.json) that decide the wire format. */
export interface MemberRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'double' | 'float' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  error?: { httpStatusCode: number };
  exception?: boolean;
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
}

export interface ServiceModel {
  metadata: { apiVersion: string; signingName: string; serviceId: string; serviceFullName: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

/** AWS IoT's control-plane model (jobs, things, thing groups, job templates), copied from botocore. */
export const IOT_MODEL = modelJson as unknown as ServiceModel;

/** AWS IoT Jobs' device data plane model (job executions a device agent polls and updates), copied from botocore. */
export const IOT_JOBS_DATA_MODEL = jobsDataModelJson as unknown as ServiceModel;

export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`The service model has no shape "${name}"`);
  return shape;
}

/** The route path Fastify understands for a model requestUri: `/jobs/{jobId}` -> `/jobs/:jobId`. */
export function routePathOf(requestUri: string): string {
  return requestUri.split('?')[0]!.replace(/\{([A-Za-z0-9_]+)\+?\}/g, ':$1');
}
