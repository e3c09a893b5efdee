import type { EngineSnapshot, ServerSnapshot } from '../../shared/state-view.js';

/** What the tray icon shows: one state for all servers together. */
export type TrayState = 'ready' | 'restarting' | 'failed' | 'stopped';
export const TRAY_STATES: readonly TrayState[] = ['ready', 'restarting', 'failed', 'stopped'];

/** A server still on its way up (or back up) counts as restarting. */
export function isTransitional(server: ServerSnapshot): boolean {
  return server.state === 'starting' || server.state === 'restarting' || server.state === 'backoff';
}

/** Disabled servers are the user's choice, so they never colour the icon. */
export function aggregateTrayState(snapshot: EngineSnapshot): TrayState {
  const enabled = snapshot.servers.filter((s) => s.enabled);
  if (enabled.some((s) => s.state === 'failed')) return 'failed';
  if (enabled.some(isTransitional)) return 'restarting';
  if (enabled.some((s) => s.state === 'ready')) return 'ready';
  return 'stopped';
}

/**
 * One line on all servers, e.g. "3 of 5 servers ready, 1 failed, 1 needs a secret" (the tooltip and
 * the menu header). A server waiting for a secret or a sign-in leaves the icon alone (it is not
 * failing, and it starts by itself once the secret is set or the person has signed in) but is always
 * counted here.
 */
export function traySummary(snapshot: EngineSnapshot): string {
  const { servers } = snapshot;
  if (servers.length === 0) return withConfigProblems('no servers configured', snapshot);
  const enabled = servers.filter((s) => s.enabled);
  const disabled = servers.length - enabled.length;
  if (enabled.length === 0) {
    return withConfigProblems(`all ${plural(servers.length, 'server')} disabled`, snapshot);
  }
  const count = (keep: (s: ServerSnapshot) => boolean): number => enabled.filter(keep).length;
  const parts = [`${count((s) => s.state === 'ready')} of ${plural(enabled.length, 'server')} ready`];
  const failed = count((s) => s.state === 'failed');
  const restarting = count(isTransitional);
  const needSecret = count((s) => s.state === 'needs-secret');
  const needSignIn = count((s) => s.state === 'needs-auth');
  if (failed > 0) parts.push(`${failed} failed`);
  if (needSecret > 0) parts.push(`${needSecret} ${needSecret === 1 ? 'needs' : 'need'} a secret`);
  if (needSignIn > 0) parts.push(`${needSignIn} ${needSignIn === 1 ? 'needs' : 'need'} sign-in`);
  if (restarting > 0) parts.push(`${restarting} restarting`);
  if (disabled > 0) parts.push(`${disabled} disabled`);
  return withConfigProblems(parts.join(', '), snapshot);
}

export function trayTooltip(snapshot: EngineSnapshot): string {
  const approvals = approvalsLine(snapshot);
  return `Switchboard — ${traySummary(snapshot)}${approvals ? `; ${approvals}` : ''}`;
}

/** "2 tools wait for approval" while the quarantine holds tools, else undefined. */
export function approvalsLine(snapshot: EngineSnapshot): string | undefined {
  const n = snapshot.pendingApprovals;
  // Older snapshots (and some tests) leave the count out: no count, nothing waits.
  if (!(n > 0)) return undefined;
  return n === 1 ? '1 tool waits for approval' : `${n} tools wait for approval`;
}

/**
 * The icon's file name in resources/. macOS gets template images (black + alpha, tinted by the
 * menu bar); Windows gets .ico files with both sizes; Electron picks the @2x PNGs itself elsewhere.
 */
export function trayIconFile(state: TrayState, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return `tray-${state}Template.png`;
  if (platform === 'win32') return `tray-${state}.ico`;
  return `tray-${state}.png`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function withConfigProblems(summary: string, snapshot: EngineSnapshot): string {
  return snapshot.configProblems?.length ? `${summary}; config file has errors` : summary;
}
