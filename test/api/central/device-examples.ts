import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { TestHost } from '../../helpers/host.js';
import { expectMatchesSpec } from '../../helpers/spec.js';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/specs/iotcentral/examples');

export interface SpecExample {
  parameters: Record<string, unknown> & { 'api-version': string; body?: unknown };
  responses: Record<string, { body?: unknown }>;
}

export function example(version: string, name: string): SpecExample {
  return JSON.parse(readFileSync(path.join(EXAMPLES, `${version}.${name}.json`), 'utf8')) as SpecExample;
}

export const VERSIONS = ['2022-07-31', '2022-10-31-preview'] as const;

/** Compares a response with an example's: same status, spec-valid, and the example's fields with its values (etags aside). */
export async function expectLikeExample(res: Response, ex: SpecExample, operationId: string): Promise<unknown> {
  const [status, expected] = Object.entries(ex.responses)[0]!;
  expect(res.status).toBe(Number(status));
  if (res.status === 204) return undefined;
  const body = (await res.json()) as unknown;
  expectMatchesSpec(ex.parameters['api-version'], operationId, res.status, body);
  expect(body).toMatchObject(withoutEtags(expected.body) as object);
  return body;
}

function withoutEtags(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEtags);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'etag').map(([key, inner]) => [key, withoutEtags(inner)]));
}

export const EXAMPLE_TEMPLATE_ID = 'dtmi:contoso:testDeviceTemplate;1';
const component = (name: string, contents: unknown[]) => ({
  '@type': 'Component',
  name,
  schema: { '@id': `dtmi:contoso:${name};1`, '@type': 'Interface', contents },
});
const writable = (name: string, schema: string) => ({ '@type': 'Property', name, schema, writable: true });

/** A template with the capabilities the spec's device examples use. */
export const EXAMPLE_TEMPLATE = {
  '@type': ['ModelDefinition', 'DeviceModel'],
  displayName: 'Example device',
  capabilityModel: {
    '@id': 'dtmi:contoso:exampleDevice;1',
    '@type': 'Interface',
    contents: [
      writable('targetTemperature', 'double'),
      component('settings', [writable('fanSpeed', 'double'), writable('voltage', 'double'), writable('current', 'double'), writable('irSwitch', 'boolean')]),
      component('Thermostat_1o', [
        { '@type': 'Command', name: 'CoolDown', request: { name: 'tempVal', schema: { '@type': 'Object', fields: [{ name: 'tempVal', schema: 'double' }] } } },
      ]),
      component('LocationTracking', []),
      component('EnvironmentSensing', []),
    ],
  },
};

export async function seedExampleApp(host: TestHost, version: string): Promise<void> {
  expect((await host.call('PUT', `/api/deviceTemplates/${EXAMPLE_TEMPLATE_ID}?api-version=${version}`, EXAMPLE_TEMPLATE)).status).toBe(200);
  expect((await host.call('PUT', `/api/organizations/seattle?api-version=${version}`, { displayName: 'Seattle' })).status).toBe(200);
}
