import { isDeepStrictEqual } from 'node:util';
import { SERVER_NAME_PATTERN, serverConfigSchema } from '../../shared/config.js';
import type { ImportChoice, ImportPlanDto, ImportServerPlanDto } from '../../shared/clients.js';
import { PARSE_OPTIONS } from '../../shared/config-errors.js';
import { secretHint } from '../secrets/secret-store.js';
import { isBridgeEntry } from './client-catalog.js';
import type { ClientDocument } from './client-document.js';
import { ClientError } from './client-error.js';
import { translateEntry, type TranslateContext } from './entry-translate.js';
import { findSecretCandidates } from './secret-candidates.js';

export interface ImportRequest {
  choices: Readonly<Record<string, ImportChoice>>;
  moveSecrets: boolean;
}

/** What an import writes: entries for Switchboard's config and values for the keyring. */
export interface ImportWrites {
  servers: Record<string, Record<string, unknown>>;
  secrets: Map<string, string>;
  /** Secrets asked to move that could not (`server: env.KEY`): the keyring cannot be reached. */
  unmoved: string[];
  /** Why the keyring cannot be reached, when it cannot. */
  keyringProblem?: string | undefined;
}

export interface ImportPlan {
  dto: ImportPlanDto;
  writes: ImportWrites;
}

/** Reads a secret's current value, to reuse a name that holds the same value (undefined: free). */
export type SecretLookup = (name: string) => Promise<string | undefined>;

/**
 * Works out what importing a client's servers does, without doing it: each server's Switchboard
 * entry, its name (conflicts resolved by the person's choices; skip when there is no choice), and
 * the credentials that go to the keyring. The same plan is shown (preview) and carried out (apply).
 */
export async function planImport(
  doc: ClientDocument,
  ctx: TranslateContext,
  existing: Readonly<Record<string, unknown>>,
  request: ImportRequest,
  lookupSecret: SecretLookup,
): Promise<ImportPlan> {
  const bridges: string[] = [];
  const servers: ImportServerPlanDto[] = [];
  const writes: ImportWrites = { servers: {}, secrets: new Map(), unmoved: [] };
  const taken = new Set(Object.keys(existing));
  const keyring = new KeyringReader(lookupSecret);
  for (const [name, entry] of Object.entries(doc.servers)) {
    if (isBridgeEntry(entry)) {
      bridges.push(name);
      continue;
    }
    const translated = translateEntry(entry, doc.spec.dialect, ctx);
    const base = serverName(name);
    const notes = [...translated.notes];
    if (base !== name) notes.push(`"${name}" is not a valid server name here; it becomes "${base}"`);
    if (!translated.config) {
      const skipped = { name, as: base, action: 'skip', conflict: 'none', config: {} } as const;
      servers.push({ ...skipped, secrets: [], inClear: [], notes });
      continue;
    }
    const choice = request.choices[name];
    const current = existing[base] ?? writes.servers[base];
    let conflict: ImportServerPlanDto['conflict'] =
      current === undefined ? 'none' : await compareEntries(current, translated.config, writes, lookupSecret);
    let as = base;
    if (conflict !== 'same' && choice === undefined) {
      // Imported before under another name (a rename): that server is this entry.
      const elsewhere = await sameElsewhere(existing, base, translated.config, writes, lookupSecret);
      if (elsewhere !== undefined) {
        [conflict, as] = ['same', elsewhere];
        notes.push(`already in Switchboard as "${elsewhere}"`);
      }
    }
    let action = choice?.action ?? (conflict === 'none' ? 'add' : 'skip');
    if (action === 'add' && conflict !== 'none') {
      throw new ClientError(
        'conflict',
        `a server named "${base}" exists already; for "${name}" choose skip, rename or replace`,
      );
    }
    if (action === 'replace' && conflict === 'none') action = 'add';
    if (action === 'rename') {
      as = choice?.as?.trim() || freeName(base, doc.spec.id, taken);
      checkNewName(as, name, taken);
    }
    if (conflict === 'different' && choice === undefined) {
      notes.push(`Switchboard has a different "${base}": choose rename to keep both, or replace`);
    }
    const moved = await moveSecrets(
      as,
      translated.config,
      request.moveSecrets && action !== 'skip',
      writes.secrets,
      keyring,
    );
    if (action !== 'skip') notes.push(...moved.notes); // nothing of a skipped server is written
    if (action !== 'skip') writes.unmoved.push(...moved.unmoved.map((at) => `${as}: ${at}`));
    const inClear = action === 'skip' ? [] : moved.inClear;
    servers.push({ name, as, action, conflict, config: moved.shown, secrets: moved.secrets, inClear, notes });
    if (action === 'skip') continue;
    taken.add(as);
    writes.servers[as] = moved.config;
    for (const [secret, value] of moved.values) writes.secrets.set(secret, value);
  }
  writes.keyringProblem = keyring.problem;
  const dto: ImportPlanDto = {
    client: doc.spec.id,
    file: doc.file,
    servers,
    bridges,
    moveSecrets: request.moveSecrets && keyring.problem === undefined,
    applied: false,
  };
  return { dto, writes };
}

