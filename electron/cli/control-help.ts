/** `--help` of the commands that act on the running engine (logs has its own, LOGS_HELP). */
export const CONTROL_HELP: Readonly<Record<string, string>> = {
  status: `Usage: switchboard status [--json]

The running engine's servers: state, restarts, tools, client sessions, CPU, memory and why.
  --json    the whole snapshot as JSON
`,
  start: actionHelp('start', 'Starts a stopped or failed server of the running engine.'),
  stop: actionHelp('stop', 'Stops a server of the running engine; it stays stopped until started.'),
  restart: actionHelp('restart', 'Restarts a server of the running engine (requests wait and are not lost).'),
  'sign-in': `Usage: switchboard sign-in NAME

Signs in to a remote server with OAuth: the browser opens at its sign-in page, and the tokens go
into the OS keyring.
`,
  'sign-out': `Usage: switchboard sign-out NAME

Deletes a remote server's OAuth tokens from the OS keyring.
`,
};

function actionHelp(action: string, what: string): string {
  return `Usage: switchboard ${action} NAME\n\n${what}\n`;
}
