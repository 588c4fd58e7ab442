import type { ComponentInfo } from '../../domain/devices/capabilities.js';
import type { DeviceProperty, PropertyWrite, PropertyWriteState } from '../../domain/devices/device-properties.js';

type View = Record<string, unknown>;

/**
 * A device's properties as IoT Central shows them: values by name, a component's nested under its name, and each
 * written or acknowledged property's state in the `$metadata` beside it. With `component` (the component routes), that
 * component's properties at the top.
 */
export function propertiesView(properties: readonly DeviceProperty[], component?: string): View {
  const out: View = {};
  for (const property of properties) {
    const target = holderOf(out, property, component);
    if ('value' in property) target[property.name] = property.value;
    if (property.state) metadataOf(target)[property.name] = stateView(property.state);
  }
  return out;
}

/** IoT Central's 202 to a property write: each written value as the `desiredValue` of its `$metadata`. */
export function writtenView(writes: readonly PropertyWrite[], component?: string): View {
  const out: View = {};
  for (const write of writes) metadataOf(holderOf(out, write, component))[write.name] = { desiredValue: write.value };
  return out;
}

/** A device's components as `GET /devices/{id}/components` lists them: the interface as `@id`. */
export function componentsView(components: readonly ComponentInfo[]): View[] {
  return components.map((component) => ({
    ...(component.interfaceId !== undefined && { '@id': component.interfaceId }),
    '@type': ['Component'],
    name: component.name,
    ...(component.displayName !== undefined && { displayName: component.displayName }),
  }));
}

function holderOf(out: View, property: { component?: string }, component: string | undefined): View {
  if (component !== undefined || property.component === undefined) return out;
  return (out[property.component] ??= {}) as View;
}

function metadataOf(holder: View): View {
  return (holder.$metadata ??= {}) as View;
}

function stateView(state: PropertyWriteState): View {
  return {
    ...(state.desired && { desiredValue: state.desired.value, desiredVersion: state.desired.version }),
    lastUpdateTime: state.lastUpdateTime,
    ...(state.ack && {
      ackCode: state.ack.code,
      ...(state.ack.version !== undefined && { ackVersion: state.ack.version }),
      ...(state.ack.description !== undefined && { ackDescription: state.ack.description }),
    }),
  };
}
