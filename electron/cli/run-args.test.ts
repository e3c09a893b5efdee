import { describe, expect, it } from 'vitest';
import { parseRunArgs, RUN_DEFAULTS } from './run-args.js';
import { parseSize, UsageError } from './usage-error.js';

describe('parseRunArgs', () => {
  it('splits options from the command at --', () => {
    const args = parseRunArgs([
      '--watch',
      'src',
      '-w',
      'pkg.json',
      '--debounce=150',
      '--',
      'node',
      'server.js',
      '--port',
      '1',
    ]);
    expect(args.watch).toEqual(['src', 'pkg.json']);
    expect(args.debounceMs).toBe(150);
    expect(args.command).toBe('node');
    expect(args.args).toEqual(['server.js', '--port', '1']);
  });

  it('starts the command at the first bare word when -- is missing', () => {
    const args = parseRunArgs(['--ext', 'js, ts', 'python', '-m', 'srv']);
    expect(args.extensions).toEqual(['js', 'ts']);
    expect(args.command).toBe('python');
    expect(args.args).toEqual(['-m', 'srv']);
  });

  it('uses the defaults', () => {
    const args = parseRunArgs(['--', 'x']);
    expect(args).toMatchObject(RUN_DEFAULTS);
    expect(args.noWatch).toBe(false);
  });

  it('parses sizes and timeouts', () => {
    const args = parseRunArgs([
      '--max-message-size',
      '2mb',
      '--buffer-bytes',
      '512kb',
      '--startup-timeout',
      '900',
      '--',
      'x',
    ]);
    expect(args.maxMessageBytes).toBe(2 * 1024 * 1024);
    expect(args.bufferBytes).toBe(512 * 1024);
    expect(args.startupTimeoutMs).toBe(900);
  });

  it('says clearly what is wrong', () => {
    expect(() => parseRunArgs(['--bogus', '--', 'x'])).toThrow(/unknown option --bogus/);
    expect(() => parseRunArgs(['--debounce', 'soon', '--', 'x'])).toThrow(
      /--debounce needs a non-negative number/,
    );
    expect(() => parseRunArgs(['--watch'])).toThrow(/--watch needs a value/);
    expect(() => parseRunArgs([])).toThrow(UsageError);
    expect(() => parseRunArgs(['--'])).toThrow(/missing the server command/);
  });

  it('allows --help without a command', () => {
    expect(parseRunArgs(['--help']).help).toBe(true);
  });
});

describe('parseSize', () => {
  it('accepts units and rejects nonsense', () => {
    expect(parseSize('--x', '1048576')).toBe(1048576);
    expect(parseSize('--x', '1.5k')).toBe(1536);
    expect(() => parseSize('--x', '12 parsecs')).toThrow(/needs a size/);
    expect(() => parseSize('--x', '0')).toThrow(/at least 1 byte/);
  });
});
