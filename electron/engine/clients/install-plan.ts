import { createTwoFilesPatch } from 'diff';
import type { InstallMode, InstallPlanDto } from '../../shared/clients.js';
import { secretHint } from '../secrets/secret-store.js';
import { isBridgeEntry, type BridgeCommand } from './client-catalog.js';
import { editServers, type ClientDocument } from './client-document.js';
import { translateEntry, type TranslateContext } from './entry-translate.js';
import { planImport, type ImportRequest, type ImportWrites, type SecretLookup } from './import-plan.js';
import { findSecretCandidates } from './secret-candidates.js';

export interface InstallPlan {
  dto: InstallPlanDto;
  /** The client's file as it will be written. */
  next: string;
  /** The client's servers Switchboard does not have yet: imported first, so `connect NAME` finds them. */
  imports: ImportWrites;
}

/** The name of the one entry of `aggregate` mode, unless the file has an aggregated entry already. */
const AGGREGATE_NAME = 'switchboard';

/**
 * Works out the client's file pointing at Switchboard: per server, each entry becomes
 * `switchboard connect NAME`; aggregated, the servers make way for one `switchboard connect --all`.
 * Servers Switchboard lacks are imported (credentials into the keyring). Entries that cannot run
 * through Switchboard stay as they are. Nothing is written here.
 */
export async function planInstall(
  doc: ClientDocument,
  ctx: TranslateContext,
  existing: Readonly<Record<string, unknown>>,
  {
    mode,
    moveSecrets,
    choices = {},
  }: { mode: InstallMode; moveSecrets: boolean; choices?: ImportRequest['choices'] },
  bridge: BridgeCommand,
  lookupSecret: SecretLookup,
): Promise<InstallPlan> {
  // Clashes are resolved as import resolves them, with the same default (skip: nothing is taken over).
  const imported = await planImport(doc, ctx, existing, { choices, moveSecrets }, lookupSecret);
  const byName = new Map(imported.dto.servers.map((server) => [server.name, server]));
  const edits = new Map<string, Record<string, unknown> | undefined>();
  const servers: InstallPlanDto['servers'] = [];
  const warnings: string[] = [];
  const secretValues: string[] = [];
  let aggregateName: string | undefined;
  for (const [name, entry] of Object.entries(doc.servers)) {
    if (isBridgeEntry(entry)) {
      const all = (entry as { args?: unknown }).args;
      if (mode === 'aggregate' && Array.isArray(all) && all.includes('--all')) aggregateName ??= name;
      else if (mode === 'aggregate') edits.set(name, undefined);
      servers.push({ name, action: 'already' });
      continue;
    }
    const planned = byName.get(name);
    const literal = translateEntry(entry, doc.spec.dialect, ctx).config;
    if (!planned || !literal) {
      warnings.push(
        `"${name}" cannot run through Switchboard (${planned?.notes.join('; ') ?? 'not readable'}); it stays as it is`,
      );
      continue;
    }
    secretValues.push(...findSecretCandidates(name, literal).map((candidate) => candidate.value));
    const { conflict, as } = planned;
    if (conflict === 'different' && planned.action === 'skip') {
      // Never point a client's entry at another server that happens to share its name.
      const note = `Switchboard has a different "${as}": this entry stays as it is; choose rename to import it under another name (or replace)`;
      servers.push({ name, action: 'keep', as, conflict, note });
      continue;
    }
    const importing = planned.action !== 'skip';
    const note = importing
      ? planned.action === 'replace'
        ? `replaces Switchboard's "${as}"`
        : `added to Switchboard as "${as}"`
      : as !== name
        ? `in Switchboard as "${as}"`
        : undefined;
    const shown = { as, conflict, ...(note ? { note } : {}) };
    if (mode === 'per-server') {
      edits.set(name, doc.spec.bridgeEntry(bridge, ['connect', as]));
      servers.push({ name, action: importing ? 'import' : 'bridge', ...shown });
    } else {
      edits.set(name, undefined);
      servers.push({ name, action: 'aggregate', ...shown });
    }
  }
  if (mode === 'aggregate')
    edits.set(aggregateName ?? AGGREGATE_NAME, doc.spec.bridgeEntry(bridge, ['connect', '--all']));
  const next = edits.size === 0 ? doc.text : editServers(doc, edits);
  const diff = next === doc.text ? '' : maskSecrets(unifiedDiff(doc, next), secretValues);
  return {
    dto: {
      client: doc.spec.id,
      file: doc.file,
      mode,
      createsFile: !doc.exists,
      diff,
      servers,
      warnings,
      applied: false,
    },
    next,
    imports: imported.writes,
  };
}

function unifiedDiff(doc: ClientDocument, next: string): string {
  const patch = createTwoFilesPatch(
    doc.file,
    doc.file,
    doc.text,
    next,
    doc.exists ? 'now' : '(new file)',
    'through Switchboard',
  );
  // jsdiff starts with an "Index:" line and a "====" rule above the ---/+++ headers.
  return patch.replace(/^Index: .*\r?\n=+\r?\n/, '');
}

/** The diff shows removed lines, which may hold tokens: they are shown as their hint only. */
function maskSecrets(diff: string, values: readonly string[]): string {
  let masked = diff;
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    masked = masked.split(value).join(`••••${secretHint(value)?.slice(1) ?? ''}`);
  }
  return masked;
}
