// On its own, without the API table: the CLI's entry point checks for it before loading any command.
/**
 * The running engine could not do what was asked, or could not be reached: the message says which.
 * The `switchboard` command prints it and exits 1, like its own CliError.
 */
export class EngineClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineClientError';
  }
}
