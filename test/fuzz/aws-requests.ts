import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { DEFAULT_AWS_CREDENTIALS } from '../../electron/api/aws/credentials.js';
import type { MemberRef, Operation, ServiceModel } from '../../electron/api/aws/service-model.js';
import { FUZZ_SEED } from './fuzz-settings.js';
import { brokenJsonText, trickyString, validOrMutated } from './nasty-values.js';
import { percentEncode, wellFormed, type WireRequest } from './wire.js';

export const REGION = 'us-east-1';
const MAX_DEPTH = 5;

/** Names by member: mostly ones the sequence creates or already made, so requests reach the registry and the engine. */
export type AwsNamePools = { name: RegExp; names: string[] }[];

function nameFor(pools: AwsNamePools, member: string): fc.Arbitrary<string> | undefined {
  const pool = pools.find((entry) => entry.name.test(member));
  return pool && fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...pool.names) }, { weight: 1, arbitrary: trickyString });
}

/** Values of a botocore shape as the SDK sends them in JSON (timestamps as epoch seconds, blobs as base64). */
function shapeArbitrary(model: ServiceModel, ref: MemberRef, member: string, pools: AwsNamePools, depth = 0): fc.Arbitrary<unknown> {
  const shape = model.shapes[ref.shape]!;
  const next = (child: MemberRef, name: string) => shapeArbitrary(model, child, name, pools, depth + 1);
  switch (shape.type) {
    case 'structure': {
      if (depth >= MAX_DEPTH) return fc.constant({});
      const members = Object.entries(shape.members ?? {}).filter(([, child]) => !child.location);
      return fc.record(Object.fromEntries(members.map(([name, child]) => [name, next(child, name)])), { requiredKeys: members.map(([name]) => name).filter((name) => shape.required?.includes(name)) });
    }
    case 'list':
      return depth >= MAX_DEPTH ? fc.constant([]) : fc.array(next(shape.member!, member), { minLength: Math.min(shape.min ?? 0, 3), maxLength: 3 });
    case 'map':
      return depth >= MAX_DEPTH ? fc.constant({}) : fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), next(shape.value!, member), { maxKeys: 3 });
    case 'string': {
      if (shape.enum) return fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...shape.enum) }, { weight: 1, arbitrary: trickyString });
      return nameFor(pools, member) ?? stringOf(shape.pattern, shape.min ?? 0, shape.max);
    }
    case 'integer':
    case 'long':
      return fc.integer({ min: shape.min ?? -5, max: shape.max ?? 1000 });
    case 'double':
    case 'float':
      return fc.double({ min: shape.min ?? -10, max: shape.max ?? 1000, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'timestamp':
      return fc.integer({ min: 1_700_000_000, max: 4_100_000_000 });
    case 'blob':
      return fc.base64String({ maxLength: 24 });
  }
}

const MATCHING_SAMPLES = 40;
const matchingByPattern = new Map<string, string[]>();

/**
 * Strings that mostly pass the model's constraints (its pattern and length), so that requests get past validation.
 * Generating from a regular expression is slow, so each pattern's strings are drawn once (from the run's seed).
 */
function stringOf(pattern: string | undefined, min: number, max: number | undefined): fc.Arbitrary<string> {
  const plain = fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max ?? 16, 16)) });
  if (pattern === undefined) return plain;
  const key = `${pattern}|${min}|${max}`;
  if (!matchingByPattern.has(key)) {
    const limit = Math.min(max ?? 64, 64);
    try {
      const regex = new RegExp(pattern.startsWith('^') ? pattern : `^${pattern}$`);
      const samples = fc.sample(fc.stringMatching(regex, { size: 'xsmall' }), { numRuns: MATCHING_SAMPLES, seed: FUZZ_SEED });
      matchingByPattern.set(key, samples.map((text) => text.slice(0, limit)).filter((text) => text.length >= min));
    } catch {
      matchingByPattern.set(key, []);
    }
  }
  const matching = matchingByPattern.get(key)!;
  return matching.length === 0 ? plain : fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...matching) }, { weight: 1, arbitrary: plain });
}

