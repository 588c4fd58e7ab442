import type { HubTwinRecord, PropertyStateRecord } from '../../store/records.js';

/** What a device reported about one property: its value, and its answer to a write when it answered one. */
export interface PropertyReport {
  value: unknown;
  ack?: PropertyAck;
}

/** A device's answer to a property write: a status code (2xx accepts), the desired version it answers, its words. */
export interface PropertyAck {
  code: number;
  version?: number;
  description?: string;
}

export const emptyTwin = (): HubTwinRecord => ({ desired: {}, desiredVersion: 1, reported: {}, reportedVersion: 1 });

export const isAccepted = (ack: PropertyAck): boolean => ack.code >= 200 && ack.code < 300;

/** A desired-document patch for one capability (`name` or `component.name`): a component's properties nested under it. */
export function desiredPatch(path: string, value: unknown, isComponent: (name: string) => boolean): Record<string, unknown> {
  const dot = path.indexOf('.');
  if (dot > 0 && isComponent(path.slice(0, dot))) return { [path.slice(0, dot)]: { [path.slice(dot + 1)]: value } };
  return { [path]: value };
}

/** The property's state after the device reported on it (an accepting ack sets the acknowledged value and code). */
export function reportedState(previous: PropertyStateRecord | undefined, report: PropertyReport, at: string): PropertyStateRecord {
  const base: PropertyStateRecord = previous ?? { desiredValue: undefined, desiredVersion: 0, lastUpdateTime: at };
  if (!report.ack) return { ...base, value: report.value, lastUpdateTime: at };
  return {
    ...base,
    ...(isAccepted(report.ack) ? { value: report.value } : {}),
    ackCode: report.ack.code,
    ...(report.ack.version !== undefined && { ackVersion: report.ack.version }),
    ...(report.ack.description !== undefined && { ackDescription: report.ack.description }),
    lastUpdateTime: at,
  };
}
