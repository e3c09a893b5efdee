import type { BearerChallenge } from './www-authenticate.js';
import { fetchJsonDocument, secureUrl } from './oauth-http.js';
import { OAuthError } from './oauth-error.js';

/** RFC 9728 protected-resource metadata, the fields a client uses. */
export interface ResourceMetadata {
  resource: string;
  authorizationServers: string[];
  scopesSupported?: string[];
}

/** RFC 8414 / OpenID Connect discovery metadata, the fields a client uses. */
export interface AuthServerMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  registrationEndpoint?: string;
  revocationEndpoint?: string;
  scopesSupported?: string[];
  codeChallengeMethods?: string[];
  tokenEndpointAuthMethods?: string[];
  issParameterSupported: boolean;
  clientIdMetadataDocumentSupported: boolean;
  /** True when no metadata exists and the 2025-03-26 default endpoints are used. */
  fallback?: boolean;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

/** The resource indicator for a server (RFC 8707): its URL without fragment. */
export function canonicalResource(serverUrl: URL): string {
  const url = new URL(serverUrl);
  url.hash = '';
  return url.href;
}

/** Whether tokens for `resource` may be sent to `serverUrl`: same origin, and the path is within. */
export function resourceCovers(resource: string, serverUrl: URL): boolean {
  let declared: URL;
  try {
    declared = new URL(resource);
  } catch {
    return false;
  }
  if (declared.origin !== serverUrl.origin) return false;
  const base = declared.pathname.endsWith('/') ? declared.pathname : `${declared.pathname}/`;
  const path = serverUrl.pathname.endsWith('/') ? serverUrl.pathname : `${serverUrl.pathname}/`;
  return path.startsWith(base);
}

/** Where RFC 9728 metadata may be: the challenge's URL, then path-inserted, then the root well-known. */
export function resourceMetadataUrls(serverUrl: URL, challenge: BearerChallenge | undefined): URL[] {
  const urls: URL[] = [];
  if (challenge?.resourceMetadata) {
    try {
      urls.push(new URL(challenge.resourceMetadata, serverUrl));
    } catch {
      // a broken hint: the well-known places still apply
    }
  }
  const path = serverUrl.pathname.replace(/\/$/, '');
  if (path !== '') urls.push(new URL(`/.well-known/oauth-protected-resource${path}`, serverUrl.origin));
  urls.push(new URL('/.well-known/oauth-protected-resource', serverUrl.origin));
  return urls;
}

/** RFC 8414 §3.1 and OpenID Connect discovery, in the order the MCP spec gives. */
export function authServerMetadataUrls(issuer: URL): URL[] {
  const path = issuer.pathname.replace(/\/$/, '');
  const origin = issuer.origin;
  if (path === '')
    return [
      new URL('/.well-known/oauth-authorization-server', origin),
      new URL('/.well-known/openid-configuration', origin),
    ];
  return [
    new URL(`/.well-known/oauth-authorization-server${path}`, origin),
    new URL(`/.well-known/openid-configuration${path}`, origin),
    new URL(`${path}/.well-known/openid-configuration`, origin),
  ];
}

/** The server's protected-resource metadata, or undefined when it has none (an older server). */
export async function discoverResource(
  serverUrl: URL,
  challenge: BearerChallenge | undefined,
  signal: AbortSignal,
): Promise<ResourceMetadata | undefined> {
  for (const url of resourceMetadataUrls(serverUrl, challenge)) {
    const doc = await fetchJsonDocument(url, signal);
    if (!doc) continue;
    const resource = typeof doc.resource === 'string' ? doc.resource : undefined;
    if (!resource) throw new OAuthError(`the protected-resource metadata at ${url.href} names no "resource"`);
    // RFC 9728 §3.3: metadata for another resource must not be used (tokens would go astray).
    if (!resourceCovers(resource, serverUrl))
      throw new OAuthError(
        `the server's metadata is for another resource (${resource}, not ${canonicalResource(serverUrl)}); refusing to sign in`,
      );
    const scopesSupported = strings(doc.scopes_supported);
    return {
      resource,
      authorizationServers: strings(doc.authorization_servers) ?? [],
      ...(scopesSupported ? { scopesSupported } : {}),
    };
  }
  return undefined;
}

function sameIssuer(a: string, b: string): boolean {
  return a === b || a.replace(/\/$/, '') === b.replace(/\/$/, '');
}

/** Reads and checks one metadata document: its issuer must be the one we looked up (RFC 8414 §3.3). */
function parseAuthServerMetadata(
  doc: Record<string, unknown>,
  issuer: string,
  from: URL,
): AuthServerMetadata {
  if (typeof doc.issuer !== 'string' || !sameIssuer(doc.issuer, issuer))
    throw new OAuthError(
      `the authorization server's metadata at ${from.href} names issuer ${JSON.stringify(doc.issuer)}, not ${issuer}; refusing to sign in`,
    );
  const authorizationEndpoint = secureUrl(doc.authorization_endpoint, 'authorization_endpoint').href;
  const tokenEndpoint = secureUrl(doc.token_endpoint, 'token_endpoint').href;
  const optionalUrl = (key: string) =>
    typeof doc[key] === 'string' ? secureUrl(doc[key], key).href : undefined;
  const registrationEndpoint = optionalUrl('registration_endpoint');
  const revocationEndpoint = optionalUrl('revocation_endpoint');
  const scopesSupported = strings(doc.scopes_supported);
  const codeChallengeMethods = strings(doc.code_challenge_methods_supported);
  const tokenEndpointAuthMethods = strings(doc.token_endpoint_auth_methods_supported);
  return {
    issuer: doc.issuer,
    authorizationEndpoint,
    tokenEndpoint,
    ...(registrationEndpoint ? { registrationEndpoint } : {}),
    ...(revocationEndpoint ? { revocationEndpoint } : {}),
    ...(scopesSupported ? { scopesSupported } : {}),
    ...(codeChallengeMethods ? { codeChallengeMethods } : {}),
    ...(tokenEndpointAuthMethods ? { tokenEndpointAuthMethods } : {}),
    issParameterSupported: doc.authorization_response_iss_parameter_supported === true,
    clientIdMetadataDocumentSupported: doc.client_id_metadata_document_supported === true,
  };
}

/** The first metadata document found for `issuer`, or undefined when there is none at all. */
export async function discoverAuthServer(
  issuer: string,
  signal: AbortSignal,
): Promise<AuthServerMetadata | undefined> {
  const issuerUrl = secureUrl(issuer, 'the authorization server');
  for (const url of authServerMetadataUrls(issuerUrl)) {
    const doc = await fetchJsonDocument(url, signal);
    if (doc) return parseAuthServerMetadata(doc, issuer, url);
  }
  return undefined;
}

/** MCP 2025-03-26 §2.3.3: without metadata, the endpoints sit at fixed paths of the server's origin. */
export function fallbackAuthServer(serverUrl: URL): AuthServerMetadata {
  const origin = serverUrl.origin;
  return {
    issuer: origin,
    authorizationEndpoint: new URL('/authorize', origin).href,
    tokenEndpoint: new URL('/token', origin).href,
    registrationEndpoint: new URL('/register', origin).href,
    // That version of the spec made PKCE S256 mandatory for every server.
    codeChallengeMethods: ['S256'],
    issParameterSupported: false,
    clientIdMetadataDocumentSupported: false,
    fallback: true,
  };
}
