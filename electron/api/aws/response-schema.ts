import type { FastifySchema } from 'fastify';
import type { Operation, ServiceModel } from './service-model.js';
import { schemaDefinitions } from './shape-schema.js';

/** The AWS REST-JSON error body; the error code travels in `x-amzn-errortype`. */
export const AWS_ERROR_BODY = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } as const;

/** The `$id` under which a plugin adds its model's shapes (`addSchema`), so that response schemas can name them. */
const modelSchemaId = (model: ServiceModel) => `aws-${model.metadata.signingName}-${model.metadata.apiVersion}`;

/**
 * The model's shapes as one JSON Schema document for `addSchema`, by type and structure: Fleetlab's answers carry
 * documented values beyond the model's input constraints (a thing type named by a DTMI with `;`, docs/compat.md).
 */
export function modelSchemaDocument(model: ServiceModel): { $id: string; definitions: Record<string, object> } {
  return { $id: modelSchemaId(model), definitions: schemaDefinitions(model, { constraints: false }) };
}

/**
 * An operation's response schema: its output shape from the model (what serializeOutput writes: the shape's members,
 * timestamps as epoch seconds), or an empty object for an operation without output, and the error body for any
 * other status. It describes; the plugin's serializer sends what serializeOutput built (serialize-as-is.ts).
 */
export function operationResponseSchema(model: ServiceModel, operation: Operation): FastifySchema['response'] {
  const output = operation.output ? { $ref: `${modelSchemaId(model)}#/definitions/${operation.output.shape}` } : { type: 'object', maxProperties: 0 };
  return { [operation.http.responseCode ?? 200]: output, default: AWS_ERROR_BODY };
}
