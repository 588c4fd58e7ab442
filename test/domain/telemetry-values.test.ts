import { describe, expect, it } from 'vitest';
import { telemetryValue } from '../../electron/domain/devices/telemetry-values.js';

const reading = (semanticTypes: string[], minute = 7) => telemetryValue({ name: 'level', schema: 'double', semanticTypes } as Parameters<typeof telemetryValue>[0], 'seed/device/level', minute);

describe('simulated telemetry values', () => {
  it('keeps a semantic type within its range, and an unknown one within the default range', () => {
    for (let minute = 0; minute < 60; minute += 7) {
      expect(reading(['Temperature'], minute)).toBeGreaterThanOrEqual(15);
      expect(reading(['Temperature'], minute)).toBeLessThanOrEqual(30);
    }
    expect(reading(['SomethingElse'])).toEqual(reading([]));
  });

  it('takes a semantic type named like an Object member (constructor, toString) as unknown, not as a range', () => {
    for (const type of ['constructor', 'toString', '__proto__']) {
      const value = reading([type]);
      expect(value, type).toEqual(reading([]));
      expect(Number.isFinite(value), type).toBe(true);
    }
  });
});
