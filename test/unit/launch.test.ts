import { describe, expect, it } from 'vitest';
import { downloadFailure, headlessReason, type LaunchFacts } from '../../electron/launch-plan.js';

const desktop: LaunchFacts = { platform: 'linux', env: { DISPLAY: ':0' } };

describe('headlessReason', () => {
  it('lets the desktop app run where there is a display and a binary', () => {
    expect(headlessReason(desktop)).toBeUndefined();
    expect(headlessReason({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } })).toBeUndefined();
    expect(headlessReason({ platform: 'darwin', env: {} })).toBeUndefined();
    expect(headlessReason({ platform: 'win32', env: {} })).toBeUndefined();
  });

  it('explains a Linux session without a display', () => {
    const reason = headlessReason({ platform: 'linux', env: { DISPLAY: '' } });
    expect(reason).toMatch(/^Fleetlab: no display .*DISPLAY and WAYLAND_DISPLAY are unset.*serving the UI headless instead/);
  });

  it('explains a missing binary, why, and how to get it', () => {
    const reason = headlessReason({ ...desktop, missingBinary: 'download failed: RequestError: getaddrinfo ENOTFOUND github.com' });
    expect(reason).toContain('the Electron binary is not installed (download failed: RequestError: getaddrinfo ENOTFOUND github.com)');
    expect(reason).toContain('serving the UI headless instead');
    expect(reason).toContain('node node_modules/electron/install.js');
  });

  it('explains an Electron that died before its window opened', () => {
    const crashed = headlessReason({ ...desktop, earlyExit: { code: 1, signal: null, lastMessage: 'Missing X server or $DISPLAY' } });
    expect(crashed).toContain('Electron exited with code 1 before its window opened (Missing X server or $DISPLAY)');
    const killed = headlessReason({ ...desktop, earlyExit: { code: null, signal: 'SIGSEGV' } });
    expect(killed).toContain('Electron was killed by SIGSEGV before its window opened;');
    const unstartable = headlessReason({ ...desktop, earlyExit: { code: null, signal: null, lastMessage: 'spawn EACCES' } });
    expect(unstartable).toContain('Electron could not be started (spawn EACCES); serving the UI headless instead');
  });

  it('takes a clean exit (a second instance, or the user quitting) as no reason to fall back', () => {
    expect(headlessReason({ ...desktop, earlyExit: { code: 0, signal: null } })).toBeUndefined();
  });

  it('always says it in one line', () => {
    const cases: LaunchFacts[] = [
      { platform: 'linux', env: {} },
      { ...desktop, missingBinary: 'download timed out' },
      { ...desktop, earlyExit: { code: 133, signal: null, lastMessage: 'x' } },
    ];
    for (const facts of cases) expect(headlessReason(facts)).not.toContain('\n');
  });
});

describe('downloadFailure', () => {
  it("keeps the first line of install.js's error, not its stack", () => {
    const output = 'RequestError: getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous> (/x/got/index.js:970:111)\n';
    expect(downloadFailure({ timedOut: false, exitCode: 1, output })).toBe('download failed: RequestError: getaddrinfo ENOTFOUND github.com');
  });

  it('names a timeout and a silent failure', () => {
    expect(downloadFailure({ timedOut: true, exitCode: null, output: '' })).toBe('download timed out');
    expect(downloadFailure({ timedOut: false, exitCode: 7, output: '\n' })).toBe('download failed: install.js exited with code 7');
  });
});
