import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJson } from '../../helpers/engine-fleet.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

const PREVIEW = 'api-version=2022-10-31-preview';
const GROUP = '/api/deviceGroups/4e0c2d39-6c8c-4f0e-9d55-1c2b4e9b5a11';

const parenthesized = (condition: string, depth: number) => '('.repeat(depth) + condition + ')'.repeat(depth);
const groupFilter = (where: string) => `SELECT * FROM devices WHERE ${where}`;
const longId = (length: number) => 'x'.repeat(length);

interface CentralErrorBody {
  error: { code: string; message: string };
}

async function expectRefusal(res: Response, status: number, ...named: string[]): Promise<void> {
  const body = await expectJson<CentralErrorBody>(res, status);
  for (const text of named) expect(body.error.message).toContain(text);
}

describe('filter length and nesting limits', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  it('refuses a device group filter nested deeper than 32 parentheses with a 422 naming the limit', async () => {
    const res = await host.call('PUT', `${GROUP}?${PREVIEW}`, { displayName: 'Deep', filter: groupFilter(parenthesized('$simulated = true', 33)) });
    await expectRefusal(res, 422, 'more than 32 deep', '--max-filter-depth');
    await expectJson(await host.call('PUT', `${GROUP}?${PREVIEW}`, { displayName: 'Nested', filter: groupFilter(parenthesized('$simulated = true', 32)) }), 200);
  });

  it('refuses a device group filter longer than 8,192 characters with a 422 naming the limit', async () => {
    const res = await host.call('PUT', `${GROUP}?${PREVIEW}`, { displayName: 'Long', filter: groupFilter(`$id = "${longId(8200)}"`) });
    await expectRefusal(res, 422, 'longer than the 8192', '--max-filter-length');
  });

  it('refuses the same filters in the group preview of the control API', async () => {
    await expectRefusal(await host.call('POST', '/_fleetlab/groups/preview', { filter: groupFilter(parenthesized('$simulated = true', 33)) }), 422, '--max-filter-depth');
    await expectRefusal(await host.call('POST', '/_fleetlab/groups/preview', { filter: groupFilter(`$id = "${longId(8200)}"`) }), 422, '--max-filter-length');
  });

  it('refuses a device list filter beyond the limits with the 400 of a bad query parameter', async () => {
    const list = (filter: string) => host.call('GET', `/api/devices?${PREVIEW}&filter=${encodeURIComponent(filter)}`);
    await expectRefusal(await list(parenthesized('simulated eq true', 33)), 400, '--max-filter-depth');
    await expectRefusal(await list(`id eq '${longId(8200)}'`), 400, '--max-filter-length');
    await expectJson(await list(parenthesized('simulated eq true', 32)), 200);
  });
});

describe('a host started with larger filter limits', () => {
  let host: TestHost;

  beforeAll(async () => {
    host = await startTestHost({ limits: { maxFilterDepth: 64, maxFilterLength: 30_000 } });
  });
  afterAll(() => host.stop());

  it('accepts the filters the defaults refuse', async () => {
    await expectJson(await host.call('PUT', `${GROUP}?${PREVIEW}`, { displayName: 'Deep', filter: groupFilter(parenthesized('$simulated = true', 40)) }), 200);
    await expectJson(await host.call('PATCH', `${GROUP}?${PREVIEW}`, { filter: groupFilter(`$id = "${longId(8200)}"`) }), 200);
    await expectJson(await host.call('GET', `/api/devices?${PREVIEW}&filter=${encodeURIComponent(parenthesized('simulated eq true', 40))}`), 200);
  });

  it('refuses a filter 10,000 parentheses deep at its own depth limit, without running out of stack', async () => {
    const res = await host.call('PUT', `${GROUP}?${PREVIEW}`, { displayName: 'Deep', filter: groupFilter(parenthesized('$simulated = true', 10_000)) });
    await expectRefusal(res, 422, 'more than 64 deep', '--max-filter-depth');
  });
});
