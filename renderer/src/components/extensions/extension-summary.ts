import type { ExtensionDto } from '../../../../electron/shared/api.js';

/**
 * An extension's settings in force, said the way a person reads them ("60 calls/min, burst 20",
 * "rotates at 5 MB, keeps 3 files"), for the one line under its name on the Extensions page.
 */

/** Its config as the engine applies it: what is set, else the schema's default. */
export function effectiveConfig(ext: Pick<ExtensionDto, 'config' | 'configSchema'>): Record<string, unknown> {
  const properties = ext.configSchema?.properties;
  const defaults: Record<string, unknown> = {};
  if (typeof properties === 'object' && properties !== null) {
    for (const [name, field] of Object.entries(properties as Record<string, unknown>)) {
      if (typeof field === 'object' && field !== null && 'default' in field) {
        defaults[name] = (field as { default: unknown }).default;
      }
    }
  }
  return { ...defaults, ...ext.config };
}

const plural = (n: number, word: string, words = `${word}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? word : words}`;

/** A figure with at most one decimal, and none when it is whole: 5, 2.5. */
const figure = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, ''));

/** Bytes as KB or MB (1024-based, like the file sizes people see elsewhere): 25600 → "25 KB". */
export function sizeWords(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte');
  if (bytes < 1024 * 1024) return `${figure(Math.round((bytes / 1024) * 10) / 10)} KB`;
  if (bytes < 1024 ** 3) return `${figure(Math.round((bytes / 1024 ** 2) * 10) / 10)} MB`;
  return `${figure(Math.round((bytes / 1024 ** 3) * 10) / 10)} GB`;
}

/** A span of seconds in the largest unit that reads whole: 30 → "30 s", 90 → "1.5 min", 3600 → "1 h". */
export function secondsWords(seconds: number): string {
  if (seconds < 60) return `${figure(seconds)} s`;
  if (seconds < 3600) return `${figure(Math.round((seconds / 60) * 10) / 10)} min`;
  if (seconds < 86_400) return `${figure(Math.round((seconds / 3600) * 10) / 10)} h`;
  return plural(Math.round((seconds / 86_400) * 10) / 10, 'day');
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** The settings of each built-in extension in words; undefined where a value is not what it expects. */
const BUILTIN: Record<string, (config: Record<string, unknown>) => string | undefined> = {
  'rate-limiter': (c) => {
    const rate = num(c.requestsPerMinute);
    const burst = num(c.burst);
    if (rate === undefined || burst === undefined) return undefined;
    const own = typeof c.perTool === 'object' && c.perTool !== null ? Object.keys(c.perTool).length : 0;
    const perTool = own > 0 ? `, ${plural(own, 'tool')} at ${own === 1 ? 'its' : 'their'} own rate` : '';
    return `${figure(rate)} calls/min, burst ${burst}${perTool}`;
  },
  'request-logger': (c) => {
    const size = num(c.maxFileBytes);
    const files = num(c.maxFiles);
    if (size === undefined || files === undefined) return undefined;
    const cut = num(c.maxParamBytes);
    const params =
      c.logParams === false
        ? 'no parameters'
        : cut === undefined
          ? 'records parameters'
          : `parameters cut at ${sizeWords(cut)}`;
    return `rotates at ${sizeWords(size)}, keeps ${plural(files, 'file')}, ${params}`;
  },
  'circuit-breaker': (c) => {
    const failures = num(c.failureThreshold);
    const cooldown = num(c.cooldownSeconds);
    if (failures === undefined || cooldown === undefined) return undefined;
    return `opens after ${plural(failures, 'failure')} in a row, pauses ${secondsWords(cooldown)}`;
  },
  'large-response-handler': (c) => {
    const threshold = num(c.thresholdBytes);
    const chars = num(c.previewChars);
    const minutes = num(c.expiryMinutes);
    if (threshold === undefined || chars === undefined || minutes === undefined) return undefined;
    return `stores replies over ${sizeWords(threshold)}, ${plural(chars, 'character')} at a time, kept ${secondsWords(minutes * 60)}`;
  },
  quarantine: (c) =>
    c.trustExisting === true
      ? "trusts a server's tools the first time, holds later changes"
      : 'holds every new or changed tool',
  'tool-filter': (c) => {
    if (!Array.isArray(c.disabledTools)) return undefined;
    const off = c.disabledTools as unknown[];
    if (off.length === 0) return 'no tool switched off yet';
    if (off.length === 1) return `switched off: ${String(off[0])}`;
    return `${plural(off.length, 'tool pattern')} switched off`;
  },
  'tool-search': (c) => {
    const results = num(c.maxResults);
    return results === undefined ? undefined : `up to ${plural(results, 'result')} per search`;
  },
};

/** Which servers' traffic it sees, in words. */
export function scopeWords(servers: readonly string[] | undefined): string {
  if (servers === undefined) return 'all servers';
  if (servers.length === 0) return 'no server';
  if (servers.length <= 2) return `only ${servers.join(', ')}`;
  return `only ${plural(servers.length, 'server')}`;
}

/** The settings in force and the servers it applies to, as one line: "60 calls/min, burst 20 · all servers",
 * capitalised. */
export function settingsSummary(ext: ExtensionDto): string {
  const builtin = ext.source === 'third-party' ? undefined : BUILTIN[ext.id];
  const line = [builtin?.(effectiveConfig(ext)), scopeWords(ext.servers)]
    .filter((part) => part !== undefined)
    .join(' · ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}
