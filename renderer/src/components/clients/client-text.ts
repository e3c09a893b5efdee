import type {
  ImportServerPlanDto,
  InstallMode,
  InstallPlanDto,
} from '../../../../electron/shared/clients.js';
import { BridgeError } from '../../bridge/bridge.js';

/** Words for the client page's codes, in one place so the card, the panels and the tests agree. */

export const MODE_LABEL: Record<InstallMode, string> = {
  'per-server': 'one entry per server',
  aggregate: 'one entry for all servers',
};

export const CONFLICT_LABEL: Record<ImportServerPlanDto['conflict'], string> = {
  none: 'none',
  same: 'same config in Switchboard',
  different: 'a different server of this name',
};

export const ACTION_LABEL: Record<ImportServerPlanDto['action'], string> = {
  add: 'Add',
  skip: 'Skip',
  rename: 'Rename',
  replace: "Replace Switchboard's",
};

export const INSTALL_ACTION_LABEL: Record<InstallPlanDto['servers'][number]['action'], string> = {
  bridge: 'goes through Switchboard',
  import: 'added to Switchboard first, then goes through it',
  already: 'already through Switchboard',
  aggregate: "served by Switchboard's one entry",
  keep: 'stays as it is',
};

/** What a clash with a different Switchboard server of the same name can become on install. */
export const CLASH_CHOICE_LABEL: Record<'skip' | 'rename' | 'replace', string> = {
  skip: "Leave the client's entry as it is",
  rename: 'Import it under another name, and use that',
  replace: "Replace Switchboard's server with it",
};

/** A date and time a person reads, for "installed on …". */
export function formatWhen(at: number): string {
  return new Date(at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** "…abcd": the engine sends the last 4 characters; an engine that adds the ellipsis is not doubled. */
export function hintText(hint: string): string {
  return hint.startsWith('…') ? hint : `…${hint}`;
}

/** The engine's words, with the field problems of an invalid input after them. */
export function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (!(err instanceof BridgeError) || err.problems.length === 0) return message;
  return `${message} (${err.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')})`;
}

/**
 * Undo refused because the file was edited after the install: the one refusal a person may override
 * (the engine keeps the current file aside). Recognised by its words, as the API has no code for it.
 */
export function isChangedSinceRefusal(err: unknown): boolean {
  return err instanceof Error && /\bchanged (after|since)\b/i.test(err.message);
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
