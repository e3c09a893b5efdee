import type { Clock } from '../flow/clock.js';
import { errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import { engineError, type JsonRpcErrorObject } from '../../shared/errors.js';
import type { Gateway } from './gateway.js';
import type { InputRounds } from './input-rounds.js';
import { McpSession, unknownServer, type DiscoverInfo, type SessionTransport } from './mcp-session.js';
import type { JsonObject, Tool } from '../extensions/extension.js';
import type { HookPipeline } from '../extensions/hook-pipeline.js';
import { answerExtensionTool } from './extension-tools.js';
import { clientIdentity, type OwnUpstream } from './own-upstream.js';
import type { ServerRouter } from './server-router.js';

/**
 * A client of one server (`/mcp/NAME`, `connect NAME`): it sees that server's capabilities,
 * instructions and tools unchanged; requests are routed over the shared upstream, or over an
 * upstream of the session's own (`sessions` in the config), initialized as this client would.
 */
export class ServerSession extends McpSession {
  /** The session's own upstream, when it has one; it ends with the session. */
  private own: OwnUpstream | undefined;
  /** A 2026-07-28 client's own upstream, kept for it across requests; given back at the end. */
  private borrowed: { own: OwnUpstream; release(): void } | undefined;

  constructor(
    id: string,
    transport: SessionTransport,
    clock: Clock,
    private readonly gateway: Gateway,
    readonly server: string,
    ephemeral = false,
  ) {
    super(id, transport, clock, ephemeral);
    this.view = { ...this.view, server };
    gateway.router(server)?.attach(this);
  }

  protected async initialize(id: JsonRpcId, params: unknown): Promise<JsonRpcMessage> {
    if (this.own) return this.initializeResult(id, params, this.own.info);
    if (this.gateway.ownsUpstream(this.server)) return this.initializeOwn(id, params);
    const result = await this.gateway.serverInfo(this.server);
    if (!result.ok) return errorReply(id, this.unavailable(result.detail));
    await this.gateway.sessionsDecided(this.server);
    if (this.gateway.ownsUpstream(this.server)) return this.initializeOwn(id, params);
    return this.initializeResult(id, params, result.info);
  }

  protected get endpoint(): string {
    return this.server;
  }

  protected get rounds(): InputRounds {
    return this.gateway.inputRounds;
  }

  protected async discover(): Promise<DiscoverInfo> {
    const info = this.own
      ? { ok: true as const, info: this.own.info }
      : await this.gateway.serverInfo(this.server);
    if (!info.ok) return { ok: false, error: this.unavailable(info.detail) };
    const { capabilities, instructions, serverInfo } = info.info;
    return { ok: true, capabilities, instructions, serverInfo };
  }

  /** This client gets a server instance of its own, initialized with its capabilities and info. */
  private async initializeOwn(id: JsonRpcId, params: unknown): Promise<JsonRpcMessage> {
    const own = await this.gateway.ownUpstream(this.server, clientIdentity(params, this.clientCapabilities));
    if ('detail' in own)
      return errorReply(id, engineError('SERVER_UNAVAILABLE', { server: this.server, detail: own.detail }));
    if (this.closed) {
      await own.end(); // the client went away while its server started: nothing is left behind
      return errorReply(
        id,
        engineError('SERVER_UNAVAILABLE', { server: this.server, detail: 'the session ended' }),
      );
    }
    this.gateway.router(this.server)?.detach(this);
    this.own = own;
    own.router.attach(this);
    return this.initializeResult(id, params, own.info);
  }

  protected async onRequest(
    id: JsonRpcId,
    method: string,
    params: unknown,
  ): Promise<JsonRpcMessage | undefined> {
    const refused = await this.borrowIfOwned();
    if (refused) return errorReply(id, refused);
    const router = this.router();
    if (!router) return unknownServer(id, `no server named "${this.server}" is configured any more`);
    router.attach(this);
    const hooks = this.gateway.hooks;
    if (!hooks) return router.request(this, id, method, params);
    if (method === 'tools/call') {
      const run = hooks.extensionTool(String((params as { name?: unknown } | undefined)?.name), this.view);
      if (run)
        return answerExtensionTool({
          session: this,
          view: this.view,
          id,
          params,
          run,
          listTools: async () => hooks.filterTools(this.server, this.gateway.toolsOf(this.server), this.view),
          callServerTool: (name: string, args: JsonObject) =>
            router.request(this, id, 'tools/call', { name, arguments: args }),
        });
    }
    const reply = await router.request(this, id, method, params);
    return method === 'tools/list' ? this.shapeToolList(reply, hooks) : reply;
  }

  /** A page of the server's tools as extensions shape it; their own tools join the last page. */
  private shapeToolList(reply: JsonRpcMessage | undefined, hooks: HookPipeline): JsonRpcMessage | undefined {
    const result = reply?.result as { tools?: Tool[]; nextCursor?: unknown } | undefined;
    if (!reply || !Array.isArray(result?.tools)) return reply;
    let tools = hooks.filterTools(this.server, result.tools, this.view);
    if (result.nextCursor === undefined) tools = hooks.finishToolList(tools, this.view);
    return { ...reply, result: { ...result, tools } };
  }

  protected onNotification(method: string, params: unknown): void {
    this.router()?.notify(this, method, params);
  }

  protected onResponse(message: JsonRpcMessage): void {
    this.router()?.respond(this, message);
  }

  override close(): void {
    super.close();
    this.router()?.detach(this);
    void this.own?.end();
    this.borrowed?.release();
  }

  /**
   * A 2026-07-28 client has no session to give an instance to: where the server gives each client
   * its own, it borrows the one kept for who it says it is (gateway/client-upstreams.ts).
   */
  private async borrowIfOwned(): Promise<JsonRpcErrorObject | undefined> {
    if (!this.modern || this.own || this.borrowed) return undefined;
    await this.gateway.sessionsDecided(this.server);
    if (!this.gateway.ownsUpstream(this.server)) return undefined;
    const got = await this.gateway.clientUpstreams.acquire(this.server, this.modernClient());
    if ('detail' in got) return this.unavailable(got.detail);
    if (this.closed) {
      got.release();
      return this.unavailable('the request ended');
    }
    this.gateway.router(this.server)?.detach(this);
    this.borrowed = got;
    return undefined;
  }

  /** Why the server cannot answer: it is not configured, or not up (and why). */
  private unavailable(detail: string): JsonRpcErrorObject {
    const name = this.gateway.server(this.server) ? 'SERVER_UNAVAILABLE' : 'UNKNOWN_SERVER';
    return engineError(name, { server: this.server, detail });
  }

  /** The session's own router, else the server's shared one. */
  private router(): ServerRouter | undefined {
    return this.own?.router ?? this.borrowed?.own.router ?? this.gateway.router(this.server);
  }
}
