import { describe, expect, it } from 'vitest';
import type { OperationKind, OperationRequest } from '../../electron/domain/fleet-executor.js';
import { OFFLINE_COMMAND_MESSAGE, OUTCOME_CODE, simulateOne, type BehaviorProfile } from '../../simulator/behavior.js';
import { createInThreadExecutor } from '../../simulator/pool.js';

const executor = createInThreadExecutor();

function profile(overrides: Partial<BehaviorProfile> = {}): BehaviorProfile {
  return { propertyFailureRate: 0, commandFailureRate: 0, offlineRate: 0, latencyMs: { min: 50, max: 500 }, commandTimeoutMs: 30_000, ...overrides };
}

function fleet(count: number, kind: OperationKind, behavior: BehaviorProfile, extra: Partial<OperationRequest> = {}): OperationRequest {
  return { seed: 42, salt: 'job-a/1', kind, devices: { prefix: 'thermostat', first: 1, count }, profiles: [behavior], ...extra };
}

function share(outcomes: Uint8Array, code: number): number {
  return outcomes.filter((outcome) => outcome === code).length / outcomes.length;
}

describe('device behaviour', () => {
  it('rejects about propertyFailureRate of 100k property writes', async () => {
    const { outcome } = await executor.execute(fleet(100_000, 'property', profile({ propertyFailureRate: 0.3 })));
    expect(share(outcome, OUTCOME_CODE.rejected)).toBeGreaterThan(0.29);
    expect(share(outcome, OUTCOME_CODE.rejected)).toBeLessThan(0.31);
    expect(share(outcome, OUTCOME_CODE.timedOut)).toBe(0);
  });

  it('applies commandFailureRate to commands and not propertyFailureRate', async () => {
    const { outcome } = await executor.execute(fleet(100_000, 'command', profile({ commandFailureRate: 0.1, propertyFailureRate: 0.9 })));
    expect(share(outcome, OUTCOME_CODE.rejected)).toBeGreaterThan(0.09);
    expect(share(outcome, OUTCOME_CODE.rejected)).toBeLessThan(0.11);
  });

  it('times out every device at the command timeout when offlineRate is 1', async () => {
    for (const kind of ['property', 'command'] as const) {
      const { outcome, latencyMs } = await executor.execute(fleet(5_000, kind, profile({ offlineRate: 1, commandTimeoutMs: 12_345 })));
      expect(share(outcome, OUTCOME_CODE.timedOut)).toBe(1);
      expect(latencyMs.every((ms) => ms === 12_345)).toBe(true);
    }
  });

  it('takes about offlineRate of the devices offline', async () => {
    const { outcome } = await executor.execute(fleet(100_000, 'command', profile({ offlineRate: 0.2 })));
    expect(share(outcome, OUTCOME_CODE.timedOut)).toBeGreaterThan(0.19);
    expect(share(outcome, OUTCOME_CODE.timedOut)).toBeLessThan(0.21);
  });

  it('lets explicit connectivity override the offline rate', async () => {
    const online = await executor.execute(fleet(2_000, 'command', profile({ offlineRate: 1 }), { connectivity: new Int8Array(2_000).fill(1) }));
    expect(share(online.outcome, OUTCOME_CODE.timedOut)).toBe(0);
    const offline = await executor.execute(fleet(2_000, 'property', profile({ offlineRate: 0 }), { connectivity: new Int8Array(2_000).fill(0) }));
    expect(share(offline.outcome, OUTCOME_CODE.timedOut)).toBe(1);
    const mixed = new Int8Array(2_000).fill(-1);
    mixed[7] = 0;
    const byRate = await executor.execute(fleet(2_000, 'command', profile(), { connectivity: mixed }));
    expect([...byRate.outcome.keys()].filter((i) => byRate.outcome[i] === OUTCOME_CODE.timedOut)).toEqual([7]);
  });

  it('never fails a cloud property and spends no device time on it', async () => {
    const request = fleet(10_000, 'cloudProperty', profile({ propertyFailureRate: 1, commandFailureRate: 1, offlineRate: 1 }), {
      connectivity: new Int8Array(10_000).fill(0),
    });
    const { outcome, latencyMs } = await executor.execute(request);
    expect(share(outcome, OUTCOME_CODE.succeeded)).toBe(1);
    expect(latencyMs.every((ms) => ms === 0)).toBe(true);
  });

  it('draws latency uniformly over [min, max], both ends included', async () => {
    const { latencyMs } = await executor.execute(fleet(100_000, 'property', profile({ latencyMs: { min: 50, max: 60 } })));
    const seen = new Set(latencyMs);
    expect([...seen].sort((a, b) => a - b)).toEqual([50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
    const mean = latencyMs.reduce((sum, ms) => sum + ms, 0) / latencyMs.length;
    expect(mean).toBeGreaterThan(54.9);
    expect(mean).toBeLessThan(55.1);
  });

  it('uses each device its own profile through profileIndex', async () => {
    const profileIndex = new Uint16Array(20_000).map((_, i) => i % 2);
    const request = fleet(20_000, 'property', profile(), { profiles: [profile(), profile({ propertyFailureRate: 1 })], profileIndex });
    const { outcome } = await executor.execute(request);
    expect(outcome.every((code, i) => code === (i % 2 === 0 ? OUTCOME_CODE.succeeded : OUTCOME_CODE.rejected))).toBe(true);
  });

  it('draws fresh outcomes for a different salt or seed, the same ones for the same key', async () => {
    const behavior = profile({ propertyFailureRate: 0.5 });
    const first = await executor.execute(fleet(10_000, 'property', behavior));
    const again = await executor.execute(fleet(10_000, 'property', behavior));
    const rerun = await executor.execute(fleet(10_000, 'property', behavior, { salt: 'job-a/2' }));
    const otherSeed = await executor.execute(fleet(10_000, 'property', behavior, { seed: 43 }));
    expect(again).toEqual(first);
    const differing = (other: Uint8Array) => other.filter((code, i) => code !== first.outcome[i]).length / other.length;
    expect(differing(rerun.outcome)).toBeGreaterThan(0.4);
    expect(differing(otherSeed.outcome)).toBeGreaterThan(0.4);
  });

  it('reports a missing behaviour profile instead of simulating with none', async () => {
    await expect(executor.execute(fleet(10, 'property', profile(), { profileIndex: new Uint16Array(10).fill(3) }))).rejects.toThrow(/profile 3/);
  });
});

describe('simulateOne', () => {
  const behavior = profile({ propertyFailureRate: 0.4, commandFailureRate: 0.4, offlineRate: 0.2 });

  it('gives a single device the outcome and latency it gets in a bulk operation', async () => {
    for (const kind of ['property', 'command', 'cloudProperty'] as const) {
      const bulk = await executor.execute(fleet(500, kind, behavior));
      for (let i = 0; i < 500; i++) {
        const one = simulateOne({ seed: 42, salt: 'job-a/1', kind, deviceId: `thermostat-${i + 1}`, profile: behavior });
        expect([one.outcome, one.latencyMs]).toEqual([bulk.outcome[i], bulk.latencyMs[i]]);
      }
    }
  });

  it('acknowledges property writes the way a Plug and Play device does', () => {
    const results = Array.from({ length: 300 }, (_, i) =>
      simulateOne({ seed: 1, salt: 'write', kind: 'property', deviceId: `d-${i}`, profile: behavior, desiredVersion: 7 }),
    );
    for (const result of results) {
      if (result.outcome === OUTCOME_CODE.succeeded) expect(result.ack).toEqual({ code: 200, version: 7, description: 'completed' });
      if (result.outcome === OUTCOME_CODE.rejected) {
        expect(result.ack?.code).toBeGreaterThanOrEqual(400);
        expect(result.ack?.version).toBe(7);
        expect(result.error).toBe(result.ack?.description);
      }
      if (result.outcome === OUTCOME_CODE.timedOut) {
        expect(result.ack).toBeUndefined();
        expect(result.latencyMs).toBe(30_000);
        expect(result.error).toMatch(/did not acknowledge/);
      }
    }
    expect(new Set(results.map((result) => result.outcome))).toEqual(new Set([0, 1, 2]));
  });

  it('answers commands with a status and payload, or the offline message', () => {
    const results = Array.from({ length: 300 }, (_, i) => simulateOne({ seed: 1, salt: 'reboot', kind: 'command', deviceId: `d-${i}`, profile: behavior }));
    for (const result of results) {
      if (result.outcome === OUTCOME_CODE.succeeded) expect(result.reply).toEqual({ responseCode: 200, response: { status: 'completed' } });
      if (result.outcome === OUTCOME_CODE.rejected) {
        expect(result.reply?.responseCode).toBeGreaterThanOrEqual(400);
        expect(result.reply?.response).toEqual({ error: result.error });
      }
      if (result.outcome === OUTCOME_CODE.timedOut) {
        expect(result.reply).toBeUndefined();
        expect(result.error).toBe(OFFLINE_COMMAND_MESSAGE);
      }
    }
    expect(new Set(results.map((result) => result.outcome))).toEqual(new Set([0, 1, 2]));
  });

  it('honours an explicit connectivity toggle for one device', () => {
    const offline = simulateOne({ seed: 1, salt: 's', kind: 'command', deviceId: 'd-1', profile: profile(), connectivity: 0 });
    expect(offline).toEqual({ outcome: OUTCOME_CODE.timedOut, latencyMs: 30_000, error: OFFLINE_COMMAND_MESSAGE });
  });
});

describe('a job file each device downloads first', () => {
  const MIB = 1024 * 1024;
  const base = profile({ commandFailureRate: 0.2, offlineRate: 0.05 });

  it('keeps every outcome a job without a file has, and adds downloadMsPerMb per MiB to each answer', async () => {
    const without = await executor.execute(fleet(10_000, 'command', base));
    const withFile = await executor.execute(fleet(10_000, 'command', { ...base, downloadMsPerMb: 250 }, { download: { bytes: 4 * MIB, expiresMs: 3_600_000 } }));
    expect(withFile.outcome).toEqual(without.outcome);
    for (let i = 0; i < 10_000; i++) {
      const answered = without.outcome[i] !== OUTCOME_CODE.timedOut;
      const added = answered && without.outcome[i] === OUTCOME_CODE.succeeded ? 1000 : 0;
      expect(withFile.latencyMs[i]! - without.latencyMs[i]!).toBe(added);
    }
  });

  it('fails 1 - (1 - rate)^MiB of the downloads, and every download that outlasts its URL, each with its own outcome', async () => {
    const { outcome } = await executor.execute(fleet(100_000, 'command', profile({ downloadFailureRatePerMb: 0.1 }), { download: { bytes: 3 * MIB, expiresMs: 3_600_000 } }));
    const expected = 1 - 0.9 ** 3;
    expect(share(outcome, OUTCOME_CODE.downloadFailed)).toBeGreaterThan(expected - 0.01);
    expect(share(outcome, OUTCOME_CODE.downloadFailed)).toBeLessThan(expected + 0.01);
    expect(share(outcome, OUTCOME_CODE.rejected)).toBe(0);
    const slow = await executor.execute(fleet(1_000, 'command', profile({ downloadMsPerMb: 61_000, downloadFailureRatePerMb: 0.5 }), { download: { bytes: MIB, expiresMs: 60_000 } }));
    expect(share(slow.outcome, OUTCOME_CODE.downloadExpired)).toBe(1);
  });
});
