import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';
import { rawRequest } from '../../helpers/raw-http.js';

const CAP = 3;

describe('the cap on open event streams', () => {
  let host: TestHost;
  const controllers: AbortController[] = [];
  const open = async () => {
    const controller = new AbortController();
    controllers.push(controller);
    return fetch(`${host.url}/_fleetlab/events`, { headers: { authorization: host.token }, signal: controller.signal });
  };

  beforeAll(async () => {
    host = await startTestHost({ maxEventStreams: CAP, simulatorThreads: 1 });
  });
  afterAll(async () => {
    for (const controller of controllers) controller.abort();
    await host.stop();
  });

  it('answers one stream beyond it with 429 in the control API error shape, naming the limit, and serves again once one closes', async () => {
    for (let i = 0; i < CAP; i++) expect((await open()).status).toBe(200);

    const refused = await rawRequest(`${host.url}/_fleetlab/events`, { headers: { authorization: host.token } });
    expect(refused.status).toBe(429);
    expect(refused.headers['x-ms-error-code']).toBe('TooManyRequests');
    expect(JSON.parse(refused.body).error.message).toContain(`at most ${CAP} event streams`);

    controllers[0]!.abort();
    await expect
      .poll(async () => (await rawRequest(`${host.url}/_fleetlab/events`, { headers: { authorization: host.token }, headersOnly: true })).status, {
        message: 'a stream is served again after one closed',
      })
      .toBe(200);
  });
});
