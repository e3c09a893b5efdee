import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EngineErrors, errorTableMarkdown } from '../../electron/shared/errors.js';
import { RUN_HELP } from '../../electron/cli/run-args.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

const cells = (markdown: string) =>
  markdown
    .split('\n')
    .filter((row) => !/^\|[\s|:-]+\|$/.test(row))
    .map((row) => row.split('|').map((cell) => cell.trim()));

describe('README', () => {
  it('carries the error table exactly as the code defines it', () => {
    const start = readme.indexOf('<!-- error-table:start -->');
    const end = readme.indexOf('<!-- error-table:end -->');
    expect(start).toBeGreaterThan(-1);
    const table = readme.slice(start + '<!-- error-table:start -->'.length, end).trim();
    // Prettier pads the columns; compare cell by cell.
    expect(cells(table)).toEqual(cells(errorTableMarkdown()));
  });

  it('gives every engine error a distinct code and reason', () => {
    const specs = Object.values(EngineErrors);
    expect(new Set(specs.map((e) => e.code)).size).toBe(specs.length);
    expect(new Set(specs.map((e) => e.reason)).size).toBe(specs.length);
  });

  it('documents every option of `switchboard run`', () => {
    const flags = [...RUN_HELP.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]);
    expect(flags.length).toBeGreaterThan(10);
    for (const flag of flags) expect(readme, flag).toContain(`\`${flag === '--help' ? '-h, --help' : flag}`);
  });
});
