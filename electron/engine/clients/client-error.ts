/**
 * Why an import, install or undo did not happen; the message says what to do.
 * - unreadable: the client's file cannot be read or parsed (nothing was changed).
 * - cannot-edit: the edit would not give a file the client can read.
 * - conflict: a choice cannot be carried out (a name is taken, a rename is invalid).
 * - changed: the file changed after the install, so undo would drop those changes.
 * - nothing-to-undo: no install of Switchboard is on record for this file.
 * - keyring: a secret could not be stored (nothing was imported).
 */
export class ClientError extends Error {
  constructor(
    readonly kind: 'unreadable' | 'cannot-edit' | 'conflict' | 'changed' | 'nothing-to-undo' | 'keyring',
    message: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}
