import type { Clock } from '../flow/clock.js';
import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import type { ListKind } from '../protocol/list-tracker.js';
import type { ClientIdentity, Upstream } from '../upstream/upstream.js';
import type { Gateway } from './gateway.js';
import type { InputRounds } from './input-rounds.js';
import {
  itemNotFound,
  McpSession,
  methodNotFound,
  type DiscoverInfo,
  type SessionTransport,
} from './mcp-session.js';
import { matchesUriTemplate, namespaced, splitNamespaced } from '../naming/namespacing.js';
import { clientIdentity } from './own-upstream.js';
import { SessionServers, type ReadyServer } from './session-servers.js';
import { aggregatedTaskRequest, mergedTasksCapability, TASK_METHODS } from './aggregate-tasks.js';
import type { JsonObject, Tool } from '../extensions/extension.js';
import { answerExtensionTool } from './extension-tools.js';

type Item = Record<string, unknown>;

const NAMED_METHODS: Readonly<Record<string, ListKind>> = { 'tools/call': 'tools', 'prompts/get': 'prompts' };
const URI_METHODS = new Set(['resources/read', 'resources/subscribe', 'resources/unsubscribe']);

/**
 * A client of every enabled server at once (`/mcp`, `connect --all`): tools and prompts are
 * namespaced `server__name`, resources keep their URIs and are routed by them; the lists are the
 * union of what the servers that are up offer, sent whole (no pagination across servers).
 */
export class AggregateSession extends McpSession {
  private readonly templates = new Map<Upstream, Promise<Item[]>>();
  private identity: ClientIdentity = clientIdentity(undefined, {});
  private readonly servers: SessionServers;
  private readonly onListsChanged = (_server: string, kinds: ListKind[]) => {
    this.templates.clear();
    for (const kind of kinds) this.announce(kind);
  };

  constructor(
    id: string,
    transport: SessionTransport,
    clock: Clock,
    private readonly gateway: Gateway,
    private readonly version: string,
    ephemeral = false,
  ) {
    super(id, transport, clock, ephemeral);
    this.view = { ...this.view, endpoint: 'aggregate' };
    this.servers = new SessionServers(
      gateway,
      this,
      () => this.modern,
      () => (this.modern ? this.modernClient() : this.identity),
      (kinds) => this.onListsChanged('', kinds),
      (line) => gateway.log(line),
    );
    gateway.on('listsChanged', this.onListsChanged);
  }

  /** The aggregate's own list_changed (past the filter below, which holds back each server's). */
  private announce(kind: ListKind): void {
    super.deliver({ jsonrpc: '2.0', method: `notifications/${kind}/list_changed` });
  }

  override deliver(message: JsonRpcMessage, relatedTo?: JsonRpcId): boolean {
    // Each server's own list_changed is replaced by the aggregated one the gateway raises.
    if (message.method?.endsWith('/list_changed') && message.method !== 'notifications/roots/list_changed')
      return true;
    return super.deliver(message, relatedTo);
  }

  protected async initialize(id: JsonRpcId, params: unknown): Promise<JsonRpcMessage> {
    this.identity = clientIdentity(params, this.clientCapabilities);
    await this.servers.openOwn();
    return this.initializeResult(id, params, this.aggregateInfo());
  }

  protected get endpoint(): string {
    return '*';
  }

  protected get rounds(): InputRounds {
    return this.gateway.inputRounds;
  }

  protected async discover(): Promise<DiscoverInfo> {
    return { ok: true, ...this.aggregateInfo() };
  }

