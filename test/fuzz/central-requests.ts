import fc from 'fast-check';
import preview from '../../electron/api/central/spec/2022-10-31-preview.iotcentral.json' with { type: 'json' };
import stable from '../../electron/api/central/spec/2022-07-31.iotcentral.json' with { type: 'json' };
import { schemaArbitrary, type JsonSchema } from './json-schema-arbitrary.js';
import { brokenJsonText, trickyString, validOrMutated } from './nasty-values.js';
import { percentEncode, type WireRequest } from './wire.js';

interface SpecParameter {
  $ref?: string;
  in?: string;
  name?: string;
  schema?: JsonSchema;
}

interface SpecFile {
  paths: Record<string, Record<string, { operationId: string; parameters?: SpecParameter[] }>>;
  parameters: Record<string, SpecParameter>;
  definitions: Record<string, JsonSchema>;
}

export interface CentralOperation {
  operationId: string;
  method: string;
  /** `/devices/{deviceId}` as the spec writes it. */
  path: string;
  pathParameters: string[];
  query: string[];
  body?: JsonSchema;
  spec: SpecFile;
}

/** Every operation of both spec files (an operation in both is listed once per file, each with its own schemas). */
export const CENTRAL_OPERATIONS: CentralOperation[] = [stable, preview].flatMap((file) => {
  const spec = file as unknown as SpecFile;
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters = (operation.parameters ?? []).map((parameter) => (parameter.$ref ? spec.parameters[parameter.$ref.split('/').pop()!]! : parameter));
      return {
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        pathParameters: parameters.filter((p) => p.in === 'path').map((p) => p.name!),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name!),
        body: parameters.find((p) => p.in === 'body')?.schema,
        spec,
      };
    }),
  );
});

const CENTRAL_VERSIONS = ['2022-07-31', '2022-10-31-preview', 'preview', '1.2-preview'];
const BAD_VERSIONS = ['', '2099-01-01', 'PREVIEW', '2022-07-31 ', '__proto__', '%00', 'x'.repeat(500)];

/** The ids requests use by path parameter or body member name: mostly ones that exist, so requests reach the domain. */
export type IdPools = Record<string, string[]>;

const MEMBER_POOLS: Record<string, string> = { template: 'deviceTemplateId', group: 'deviceGroupId', role: 'roleId', organizations: 'organizationId', organization: 'organizationId' };

function idFrom(pools: IdPools, name: string): fc.Arbitrary<string> {
  const pool = pools[name] ?? pools.default!;
  return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...pool, ...pools.default!) }, { weight: 2, arbitrary: trickyString });
}

function pathSegment(id: string): fc.Arbitrary<string> {
  // Mostly encoded as a client library does, sometimes sent raw (a `..` segment, a lone `%`).
  const raw = /^[\x21-\x7e]*$/.test(id) && !id.includes('?') && !id.includes('#') ? [fc.constant(id)] : [];
  return fc.oneof({ weight: 4, arbitrary: fc.constant(percentEncode(id)) }, ...raw);
}

const queryValue = percentEncode;

export function centralRequest(operation: CentralOperation, pools: IdPools, token: string): fc.Arbitrary<WireRequest> {
  const ids = fc.tuple(...operation.pathParameters.map((name) => idFrom(pools, name).chain(pathSegment)));
  const version = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...CENTRAL_VERSIONS) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_VERSIONS) }, { weight: 1, arbitrary: fc.constant(undefined) });
  const extraQuery = fc.array(
    fc.oneof(
      fc.constantFrom('maxpagesize=0', 'maxpagesize=1', 'maxpagesize=1000', 'maxpagesize=-3', 'maxpagesize=1.5', 'maxpagesize=abc', 'api-version=2022-07-31'),
      trickyString.map((value) => `$skiptoken=${queryValue(value)}`),
      fc.constant(`$skiptoken=${Buffer.from('{"o":-1,"k":"x"}').toString('base64url')}`),
      // Only the devices list emulates filter / orderby; other lists answer 501 by design (docs/compat.md).
      ...(operation.path === '/devices' ? [trickyString.map((value) => `filter=${queryValue(value)}`), trickyString.map((value) => `orderby=${queryValue(value)}`)] : []),
      fc.tuple(trickyString, trickyString).map(([key, value]) => `${queryValue(key)}=${queryValue(value)}`),
    ),
    { maxLength: 2 },
  );
  const ifMatch = fc.option(fc.oneof(fc.constantFrom('*', '"0"', 'W/"x"', '', '"', 'null'), trickyString.filter(isHeaderValue)), { freq: 3 });
  const authorization = fc.oneof({ weight: 12, arbitrary: fc.constant(token) }, { weight: 1, arbitrary: fc.constantFrom('', 'Bearer x', `${token}x`, 'SharedAccessSignature sr=a&sig=b&skn=c&se=1') });
  const body = operation.body ? bodyOf(operation, pools) : fc.constant(undefined);
  return fc.record({ ids, version, extraQuery, ifMatch, authorization, body }).map(({ ids: values, version: apiVersion, extraQuery: more, ifMatch: match, authorization: auth, body: sent }) => {
    let index = 0;
    const path = operation.path.replace(/\{\w+\}/g, () => values[index++]!);
    const query = [...(apiVersion === undefined ? [] : [`api-version=${queryValue(apiVersion)}`]), ...more].join('&');
    const headers: Record<string, string> = { ...(auth !== '' && { authorization: auth }), ...(match !== null && { 'if-match': match }), ...(sent && { 'content-type': sent.type }) };
    return { method: operation.method, path: `/api${path}${query ? `?${query}` : ''}`, headers, ...(sent && { body: sent.text }) };
  });
}

function bodyOf(operation: CentralOperation, pools: IdPools): fc.Arbitrary<{ type: string; text: string }> {
  const valid = schemaArbitrary(operation.body!, {
    definitions: operation.spec.definitions,
    stringFor: (member) => (MEMBER_POOLS[member] ? idFrom(pools, MEMBER_POOLS[member]) : undefined),
  });
  const type = fc.oneof({ weight: 10, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1', 'application/merge-patch+json', 'application/xml') });
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(type, validOrMutated(valid)).map(([contentType, value]) => ({ type: contentType, text: JSON.stringify(value) ?? 'null' })) },
    { weight: 1, arbitrary: brokenJsonText.map((text) => ({ type: 'application/json', text })) },
  );
}

/** Header values must be visible ASCII, or Node refuses to send the request at all. */
function isHeaderValue(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}
