import { describe, expect, it } from 'vitest';
import { cmdShimArgs, escapeCmdArg, quoteWindowsArg } from './cmd-escape.js';

/**
 * What cmd.exe does to the line (phase 2: carets escape the next character outside quotes, quotes
 * toggle). Returns the line plus whether an operator was left live outside quotes.
 */
function cmdPass(line: string): { out: string; liveOperator: boolean } {
  let out = '';
  let quoted = false;
  let liveOperator = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (!quoted && c === '^') {
      out += line[++i] ?? '';
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && '&|<>'.includes(c)) liveOperator = true;
    out += c;
  }
  return { out, liveOperator };
}

/** The MSVCRT / CommandLineToArgvW rules a node.exe (or any C program) uses to read its argv. */
function parseArgv(line: string): string[] {
  const args: string[] = [];
  let cur = '';
  let started = false;
  let quoted = false;
  for (let i = 0; i < line.length;) {
    const c = line[i];
    if (c === '\\') {
      let n = 0;
      for (; line[i] === '\\'; i++) n++;
      if (line[i] === '"') {
        // 2n backslashes + quote: n backslashes, then the quote toggles; 2n+1: a literal quote.
        cur += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) {
          cur += '"';
          i++;
        }
      } else cur += '\\'.repeat(n);
      started = true;
    } else if (c === '"') {
      quoted = !quoted;
      started = true;
      i++;
    } else if (!quoted && (c === ' ' || c === '\t')) {
      if (started) args.push(cur);
      cur = '';
      started = false;
      i++;
    } else {
      cur += c;
      started = true;
      i++;
    }
  }
  if (started) args.push(cur);
  return args;
}

/** Runs `cmd /d /s /c "<line>"` in simulation: /s strips the outer quotes, then one or two passes. */
function throughCmd(cmdArgs: string[], passes: number): { argv: string[]; liveOperator: boolean } {
  expect(cmdArgs.slice(0, 3)).toEqual(['/d', '/s', '/c']);
  const last = cmdArgs[3] ?? '';
  expect(last.startsWith('"') && last.endsWith('"')).toBe(true);
  let line = last.slice(1, -1);
  let liveOperator = false;
  for (let i = 0; i < passes; i++) {
    const pass = cmdPass(line);
    line = pass.out;
    liveOperator ||= pass.liveOperator;
  }
  return { argv: parseArgv(line), liveOperator };
}

const tricky = [
  'plain',
  '',
  'hello world',
  'a&b',
  'a|b',
  '<in>',
  '(x)',
  '100%',
  '%PATH%',
  '!bang!',
  'say "hi"',
  'ends\\',
  'a\\\\\\"b',
  'C:\\dir with space\\',
  '\\\\server\\share',
  '^caret',
  'tab\there',
  'a,b;c=d',
  '"',
  '\\"',
  '"&calc.exe&"',
  'ünïcödé',
];

describe('quoteWindowsArg', () => {
  it('doubles backslashes only before a quote or the end', () => {
    expect(quoteWindowsArg('a\\b')).toBe('"a\\b"');
    expect(quoteWindowsArg('a\\')).toBe('"a\\\\"');
    expect(quoteWindowsArg('a\\\\\\"b')).toBe('"a\\\\\\\\\\\\\\"b"');
    expect(quoteWindowsArg('')).toBe('""');
  });

  it('round-trips through the C runtime parser', () => {
    for (const arg of tricky) expect(parseArgv(quoteWindowsArg(arg))).toEqual([arg]);
  });
});

describe('escapeCmdArg', () => {
  it('matches cross-spawn for ordinary arguments', () => {
    expect(escapeCmdArg('hello world', false)).toBe('^"hello^ world^"');
    expect(escapeCmdArg('a&b', false)).toBe('^"a^&b^"');
    expect(escapeCmdArg('say "hi"', false)).toBe('^"say^ \\^"hi\\^"^"');
    expect(escapeCmdArg('100%', false)).toBe('^"100^%^"');
    expect(escapeCmdArg('a&b', true)).toBe('^^^"a^^^&b^^^"');
  });

  it('escapes every % so cmd cannot expand a variable', () => {
    expect(escapeCmdArg('%PATH%', false)).toBe('^"^%PATH^%^"');
  });
});

describe('cmdShimArgs', () => {
  const npx = 'C:\\Program Files\\nodejs\\npx.cmd';

  it('builds a /d /s /c line with the path quoted', () => {
    expect(cmdShimArgs(npx, ['-y', 'a b'])).toEqual(['/d', '/s', '/c', `""${npx}" ^"-y^" ^"a^ b^""`]);
  });

  it('passes every argument through cmd.exe unchanged and with no live operator', () => {
    const result = throughCmd(cmdShimArgs(npx, tricky), 1);
    expect(result.argv).toEqual([npx, ...tricky]);
    expect(result.liveOperator).toBe(false);
  });

  it('escapes twice for npm shims in node_modules\\.bin, which re-parse their %*', () => {
    const shim = 'C:\\proj\\node_modules\\.bin\\tsx.cmd';
    // cross-spawn's documented trade-off: a double quote inside an argument can't survive both passes.
    const safe = tricky.filter((arg) => !arg.includes('"'));
    const result = throughCmd(cmdShimArgs(shim, safe), 2);
    expect(result.argv).toEqual([shim, ...safe]);
    expect(result.liveOperator).toBe(false);
  });
});
