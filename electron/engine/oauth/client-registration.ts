import type { AuthServerMetadata } from './discovery.js';
import { OAuthError } from './oauth-error.js';
import { postForJson, secureUrl } from './oauth-http.js';

export type ClientAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

/** The OAuth client Switchboard is at one authorization server. */
export interface OAuthClient {
  clientId: string;
  clientSecret?: string;
  authMethod: ClientAuthMethod;
  /** How the client came to be, for the status line and the README's order of preference. */
  kind: 'pre-registered' | 'metadata-document' | 'dynamic';
  redirectUris: string[];
}

/** The `oauth` entry of a remote server's config, with `${secret:…}` already filled in. */
export interface OAuthClientSettings {
  clientId?: string;
  clientSecret?: string;
  /** An https URL of a client ID metadata document Switchboard's client may use as its client_id. */
  clientMetadataUrl?: string;
  scope?: string;
  clientName?: string;
  redirectPort?: number;
}

/** Where dynamic registrations are kept between sign-ins (one per issuer). */
export interface ClientRegistry {
  load(issuer: string): Promise<OAuthClient | undefined>;
  save(issuer: string, client: OAuthClient): Promise<void>;
}

/** A confidential client's method: basic when offered (RFC 8414's default), else post. */
function secretMethod(meta: AuthServerMetadata): ClientAuthMethod {
  const offered = meta.tokenEndpointAuthMethods ?? ['client_secret_basic'];
  if (offered.includes('client_secret_basic')) return 'client_secret_basic';
  if (offered.includes('client_secret_post')) return 'client_secret_post';
  throw new OAuthError(
    `the authorization server takes none of the client authentication methods Switchboard has (it offers ${offered.join(', ')})`,
  );
}

/** What to ask for at registration: a public client when the server allows it (we are a native app). */
function registrationMethod(meta: AuthServerMetadata): ClientAuthMethod {
  const offered = meta.tokenEndpointAuthMethods;
  if (!offered || offered.includes('none')) return 'none';
  return secretMethod(meta);
}

/**
 * The client to sign in with, in the MCP spec's order: a pre-registered one from the config, a
 * client ID metadata document the server accepts, an earlier dynamic registration that still fits,
 * then a new dynamic registration (RFC 7591).
 */
export async function obtainClient(
  meta: AuthServerMetadata,
  settings: OAuthClientSettings,
  redirectUri: string,
  registry: ClientRegistry,
  signal: AbortSignal,
): Promise<OAuthClient> {
  if (settings.clientId)
    return {
      clientId: settings.clientId,
      ...(settings.clientSecret ? { clientSecret: settings.clientSecret } : {}),
      authMethod: settings.clientSecret ? secretMethod(meta) : 'none',
      kind: 'pre-registered',
      redirectUris: [redirectUri],
    };
  if (settings.clientMetadataUrl && meta.clientIdMetadataDocumentSupported)
    return {
      clientId: secureUrl(settings.clientMetadataUrl, 'oauth.clientMetadataUrl').href,
      authMethod: 'none',
      kind: 'metadata-document',
      redirectUris: [redirectUri],
    };
  const earlier = await registry.load(meta.issuer);
  if (earlier?.redirectUris.includes(redirectUri)) return earlier;
  if (!meta.registrationEndpoint)
    throw new OAuthError(
      `the authorization server ${meta.issuer} offers no dynamic client registration: register a client there and put its id in the server's "oauth": {"clientId": …} (and "clientSecret": "\${secret:NAME}" if it has one)`,
    );
  const authMethod = registrationMethod(meta);
  const answer = await postForJson(
    secureUrl(meta.registrationEndpoint, 'registration_endpoint'),
    {
      json: {
        client_name: settings.clientName ?? 'Switchboard',
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        // SEP-837: a desktop app that signs in through a loopback redirect is a native client.
        application_type: 'native',
        token_endpoint_auth_method: authMethod,
        ...(settings.scope ? { scope: settings.scope } : {}),
      },
    },
    signal,
  );
  if (typeof answer.client_id !== 'string' || answer.client_id === '')
    throw new OAuthError('the registration endpoint answered without a client_id');
  const granted =
    typeof answer.token_endpoint_auth_method === 'string'
      ? (answer.token_endpoint_auth_method as ClientAuthMethod)
      : authMethod;
  const clientSecret = typeof answer.client_secret === 'string' ? answer.client_secret : undefined;
  const client: OAuthClient = {
    clientId: answer.client_id,
    ...(clientSecret ? { clientSecret } : {}),
    authMethod: granted,
    kind: 'dynamic',
    redirectUris: [redirectUri],
  };
  await registry.save(meta.issuer, client);
  return client;
}

/** The client authentication of one token request (RFC 6749 §2.3.1). */
export function authenticateClient(client: OAuthClient, form: URLSearchParams): Record<string, string> {
  if (client.authMethod === 'client_secret_basic' && client.clientSecret !== undefined) {
    // RFC 6749 §2.3.1: both parts form-urlencoded before base64.
    const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
    const basic = Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString('base64');
    return { authorization: `Basic ${basic}` };
  }
  form.set('client_id', client.clientId);
  if (client.authMethod === 'client_secret_post' && client.clientSecret !== undefined)
    form.set('client_secret', client.clientSecret);
  return {};
}

/** The client that got `tokens`, again (after a restart), so a refresh authenticates the same way. */
export async function clientOf(
  clientId: string,
  issuer: string,
  meta: AuthServerMetadata,
  settings: OAuthClientSettings,
  registry: ClientRegistry,
): Promise<OAuthClient | undefined> {
  if (settings.clientId === clientId)
    return {
      clientId,
      ...(settings.clientSecret ? { clientSecret: settings.clientSecret } : {}),
      authMethod: settings.clientSecret ? secretMethod(meta) : 'none',
      kind: 'pre-registered',
      redirectUris: [],
    };
  if (settings.clientMetadataUrl === clientId)
    return { clientId, authMethod: 'none', kind: 'metadata-document', redirectUris: [] };
  const registered = await registry.load(issuer);
  return registered?.clientId === clientId ? registered : undefined;
}
