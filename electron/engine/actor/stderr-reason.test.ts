import { describe, expect, it } from 'vitest';
import { meaningfulStderrLine } from './stderr-reason.js';

describe('meaningfulStderrLine', () => {
  it("finds a Node exception under its stack and Node's version banner", () => {
    const stderr = [
      'file:///srv/server.mjs:3',
      "throw new Error('database unreachable at start');",
      '^',
      '',
      'Error: database unreachable at start',
      '    at file:///srv/server.mjs:3:7',
      '    at ModuleJob.run (node:internal/modules/esm/module_job:234:25)',
      '',
      'Node.js v20.20.2',
    ];
    expect(meaningfulStderrLine(stderr)).toBe('Error: database unreachable at start');
  });

  it('finds a missing module under the thrown object and its fields', () => {
    const stderr = [
      'node:internal/modules/cjs/loader:1228',
      '  throw err;',
      '  ^',
      '',
      "Error: Cannot find module 'left-pad'",
      'Require stack:',
      '- /srv/server.js',
      '    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15) {',
      "  code: 'MODULE_NOT_FOUND',",
      "  requireStack: [ '/srv/server.js' ]",
      '}',
      '',
      'Node.js v20.20.2',
    ];
    expect(meaningfulStderrLine(stderr)).toBe("Error: Cannot find module 'left-pad'");
  });

  it("keeps a typed error whose message starts with a quote, and Python's last exception", () => {
    expect(meaningfulStderrLine(["TypeError: 'undefined' is not a function", 'Node.js v22.1.0'])).toBe(
      "TypeError: 'undefined' is not a function",
    );
    const python = [
      'Traceback (most recent call last):',
      '  File "/srv/server.py", line 1, in <module>',
      '    import missing_thing',
      "ModuleNotFoundError: No module named 'missing_thing'",
    ];
    expect(meaningfulStderrLine(python)).toBe("ModuleNotFoundError: No module named 'missing_thing'");
  });

  it('falls back to the last line that is not noise, and to nothing', () => {
    expect(meaningfulStderrLine(['listening on stdio', 'config file missing: ./x.json'])).toBe(
      'config file missing: ./x.json',
    );
    expect(meaningfulStderrLine(['', '   ', 'Node.js v20.20.2'])).toBeUndefined();
  });
});
