import { ListThingsCommand } from '@aws-sdk/client-iot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { iotClient, rejectionOf, signedFetch } from './aws-client.js';

const CONFIGURED = { accessKeyId: 'AKIAFLEETLABTEST', secretAccessKey: 'configured-secret' };

describe('AWS Signature V4 on /aws', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost({ awsCredentials: CONFIGURED });
  });
  afterAll(() => host.stop());

  it('accepts the configured credentials', async () => {
    const list = await iotClient(host, CONFIGURED).send(new ListThingsCommand({}));
    expect(list.$metadata.httpStatusCode).toBe(200);
    expect(list.things).toEqual([]);
  });

  it('answers 403 InvalidSignatureException to a wrong secret', async () => {
    const error = await rejectionOf(iotClient(host, { ...CONFIGURED, secretAccessKey: 'wrong' }).send(new ListThingsCommand({})));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toMatch(/signature we calculated does not match/);
  });

  it('answers 403 UnrecognizedClientException to an unknown access key', async () => {
    const error = await rejectionOf(iotClient(host, { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'configured-secret' }).send(new ListThingsCommand({})));
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('answers 403 MissingAuthenticationTokenException to an unsigned request', async () => {
    const res = await fetch(`${host.url}/aws/things`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('rejects a signature older than 15 minutes, and accepts one 5 minutes old', async () => {
    const old = await signedFetch(host, 'GET', '/things', { credentials: CONFIGURED, signingDate: new Date(Date.now() - 20 * 60_000) });
    expect(old.status).toBe(403);
    expect(old.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(((await old.json()) as { message: string }).message).toMatch(/^Signature expired/);
    const recent = await signedFetch(host, 'GET', '/things', { credentials: CONFIGURED, signingDate: new Date(Date.now() - 5 * 60_000) });
    expect(recent.status).toBe(200);
  });

  it('rejects a body or query changed after signing', async () => {
    const body = (description: string) => JSON.stringify({ thingGroupProperties: { thingGroupDescription: description } });
    const intact = await signedFetch(host, 'POST', '/thing-groups/signed-group', { credentials: CONFIGURED, body: body('a') });
    expect(intact.status).toBe(200);
    const changedBody = await signedFetch(host, 'POST', '/thing-groups/tampered-group', { credentials: CONFIGURED, body: body('a'), sent: { body: body('b') } });
    expect(changedBody.status).toBe(403);
    expect(changedBody.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    const changedQuery = await signedFetch(host, 'GET', '/things', { credentials: CONFIGURED, query: { maxResults: '5' }, sent: { query: { maxResults: '6' } } });
    expect(changedQuery.status).toBe(403);
    expect(changedQuery.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });
});
