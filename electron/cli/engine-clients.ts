import type { ClientManager, EngineClient } from '../engine/index.js';

/** What the client commands need: a ClientManager here, or the running engine's API. */
export type ClientOperations = Pick<
  ClientManager,
  'list' | 'previewImport' | 'importClient' | 'previewInstall' | 'installClient' | 'uninstallClient'
>;

/**
 * The client commands through the running engine: it reads and writes the same files, and its
 * keyring is the one that holds the secrets (a shell without the engine's D-Bus session, say over
 * SSH, may not reach it). Every call names the project, since the engine runs in another folder.
 */
export function engineClientOperations(engine: EngineClient, project: string): ClientOperations {
  const withProject = <T extends { project?: string | undefined }>(input: T) => ({
    ...input,
    project: input.project ?? project,
  });
  return {
    list: async (listed) => (await engine.call('listClients', { project: listed ?? project })).clients,
    previewImport: (input) => engine.call('previewImport', withProject(input)),
    importClient: (input) => engine.call('importClient', withProject(input)),
    previewInstall: (input) => engine.call('previewInstall', withProject(input)),
    installClient: (input) => engine.call('installClient', withProject(input)),
    uninstallClient: (input) => engine.call('uninstallClient', withProject(input)),
  };
}
