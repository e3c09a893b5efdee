import type { JsonRpcId, JsonRpcMessage } from '../jsonrpc/messages.js';
import type { SessionView } from '../extensions/extension.js';

/**
 * One client session as the router sees it: whatever the surface (Streamable HTTP, the local
 * socket behind `switchboard connect`), it can take server-initiated messages.
 */
export interface Downstream {
  /** For logs and metrics. */
  readonly id: string;
  /** The `capabilities` the client declared in its initialize (sampling, elicitation, roots, ...). */
  readonly clientCapabilities: Record<string, unknown>;
  /** When the client last sent anything (clock ms): picks who answers a server's request. */
  readonly lastActive: number;
  /** Who it is and which endpoint it uses, as extensions see it. */
  readonly view: SessionView;
  /** It exists for one request (a 2026-07-28 POST): not counted among a server's client sessions. */
  readonly ephemeral?: boolean;
  /** The client speaks 2026-07-28: results reach it in that era's shape (input-required ones too). */
  readonly modern?: boolean;
  /** Who the client said it is (initialize's clientInfo, or its envelope's). */
  readonly clientInfo?: { name: string; version: string } | undefined;
  /** The least severe log message a request of a 2026-07-28 client asked for (its envelope's). */
  requestLogLevel?(clientId: JsonRpcId): string | undefined;
  /**
   * Sends a notification or a server→client request to the client. `relatedTo` is the client's own
   * id of the request the message belongs to, when there is one (Streamable HTTP then uses that
   * request's stream). False when the client cannot take it now.
   */
  deliver(message: JsonRpcMessage, relatedTo?: JsonRpcId): boolean;
}

/** Server→client request methods, and the client capability each needs. */
export const CAPABILITY_FOR_REQUEST: Readonly<Record<string, string>> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

/**
 * The client capability a server's request needs, down to its mode: sampling with tools needs
 * `sampling.tools`, URL elicitation `elicitation.url`, form elicitation `elicitation.form` (or an
 * `elicitation` that names no mode, as clients before 2025-11-25 declare it).
 */
export function capabilityNeeded(message: { method?: string; params?: unknown }): {
  label: string;
  declaredBy: (capabilities: Record<string, unknown>) => boolean;
} {
  const base = CAPABILITY_FOR_REQUEST[message.method ?? ''] ?? message.method ?? 'this';
  const params = (message.params ?? {}) as { tools?: unknown; toolChoice?: unknown; mode?: unknown };
  const sub = (capabilities: Record<string, unknown>) =>
    capabilities[base] as Record<string, unknown> | undefined;
  if (base === 'sampling' && (params.tools !== undefined || params.toolChoice !== undefined))
    return { label: 'sampling.tools', declaredBy: (c) => sub(c)?.tools !== undefined };
  if (base === 'elicitation' && params.mode === 'url')
    return { label: 'elicitation.url', declaredBy: (c) => sub(c)?.url !== undefined };
  if (base === 'elicitation')
    return {
      label: 'elicitation.form',
      declaredBy: (c) => {
        const modes = sub(c);
        return modes !== undefined && (modes.form !== undefined || modes.url === undefined);
      },
    };
  return { label: base, declaredBy: (c) => c[base] !== undefined };
}

/** Protocol versions a client may ask for; the newest is offered when it asks for another. */
export const SUPPORTED_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;

export function negotiateProtocolVersion(requested: unknown): string {
  return typeof requested === 'string' &&
    (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(requested)
    ? requested
    : SUPPORTED_PROTOCOL_VERSIONS[0];
}
