import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { EXAMPLE_TEMPLATE, EXAMPLE_TEMPLATE_ID } from '../central/device-examples.js';

const TEMPLATE = encodeURIComponent(EXAMPLE_TEMPLATE_ID);

interface BehaviorView {
  behavior: Record<string, unknown>;
  inherited: { propertyFailureRate: number; commandFailureRate: number };
  effective: { propertyFailureRate: number; commandFailureRate: number };
  online?: boolean | null;
}

describe('a behaviour view tells the values set on its level from those it inherits', () => {
  let host: TestHost;
  const view = async (method: 'GET' | 'PUT', path: string, body?: unknown) => {
    const answer = await host.call(method, path, body);
    expect(answer.status).toBe(200);
    return (await answer.json()) as BehaviorView;
  };

  beforeAll(async () => {
    host = await startTestHost();
    expect((await host.call('PUT', `/api/deviceTemplates/${TEMPLATE}?api-version=2022-07-31`, EXAMPLE_TEMPLATE)).status).toBe(200);
    expect((await host.call('POST', '/_fleetlab/fleet', { template: EXAMPLE_TEMPLATE_ID, count: 3, idPrefix: 'level' })).status).toBe(201);
    expect((await host.call('PUT', '/_fleetlab/simulation', { defaults: { propertyFailureRate: 0.3, commandFailureRate: 0 } })).status).toBe(200);
  });
  afterAll(() => host.stop());

  it('a template without its own values inherits the simulation defaults, and follows them', async () => {
    const template = await view('GET', `/_fleetlab/templates/${TEMPLATE}/behavior`);
    expect(template.behavior).toEqual({});
    expect(template.inherited.propertyFailureRate).toBe(0.3);
    expect(template.effective.propertyFailureRate).toBe(0.3);
  });

  it('a template value is its own; the inherited one stays visible; PUT {} resets it to the defaults', async () => {
    const customised = await view('PUT', `/_fleetlab/templates/${TEMPLATE}/behavior`, { propertyFailureRate: 0.1 });
    expect(customised.behavior).toEqual({ propertyFailureRate: 0.1 });
    expect(customised.inherited.propertyFailureRate).toBe(0.3);
    expect(customised.effective.propertyFailureRate).toBe(0.1);

    const reset = await view('PUT', `/_fleetlab/templates/${TEMPLATE}/behavior`, {});
    expect(reset.behavior).toEqual({});
    expect(reset.effective.propertyFailureRate).toBe(0.3);
  });

  it("a device inherits its template's profile; resetting its override keeps its connectivity", async () => {
    await view('PUT', `/_fleetlab/templates/${TEMPLATE}/behavior`, { propertyFailureRate: 0.1 });
    const overridden = await view('PUT', '/_fleetlab/devices/level-2/behavior', { commandFailureRate: 0.2, online: false });
    expect(overridden.behavior).toEqual({ commandFailureRate: 0.2 });
    expect(overridden.inherited).toMatchObject({ propertyFailureRate: 0.1, commandFailureRate: 0 });
    expect(overridden.effective).toMatchObject({ propertyFailureRate: 0.1, commandFailureRate: 0.2 });

    const reset = await view('PUT', '/_fleetlab/devices/level-2/behavior', { online: false });
    expect(reset.behavior).toEqual({});
    expect(reset.online).toBe(false);
    expect(reset.effective.commandFailureRate).toBe(0);
    expect((await view('GET', '/_fleetlab/devices/level-2/behavior')).behavior).toEqual({});
  });
});
