// The MCP conformance suite's client under test (scripts/conformance-client.mjs, every client scenario
// of the 2025-11-25 and 2026-07-28 requirement sets): Switchboard's own upstream (HttpUpstream) with
// its OAuth client (OAuthSession), exactly as the engine connects to a remote server, in whichever
// era the server speaks. Around it, this command does what a client of the gateway would: it calls
// what the server offers and answers what the server asks back (a 2025-11-25 server request, or a
// 2026-07-28 input-required result, which is retried with the answers). The "browser" is a fetch
// that follows the authorization page's redirect.
//   tsx test/conformance/engine-client.ts <server-url>
// Env: MCP_CONFORMANCE_SCENARIO, MCP_CONFORMANCE_CONTEXT (pre-registered client credentials, or the
// `toolCalls` to make instead of calling every listed tool).
import { systemClock } from '../../electron/engine/flow/clock.js';
import type { JsonRpcMessage } from '../../electron/engine/jsonrpc/messages.js';
import type { OAuthClientSettings } from '../../electron/engine/oauth/client-registration.js';
import { OAuthSession } from '../../electron/engine/oauth/oauth-session.js';
import { OAuthVault } from '../../electron/engine/oauth/oauth-vault.js';
import { isInputRequired } from '../../electron/engine/protocol/modern-era.js';
import { MemorySecretStore } from '../../electron/engine/secrets/secret-store.js';
import { HttpUpstream } from '../../electron/engine/upstream/http-upstream.js';
import { followAuthorization } from '../helpers/headless-browser.js';

/** The client ID metadata document the suite's authorization server knows (basic-cimd). */
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';
/** Rounds of one request before an input-required loop is given up (the suite's need three at most). */
const MAX_INPUT_ROUNDS = 5;
/**
 * The automatic sign-in runs inside the first request, the `server/discover` probe: with every
 * scenario's client starting at once the probe's usual 10 s bound is too short for it.
 */
const DISCOVER_TIMEOUT_MS = 40_000;
const CONNECT_TIMEOUT_MS = 60_000;
/**
 * A config header, as a person could set one: a connection per request. The suite serves every
 * scenario from one busy process, which lets an idle kept-alive socket time out under a request
 * already sent on it (ECONNRESET); a fresh connection cannot be caught that way.
 */
const HEADERS = { connection: 'close' };

type Schema = Record<string, unknown>;
interface ToolCall {
  name: string;
  arguments?: Record<string, unknown>;
}

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const context: Record<string, unknown> = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as Schema;
const log = (line: string) => process.stderr.write(`${line}\n`);

function oauthSettings(): OAuthClientSettings {
  const settings: OAuthClientSettings = { clientMetadataUrl: CLIENT_METADATA_URL };
  const id = context.client_id ?? context.clientId;
  const secret = context.client_secret ?? context.clientSecret;
  if (typeof id === 'string') settings.clientId = id;
  if (typeof secret === 'string') settings.clientSecret = secret;
  return settings;
}

/** A value a person could have typed for a field: its default, its first choice, or one of its type. */
function sampleValue(schema: unknown): unknown {
  if (!isObject(schema)) return 'conformance';
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  switch (schema.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'object':
      return sampleObject(schema, false);
    case 'array':
      return [];
    default:
      return 'conformance';
  }
}

/** The properties of an object schema filled in: the required ones, or (`all`) every one. */
function sampleObject(schema: unknown, all: boolean): Record<string, unknown> {
  const properties = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
  const required = isObject(schema) && Array.isArray(schema.required) ? schema.required : [];
  const names = Object.keys(properties).filter((name) => all || required.includes(name));
  return Object.fromEntries(names.map((name) => [name, sampleValue(properties[name])]));
}

/** What a person at the client answers to a server's question; undefined: a question it cannot. */
function answerQuestion(method: string | undefined, params: unknown): Record<string, unknown> | undefined {
  switch (method) {
    case 'elicitation/create':
      // Accepts, with every field filled in (its default where it has one).
      return { action: 'accept', content: sampleObject((params as Schema)?.requestedSchema, true) };
    case 'sampling/createMessage':
      return {
        role: 'assistant',
        content: { type: 'text', text: 'An answer from the conformance client.' },
        model: 'switchboard-conformance',
        stopReason: 'endTurn',
      };
    case 'roots/list':
      return { roots: [{ uri: 'file:///conformance', name: 'conformance' }] };
    default:
      return undefined;
  }
}

