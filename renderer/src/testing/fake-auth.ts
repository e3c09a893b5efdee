import type { AuthStatusDto } from '../../../electron/shared/api.js';
import type { FakeBridge } from './fake-bridge.js';

/** The sign-in page a FakeAuth hands out, with the server's name in it. */
export const signInPage = (server: string) =>
  `https://auth.example.com/authorize?client_id=switchboard&state=${encodeURIComponent(server)}`;

/**
 * The engine's OAuth sign-ins behind a FakeBridge: `getServerAuth` reads `statuses`, `signIn` starts a
 * sign-in (the answer carries the page to open), `signOut` forgets the grant. `finish` plays the
 * browser coming back; the test then pushes the `auth.changed` event the engine would send. Like the
 * engine, it never has a token to give.
 */
export class FakeAuth {
  readonly statuses = new Map<string, AuthStatusDto>();

  /** `statuses`: each server's sign-in; a server left out does not use OAuth. */
  constructor(statuses: Record<string, Partial<AuthStatusDto>> = {}) {
    for (const [server, status] of Object.entries(statuses))
      this.statuses.set(server, signedOut(server, status));
  }

  install(bridge: FakeBridge): FakeBridge {
    return bridge
      .answer('getServerAuth', ({ server }) => this.status(server))
      .answer('signIn', ({ server }) => {
        const { problem: _, ...rest } = this.status(server);
        return this.set(server, { ...rest, oauth: true, signInUrl: signInPage(server) });
      })
      .answer('signOut', ({ server }) => {
        const { pendingScope } = this.status(server);
        return this.set(server, signedOut(server, pendingScope ? { pendingScope } : {}));
      });
  }

  /** The person signed in in the browser: granted `scopes` by `issuer`, for an hour. */
  finish(server: string, scopes = ['read'], issuer = 'https://auth.example.com'): AuthStatusDto {
    return this.set(server, {
      server,
      oauth: true,
      signedIn: true,
      issuer,
      scopes,
      expiresAt: Date.now() + 3_600_000,
    });
  }

  status(server: string): AuthStatusDto {
    return this.statuses.get(server) ?? { server, oauth: false, signedIn: false, scopes: [] };
  }

  private set(server: string, status: AuthStatusDto): AuthStatusDto {
    this.statuses.set(server, status);
    return status;
  }
}

function signedOut(server: string, more: Partial<AuthStatusDto>): AuthStatusDto {
  return { server, oauth: true, signedIn: false, scopes: [], ...more };
}
