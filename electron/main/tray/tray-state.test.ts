import { describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '../../shared/state-view.js';
import { serverIn, snapshotOf } from '../../shared/testing/snapshots.js';
import { aggregateTrayState, approvalsLine, trayIconFile, traySummary, trayTooltip } from './tray-state.js';

const server = serverIn;
const snapshot = snapshotOf;

describe('aggregateTrayState', () => {
  it('is stopped with no servers or only stopped ones', () => {
    expect(aggregateTrayState(snapshot())).toBe('stopped');
    expect(aggregateTrayState(snapshot(server('a', 'stopped'), server('b', 'stopped')))).toBe('stopped');
  });

  it('is ready when at least one server is ready and none is failing or on its way up', () => {
    expect(aggregateTrayState(snapshot(server('a', 'ready'), server('b', 'stopped')))).toBe('ready');
  });

  it.each(['starting', 'restarting', 'backoff'] as const)('is restarting while a server is %s', (state) => {
    expect(aggregateTrayState(snapshot(server('a', 'ready'), server('b', state)))).toBe('restarting');
  });

  it('is failed as soon as one server failed, whatever the others do', () => {
    const s = snapshot(server('a', 'ready'), server('b', 'backoff'), server('c', 'failed'));
    expect(aggregateTrayState(s)).toBe('failed');
  });

  it('is not coloured by a server waiting for a secret (the summary tells it)', () => {
    expect(aggregateTrayState(snapshot(server('a', 'ready'), server('b', 'needs-secret')))).toBe('ready');
    expect(aggregateTrayState(snapshot(server('b', 'needs-secret')))).toBe('stopped');
  });

  it('is not coloured by a server waiting for a sign-in either', () => {
    expect(aggregateTrayState(snapshot(server('a', 'ready'), server('b', 'needs-auth')))).toBe('ready');
    expect(aggregateTrayState(snapshot(server('b', 'needs-auth')))).toBe('stopped');
  });

  it('ignores disabled servers', () => {
    const off = { enabled: false };
    expect(aggregateTrayState(snapshot(server('a', 'ready'), server('b', 'failed', off)))).toBe('ready');
    expect(aggregateTrayState(snapshot(server('b', 'starting', off)))).toBe('stopped');
  });
});

describe('trayTooltip', () => {
  it('counts ready servers and names the failed and restarting ones', () => {
    const s = snapshot(
      server('a', 'ready'),
      server('b', 'ready'),
      server('c', 'ready'),
      server('d', 'failed'),
    );
    expect(trayTooltip(s)).toBe('Switchboard — 3 of 4 servers ready, 1 failed');
    const t = snapshot(server('a', 'ready'), server('b', 'backoff'), server('c', 'starting'));
    expect(trayTooltip(t)).toBe('Switchboard — 1 of 3 servers ready, 2 restarting');
  });

  it('counts the servers waiting for a secret, in the singular for one, disabled ones aside', () => {
    const one = snapshot(server('a', 'ready'), server('b', 'needs-secret'), server('c', 'failed'));
    expect(trayTooltip(one)).toBe('Switchboard — 1 of 3 servers ready, 1 failed, 1 needs a secret');
    const two = snapshot(
      server('a', 'needs-secret'),
      server('b', 'needs-secret'),
      server('c', 'starting'),
      server('d', 'needs-secret', { enabled: false }),
    );
    expect(traySummary(two)).toBe('0 of 3 servers ready, 2 need a secret, 1 restarting, 1 disabled');
  });

  it('counts the servers waiting for a sign-in, apart from those waiting for a secret', () => {
    const one = snapshot(server('a', 'ready'), server('b', 'needs-auth'), server('c', 'needs-secret'));
    expect(trayTooltip(one)).toBe('Switchboard — 1 of 3 servers ready, 1 needs a secret, 1 needs sign-in');
    const two = snapshot(
      server('a', 'needs-auth'),
      server('b', 'needs-auth'),
      server('c', 'failed'),
      server('d', 'needs-auth', { enabled: false }),
    );
    expect(traySummary(two)).toBe('0 of 3 servers ready, 1 failed, 2 need sign-in, 1 disabled');
  });

  it('says so when there are no servers', () => {
    expect(trayTooltip(snapshot())).toBe('Switchboard — no servers configured');
  });

  it('uses the singular for one server and counts disabled ones apart', () => {
    const s = snapshot(server('a', 'ready'), server('b', 'ready', { enabled: false }));
    expect(traySummary(s)).toBe('1 of 1 server ready, 1 disabled');
    expect(traySummary(snapshot(server('b', 'stopped', { enabled: false })))).toBe('all 1 server disabled');
  });

  it('mentions a broken config file', () => {
    const s: EngineSnapshot = {
      servers: [server('a', 'ready')],
      configProblems: [{ path: 'servers.a.command', message: 'required' }],
      pendingApprovals: 0,
    };
    expect(trayTooltip(s)).toBe('Switchboard — 1 of 1 server ready; config file has errors');
  });

  it('mentions tools that wait for approval, in the singular for one', () => {
    const s = { ...snapshot(server('a', 'ready')), pendingApprovals: 2 };
    expect(trayTooltip(s)).toBe('Switchboard — 1 of 1 server ready; 2 tools wait for approval');
    expect(trayTooltip({ ...s, pendingApprovals: 1 })).toBe(
      'Switchboard — 1 of 1 server ready; 1 tool waits for approval',
    );
    expect(trayTooltip({ ...s, pendingApprovals: 0 })).toBe('Switchboard — 1 of 1 server ready');
  });
});

describe('approvalsLine', () => {
  it('says how many tools wait, and nothing when none do or the count is missing', () => {
    const base = snapshot();
    expect(approvalsLine({ ...base, pendingApprovals: 12 })).toBe('12 tools wait for approval');
    expect(approvalsLine({ ...base, pendingApprovals: 1 })).toBe('1 tool waits for approval');
    expect(approvalsLine({ ...base, pendingApprovals: 0 })).toBeUndefined();
    expect(
      approvalsLine({ servers: [], configProblems: undefined } as unknown as typeof base),
    ).toBeUndefined();
  });
});

describe('trayIconFile', () => {
  it('uses PNGs on Linux, template images on macOS and ICOs on Windows', () => {
    expect(trayIconFile('failed', 'linux')).toBe('tray-failed.png');
    expect(trayIconFile('ready', 'darwin')).toBe('tray-readyTemplate.png');
    expect(trayIconFile('restarting', 'win32')).toBe('tray-restarting.ico');
    expect(trayIconFile('stopped', 'freebsd')).toBe('tray-stopped.png');
  });
});
