import type { TSchema } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CentralErrorBody } from '../../../electron/api/central/errors.js';
import * as awsJobs from '../../../electron/api/control/schema/aws-jobs.js';
import * as fleet from '../../../electron/api/control/schema/fleet.js';
import * as info from '../../../electron/api/control/schema/info.js';
import * as jobs from '../../../electron/api/control/schema/jobs.js';
import * as requests from '../../../electron/api/control/schema/requests.js';
import * as simulation from '../../../electron/api/control/schema/simulation.js';
import { SNAPSHOT_SCHEMA } from '../../../electron/api/control/snapshot-schema.js';
import { schemaErrors } from '../../helpers/control-schemas.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { EXAMPLE_TEMPLATE, EXAMPLE_TEMPLATE_ID } from '../central/device-examples.js';

const V = 'api-version=2022-07-31';
const GROUP = 'schema-sensors';
const TEMPLATE = encodeURIComponent(EXAMPLE_TEMPLATE_ID);

async function expectAnswer(res: Promise<Response>, status: number, schema: TSchema | object, { open = false } = {}): Promise<unknown> {
  const answer = await res;
  const text = await answer.text();
  expect(answer.status, text).toBe(status);
  const body: unknown = text === '' ? null : JSON.parse(text);
  expect(schemaErrors(schema, body, { open }), `body: ${text.slice(0, 500)}`).toBeUndefined();
  return body;
}

