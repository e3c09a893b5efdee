import path from 'node:path';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { REPO } from './gateway-harness.js';

/**
 * Real clients of both protocol eras on one surface of an engine, for the era tests: the SDK 1.x
 * `Client` (2025-11-25) and the SDK v2 `Client`, automatic or pinned to 2026-07-28. Each declares
 * elicitation and sampling and answers them as a person would: the name Ada, the text "sampled".
 */

const BIN = path.join(REPO, 'bin/switchboard.mjs');
export type Kind = 'v1' | 'v2-auto' | 'v2-pinned';
export type Surface = 'http' | 'aggregate' | 'connect' | 'run';
export interface ServerSpec {
  command: string;
  args: readonly string[];
}

const answerName = async () => ({ action: 'accept' as const, content: { name: 'Ada' } });
const answerSample = async () => ({
  model: 'a person',
  role: 'assistant' as const,
  content: { type: 'text' as const, text: 'sampled' },
});

function stdioArgs(surface: Surface, server: string, spec: ServerSpec): string[] {
  if (surface === 'connect') return [BIN, 'connect', server];
  return [BIN, 'run', '--', spec.command, ...spec.args];
}

/** A client of `kind` connected on `surface` to `server` (spec: how `run` starts it itself). */
export async function connectClient(
  engine: { url: string; dir: string },
  kind: Kind,
  surface: Surface,
  server: string,
  spec: ServerSpec,
) {
  const route = surface === 'aggregate' ? '/mcp' : `/mcp/${server}`;
  const env = { ...process.env, SWITCHBOARD_HOME: engine.dir } as Record<string, string>;
  const stdio = surface === 'connect' || surface === 'run';
  const command = {
    command: process.execPath,
    args: stdioArgs(surface, server, spec),
    env,
    stderr: 'ignore' as const,
  };
  if (kind === 'v1') {
    const client = new ClientV1(
      { name: 'v1', version: '1' },
      { capabilities: { elicitation: {}, sampling: {} } },
    );
    client.setRequestHandler(ElicitRequestSchema, answerName);
    client.setRequestHandler(CreateMessageRequestSchema, answerSample);
    await client.connect(stdio ? new StdioV1(command) : new HttpV1(new URL(route, engine.url)));
    return { v1: client, client, era: 'legacy' as const };
  }
  const mode = kind === 'v2-auto' ? ('auto' as const) : { pin: '2026-07-28' };
  const client = new ClientV2(
    { name: kind, version: '1' },
    { capabilities: { elicitation: { form: {} }, sampling: {} }, versionNegotiation: { mode } },
  );
  client.setRequestHandler('elicitation/create', answerName);
  client.setRequestHandler('sampling/createMessage', answerSample);
  await client.connect(stdio ? new StdioV2(command) : new HttpV2(new URL(route, engine.url)));
  return { v2: client, client, era: client.getProtocolEra() };
}

export const textOf = (result: unknown) =>
  ((result as { content: { text?: string }[] }).content ?? []).map((c) => c.text ?? '').join('');
