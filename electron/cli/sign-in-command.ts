import type { AuthStatusDto } from '../shared/api.js';
import type { EngineClient } from '../engine/index.js';
import type { CliIo } from './main.js';
import { UsageError } from './usage-error.js';

/** How long `sign-in` waits for the browser to come back (the engine gives up after 5 minutes too). */
const SIGN_IN_WAIT_MS = 5 * 60_000 + 5_000;
const POLL_MS = 300;

/**
 * `switchboard sign-in NAME`: the running engine opens the browser at the server's sign-in page; this
 * prints the page too (for when no browser opens) and waits until the sign-in is done or failed.
 */
export async function signInCommand(
  client: Pick<EngineClient, 'call'>,
  argv: readonly string[],
  io: CliIo,
  options: { waitMs?: number; pollMs?: number } = {},
): Promise<number> {
  const server = onlyName('sign-in', argv);
  const started = await client.call('signIn', { server });
  if (!started.signInUrl) return finished(started, io);
  io.stdout.write(`Opening the sign-in page for ${server} in your browser. If it does not open, visit:\n`);
  io.stdout.write(`  ${started.signInUrl}\n`);
  const deadline = Date.now() + (options.waitMs ?? SIGN_IN_WAIT_MS);
  // Bounded in time; each round is one small API call.
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? POLL_MS));
    const status = await client.call('getServerAuth', { server });
    if (!status.signInUrl) return finished(status, io);
  }
  io.stderr.write(`switchboard: ${server}: the browser did not come back in time; run sign-in again\n`);
  return 1;
}

/** `switchboard sign-out NAME`: deletes the server's tokens from the keyring. */
export async function signOutCommand(
  client: Pick<EngineClient, 'call'>,
  argv: readonly string[],
  io: CliIo,
): Promise<number> {
  const server = onlyName('sign-out', argv);
  await client.call('signOut', { server });
  io.stdout.write(`${server}: signed out; its tokens are deleted from the keyring\n`);
  return 0;
}

function onlyName(command: string, argv: readonly string[]): string {
  const [name, ...rest] = argv;
  if (!name || name.startsWith('-') || rest.length > 0)
    throw new UsageError(`usage: switchboard ${command} NAME`);
  return name;
}

function finished(status: AuthStatusDto, io: CliIo): number {
  if (status.signedIn && !status.problem) {
    const scopes = status.scopes.length > 0 ? ` (scope: ${status.scopes.join(' ')})` : '';
    io.stdout.write(
      `${status.server}: signed in at ${status.issuer ?? 'its authorization server'}${scopes}\n`,
    );
    return 0;
  }
  io.stderr.write(`switchboard: ${status.server}: ${status.problem ?? 'not signed in'}\n`);
  return 1;
}
