import { describe, expect, it } from 'vitest';
import { hostnames, httpsChoice } from '../../electron/https-settings.js';

describe('the HTTPS flags of fleetlab serve', () => {
  it('reads --https, FLEETLAB_HTTPS, --cert/--key and --pfx/--pwd', () => {
    expect(httpsChoice({}, {})).toBeUndefined();
    expect(httpsChoice({}, { FLEETLAB_HTTPS: '0' })).toBeUndefined();
    expect(httpsChoice({ https: true }, {})).toEqual({ source: 'local-ca' });
    expect(httpsChoice({}, { FLEETLAB_HTTPS: '1' })).toEqual({ source: 'local-ca' });
    expect(httpsChoice({ cert: 'c.pem', key: 'k.pem' }, {})).toEqual({ source: 'pem', certFile: 'c.pem', keyFile: 'k.pem' });
    expect(httpsChoice({ pfx: 'a.pfx', pwd: 'pw' }, {})).toEqual({ source: 'pfx', pfxFile: 'a.pfx', passphrase: 'pw' });
  });

  it.each([
    [{ key: 'k.pem' }, {}, '--cert and --key go together: give both'],
    [{ pfx: 'a.pfx', cert: 'c.pem' }, {}, 'give either --pfx or --cert with --key, not both'],
    [{ pwd: 'pw' }, {}, '--pwd is the password of a --pfx file; give --pfx too'],
    [{}, { FLEETLAB_HTTPS: 'yes' }, 'FLEETLAB_HTTPS must be 1 or 0, got "yes"'],
  ])('refuses %j %j', (values, env, message) => {
    expect(() => httpsChoice(values, env)).toThrow(message);
  });

  it('takes DNS names and IP addresses as --hostname, lower-cased', () => {
    expect(hostnames({ hostname: ['Fleet.localhost', '10.0.0.5', '::1'] })).toEqual(['fleet.localhost', '10.0.0.5', '::1']);
    expect(() => hostnames({ hostname: ['http://x'] })).toThrow('--hostname must be a DNS name or an IP address, got "http://x"');
  });
});
