import { spawn } from 'node:child_process';

/** The command that opens a URL in the person's default browser on this platform. */
export function browserCommand(
  platform: NodeJS.Platform,
  url: string,
  browser: string | undefined = process.env.BROWSER,
): { command: string; args: string[] } {
  // The usual convention of command-line tools: $BROWSER names the program that opens pages.
  if (browser) return { command: browser, args: [url] };
  if (platform === 'darwin') return { command: 'open', args: [url] };
  // `start` treats its first quoted argument as a window title, hence the empty one.
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url.replace(/&/g, '^&')] };
  return { command: 'xdg-open', args: [url] };
}

/**
 * Opens the sign-in page where there is no Electron `shell` (`switchboard serve`). Failing to open
 * is not fatal: the window shows the page's link, and the log says to open it by hand.
 */
export function openInBrowser(url: string, log: (line: string) => void): Promise<void> {
  const { command, args } = browserCommand(process.platform, url);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', (err) => {
      log(`could not open a browser (${err.message}); open the sign-in page from Switchboard's window`);
      resolve();
    });
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
