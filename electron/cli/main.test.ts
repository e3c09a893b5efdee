import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

async function cli(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(argv, { stdin: new PassThrough(), stdout, stderr, cwd: process.cwd() });
  return { code, out, err };
}

describe('switchboard CLI', () => {
  it('prints its version from package.json', async () => {
    const { code, out } = await cli('--version');
    expect(code).toBe(0);
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints help', async () => {
    expect((await cli('--help')).out).toMatch(/Usage: switchboard <command>/);
    expect((await cli('run', '--help')).out).toMatch(/Usage: switchboard run \[options\] -- CMD/);
  });

  it('rejects an unknown command with exit code 2 and a pointer to help', async () => {
    const { code, err } = await cli('frobnicate');
    expect(code).toBe(2);
    expect(err).toMatch(/unknown command "frobnicate"[\s\S]*switchboard --help/);
  });

  it('says which command was meant when one is mistyped', async () => {
    const { code, err } = await cli('stauts');
    expect(code).toBe(2);
    expect(err).toContain('unknown command "stauts"; did you mean `status`?');
    expect((await cli('frobnicate')).err).not.toContain('did you mean');
  });

  it('prints the help and fails when no command is given', async () => {
    const { code, out, err } = await cli();
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/Usage: switchboard <command>/);
  });

  it('gives every command a --help, without needing a running engine', async () => {
    const commands = ['run', 'serve', 'connect', 'status', 'start', 'stop', 'restart', 'logs', 'open'];
    commands.push('secret', 'sign-in', 'sign-out', 'clients', 'import', 'install', 'uninstall');
    for (const command of commands) {
      const { code, out } = await cli(command, '--help');
      expect(code, command).toBe(0);
      expect(out, command).toMatch(new RegExp(`switchboard ${command}\\b`));
    }
  });

  it('refuses a --config file that does not exist instead of starting an empty engine', async () => {
    const missing = path.join(tmpdir(), `switchboard-no-such-${process.pid}`, 'config.json');
    const { code, err } = await cli('serve', '--port', '0', '--config', missing);
    expect(code).toBe(1);
    expect(err).toContain(`the config file ${missing} does not exist`);
  });

  it('rejects bad run options with exit code 2', async () => {
    const { code, err } = await cli('run', '--debounce', 'x', '--', 'node');
    expect(code).toBe(2);
    expect(err).toMatch(/--debounce needs a non-negative number[\s\S]*switchboard run --help/);
  });
});
