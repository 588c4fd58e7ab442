/**
 * A serializerCompiler that sends a response as the handler built it: plain JSON.stringify. Fastify's default
 * (fast-json-stringify) would drop every property a response schema leaves out and coerce types, changing the wire
 * output (docs/decisions.md, "Response schemas describe, they do not rewrite").
 */
export function serializeAsIs(): (data: unknown) => string {
  return (data) => JSON.stringify(data);
}
