import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { EXAMPLE_TEMPLATE, EXAMPLE_TEMPLATE_ID } from '../central/device-examples.js';

const V = 'api-version=2022-07-31';
type Json = Record<string, any>;

async function json(res: Response | Promise<Response>): Promise<Json> {
  return (await (await res).json()) as Json;
}

describe('GET /_fleetlab/jobs/{id}/outcomes', () => {
  let host: TestHost;
  let job: Json;

  beforeAll(async () => {
    host = await startTestHost();
    expect((await host.call('PUT', `/api/deviceTemplates/${EXAMPLE_TEMPLATE_ID}?${V}`, EXAMPLE_TEMPLATE)).status).toBe(200);
    expect((await host.call('POST', '/_fleetlab/fleet', { template: EXAMPLE_TEMPLATE_ID, count: 500, idPrefix: 'sensor' })).status).toBe(201);
    const filter = `SELECT * FROM devices WHERE $template = "${EXAMPLE_TEMPLATE_ID}"`;
    expect((await host.call('PUT', `/api/deviceGroups/sensors?${V}`, { displayName: 'Sensors', filter })).status).toBe(200);
    await host.call('PUT', '/_fleetlab/simulation', { timeScale: 0, seed: 3, defaults: { propertyFailureRate: 0.3, latencyMs: { min: 100, max: 900 } } });
    const created = await host.call('PUT', `/api/jobs/batched?${V}`, {
      displayName: 'Batched',
      group: 'sensors',
      batch: { type: 'percentage', value: 20 },
      data: [{ type: 'property', target: EXAMPLE_TEMPLATE_ID, path: 'targetTemperature', value: 21 }],
    });
    expect(created.status).toBe(200);
    job = await vi.waitFor(
      async () => {
        const latest = await json(host.call('GET', `/api/jobs/batched?${V}`));
        if (latest.status !== 'complete') throw new Error(`job batched is still ${latest.status}`);
        return latest;
      },
      { timeout: 15_000, interval: 50 },
    );
  });
  afterAll(() => host.stop());

  it('covers a finished job from its start to its end with the times its devices answered, ending on its final counts', async () => {
    const history = await json(host.call('GET', '/_fleetlab/jobs/batched/outcomes'));
    expect(history.basis).toBe('recorded');
    const points = history.points as { at: string; completed: number; failed: number }[];
    expect(points[0]).toEqual({ at: job.start, completed: 0, failed: 0 });
    expect(points.at(-1)).toEqual({ at: job.end, completed: job.progress.completed, failed: job.progress.failed });
    for (let i = 1; i < points.length; i++) {
      expect(Date.parse(points[i]!.at)).toBeGreaterThan(Date.parse(points[i - 1]!.at));
      expect(points[i]!.completed).toBeGreaterThanOrEqual(points[i - 1]!.completed);
      expect(points[i]!.failed).toBeGreaterThanOrEqual(points[i - 1]!.failed);
    }
    // Five batches run one after another: halfway through the job, the first batches have answered and the last has not.
    const middle = points[Math.floor(points.length / 2)]!;
    expect(middle.completed + middle.failed).toBeGreaterThan(0);
    expect(middle.completed + middle.failed).toBeLessThan(500);
  });

  it('answers an unknown job in the error shape', async () => {
    const unknown = await host.call('GET', '/_fleetlab/jobs/nope/outcomes');
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.message).toBe('Job "nope" was not found.');
  });
});
