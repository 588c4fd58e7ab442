import type { PropertyStateRecord } from '../../store/records.js';

/** A property of a device: its value and, once it was written or acknowledged, the state of that. */
export interface DeviceProperty {
  /** The component it belongs to; absent for a property of the device itself. */
  component?: string;
  name: string;
  /** The reported value (a cloud property's own); absent while none is known. */
  value?: unknown;
  /** Absent for a value only a job reported. */
  state?: PropertyWriteState;
}

export interface PropertyWriteState {
  /** The last value written and its version; absent when the device reported the property without a write. */
  desired?: { value: unknown; version: number };
  /** The device's answer to a write: a status code, the version it answers, its words. */
  ack?: { code: number; version?: number; description?: string };
  /** ISO time of the last change. */
  lastUpdateTime: string;
}

/** One property a write set, with its value as checked against the template. */
export interface PropertyWrite {
  component?: string;
  name: string;
  value: unknown;
}

/** The state of a property's writes, read from the record the store keeps. */
export function writeStateOf(state: PropertyStateRecord): PropertyWriteState {
  return {
    // A property a real device reported without ever being written has no desired side (version 0).
    ...(state.desiredVersion !== 0 && { desired: { value: state.desiredValue, version: state.desiredVersion } }),
    ...(state.ackCode !== undefined && {
      ack: { code: state.ackCode, ...(state.ackVersion !== undefined && { version: state.ackVersion }), ...(state.ackDescription !== undefined && { description: state.ackDescription }) },
    }),
    lastUpdateTime: state.lastUpdateTime,
  };
}