/**
 * One request, answered to the end: a 2026-07-28 input-required result is retried (under a new id,
 * the upstream's own) with the answers to its questions and its requestState as it came. Each
 * request's state stays with it.
 */
async function request(upstream: HttpUpstream, method: string, params: Schema): Promise<JsonRpcMessage> {
  let answer = await upstream.request(method, params);
  for (let round = 1; round < MAX_INPUT_ROUNDS && isInputRequired(answer.result); round++) {
    const { inputRequests, requestState } = answer.result;
    const inputResponses: Record<string, unknown> = {};
    for (const [key, question] of Object.entries(inputRequests ?? {})) {
      const response = answerQuestion(question.method, question.params);
      if (response) inputResponses[key] = response;
    }
    log(`${method}: answering ${Object.keys(inputResponses).join(', ') || 'nothing'} (round ${round + 1})`);
    answer = await upstream.request(method, {
      ...params,
      inputResponses,
      ...(requestState !== undefined ? { requestState } : {}),
    });
  }
  return answer;
}

/** What to call: the scenario's own tool calls, or every listed tool with its required arguments. */
function toolCalls(upstream: HttpUpstream): ToolCall[] {
  if (Array.isArray(context.toolCalls)) return context.toolCalls as ToolCall[];
  const tools = (upstream.lists.tools ?? []) as { name: string; inputSchema?: unknown }[];
  return tools.map((tool) => ({ name: tool.name, arguments: sampleObject(tool.inputSchema, false) }));
}

/** Calls every tool (or the scenario's calls), reads every resource and gets every prompt. */
async function exercise(upstream: HttpUpstream): Promise<void> {
  const said = (what: string, answer: JsonRpcMessage) =>
    log(`${what}: ${JSON.stringify(answer.result ?? answer.error).slice(0, 500)}`);
  log(`tools: ${((upstream.lists.tools ?? []) as { name: string }[]).map((t) => t.name).join(', ')}`);
  for (const call of toolCalls(upstream)) {
    const params = { name: call.name, arguments: call.arguments ?? {} };
    said(call.name, await request(upstream, 'tools/call', params));
  }
  for (const resource of (upstream.lists.resources ?? []) as { uri: string }[])
    said(resource.uri, await request(upstream, 'resources/read', { uri: resource.uri }));
  for (const prompt of (upstream.lists.prompts ?? []) as { name: string; arguments?: unknown }[]) {
    const declared = Array.isArray(prompt.arguments)
      ? (prompt.arguments as { name: string; required?: boolean }[])
      : [];
    const args = Object.fromEntries(declared.filter((a) => a.required).map((a) => [a.name, 'conformance']));
    said(prompt.name, await request(upstream, 'prompts/get', { name: prompt.name, arguments: args }));
  }
}

async function main(): Promise<number> {
  const url = process.argv.at(-1);
  if (!url || !/^https?:/.test(url)) {
    process.stderr.write('usage: engine-client.ts <server-url>\n');
    return 2;
  }
  log(`scenario ${process.env.MCP_CONFORMANCE_SCENARIO ?? '(none)'}`);
  const session = new OAuthSession({
    server: 'conformance',
    serverUrl: new URL(url),
    settings: oauthSettings(),
    vault: new OAuthVault(new MemorySecretStore()),
    clock: systemClock,
    log,
    autoSignIn: followAuthorization,
  });
  const upstream = new HttpUpstream({
    server: 'conformance',
    clock: systemClock,
    target: () => ({ url, headers: HEADERS, auth: session }),
    requestTimeoutMs: 20_000,
    discoverTimeoutMs: DISCOVER_TIMEOUT_MS,
    pingIntervalMs: 0,
    clientInfo: { name: 'switchboard-conformance', version: '0' },
    log,
  });
  // A 2025-11-25 server asks its questions as requests of its own on the call's stream.
  upstream.on('serverRequest', (message) => {
    if (message.id === undefined || message.id === null) return;
    const result = answerQuestion(message.method, message.params);
    log(`answering the server's ${message.method ?? 'request'}`);
    upstream.reply(
      message.id,
      result ? { result } : { error: { code: -32601, message: 'Method not found' } },
    );
  });
  try {
    await upstream.connect(AbortSignal.timeout(CONNECT_TIMEOUT_MS));
    await exercise(upstream);
    return 0;
  } catch (err) {
    log(`failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await upstream.close('done').catch(() => undefined);
  }
}

void main().then((code) => process.exit(code));
