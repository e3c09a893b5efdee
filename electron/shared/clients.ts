import { z } from 'zod';

/**
 * AI clients whose MCP config Switchboard reads (import) and rewrites (install). The renderer
 * imports this file: it must import nothing from node or from electron/engine.
 */
export const CLIENT_IDS = [
  'claude-desktop',
  'claude-code',
  'claude-code-project',
  'cursor',
  'cursor-project',
  'vscode',
  'vscode-workspace',
  'windsurf',
  'cline',
  'gemini',
  'gemini-project',
  'codex',
] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

export const clientIdSchema = z.enum(CLIENT_IDS, {
  error: `the client is one of: ${CLIENT_IDS.join(', ')}`,
});

export const INSTALL_MODES = ['per-server', 'aggregate'] as const;
export type InstallMode = (typeof INSTALL_MODES)[number];

/** What a client's file looks like now. */
export const clientInfoSchema = z.object({
  id: clientIdSchema,
  /** For people: "Claude Desktop", "Cursor (project)". */
  name: z.string(),
  /** `user`: one file per person; `project`: a file inside a project folder. */
  scope: z.enum(['user', 'project']),
  file: z.string(),
  exists: z.boolean(),
  /** Its servers that do not go through Switchboard yet. */
  servers: z.array(z.string()),
  /** Its entries that already go through Switchboard (`switchboard connect ...`). */
  bridges: z.array(z.string()),
  /** Why the file cannot be read, and what to do. */
  problem: z.string().optional(),
  /** Set while Switchboard's install is in place (and undoable). */
  installed: z
    .object({
      mode: z.enum(INSTALL_MODES),
      at: z.number(),
      /** The file was changed after the install: undo would drop those changes. */
      changedSince: z.boolean(),
    })
    .optional(),
});

/** What to do with one of the client's servers on import. */
export const importChoiceSchema = z.object({
  action: z.enum(['add', 'skip', 'rename', 'replace']),
  /** The new name, for `rename` (a free one is proposed when left out). */
  as: z.string().optional(),
});

/** Where to find the client's file: `project` for project clients (default: the engine's folder). */
export const clientTargetSchema = z.object({
  client: clientIdSchema,
  project: z.string().min(1).optional(),
});

export const importInputSchema = clientTargetSchema.extend({
  /** Per server name in the client; servers left out get the default (add, or skip on a conflict). */
  choices: z.record(z.string(), importChoiceSchema).default({}),
  /** Move values that look like secrets into the OS keyring as `${secret:NAME}`. */
  moveSecrets: z.boolean().default(true),
});

export const secretMoveSchema = z.object({
  /** Where in the entry: `env.GITHUB_TOKEN`, `headers.Authorization`. */
  at: z.string(),
  /** The keyring name it gets (or has already, with the same value). */
  secret: z.string(),
  /** The last 4 characters, never the value. */
  hint: z.string(),
});

export const importServerPlanSchema = z.object({
  /** Its name in the client. */
  name: z.string(),
  /** Its name in Switchboard. */
  as: z.string(),
  action: z.enum(['add', 'skip', 'rename', 'replace']),
  /** How Switchboard's server of the same name compares: none, same config, or a different one. */
  conflict: z.enum(['none', 'same', 'different']),
  /** The entry as it will be written (secret values shown as references or masked, never in clear). */
  config: z.record(z.string(), z.unknown()),
  secrets: z.array(secretMoveSchema),
  /** Where values that look like secrets stay in Switchboard's config file as they are (`env.TOKEN`). */
  inClear: z.array(z.string()),
  /** What does not carry over, and anything to do after. */
  notes: z.array(z.string()),
});

export const importPlanSchema = z.object({
  client: clientIdSchema,
  file: z.string(),
  servers: z.array(importServerPlanSchema),
  /** Entries that already go through Switchboard: never imported (that would loop). */
  bridges: z.array(z.string()),
  moveSecrets: z.boolean(),
  /** True once written (the answer of `importClient`), false for a preview. */
  applied: z.boolean(),
});

export const installInputSchema = clientTargetSchema.extend({
  mode: z.enum(INSTALL_MODES).default('per-server'),
  /**
   * Per server name in the client, for a clash with a different Switchboard server of that name
   * (as for import): skip (the default) leaves the client's entry as it is; rename imports it under
   * a new name and points the entry there; replace overwrites Switchboard's.
   */
  choices: z.record(z.string(), importChoiceSchema).optional(),
  /** For servers imported on the way: move their credentials into the OS keyring. */
  moveSecrets: z.boolean().default(true),
});

export const installServerPlanSchema = z.object({
  name: z.string(),
  /**
   * bridge: now through Switchboard; import: added to Switchboard first; already: was through it;
   * keep: left as it is (it clashes with a different Switchboard server and nothing was chosen).
   */
  action: z.enum(['bridge', 'import', 'already', 'aggregate', 'keep']),
  /** The Switchboard server the entry reaches (for bridge, import and aggregate). */
  as: z.string().optional(),
  /** How the entry compares with Switchboard's server of the same name. */
  conflict: z.enum(['none', 'same', 'different']).optional(),
  note: z.string().optional(),
});

export const installPlanSchema = z.object({
  client: clientIdSchema,
  file: z.string(),
  mode: z.enum(INSTALL_MODES),
  /** The file does not exist yet (install creates it; undo deletes it). */
  createsFile: z.boolean(),
  /** A unified diff of the client's file, with secret values masked. Empty: nothing changes. */
  diff: z.string(),
  servers: z.array(installServerPlanSchema),
  warnings: z.array(z.string()),
  applied: z.boolean(),
});

export const uninstallInputSchema = clientTargetSchema.extend({
  /** Restore even though the file changed after the install (the current one is kept aside). */
  force: z.boolean().default(false),
  /** Say what the undo would do, and do nothing. */
  dryRun: z.boolean().optional(),
});

export const uninstallResultSchema = z.object({
  client: clientIdSchema,
  file: z.string(),
  /** restored: the original bytes are back; deleted: there was no file before the install. */
  outcome: z.enum(['restored', 'deleted']),
  /** Where the file as it was before the undo was kept, when it had changed since the install. */
  keptAs: z.string().optional(),
  /** Nothing was done: this is what the undo would do. */
  dryRun: z.boolean().optional(),
});

export type ClientInfoDto = z.output<typeof clientInfoSchema>;
export type ImportChoice = z.output<typeof importChoiceSchema>;
export type ImportPlanDto = z.output<typeof importPlanSchema>;
export type ImportServerPlanDto = z.output<typeof importServerPlanSchema>;
export type InstallPlanDto = z.output<typeof installPlanSchema>;
export type UninstallResultDto = z.output<typeof uninstallResultSchema>;
export type ImportInput = z.output<typeof importInputSchema>;
export type InstallInput = z.output<typeof installInputSchema>;
export type UninstallInput = z.output<typeof uninstallInputSchema>;

/** How a client reaches a server (or all) through Switchboard; see `getConnectInfo`. */
export const connectInfoSchema = z.object({
  /** The Streamable HTTP endpoint (absent when the engine does not listen on HTTP). */
  http: z.string().optional(),
  /** The stdio bridge, as a command line: what a client runs (absolute paths). */
  command: z.array(z.string()),
  /** For each common client, its servers block with the entry, ready to paste into `file`. */
  snippets: z.array(
    z.object({ client: clientIdSchema, name: z.string(), file: z.string(), text: z.string() }),
  ),
});
export type ConnectInfoDto = z.output<typeof connectInfoSchema>;
