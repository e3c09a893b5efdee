import type { Clock } from '../flow/clock.js';
import { errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import { engineError } from '../../shared/errors.js';
import { negotiateProtocolVersion } from './downstream.js';
import type { Gateway } from './gateway.js';
import { McpSession, unknownServer, type SessionTransport } from './mcp-session.js';
import type { JsonObject, Tool } from '../extensions/extension.js';
import type { HookPipeline } from '../extensions/hook-pipeline.js';
import { answerExtensionTool } from './extension-tools.js';

/**
 * A client of one server (`/mcp/NAME`, `connect NAME`): it sees that server's capabilities,
 * instructions and tools unchanged; requests are routed over the shared upstream.
 */
export class ServerSession extends McpSession {
  constructor(
    id: string,
    transport: SessionTransport,
    clock: Clock,
    private readonly gateway: Gateway,
    readonly server: string,
  ) {
    super(id, transport, clock);
    this.view = { ...this.view, server };
    gateway.router(server)?.attach(this);
  }

  protected async initialize(id: JsonRpcId, params: unknown): Promise<JsonRpcMessage> {
    const result = await this.gateway.serverInfo(this.server);
    if (!result.ok) {
      const name = this.gateway.server(this.server) ? 'SERVER_UNAVAILABLE' : 'UNKNOWN_SERVER';
      return errorReply(id, engineError(name, { server: this.server, detail: result.detail }));
    }
    this.protocolVersion = negotiateProtocolVersion(
      (params as { protocolVersion?: unknown })?.protocolVersion,
    );
    const { capabilities, serverInfo, instructions } = result.info;
    return {
      jsonrpc: '2.0',
      id,
      result: {
        protocolVersion: this.protocolVersion,
        capabilities,
        serverInfo,
        ...(instructions !== undefined ? { instructions } : {}),
      },
    };
  }

  protected async onRequest(
    id: JsonRpcId,
    method: string,
    params: unknown,
  ): Promise<JsonRpcMessage | undefined> {
    const router = this.gateway.router(this.server);
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
    this.gateway.router(this.server)?.notify(this, method, params);
  }

  protected onResponse(message: JsonRpcMessage): void {
    this.gateway.router(this.server)?.respond(this, message);
  }

  override close(): void {
    super.close();
    this.gateway.router(this.server)?.detach(this);
  }
}
