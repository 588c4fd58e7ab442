import { shapeOf, type ServiceModel } from './service-model.js';

/**
 * An operation's output as REST-JSON puts it on the wire: only the shape's members, absent ones omitted,
 * timestamps as epoch seconds (JSON numbers, fractions for milliseconds).
 */
export function serializeOutput(model: ServiceModel, shapeName: string | undefined, output: unknown): Record<string, unknown> {
  if (!shapeName || output === undefined) return {};
  return serialize(model, shapeName, output) as Record<string, unknown>;
}

function serialize(model: ServiceModel, shapeName: string, value: unknown): unknown {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      const source = value as Record<string, unknown>;
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const memberValue = source[name];
        if (memberValue === undefined || memberValue === null) continue;
        out[member.locationName ?? name] = serialize(model, member.shape, memberValue);
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => serialize(model, shape.member!.shape, item));
    case 'map':
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, serialize(model, shape.value!.shape, item)]));
    case 'timestamp':
      return value instanceof Date ? value.getTime() / 1000 : value;
    default:
      return value;
  }
}
