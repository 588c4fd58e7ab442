import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PREVIEW_VERSION, STABLE_VERSION, type SpecVersion } from '../../electron/api/central/api-version.js';
import { violationText } from '../../electron/api/central/spec-errors.js';
import { loadSpec } from '../../electron/api/central/spec-schemas.js';
import { validateRequest, validateResponse } from '../../electron/api/central/spec-validation.js';
import { packageRoot } from '../../electron/paths.js';

const VERSIONS: SpecVersion[] = [STABLE_VERSION, PREVIEW_VERSION];
const EXAMPLES_DIR = path.join(packageRoot(), '..', 'shared', 'specs', 'iotcentral', 'examples');
const haveExamples = existsSync(EXAMPLES_DIR);
if (!haveExamples) console.log(`Skipping the Microsoft example checks: ${EXAMPLES_DIR} is not on this machine.`);

interface Example {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown }>;
}

describe.skipIf(!haveExamples).each(VERSIONS)("Microsoft's own %s examples", (version) => {
  const operations = [...loadSpec(version).operations.values()];
  const files = haveExamples ? readdirSync(EXAMPLES_DIR).filter((file) => file.startsWith(`${version}.`)) : [];
  const cases = files.flatMap((file) => {
    const example = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Example;
    const name = file.slice(version.length + 1);
    return operations.filter((operation) => operation.examples.includes(name)).map((operation) => ({ file, operationId: operation.operationId, example }));
  });

  it('covers every example file with at least one operation', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((file) => !cases.some((testCase) => testCase.file === file))).toEqual([]);
  });

  it.each(cases)('$file: the request is valid for $operationId', ({ operationId, example }) => {
    const { parameters } = example;
    const violation = validateRequest(version, operationId, { params: parameters, query: parameters, body: structuredClone(parameters.body) });
    expect(violation).toBeUndefined();
  });

  it.each(cases)('$file: every response is valid for $operationId', ({ operationId, example }) => {
    for (const [status, response] of Object.entries(example.responses)) {
      expect(validateResponse(version, operationId, Number(status), response.body), `status ${status}`).toBeUndefined();
    }
  });
});

const job = (data: unknown[]) => ({ displayName: 'Rollout', group: 'group-1', data });
const propertyData = { type: 'property', target: 'dtmi:fleetlab:thermostat;1', path: 'targetTemperature', value: 21 };
const createJob = (body: unknown, jobId = 'job-1', version: SpecVersion = STABLE_VERSION) =>
  validateRequest(version, 'Jobs_Create', { params: { jobId }, query: { 'api-version': version }, body });

