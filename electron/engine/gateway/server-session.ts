import type { Clock } from '../clock.js';
import { errorReply, type JsonRpcId, type JsonRpcMessage } from '../jsonrpc/messages.js';
import { engineError } from '../../shared/errors.js';
import { negotiateProtocolVersion } from './downstream.js';
import type { Gateway } from './gateway.js';
import { McpSession, unknownServer, type SessionTransport } from './mcp-session.js';

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
    return router.request(this, id, method, params);
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
