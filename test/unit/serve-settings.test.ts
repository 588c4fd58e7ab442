import { describe, expect, it } from 'vitest';
import { UsageError } from '../../electron/headless.js';
import { serveSettings } from '../../electron/serve-settings.js';

describe('the log level and limits of fleetlab serve', () => {
  it('takes flags over environment variables over defaults', () => {
    const settings = serveSettings(
      { 'log-level': 'warn', 'max-json-depth': '128' },
      { FLEETLAB_LOG_LEVEL: 'debug', FLEETLAB_MAX_JSON_DEPTH: '16', FLEETLAB_MAX_SNAPSHOT_MB: '64' },
    );
    expect(settings).toEqual({ logLevel: 'warn', limits: { maxJsonDepth: 128, maxSnapshotMb: 64 } });
    expect(serveSettings({}, {})).toEqual({ logLevel: 'warn', limits: {} });
  });

  it('refuses an unknown level and limits outside their range, naming the flag', () => {
    expect(() => serveSettings({ 'log-level': 'loud' }, {})).toThrow(UsageError);
    expect(() => serveSettings({ 'max-snapshot-mb': '1024' }, {})).toThrow('--max-snapshot-mb must be a whole number from 1 to 512, got "1024"');
    expect(() => serveSettings({}, { FLEETLAB_MAX_FILTER_DEPTH: '1.5' })).toThrow('--max-filter-depth must be a whole number');
  });
});
