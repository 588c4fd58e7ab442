import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { seedFleet, TEMPLATE_ID } from '../../helpers/engine-fleet.js';

describe('latency distributions in the simulation profile', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  const put = (latencyMs: unknown) => host.call('PUT', '/_fleetlab/simulation', { defaults: { latencyMs } });
  const message = async (res: Response) => ((await res.json()) as { error: { message: string } }).error.message;

  it('takes a mean and p99 for a log-normal latency, and goes back to uniform when they are left out', async () => {
    const logNormal = await put({ min: 10, max: 60_000, mean: 300, p99: 2_000 });
    expect(logNormal.status).toBe(200);
    expect(((await logNormal.json()) as { defaults: { latencyMs: unknown } }).defaults.latencyMs).toEqual({ min: 10, max: 60_000, mean: 300, p99: 2_000 });
    const uniform = await put({ max: 800 });
    expect(((await uniform.json()) as { defaults: { latencyMs: unknown } }).defaults.latencyMs).toEqual({ min: 10, max: 800 });
  });

  it('refuses a distribution no log-normal has, in words', async () => {
    const lonely = await put({ mean: 300 });
    expect(lonely.status).toBe(422);
    expect(await message(lonely)).toMatch(/p99/);
    const inverted = await put({ mean: 300, p99: 200 });
    expect(inverted.status).toBe(422);
    expect(await message(inverted)).toBe('defaults.latencyMs.p99 (200) must exceed defaults.latencyMs.mean (300).');
    const tail = await put({ mean: 100, p99: 5_000 });
    expect(tail.status).toBe(422);
    expect(await message(tail)).toMatch(/at most 14.9 times/);
  });

  it('checks a template override the same way', async () => {
    await seedFleet((method, path, body) => host.call(method, path, body), { count: 1, prefix: 'lat', timeScale: 0 });
    const refused = await host.call('PUT', `/_fleetlab/templates/${TEMPLATE_ID}/behavior`, { latencyMs: { min: 0, max: 100, mean: 50, p99: 40 } });
    expect(refused.status).toBe(422);
    expect(await message(refused)).toBe('latencyMs.p99 (40) must exceed latencyMs.mean (50).');
    const accepted = await host.call('PUT', `/_fleetlab/templates/${TEMPLATE_ID}/behavior`, { latencyMs: { min: 0, max: 5_000, mean: 50, p99: 400 } });
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { effective: { latencyMs: unknown } }).effective.latencyMs).toEqual({ min: 0, max: 5_000, mean: 50, p99: 400 });
  });
});
