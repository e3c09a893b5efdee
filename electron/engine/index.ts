// The engine's front door: electron/cli/ and electron/main/ import the engine from here only, never a
// deeper path (`npm run deps` fails otherwise). Files inside electron/engine/ never import this file.
// Named re-exports only (`export { … } from`): the bundle reads them to give each CLI command just
// what it uses (scripts/flatten-front-door.mjs). Grouped by what the names are for; add a name to its
// group, or a new group, when cli/ or main/ needs it.

// The engine as one object, and one engine per home.
export { Engine, type EngineOptions } from './engine.js';
export { EngineAlreadyRunningError, hostEngine, killServersSync, type HostedEngine } from './engine-host.js';
export { keepServingThroughInternalErrors } from './last-resort.js';

// Our own package: its version wherever the code runs from.
export { packageVersion } from './runtime/version.js';
export { findOnPath } from './runtime/find-on-path.js';

// The engine's own lines on stderr.
export { createEngineLog, formatEvent } from './logging/engine-log.js';

// Config: where the home and the config file are; reading and writing the file.
export { resolveConfigPath, resolveHome } from './config/config-paths.js';
export { loadConfigFile, writeConfigFile } from './config/config-file.js';

// A running engine, seen from another process: engine.json, its control API, its socket.
export { readEngineInfo, type EngineInfo } from './http/engine-info.js';
export { EngineClient } from './http/api-client.js';
export { EngineClientError } from './http/engine-client-error.js';
export { engineSocketPath } from './gateway/socket-path.js';
export { resolveStaticFile } from './http/static-files.js';
export { apiFailure } from './api/api-dispatch.js';

// Secrets.
export {
  MemorySecretStore,
  NoSecretStore,
  SecretStoreError,
  secretHint,
  type SecretStore,
} from './secrets/secret-store.js';
export { KeyringSecretStore } from './secrets/keyring-store.js';
export { secretListing, secretUsage } from './secrets/secret-listing.js';

// AI clients' config files.
export { ClientError } from './clients/client-error.js';
export { ClientManager, type SwitchboardConfigAccess } from './clients/client-manager.js';
export { defaultBridge } from './clients/default-bridge.js';

// `switchboard run`: one server, its process, its watcher, the session in front of it.
export { systemClock } from './flow/clock.js';
export { ServerActor } from './actor/server-actor.js';
export { ProcessLink } from './actor/process-link.js';
export { PassThroughSession } from './passthrough/passthrough-session.js';
export { killProcessGroupSync, NodeProcessSpawner } from './process/process-runner.js';
export { FileWatcher } from './watch/file-watcher.js';
export { findScriptDirectory } from './watch/watch-targets.js';
