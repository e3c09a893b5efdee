import { describe, expect, it } from 'vitest';
import type { ExtensionDto } from '../../../../electron/shared/api.js';
import {
  effectiveConfig,
  scopeWords,
  secondsWords,
  settingsSummary,
  sizeWords,
} from './extension-summary.js';

const ext = (
  id: string,
  config: Record<string, unknown>,
  more: Partial<ExtensionDto> = {},
): ExtensionDto => ({
  id,
  name: id,
  version: '1.0.0',
  enabled: true,
  config,
  ...more,
});

describe('settingsSummary', () => {
  it('says each built-in extension in words, with the servers it applies to', () => {
    expect(settingsSummary(ext('rate-limiter', { requestsPerMinute: 60, burst: 20, perTool: {} }))).toBe(
      '60 calls/min, burst 20 · all servers',
    );
    expect(
      settingsSummary(
        ext(
          'rate-limiter',
          { requestsPerMinute: 2.5, burst: 1, perTool: { a__b: 1, c__d: 2 } },
          { servers: ['web'] },
        ),
      ),
    ).toBe('2.5 calls/min, burst 1, 2 tools at their own rate · only web');
    expect(
      settingsSummary(
        ext('request-logger', { maxFileBytes: 5 * 1024 * 1024, maxFiles: 3, maxParamBytes: 2048 }),
      ),
    ).toBe('Rotates at 5 MB, keeps 3 files, parameters cut at 2 KB · all servers');
    expect(
      settingsSummary(ext('request-logger', { maxFileBytes: 65536, maxFiles: 1, logParams: false })),
    ).toBe('Rotates at 64 KB, keeps 1 file, no parameters · all servers');
    expect(settingsSummary(ext('circuit-breaker', { failureThreshold: 5, cooldownSeconds: 90 }))).toBe(
      'Opens after 5 failures in a row, pauses 1.5 min · all servers',
    );
    expect(
      settingsSummary(
        ext('large-response-handler', { thresholdBytes: 25_600, previewChars: 4000, expiryMinutes: 60 }),
      ),
    ).toBe('Stores replies over 25 KB, 4,000 characters at a time, kept 1 h · all servers');
    expect(settingsSummary(ext('quarantine', {}))).toBe('Holds every new or changed tool · all servers');
    expect(settingsSummary(ext('tool-filter', { disabledTools: ['github__delete_*'] }))).toBe(
      'Switched off: github__delete_* · all servers',
    );
    expect(settingsSummary(ext('tool-search', { maxResults: 8 }))).toBe(
      'Up to 8 results per search · all servers',
    );
  });

  it('fills in the schema defaults for what the config leaves out', () => {
    const schema = {
      type: 'object',
      properties: { maxResults: { type: 'integer', default: 8 }, other: { type: 'string' } },
    };
    expect(effectiveConfig({ configSchema: schema, config: {} })).toEqual({ maxResults: 8 });
    expect(effectiveConfig({ configSchema: schema, config: { maxResults: 3 } })).toEqual({ maxResults: 3 });
    expect(settingsSummary(ext('tool-search', {}, { configSchema: schema }))).toBe(
      'Up to 8 results per search · all servers',
    );
  });

  it('says only the servers for a third-party extension, or for values it does not expect', () => {
    expect(settingsSummary(ext('tool-search', { maxResults: 8 }, { source: 'third-party' }))).toBe(
      'All servers',
    );
    expect(settingsSummary(ext('tool-search', { maxResults: 'many' }))).toBe('All servers');
    expect(settingsSummary(ext('acme', { level: 3 }, { servers: ['a', 'b', 'c'] }))).toBe('Only 3 servers');
  });
});

describe('units people read', () => {
  it('says sizes in bytes, KB, MB and GB', () => {
    expect(sizeWords(1)).toBe('1 byte');
    expect(sizeWords(512)).toBe('512 bytes');
    expect(sizeWords(1536)).toBe('1.5 KB');
    expect(sizeWords(1024 * 1024)).toBe('1 MB');
    expect(sizeWords(1024 ** 3)).toBe('1 GB');
  });

  it('says spans in s, min, h and days', () => {
    expect(secondsWords(30)).toBe('30 s');
    expect(secondsWords(60)).toBe('1 min');
    expect(secondsWords(7200)).toBe('2 h');
    expect(secondsWords(86_400)).toBe('1 day');
    expect(secondsWords(7 * 86_400)).toBe('7 days');
  });

  it('says the servers', () => {
    expect(scopeWords(undefined)).toBe('all servers');
    expect(scopeWords([])).toBe('no server');
    expect(scopeWords(['a', 'b'])).toBe('only a, b');
  });
});