/** The name of another Switchboard server that runs the same thing as the imported entry, if any. */
async function sameElsewhere(
  existing: Readonly<Record<string, unknown>>,
  base: string,
  proposed: Record<string, unknown>,
  writes: ImportWrites,
  lookupSecret: SecretLookup,
): Promise<string | undefined> {
  for (const [name, entry] of Object.entries(existing)) {
    if (name === base) continue;
    if ((await compareEntries(entry, proposed, writes, lookupSecret)) === 'same') return name;
  }
  return undefined;
}

/**
 * Whether Switchboard's entry of that name runs the same thing as the imported one: compared with
 * its `${secret:...}` references filled in, so a server imported before (secrets moved) is "same".
 */
async function compareEntries(
  current: unknown,
  proposed: Record<string, unknown>,
  writes: ImportWrites,
  lookupSecret: SecretLookup,
): Promise<'same' | 'different'> {
  const filled = await fillSecretReferences(current, writes.secrets, lookupSecret);
  const a = serverConfigSchema.safeParse(filled, PARSE_OPTIONS);
  const b = serverConfigSchema.safeParse(proposed, PARSE_OPTIONS);
  return a.success && b.success && isDeepStrictEqual(a.data, b.data) ? 'same' : 'different';
}

async function fillSecretReferences(
  entry: unknown,
  planned: ReadonlyMap<string, string>,
  lookupSecret: SecretLookup,
): Promise<unknown> {
  if (typeof entry !== 'object' || entry === null) return entry;
  const copy = structuredClone(entry) as Record<string, unknown>;
  for (const field of ['env', 'headers']) {
    const record = copy[field];
    if (typeof record !== 'object' || record === null) continue;
    for (const [key, value] of Object.entries(record as Record<string, unknown>)) {
      if (typeof value !== 'string' || !value.includes('${secret:')) continue;
      let text = value;
      for (const match of value.matchAll(/\$\{secret:([^}]+)\}/g)) {
        const found = planned.get(match[1]!) ?? (await lookupSecret(match[1]!).catch(() => undefined));
        if (found !== undefined) text = text.replace(match[0], found);
      }
      (record as Record<string, unknown>)[key] = text;
    }
  }
  return copy;
}

/**
 * The keyring as a plan reads it. Once it cannot be reached, credentials stay in the entry as they
 * were (they sat in the client's file in clear already) and the plan says so, rather than failing the
 * whole import on a machine without a Secret Service.
 */
class KeyringReader {
  problem: string | undefined;
  private told = false;

  constructor(private readonly lookup: SecretLookup) {}

  /** `{ value }` (undefined: not set), or undefined when the keyring cannot be reached. */
  async read(name: string): Promise<{ value: string | undefined } | undefined> {
    if (this.problem !== undefined) return undefined;
    try {
      return { value: await this.lookup(name) };
    } catch (err) {
      this.problem = (err as Error).message;
      return undefined;
    }
  }