type Signing = 'signed' | 'unsigned' | 'wrong secret' | 'tampered';

/** A request for `operation` as the SDK would build it (its input mutated in one place), signed or deliberately not. */
export function awsRequest(model: ServiceModel, prefix: string, operation: Operation, pools: AwsNamePools, host: string): fc.Arbitrary<Promise<WireRequest>> {
  const input = model.shapes[operation.input?.shape ?? '']?.members ?? {};
  const located = Object.entries(input).filter(([, ref]) => ref.location);
  const uriValues = fc.record(
    Object.fromEntries(located.filter(([, ref]) => ref.location === 'uri').map(([name, ref]) => [ref.locationName ?? name, (nameFor(pools, name) ?? shapeArbitrary(model, ref, name, pools)).map(String)])),
  );
  const queryValues = fc.record(
    Object.fromEntries(located.filter(([, ref]) => ref.location === 'querystring').map(([name, ref]) => [ref.locationName ?? name, fc.oneof({ weight: 4, arbitrary: shapeArbitrary(model, ref, name, pools).map(String) }, { weight: 1, arbitrary: trickyString })])),
    { requiredKeys: [] },
  );
  const headerValues = fc.record(
    Object.fromEntries(located.filter(([, ref]) => ref.location === 'header').map(([name, ref]) => [ref.locationName ?? name, shapeArbitrary(model, ref, name, pools).map(String).filter(isVisibleAscii)])),
    { requiredKeys: [] },
  );
  const takesBody = ['POST', 'PUT', 'PATCH'].includes(operation.http.method);
  const body = takesBody
    ? fc.oneof(
        { weight: 8, arbitrary: validOrMutated(shapeArbitrary(model, { shape: operation.input!.shape }, '', pools), 1).map((value) => JSON.stringify(value) ?? 'null') },
        { weight: 1, arbitrary: brokenJsonText },
      )
    : fc.constant(undefined);
  const signing = fc.oneof({ weight: 12, arbitrary: fc.constant<Signing>('signed') }, { weight: 1, arbitrary: fc.constantFrom<Signing>('unsigned', 'wrong secret', 'tampered') });
  return fc.record({ uriValues, queryValues, headerValues, body, signing }).map(async ({ uriValues: uri, queryValues: query, headerValues: headers, body: text, signing: how }) => {
    const [template, fixedQuery] = operation.http.requestUri.split('?');
    const path = `${prefix}${template!.replace(/\{(\w+)\+?\}/g, (_, name: string) => percentEncode(uri[name] ?? ''))}`;
    const sentQuery = Object.entries(query as Record<string, string>).map(([key, value]) => [key, wellFormed(value)]);
    const allQuery: Record<string, string> = { ...Object.fromEntries(new URLSearchParams(fixedQuery ?? '')), ...Object.fromEntries(sentQuery) };
    return sign(model, host, { method: operation.http.method, path, query: allQuery, headers: headers as Record<string, string>, body: text }, how);
  });
}

export async function sign(model: ServiceModel, host: string, request: { method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body?: string }, how: Signing): Promise<WireRequest> {
  const search = Object.entries(request.query).map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`).join('&');
  const headers = { host, ...request.headers, ...(request.body !== undefined && { 'content-type': 'application/json' }) };
  const wire = { method: request.method, path: `${request.path}${search ? `?${search}` : ''}`, body: request.body };
  if (how === 'unsigned') return { ...wire, headers };
  const credentials = how === 'wrong secret' ? { ...DEFAULT_AWS_CREDENTIALS, secretAccessKey: 'not-the-secret' } : DEFAULT_AWS_CREDENTIALS;
  const signer = new SignatureV4({ credentials, region: REGION, service: model.metadata.signingName, sha256: Sha256 });
  const signed = await signer.sign(new HttpRequest({ method: request.method, protocol: 'http:', hostname: host.split(':')[0]!, path: request.path, query: request.query, headers, body: request.body }));
  const sent = signed.headers as Record<string, string>;
  return { ...wire, headers: sent, ...(how === 'tampered' && { body: `${request.body ?? ''} ` }) };
}

function isVisibleAscii(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}