  /** What the aggregate offers: every server's tools, prompts and resources, their instructions. */
  private aggregateInfo() {
    const ready = this.servers.ready();
    const instructions = ready
      .filter((s) => s.upstream.info?.instructions)
      .map(
        (s) =>
          `## ${s.name} (tools and prompts prefixed "${namespaced(s.name, '')}")\n${s.upstream.info!.instructions}`,
      )
      .join('\n\n');
    return {
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { listChanged: true, subscribe: true },
        logging: {},
        completions: {},
        ...tasksCapability(ready),
      },
      serverInfo: { name: 'switchboard', title: 'Switchboard (all servers)', version: this.version },
      instructions: instructions || undefined,
    };
  }

  protected async onRequest(
    id: JsonRpcId,
    method: string,
    params: unknown,
  ): Promise<JsonRpcMessage | undefined> {
    // A 2026-07-28 client never initializes: its own instances are found (or started) per request.
    if (this.modern) await this.servers.openOwn();
    const ready = this.servers.ready();
    const p = (params ?? {}) as Item;
    if (TASK_METHODS.has(method)) return aggregatedTaskRequest(this, ready, id, method, params);
    switch (method) {
      case 'tools/list': {
        const hooks = this.gateway.hooks;
        const tools = this.serverTools(ready);
        return {
          jsonrpc: '2.0',
          id,
          result: { tools: hooks ? hooks.finishToolList(tools, this.view) : tools },
        };
      }
      case 'prompts/list':
        return this.list(id, ready, 'prompts', (s, t) => ({ ...t, name: namespaced(s, String(t.name)) }));
      case 'resources/list':
        return this.list(id, ready, 'resources', (_s, r) => r);
      case 'resources/templates/list': {
        const all = await Promise.all(ready.map((s) => this.templatesOf(s.upstream)));
        return { jsonrpc: '2.0', id, result: { resourceTemplates: all.flat() } };
      }
      case 'logging/setLevel':
        await Promise.all(ready.map((s) => s.router.request(this, id, method, params)));
        return { jsonrpc: '2.0', id, result: {} };
      case 'completion/complete':
        return this.complete(id, ready, p);
    }
    const hooks = this.gateway.hooks;
    const run = method === 'tools/call' ? hooks?.extensionTool(String(p.name), this.view) : undefined;
    if (run)
      return answerExtensionTool({
        session: this,
        view: this.view,
        id,
        params,
        run,
        listTools: async () => this.serverTools(this.servers.ready()),
        callServerTool: (name: string, args: JsonObject) =>
          this.routeNamed(this.servers.ready(), id, 'tools/call', 'tools', { name, arguments: args }),
      });
    const kind = NAMED_METHODS[method];
    if (kind) return this.routeNamed(ready, id, method, kind, p);
    if (URI_METHODS.has(method)) {
      const owner = await this.ownerOf(String(p.uri), ready);
      if (!owner) return itemNotFound(id, { uri: String(p.uri) }, 'no server that is up offers it');
      return this.forward(ready, owner, id, method, params);
    }
    return methodNotFound(id, method, 'the aggregated endpoint');
  }

  protected onNotification(method: string, params: unknown): void {
    // Cancellations and root changes concern every server this session talks to.
    for (const router of this.servers.routers()) router.notify(this, method, params);
  }

  protected onResponse(message: JsonRpcMessage): void {
    for (const router of this.servers.routers()) if (router.respond(this, message)) return;
  }

  override close(): void {
    super.close();
    this.gateway.off('listsChanged', this.onListsChanged);
    this.servers.close();
  }

  /** A namespaced tool or prompt call, routed to its server with the name restored. */
  private routeNamed(
    ready: ReadyServer[],
    id: JsonRpcId,
    method: string,
    kind: ListKind,
    p: Item,
  ): Promise<JsonRpcMessage | undefined> {
    const target = splitNamespaced(
      String(p.name),
      ready.map((s) => s.name),
    );
    if (!target) {
      const name = String(p.name);
      const item = kind === 'tools' ? { tool: name } : { prompt: name };
      const detail = `it names no server that is up; names look like server__${kind.slice(0, -1)}`;
      return Promise.resolve(itemNotFound(id, item, detail));
    }
    return this.forward(ready, target.server, id, method, { ...p, name: target.name });
  }

  /** Every ready server's tools as extensions let this session see them, namespaced. */
  private serverTools(ready: ReadyServer[]): Tool[] {
    const hooks = this.gateway.hooks;
    return ready.flatMap((s) => {
      const own = (s.upstream.lists.tools ?? []) as Tool[];
      const visible = hooks ? hooks.filterTools(s.name, own, this.view) : own;
      return visible.map((t) => ({ ...t, name: namespaced(s.name, String(t.name)) }));
    });
  }

  private list(
    id: JsonRpcId,
    ready: ReadyServer[],
    kind: ListKind,
    rename: (server: string, item: Item) => Item,
  ): JsonRpcMessage {
    const items = ready.flatMap((s) =>
      ((s.upstream.lists[kind] ?? []) as Item[]).map((item) => rename(s.name, item)),
    );
    return { jsonrpc: '2.0', id, result: { [kind]: items } };
  }

  private forward(ready: ReadyServer[], server: string, id: JsonRpcId, method: string, params: unknown) {
    const target = ready.find((s) => s.name === server)!;
    return target.router.request(this, id, method, params);
  }

  /** A completion refers to a prompt (namespaced) or a resource template (by URI). */
  private async complete(
    id: JsonRpcId,
    ready: ReadyServer[],
    params: Item,
  ): Promise<JsonRpcMessage | undefined> {
    const ref = (params.ref ?? {}) as Item;
    if (ref.type === 'ref/prompt') {
      const target = splitNamespaced(
        String(ref.name),
        ready.map((s) => s.name),
      );
      if (!target) return itemNotFound(id, { prompt: String(ref.name) }, 'it names no server that is up');
      return this.forward(ready, target.server, id, 'completion/complete', {
        ...params,
        ref: { ...ref, name: target.name },
      });
    }
    const owner = await this.ownerOf(String(ref.uri), ready, true);
    if (!owner)
      return itemNotFound(id, { uri: String(ref.uri) }, 'no server that is up offers this template');
    return this.forward(ready, owner, id, 'completion/complete', params);
  }

  /** The server that lists the URI, else the one with a template it matches. */
  private async ownerOf(uri: string, ready: ReadyServer[], templateRef = false): Promise<string | undefined> {
    for (const s of ready)
      if (((s.upstream.lists.resources ?? []) as Item[]).some((r) => r.uri === uri)) return s.name;
    for (const s of ready) {
      const templates = await this.templatesOf(s.upstream);
      const match = (t: Item) =>
        templateRef ? t.uriTemplate === uri : matchesUriTemplate(String(t.uriTemplate), uri);
      if (templates.some(match)) return s.name;
    }
    return undefined;
  }

  private templatesOf(upstream: Upstream): Promise<Item[]> {
    let templates = this.templates.get(upstream);
    if (!templates) {
      templates = fetchTemplates(upstream);
      this.templates.set(upstream, templates);
    }
    return templates;
  }
}

function tasksCapability(ready: ReadyServer[]): { tasks?: Record<string, unknown> } {
  const tasks = mergedTasksCapability(ready);
  return tasks ? { tasks } : {};
}

async function fetchTemplates(upstream: Upstream): Promise<Item[]> {
  if (!upstream.info?.capabilities.resources) return [];
  const all: Item[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const response = await upstream
      .request('resources/templates/list', cursor ? { cursor } : undefined)
      .catch(() => undefined);
    const result = response?.result as { resourceTemplates?: Item[]; nextCursor?: string } | undefined;
    all.push(...(result?.resourceTemplates ?? []));
    cursor = result?.nextCursor;
    if (!cursor) break;
  }
  return all;
}
