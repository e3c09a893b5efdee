import { SERVER_NAME_PATTERN } from '../../../../electron/shared/config.js';
import { formatProblems } from '../../../../electron/shared/config-errors.js';
import { checkEntry, NAME_RULE } from './form-problems.js';
import { typeOf, type Entry, type ServerType } from './form-model.js';

/**
 * Pasted JSON into server entries. Three shapes are accepted, as people copy them from Claude
 * Desktop, Cursor or a README: `{"mcpServers": {...}}`, a map of name → entry, or one bare entry
 * (`{"command": ...}`), which then needs a name from the person.
 */
export interface PastedServer {
  name: string;
  entry: Entry;
  type: ServerType | undefined;
  /** The command line or the URL, for the preview. */
  target: string;
  /** Why it cannot be added (name and schema); empty when it can. */
  problems: string[];
}

export type PasteResult =
  | { kind: 'empty' }
  | { kind: 'error'; message: string }
  | { kind: 'servers'; bare: boolean; servers: PastedServer[] };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An entry on its own: it says how to run or reach a server. */
const isBareEntry = (value: Record<string, unknown>) =>
  'command' in value || 'url' in value || typeof value.type === 'string';

/** JSON.parse's message, with the line and column when it gives only a position. */
export function describeJsonError(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const at = /position (\d+)/.exec(message);
  if (!at || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${String(line)}, column ${String(column)})`;
}

function describe(name: string, value: unknown, checkName: boolean): PastedServer {
  if (!isObject(value)) {
    return {
      name,
      entry: {},
      type: undefined,
      target: '',
      problems: ['must be an object with "command" or "url"'],
    };
  }
  const problems: string[] = [];
  if (name === '') problems.push('needs a name: fill in "Server name"');
  else if (checkName && !SERVER_NAME_PATTERN.test(name)) problems.push(`the name must ${NAME_RULE}`);
  const schemaProblems = checkEntry(value);
  if (schemaProblems.length > 0) problems.push(...formatProblems(schemaProblems).split('\n'));
  const args = Array.isArray(value.args) ? value.args.filter((a) => typeof a === 'string') : [];
  const target =
    typeof value.command === 'string'
      ? [value.command, ...args].join(' ')
      : typeof value.url === 'string'
        ? value.url
        : '';
  return { name, entry: value, type: typeOf(value), target, problems };
}

/** What the pasted text holds; `bareName` names a bare entry. */
export function parsePaste(text: string, bareName: string): PasteResult {
  if (text.trim() === '') return { kind: 'empty' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { kind: 'error', message: describeJsonError(text, err) };
  }
  if (!isObject(parsed)) {
    return {
      kind: 'error',
      message: 'Paste a JSON object: {"mcpServers": {...}}, {"name": {...}} or one entry.',
    };
  }
  if (isBareEntry(parsed)) {
    return { kind: 'servers', bare: true, servers: [describe(bareName.trim(), parsed, true)] };
  }
  const map = 'mcpServers' in parsed ? parsed.mcpServers : parsed;
  if (!isObject(map)) return { kind: 'error', message: '"mcpServers" must be an object of name → server.' };
  const servers = Object.entries(map).map(([name, value]) => describe(name, value, true));
  if (servers.length === 0) return { kind: 'error', message: 'There are no servers in it.' };
  return { kind: 'servers', bare: false, servers };
}