describe('every /_fleetlab answer matches the response schema its route declares', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
    expect((await host.call('PUT', `/api/deviceTemplates/${TEMPLATE}?${V}`, EXAMPLE_TEMPLATE)).status).toBe(200);
    const filter = `SELECT * FROM devices WHERE $template = "${EXAMPLE_TEMPLATE_ID}"`;
    expect((await host.call('PUT', `/api/deviceGroups/${GROUP}?${V}`, { displayName: 'Sensors', filter })).status).toBe(200);
  });
  afterAll(() => host.stop());

  it('describes the fleet, simulation and behaviour routes', async () => {
    await expectAnswer(host.call('GET', '/_fleetlab/info'), 200, info.Info);
    await expectAnswer(host.call('POST', '/_fleetlab/fleet', { template: EXAMPLE_TEMPLATE_ID, count: 20, idPrefix: 'schema' }), 201, fleet.FleetCreated);
    await expectAnswer(host.call('GET', '/_fleetlab/fleet'), 200, fleet.Fleets);
    await expectAnswer(host.call('GET', '/_fleetlab/fleet/summary'), 200, fleet.FleetSummary);
    await expectAnswer(host.call('GET', '/_fleetlab/devices?search=schema-1&limit=5'), 200, fleet.DevicePage);
    await expectAnswer(host.call('POST', '/_fleetlab/groups/preview', { filter: 'SELECT * FROM devices' }), 200, fleet.GroupPreview);
    await expectAnswer(host.call('GET', '/_fleetlab/scheduled-jobs/next-runs'), 200, fleet.NextRuns);
    await expectAnswer(host.call('PUT', '/_fleetlab/simulation', { timeScale: 0, defaults: { latencyMs: { min: 5, max: 20 } } }), 200, simulation.Simulation);
    await expectAnswer(host.call('GET', '/_fleetlab/simulation'), 200, simulation.Simulation);
    await expectAnswer(host.call('POST', '/_fleetlab/clock/advance', { ms: 1000 }), 200, simulation.SimulatedNow);
    await expectAnswer(host.call('PUT', `/_fleetlab/templates/${TEMPLATE}/behavior`, { commandFailureRate: 0.5 }), 200, simulation.TemplateBehavior);
    await expectAnswer(host.call('GET', `/_fleetlab/templates/${TEMPLATE}/behavior`), 200, simulation.TemplateBehavior);
    await expectAnswer(host.call('PUT', '/_fleetlab/devices/schema-1/behavior', { online: false }), 200, simulation.DeviceBehavior);
    await expectAnswer(host.call('GET', '/_fleetlab/devices/schema-1/behavior'), 200, simulation.DeviceBehavior);
    await expectAnswer(host.call('GET', `/_fleetlab/templates/${TEMPLATE}/capabilities`), 200, jobs.Capabilities);
  });

  it('describes the job views', async () => {
    await host.call('PUT', '/_fleetlab/simulation', { timeScale: 1000 });
    const data = [{ type: 'property', target: EXAMPLE_TEMPLATE_ID, path: 'targetTemperature', value: 21 }];
    expect((await host.call('PUT', `/api/jobs/schema-job?${V}`, { group: GROUP, data })).status).toBe(200);
    await vi.waitFor(
      async () => {
        const { status } = (await (await host.call('GET', `/api/jobs/schema-job?${V}`)).json()) as { status: string };
        if (!['complete', 'failed', 'cancelled'].includes(status)) throw new Error(`the job is still ${status}`);
      },
      { timeout: 15_000, interval: 50 },
    );
    await expectAnswer(host.call('GET', '/_fleetlab/jobs/schema-job/devices?limit=5&status=failed'), 200, jobs.JobDevicePage);
    await expectAnswer(host.call('GET', '/_fleetlab/jobs/schema-job/outcomes'), 200, jobs.JobOutcomes);
    await expectAnswer(host.call('POST', '/_fleetlab/jobs/dry-run', { group: GROUP, batch: { type: 'number', value: 3 } }), 200, jobs.JobDryRun);
  });

  it('describes the AWS IoT job routes', async () => {
    await expectAnswer(host.call('GET', '/_fleetlab/aws/thing-groups'), 200, awsJobs.ThingGroups);
    const create = { jobId: 'schema-aws', document: '{"op":"reboot"}', thingNames: ['schema-1', 'schema-2'], jobExecutionsRolloutConfig: { maximumPerMinute: 10 } };
    await expectAnswer(host.call('POST', '/_fleetlab/aws/jobs', create), 201, awsJobs.AwsJobSummary);
    await expectAnswer(host.call('GET', '/_fleetlab/aws/jobs'), 200, awsJobs.AwsJobList);
    await expectAnswer(host.call('GET', '/_fleetlab/aws/jobs/schema-aws'), 200, awsJobs.AwsJob);
    await expectAnswer(host.call('GET', '/_fleetlab/aws/jobs/schema-aws/executions?limit=5'), 200, awsJobs.AwsExecutionPage);
    await expectAnswer(host.call('POST', '/_fleetlab/aws/jobs/dry-run', { thingNames: ['schema-1'] }), 200, awsJobs.RolloutCurve);
    await expectAnswer(host.call('POST', '/_fleetlab/aws/jobs/schema-aws/cancel', { force: true }), 200, awsJobs.AwsJobSummary);
  });

  it('describes the request log, the session codes, the snapshot and the errors', async () => {
    const page = (await expectAnswer(host.call('GET', '/_fleetlab/requests?limit=3'), 200, requests.RequestPage)) as requests.RequestPage;
    await expectAnswer(host.call('GET', `/_fleetlab/requests/${page.requests[0]!.id}`), 200, requests.LoggedRequest);
    await expectAnswer(host.call('POST', '/_fleetlab/session-codes'), 201, info.SessionCode);
    // The snapshot schema checks ids and collections on import; the records inside are the store's own.
    await expectAnswer(host.call('GET', '/_fleetlab/snapshot'), 200, SNAPSHOT_SCHEMA, { open: true });
    await expectAnswer(host.call('GET', '/_fleetlab/aws/jobs/no-such-job'), 404, CentralErrorBody);
    await expectAnswer(host.call('POST', '/_fleetlab/fleet', { template: EXAMPLE_TEMPLATE_ID, count: 0, idPrefix: 'x' }), 422, CentralErrorBody);
  });
});