describe('request validation', () => {
  it.each([
    ['a group that is not a string', { ...job([propertyData]), group: 5 }, 'group', 'must be a string'],
    ['data that is not an array', { group: 'g', data: propertyData }, 'data', 'must be an array'],
    ['no data', { group: 'g' }, 'data', 'is required'],
    ['empty data', job([]), 'data', 'must have at least 1 item'],
    ['a property job without a path', job([{ ...propertyData, path: undefined }]), 'data[0].path', 'is required'],
    ['a command job with an empty target', job([{ type: 'command', target: '', path: 'reboot' }]), 'data[0].target', 'must not be empty'],
    ['a template migration without a template', job([{ type: 'deviceTemplateMigration' }]), 'data[0].template', 'is required'],
    ['a job data without a type', job([{ target: 't', path: 'p' }]), 'data[0].type', 'is required'],
    ['an unknown batch type', { ...job([propertyData]), batch: { type: 'some', value: 10 } }, 'batch.type', 'must be one of: number, percentage'],
  ])('names the field of %s', (_case, body, field, message) => {
    expect(createJob(JSON.parse(JSON.stringify(body)))).toEqual({ location: 'body', field, message });
  });

  it('rejects a job data of an unknown type and lists the types the spec knows', () => {
    const violation = createJob(job([{ ...propertyData, type: 'firmware' }]));
    expect(violation).toMatchObject({ location: 'body', field: 'data[0].type' });
    expect(violation?.message).toMatch(/^must be one of: /);
    for (const type of ['property', 'command', 'cloudProperty', 'deviceTemplateMigration', 'PropertyJobData']) expect(violation?.message).toContain(type);
    expect(createJob(job([{ ...propertyData, type: 'deviceManifestMigration', manifest: 'm' }]))?.field).toBe('data[0].type');
    expect(createJob(job([{ type: 'deviceManifestMigration', manifest: 'm' }]), 'job-1', PREVIEW_VERSION)).toBeUndefined();
  });

  it('validates a body against the subtype its discriminator names', () => {
    expect(createJob(job([{ type: 'deviceTemplateMigration', template: 'dtmi:fleetlab:sensor;2' }]))).toBeUndefined();
    const schedule = (end: unknown) => ({ ...job([propertyData]), schedule: { start: '2030-01-01T00:00:00Z', end } });
    const createSchedule = (end: unknown) =>
      validateRequest(STABLE_VERSION, 'ScheduledJobs_Create', { params: { scheduledJobId: 's-1' }, query: { 'api-version': STABLE_VERSION }, body: schedule(end) });
    expect(createSchedule({ type: 'occurrences', occurrences: 3 })).toBeUndefined();
    expect(createSchedule({ type: 'occurrences', occurrences: 'three' })).toMatchObject({ field: 'schedule.end.occurrences', message: 'must be an integer' });
    expect(createSchedule({ type: 'date' })).toMatchObject({ field: 'schedule.end.date', message: 'is required' });
    expect(createSchedule({ type: 'date', date: 'soon' })).toMatchObject({ field: 'schedule.end.date', message: 'must be a date such as 2022-05-24' });
  });

  it.each(['PropertyJobData', 'CommandJobData', 'CloudPropertyJobData'])('accepts the how-to spelling %s in requests and responses', (type) => {
    const body = job([{ ...propertyData, type }]);
    for (const version of VERSIONS) {
      expect(createJob(structuredClone(body), 'job-1', version)).toBeUndefined();
      expect(validateResponse(version, 'Jobs_Get', 200, { id: 'job-1', ...body, status: 'running' })).toBeUndefined();
    }
    expect(createJob(job([{ type, target: 't' }]))).toMatchObject({ field: 'data[0].path', message: 'is required' });
  });

  it('accepts readOnly fields whatever they hold and drops them before the handler sees the body', () => {
    const body = { ...job([propertyData]), id: 42, status: { not: 'a string' }, progress: 'half', start: 'yesterday', end: null };
    expect(createJob(body)).toBeUndefined();
    expect(body).toEqual(job([propertyData]));
  });

  it('keeps properties the spec does not name', () => {
    const body = { ...job([{ ...propertyData, note: 'kept' }]), origin: 'script' };
    expect(createJob(body)).toBeUndefined();
    expect(body).toMatchObject({ origin: 'script', data: [{ note: 'kept' }] });
  });

  it('says when the body is missing or not an object', () => {
    expect(createJob(undefined)).toEqual({ location: 'body', field: '', message: 'is required' });
    expect(violationText(createJob([propertyData])!)).toBe('The request body must be an object');
  });

  it.each([
    ['a space', 'job 1', 'must match the pattern ^[a-zA-Z0-9_-]*$'],
    ['300 characters', 'j'.repeat(300), 'must be at most 255 characters long'],
  ])('rejects a jobId with %s as a path violation', (_case, jobId, message) => {
    expect(createJob(job([propertyData]), jobId)).toEqual({ location: 'path', field: 'jobId', message });
  });

  it('applies the JobId rule to ids the spec leaves open but a request creates', () => {
    const rerun = (rerunId: string) => validateRequest(STABLE_VERSION, 'Jobs_Rerun', { params: { jobId: 'job-1', rerunId }, query: { 'api-version': STABLE_VERSION } });
    expect(rerun('job-1-rerun')).toBeUndefined();
    expect(rerun('re run')).toMatchObject({ location: 'path', field: 'rerunId' });
    const token = (tokenId: string) => validateRequest(STABLE_VERSION, 'ApiTokens_Get', { params: { tokenId }, query: { 'api-version': STABLE_VERSION } });
    expect(token('ci_token-1')).toBeUndefined();
    expect(token('bad id!')).toMatchObject({ location: 'path', field: 'tokenId' });
  });

  it('checks query parameters as the spec types them', () => {
    const list = (version: SpecVersion, maxpagesize: string) =>
      validateRequest(version, 'Jobs_List', { params: {}, query: { 'api-version': version, maxpagesize } });
    expect(list(PREVIEW_VERSION, '100')).toBeUndefined();
    expect(list(PREVIEW_VERSION, '0')).toEqual({ location: 'query', field: 'maxpagesize', message: 'must be at least 1' });
    expect(list(PREVIEW_VERSION, '101')).toEqual({ location: 'query', field: 'maxpagesize', message: 'must be at most 100' });
    expect(list(PREVIEW_VERSION, 'ten')).toEqual({ location: 'query', field: 'maxpagesize', message: 'must be an integer' });
    // 2022-07-31 does not declare maxpagesize on Jobs_List, so the spec has nothing to say about it.
    expect(list(STABLE_VERSION, 'ten')).toBeUndefined();
  });
});

describe('response validation', () => {
  const error = { error: { code: 'NotFound', message: 'No job "x".', requestId: 'r', time: new Date(0).toUTCString() } };

  it('checks error bodies against the default response', () => {
    expect(validateResponse(STABLE_VERSION, 'Jobs_Get', 404, error)).toBeUndefined();
    expect(validateResponse(STABLE_VERSION, 'Jobs_Get', 404, { error: { ...error.error, time: '1970-01-01T00:00:00Z' } })).toMatchObject({
      field: 'error.time',
    });
    expect(validateResponse(STABLE_VERSION, 'Jobs_Get', 404, { code: 'NotFound' })).toMatchObject({ field: 'error', message: 'is required' });
  });

  it('rejects a success status the operation does not return', () => {
    expect(validateResponse(STABLE_VERSION, 'Jobs_Create', 201, { id: 'j', ...job([propertyData]) })?.message).toBe(
      'comes with status 201, which Jobs_Create does not return (it returns 200)',
    );
  });

  it('expects no body where the spec declares none', () => {
    expect(validateResponse(STABLE_VERSION, 'Jobs_Stop', 204, undefined)).toBeUndefined();
    expect(validateResponse(STABLE_VERSION, 'Jobs_Stop', 204, { status: 'stopped' })?.message).toBe('must be empty for status 204');
  });

  it('checks readOnly fields in responses', () => {
    const body = { id: 'job-1', ...job([propertyData]), status: 'running', progress: { total: 'all' } };
    expect(validateResponse(PREVIEW_VERSION, 'Jobs_Get', 200, body)).toEqual({ location: 'body', field: 'progress.total', message: 'must be an integer' });
  });
});
