import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceIdProblem, isAwsJobId, isResourceId } from '../../../renderer/src/lib/ids.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';

// The UI refuses ids before sending them with its own copy of the rules (docs/decisions.md, "Renderer layers"):
// what it refuses must be exactly what the API refuses.
const SAMPLES = [
  'a',
  'Device-01',
  'under_score',
  'dot.ted',
  'with space',
  'hash#',
  'ümlaut',
  '-leading',
  'x'.repeat(128),
  'x'.repeat(129),
  'x'.repeat(255),
  'x'.repeat(256),
];
const API_VERSION = '2022-07-31';
const ADMINISTRATOR = 'ca310b8d-2f4a-44e0-a36e-957c202cd8d4';

describe("the renderer's id rules", () => {
  let host: TestHost;
  const put = async (resource: string, id: string, body: unknown) => {
    const res = await host.call('PUT', `/api/${resource}/${encodeURIComponent(id)}?api-version=${API_VERSION}`, body);
    expect(res.status === 200 || res.status === 201 || (res.status >= 400 && res.status < 500), `${resource}/${id}: ${res.status}`).toBe(true);
    return res.ok;
  };

  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.stop());

  it('accept the device ids the API accepts, and only those', async () => {
    for (const id of SAMPLES) {
      expect(deviceIdProblem(id) === undefined, id).toBe(await put('devices', id, { displayName: 'd' }));
    }
  });

  it('accept the device group and API token ids the API accepts, and only those', async () => {
    for (const id of SAMPLES) {
      expect(isResourceId(id), `group ${id}`).toBe(await put('deviceGroups', id, { displayName: 'g', filter: 'SELECT * FROM devices' }));
      expect(isResourceId(id), `token ${id}`).toBe(await put('apiTokens', id, { roles: [{ role: ADMINISTRATOR }] }));
    }
  });

  it("accept the AWS IoT job ids that CreateJob's JobId shape allows", async () => {
    const model = JSON.parse(await readFile('electron/api/aws/model/iot-2015-05-28.json', 'utf8')) as {
      shapes: { JobId: { min: number; max: number; pattern: string } };
    };
    const { min, max, pattern } = model.shapes.JobId;
    for (const id of SAMPLES) {
      expect(isAwsJobId(id), id).toBe(id.length >= min && id.length <= max && new RegExp(`^(?:${pattern})$`).test(id));
    }
  });
});
