import type { ClientInfoDto, ImportPlanDto, InstallPlanDto } from '../shared/clients.js';

/** `switchboard clients`: found ones first, each with its file and what is in it. */
export function formatClients(clients: readonly ClientInfoDto[]): string {
  const found = clients.filter((c) => c.exists);
  const missing = clients.filter((c) => !c.exists);
  const lines: string[] = [];
  for (const client of found) {
    lines.push(`${client.id.padEnd(20)} ${client.file}`);
    if (client.problem) lines.push(`${''.padEnd(20)} cannot be read: ${client.problem}`);
    else {
      const parts = [
        client.servers.length > 0 ? `servers: ${client.servers.join(', ')}` : 'no servers of its own',
        client.bridges.length > 0 ? `through Switchboard: ${client.bridges.join(', ')}` : '',
      ].filter(Boolean);
      lines.push(`${''.padEnd(20)} ${parts.join('; ')}`);
    }
    if (client.installed) {
      const when = new Date(client.installed.at).toISOString();
      const changed = client.installed.changedSince ? ' (changed since: uninstall needs --force)' : '';
      lines.push(`${''.padEnd(20)} installed ${client.installed.mode} at ${when}${changed}`);
    }
  }
  if (missing.length > 0) lines.push('', `Not found: ${missing.map((c) => c.id).join(', ')}`);
  if (found.length === 0) lines.unshift('No AI client config found on this machine.');
  return `${lines.join('\n')}\n`;
}

const MARK: Record<ImportPlanDto['servers'][number]['action'], string> = {
  add: '+',
  rename: '+',
  replace: '*',
  skip: '-',
};

/** `switchboard import`: one block per server, then what happened (or would, for --dry-run). */
export function formatImport(plan: ImportPlanDto): string {
  const lines = [`From ${plan.file}:`];
  for (const server of plan.servers) {
    const named = server.as === server.name ? server.name : `${server.name} as ${server.as}`;
    const why =
      server.action === 'skip'
        ? server.conflict === 'same'
          ? 'skipped: Switchboard has the same server'
          : server.conflict === 'different'
            ? 'skipped: Switchboard has a different one (--on-conflict rename|replace)'
            : 'skipped'
        : server.action === 'replace'
          ? "replaces Switchboard's"
          : 'added';
    lines.push(`  ${MARK[server.action]} ${named}: ${what(server.config)} (${why})`);
    for (const secret of server.secrets) {
      lines.push(`      ${secret.at} → keyring secret ${secret.secret} (${secret.hint})`);
    }
    for (const note of server.notes) lines.push(`      note: ${note}`);
  }
  for (const bridge of plan.bridges)
    lines.push(`  = ${bridge}: already goes through Switchboard (not imported)`);
  if (plan.servers.length === 0 && plan.bridges.length === 0) lines.push('  (no servers)');
  const adding = plan.servers.filter((s) => s.action !== 'skip');
  const secrets = adding.reduce((n, s) => n + s.secrets.length, 0);
  const count = `${adding.length} server${adding.length === 1 ? '' : 's'}`;
  const keyring =
    secrets > 0 ? `, ${secrets} secret value${secrets === 1 ? '' : 's'} into the OS keyring` : '';
  lines.push(
    plan.applied
      ? `Imported ${count}${keyring}.`
      : `Dry run: nothing was written. Without --dry-run: ${count}${keyring}.`,
  );
  return `${lines.join('\n')}\n`;
}

function what(config: Record<string, unknown>): string {
  if (typeof config.url === 'string') return `${String(config.type)} ${config.url}`;
  if (typeof config.command === 'string') {
    const args = Array.isArray(config.args) ? (config.args as string[]) : [];
    return [config.command, ...args].join(' ');
  }
  return 'nothing to run';
}

const ACTION: Record<InstallPlanDto['servers'][number]['action'], string> = {
  bridge: 'now through Switchboard',
  import: 'imported, then through Switchboard',
  already: 'already through Switchboard',
  aggregate: 'served by the one Switchboard entry',
  keep: 'left as it is',
};

/** `switchboard install`: the diff, what happens to each server, then what was done. */
export function formatInstall(plan: InstallPlanDto): string {
  const lines: string[] = [];
  if (plan.diff === '') lines.push(`${plan.file}: nothing to change.`);
  else lines.push(plan.diff.trimEnd());
  for (const server of plan.servers) {
    lines.push(`  ${server.name}: ${ACTION[server.action]}${server.note ? ` (${server.note})` : ''}`);
  }
  for (const warning of plan.warnings) lines.push(`  warning: ${warning}`);
  if (plan.diff !== '') {
    lines.push(
      plan.applied
        ? `Wrote ${plan.file}; the original is kept (undo: switchboard uninstall ${plan.client}). Restart the client to pick it up.`
        : 'Dry run: nothing was written.',
    );
  }
  return `${lines.join('\n')}\n`;
}
