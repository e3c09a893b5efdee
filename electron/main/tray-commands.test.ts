import { describe, expect, it } from 'vitest';
import type { EngineSnapshot, ServerSnapshot } from '../shared/state-view.js';
import { serverIn } from '../shared/testing/snapshots.js';
import { logsRoute, QUARANTINE_ROUTE, runTrayCommand, type TrayCommandDeps } from './tray-commands.js';

const server = (name: string, state: ServerSnapshot['state'], enabled = true) =>
  serverIn(name, state, { enabled });

function recorder(
  snapshot: EngineSnapshot = { servers: [], configProblems: undefined, pendingApprovals: 0 },
  failWith?: string,
) {
  const calls: string[] = [];
  const deps: TrayCommandDeps = {
    invoke: async (operation, input) => {
      calls.push(`${operation} ${JSON.stringify(input)}`);
      if (failWith) throw new Error(failWith);
      return {};
    },
    snapshot: () => snapshot,
    showWindow: (route) => void calls.push(`show ${route ?? '(as it was)'}`),
    quit: () => void calls.push('quit'),
    report: (message) => void calls.push(`report ${message}`),
    installCli: async () => {
      calls.push('installCli');
      if (failWith) throw new Error(failWith);
      return 'Installed `switchboard` as /home/ada/.local/bin/switchboard.';
    },
  };
  return { calls, deps };
}

describe('runTrayCommand', () => {
  it('installs the command-line tool and says where, or why not', async () => {
    const ok = recorder();
    await runTrayCommand({ kind: 'installCli' }, ok.deps);
    expect(ok.calls).toEqual([
      'installCli',
      'report Installed `switchboard` as /home/ada/.local/bin/switchboard.',
    ]);
    const failing = recorder(undefined, 'EACCES: permission denied');
    await runTrayCommand({ kind: 'installCli' }, failing.deps);
    expect(failing.calls.at(-1)).toBe(
      'report Installing the command-line tool failed: EACCES: permission denied',
    );
  });

  it('sends server actions through the API table', async () => {
    const { calls, deps } = recorder();
    await runTrayCommand({ kind: 'start', server: 'a' }, deps);
    await runTrayCommand({ kind: 'stop', server: 'a' }, deps);
    await runTrayCommand({ kind: 'restart', server: 'a b' }, deps);
    await runTrayCommand({ kind: 'setLaunchAtLogin', enabled: true }, deps);
    expect(calls).toEqual([
      'startServer {"server":"a"}',
      'stopServer {"server":"a"}',
      'restartServer {"server":"a b"}',
      'updateSettings {"launchAtLogin":true}',
    ]);
  });

  it('starts a sign-in through the engine, which opens the browser, and reports its refusal', async () => {
    const { calls, deps } = recorder();
    await runTrayCommand({ kind: 'signIn', server: 'linear' }, deps);
    expect(calls).toEqual(['signIn {"server":"linear"}']);
    const refused = recorder(undefined, 'linear does not use OAuth');
    await runTrayCommand({ kind: 'signIn', server: 'linear' }, refused.deps);
    expect(refused.calls).toEqual([
      'signIn {"server":"linear"}',
      'report signIn failed: linear does not use OAuth',
    ]);
  });

  it('restarts every server that runs, and leaves stopped and disabled ones alone', async () => {
    const snapshot = {
      servers: [
        server('up', 'ready'),
        server('down', 'stopped'),
        server('off', 'stopped', false),
        server('bo', 'backoff'),
      ],
      configProblems: undefined,
      pendingApprovals: 0,
    };
    const { calls, deps } = recorder(snapshot);
    await runTrayCommand({ kind: 'restartAll' }, deps);
    expect(calls.sort()).toEqual(['restartServer {"server":"bo"}', 'restartServer {"server":"up"}']);
  });

  it("opens the window, at a server's logs when asked, and quits", async () => {
    const { calls, deps } = recorder();
    await runTrayCommand({ kind: 'openWindow' }, deps);
    await runTrayCommand({ kind: 'openLogs', server: 'my server' }, deps);
    await runTrayCommand({ kind: 'quit' }, deps);
    expect(calls).toEqual(['show (as it was)', 'show #/servers/my%20server/logs', 'quit']);
    expect(logsRoute('a/b')).toBe('#/servers/a%2Fb/logs');
  });

  it('opens the window at the Quarantine screen for tools that wait for approval', async () => {
    const { calls, deps } = recorder();
    await runTrayCommand({ kind: 'openApprovals' }, deps);
    expect(calls).toEqual(['show #/quarantine']);
    expect(QUARANTINE_ROUTE).toBe('#/quarantine');
  });

  it("reports the engine's refusal instead of dropping it", async () => {
    const { calls, deps } = recorder(undefined, 'no server named "x"');
    await runTrayCommand({ kind: 'restart', server: 'x' }, deps);
    expect(calls).toEqual([
      'restartServer {"server":"x"}',
      'report restartServer failed: no server named "x"',
    ]);
  });
});