  /** The note for a value that stays: the whole reason the first time, a pointer after that. */
  stays(at: string): string {
    if (this.told) return `${at} stays in the config file as it is (the OS keyring cannot be reached)`;
    this.told = true;
    return `${at} stays in the config file as it is: the OS keyring cannot be reached (${this.problem}). Once it can, move values with \`switchboard secret set NAME\` and \${secret:NAME} references`;
  }
}

/** A client's name in the characters Switchboard's names allow: each run of others becomes "-". */
export function serverName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return cleaned === '' ? 'server' : cleaned;
}

function freeName(base: string, client: string, taken: ReadonlySet<string>): string {
  const stem = `${base.slice(0, 48)}-${client.split('-')[0]}`;
  for (let n = 1; n < 100; n++) {
    const name = n === 1 ? stem : `${stem}-${n}`;
    if (!taken.has(name)) return name;
  }
  throw new ClientError('conflict', `no free name for "${base}"; pick one with rename`);
}

function checkNewName(as: string, name: string, taken: ReadonlySet<string>): void {
  if (!SERVER_NAME_PATTERN.test(as)) {
    throw new ClientError(
      'conflict',
      `"${as}" (for "${name}") is not a valid server name: letters, digits, "-", "_" and "." (at most 64), starting with a letter or digit`,
    );
  }
  if (taken.has(as))
    throw new ClientError('conflict', `"${as}" (for "${name}") is taken already; pick another name`);
}

interface MovedSecrets {
  /** The entry to write. */
  config: Record<string, unknown>;
  /** The entry to show: references where secrets move, hints where they stay. */
  shown: Record<string, unknown>;
  secrets: ImportServerPlanDto['secrets'];
  values: Map<string, string>;
  notes: string[];
  /** Where a value that looks like a secret stays in the entry as it is (asked to, or no keyring). */
  inClear: string[];
  /** Where a secret asked to move stays, for want of a keyring. */
  unmoved: string[];
}

/** Puts `${secret:NAME}` where credentials were; a name already holding another value gets a suffix. */
async function moveSecrets(
  server: string,
  config: Record<string, unknown>,
  move: boolean,
  planned: ReadonlyMap<string, string>,
  keyring: KeyringReader,
): Promise<MovedSecrets> {
  const out: MovedSecrets = {
    config: structuredClone(config),
    shown: structuredClone(config),
    secrets: [],
    values: new Map(),
    notes: [],
    inClear: [],
    unmoved: [],
  };
  for (const candidate of findSecretCandidates(server, config)) {
    const hint = secretHint(candidate.value) ?? '…';
    const secret = move
      ? await freeSecretName(candidate.proposedName, candidate.value, planned, out.values, keyring)
      : undefined;
    if (secret === undefined) {
      candidate.put(out.shown, candidate.withReference(hint));
      out.notes.push(
        move
          ? keyring.stays(candidate.at)
          : `${candidate.at} looks like a secret and stays in the config file as it is`,
      );
      out.inClear.push(candidate.at);
      if (move) out.unmoved.push(candidate.at);
      continue;
    }
    const ref = `\${secret:${secret}}`;
    candidate.put(out.config, candidate.withReference(ref));
    candidate.put(out.shown, candidate.withReference(ref));
    out.secrets.push({ at: candidate.at, secret, hint });
    out.values.set(secret, candidate.value);
  }
  return out;
}

/**
 * The proposed keyring name, or NAME-2, NAME-3, ... when one holds another value (the same value is
 * reused); undefined when the keyring cannot be reached.
 */
async function freeSecretName(
  proposed: string,
  value: string,
  planned: ReadonlyMap<string, string>,
  ours: ReadonlyMap<string, string>,
  keyring: KeyringReader,
): Promise<string | undefined> {
  for (let n = 1; n < 100; n++) {
    const name = n === 1 ? proposed : `${proposed}-${n}`;
    let holder = planned.get(name) ?? ours.get(name);
    if (holder === undefined) {
      const stored = await keyring.read(name);
      if (!stored) return undefined;
      holder = stored.value;
    }
    if (holder === undefined || holder === value) return name;
  }
  return undefined;
}
