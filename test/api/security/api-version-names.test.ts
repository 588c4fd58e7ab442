import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../helpers/host.js';

// Names Object.prototype has: a table indexed with them by mistake finds a function instead of nothing.
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
const ROUTES = ['/api/jobs', '/api/devices', '/api/roles', '/api/apiTokens', '/api/deviceGroups/probe', '/api/scheduledJobs'];

describe('api-version values that name Object.prototype members', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost({ simulatorThreads: 1 });
  });
  afterAll(() => host.stop());

  it('covers the names the bug report lists', () => {
    expect(PROTOTYPE_NAMES).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']));
  });

  it.each(PROTOTYPE_NAMES)('answers api-version=%s with the normal 404 "not a valid API version" on every route', async (name) => {
    for (const route of ROUTES) {
      const res = await host.call('GET', `${route}?api-version=${encodeURIComponent(name)}`);
      expect(res.status, route).toBe(404);
      expect(res.headers.get('x-ms-error-code')).toBe('NotFound');
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.message, route).toMatch(new RegExp(`^"${name.replace(/[$]/g, '\\$&')}" is not a valid API version\\. Supported API versions are: 2022-07-31, `));
    }
  });
});
