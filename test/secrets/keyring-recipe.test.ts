import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../helpers/keyring-session.js';
import { REPO, SWITCHBOARD } from '../integration/run-harness.js';

/** The README's headless keyring recipe, run as written, then used by `switchboard secret`. */
const unavailable = keyringUnavailableReason();
const home = mkdtempSync(path.join(tmpdir(), 'sb-recipe-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function recipe(): string {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const block = /<!-- headless-keyring -->\s*```sh\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no headless-keyring recipe');
  return block[1]!;
}

describe.skipIf(unavailable !== undefined)(`the README's headless keyring ${unavailable ?? ''}`, () => {
  it('gives switchboard secret a keyring it can write and read', async () => {
    const script = [
      recipe(),
      // The keyring daemon goes with its bus, also when a line below fails.
      "trap 'kill $DBUS_SESSION_BUS_PID' EXIT",
      `printf '%s' 'value-from-the-recipe' | "${process.execPath}" "${SWITCHBOARD}" secret set recipe-check`,
      `"${process.execPath}" "${SWITCHBOARD}" secret list`,
    ].join('\n');
    const { stdout } = await promisify(execFile)('sh', ['-ec', script], {
      env: { PATH: process.env.PATH, HOME: home, SWITCHBOARD_HOME: path.join(home, 'sb') },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/recipe-check/);
    expect(stdout).not.toContain('value-from-the-recipe');
  });
});
