import { readFile } from 'node:fs/promises';
import * as iotSdk from '@aws-sdk/client-iot';
import * as jobsDataSdk from '@aws-sdk/client-iot-jobs-data-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlaneOperations, dataPlaneOperations } from '../../../electron/api/aws/plugin.js';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { signedFetch } from './aws-client.js';

type OperationSchema = [number, string, string, { http: [string, string, number] }, ...unknown[]];

/** Every operation the AWS SDK client knows, with its HTTP method and path, from the SDK's own schemas. */
function sdkOperations(sdk: Record<string, unknown>): Map<string, { method: string; path: string }> {
  const operations = new Map<string, { method: string; path: string }>();
  for (const key of Object.keys(sdk)) {
    if (!key.endsWith('Command') || key === '$Command') continue;
    const name = key.slice(0, -'Command'.length);
    const [method, path] = (sdk[`${name}$`] as OperationSchema)[3].http;
    operations.set(name, { method, path });
  }
  return operations;
}

/** The backquoted operation names (PascalCase words) of the docs between two lines that start with these texts. */
function namesBetween(doc: string, from: string, to: string): string[] {
  const start = doc.indexOf(from);
  const end = doc.indexOf(to, start + from.length);
  if (start < 0 || end < 0) throw new Error(`docs/api.md has no section from "${from}" to "${to}"`);
  return [...new Set([...doc.slice(start, end).matchAll(/`([A-Z][a-z]+(?:[A-Z][a-z0-9]*)+)`/g)].map((match) => match[1]!))].sort();
}

const CONTROL = sdkOperations(iotSdk as unknown as Record<string, unknown>);
const DATA = sdkOperations(jobsDataSdk as unknown as Record<string, unknown>);
const answered = (handlers: object) => Object.keys(handlers).sort();
const unanswered = (sdk: Map<string, unknown>, handlers: object) => [...sdk.keys()].filter((name) => !Object.hasOwn(handlers, name)).sort();

describe('docs/api.md and the AWS dispatcher agree on every operation', () => {
  let doc: string;
  let host: TestHost;

  beforeAll(async () => {
    doc = await readFile(new URL('../../../docs/api.md', import.meta.url), 'utf8');
    host = await startTestHost();
  });
  afterAll(() => host?.stop());

  it('lists exactly the operations each plane answers, each one the SDK knows', () => {
    expect(namesBetween(doc, 'Control plane (`/aws`)', 'Answered **501')).toEqual(answered(controlPlaneOperations));
    expect(namesBetween(doc, 'Data plane (`/aws-jobs-data`', 'Operations answered 501 on `/aws-jobs-data`')).toEqual(answered(dataPlaneOperations));
    for (const name of answered(controlPlaneOperations)) expect(CONTROL.has(name), `${name} is not an @aws-sdk/client-iot operation`).toBe(true);
    for (const name of answered(dataPlaneOperations)) expect(DATA.has(name), `${name} is not an @aws-sdk/client-iot-jobs-data-plane operation`).toBe(true);
  });

  it('lists the SDK operations it answers 501, and every one of them does', async () => {
    const regenerate = 'docs/api.md is out of date: run node scripts/build.mjs --quiet && node scripts/aws-operations-doc.mjs';
    expect(namesBetween(doc, 'Operations answered 501 on `/aws`', '\n\n'), regenerate).toEqual(unanswered(CONTROL, controlPlaneOperations));
    expect(namesBetween(doc, 'Operations answered 501 on `/aws-jobs-data`', '\n\n'), regenerate).toEqual(unanswered(DATA, dataPlaneOperations));
    const probe = async (plane: { prefix: string; service: string }, name: string, { method, path }: { method: string; path: string }) => {
      const [pathname, search] = path.replace(/\{[^}]+\}/g, 'fleetlab-probe').split('?');
      const query = Object.fromEntries(new URLSearchParams(search ?? ''));
      const body = method === 'GET' || method === 'DELETE' || method === 'HEAD' ? undefined : '{}';
      const res = await signedFetch(host, method, pathname!, { ...plane, query, ...(body !== undefined && { body }) });
      return `${name}: ${res.status} ${res.headers.get('x-amzn-errortype')}`;
    };
    for (const name of unanswered(CONTROL, controlPlaneOperations)) {
      expect(await probe({ prefix: '/aws', service: 'iot' }, name, CONTROL.get(name)!)).toBe(`${name}: 501 NotImplementedException`);
    }
    for (const name of unanswered(DATA, dataPlaneOperations)) {
      expect(await probe({ prefix: '/aws-jobs-data', service: 'iot-jobs-data' }, name, DATA.get(name)!)).toBe(`${name}: 501 NotImplementedException`);
    }
  });
});
