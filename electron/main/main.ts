// The tray app's main process: hosts the engine and wires Electron to it. Everything that decides
// something lives in a tested function elsewhere in electron/main; this file only connects them.
import os from 'node:os';
import path from 'node:path';
import { app, dialog, ipcMain, Notification, protocol, session, shell } from 'electron';
import {
  createEngineLog,
  EngineAlreadyRunningError,
  EngineClient,
  findOnPath,
  hostEngine,
  killServersSync,
  packageVersion,
  resolveConfigPath,
  resolveHome,
  type Engine,
  type HostedEngine,
} from '../engine/index.js';
import { appPaths, stopWithin } from './app-paths.js';
import { AppTray } from './app-tray.js';
import {
  launchAtLoginEnabled,
  setLaunchAtLogin,
  startHidden,
  type LoginItemContext,
} from './autostart/login-item.js';
import { conflictChoice } from './engine-conflict.js';
import { registerIpc } from './ipc/ipc-server.js';
import { MainWindow } from './main-window.js';
import { failureNotice } from './notifications/failure-notice.js';
import { createNoticeThrottle, extensionNotification } from './notifications/extension-notice.js';
import { logsRoute, runTrayCommand } from './tray-commands.js';
import { cliShim, installCliShim } from './cli-shim.js';
import { changesTray, coalesce } from './tray/tray-events.js';
import { appProtocolResponse } from './window/app-protocol.js';
import { hardenSession } from './window/harden-web-contents.js';
import { APP_SCHEME, externalUrl, isTrustedSender } from './window/navigation-policy.js';

/** Quit waits this long for every server to stop, then kills what is left. */
const QUIT_BOUND_MS = 15_000;

declare global {
  // For automation (the Electron e2e specs drive the real tray menu through it).
  var switchboardApp: { engine: Engine; tray: AppTray } | undefined;
}

// Before `ready`: app:// is a standard, secure origin, so module scripts and the CSP work as on https.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const log = createEngineLog(process.stderr);

async function main(): Promise<void> {
  // One app per user: a second launch shows the first one's window instead.
  if (!app.requestSingleInstanceLock()) return app.quit();
  await app.whenReady();

  const paths = appPaths({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
  });
  const inputs = { flag: undefined, env: process.env, platform: process.platform, homedir: os.homedir() };
  const home = resolveHome(inputs);
  const hosted = await startEngine(home, resolveConfigPath(inputs));
  if (!hosted) return app.quit();
  const { engine } = hosted;

  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(request.url, paths.renderer));
  const unregisterIpc = registerIpc(ipcMain, engine.dispatcher, isTrustedSender, log);

  let quitting = false;
  const window = new MainWindow({
    preload: paths.preload,
    icon: path.join(paths.icons, 'icon.png'),
    isQuitting: () => quitting,
  });
  const tray = new AppTray({
    iconsDir: paths.icons,
    onClick: () => window.show(),
    run: (command) =>
      void runTrayCommand(command, {
        invoke: (operation, input) => engine.dispatcher.invoke(operation, input),
        snapshot: () => engine.snapshot(),
        showWindow: (route) => window.show(route),
        quit: () => app.quit(),
        report: (message) => notify('Switchboard', message),
        installCli: async () => {
          const node = findOnPath('node', process.env, process.platform);
          if (!node)
            return 'The command-line tool runs on Node (20.19 or later), and none is on your PATH: install Node, then try again.';
          const context = { platform: process.platform, homedir: os.homedir(), env: process.env };
          return installCliShim(cliShim({ ...context, node, launcher: paths.cliLauncher }));
        },
      }),
  });
  globalThis.switchboardApp = { engine, tray };

  const login: LoginItemContext = {
    platform: process.platform,
    app,
    env: process.env,
    homedir: os.homedir(),
    execPath: process.execPath,
    // `electron .` from a checkout needs the app's folder on the command line; a packaged app does not.
    args: process.defaultApp ? [app.getAppPath()] : [],
  };
  const settings = () => ({ launchAtLogin: engine.settings().launchAtLogin });
  // The config file's settings.launchAtLogin is the truth (the window, the tray and the file all set it).
  const syncLaunchAtLogin = async () => {
    const wanted = settings().launchAtLogin;
    if ((await launchAtLoginEnabled(login)) !== wanted) await setLaunchAtLogin(wanted, login);
  };
  const refreshTray = coalesce(() => tray.update(engine.snapshot(), settings()), 50);
  const notices = new Set<Notification>(); // held until closed, or a click may find nothing to call
  const extensionNotices = createNoticeThrottle(60_000);
  const notify = (title: string, body: string, onClick?: () => void, action = 'Open logs') => {
    if (!Notification.isSupported()) return log(`${title}: ${body}`);
    const notification = new Notification({
      title,
      body,
      ...(onClick ? { actions: [{ type: 'button' as const, text: action }] } : {}),
    });
    notices.add(notification);
    notification.on('close', () => notices.delete(notification));
    if (onClick) {
      notification.on('click', onClick);
      notification.on('action', onClick);
    }
    notification.show();
  };
  engine.onEvent((event) => {
    if (changesTray(event)) refreshTray.poke();
    if (event.type === 'config.applied') void syncLaunchAtLogin().catch((err: Error) => log(err.message));
    const notice = failureNotice(event);
    if (notice) notify(notice.title, notice.body, () => window.show(logsRoute(notice.server)));
    // An extension switched off after failing, a circuit opened: at most one per extension per minute.
    if (event.type === 'extension.notice' && extensionNotices.allow(event.extension, Date.now())) {
      const shown = extensionNotification(event);
      if (shown) notify(shown.title, shown.body, () => window.show(shown.route), 'Open Extensions');
    }
  });
  tray.update(engine.snapshot(), settings());
  void syncLaunchAtLogin().catch((err: Error) => log(`cannot set launch at login: ${err.message}`));

  if (!startHidden(process.argv, process.platform, app)) window.show();
  app.on('second-instance', () => window.show());
  app.on('activate', () => window.show()); // macOS: the Dock icon
  app.on('window-all-closed', () => {
    // The app lives in the tray; only Quit ends it.
  });

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    log('quitting: every server is being stopped');
    void stopWithin(
      () => hosted.stop(),
      QUIT_BOUND_MS,
      () => {
        log(`servers did not stop within ${QUIT_BOUND_MS / 1000} s; killing what is left`);
        killServersSync(hosted);
      },
    ).then(() => {
      stopped = true;
      refreshTray.cancel();
      unregisterIpc();
      tray.destroy();
      window.destroy();
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}

/** The engine for this home, or undefined after telling the person why it could not start. */
async function startEngine(home: string, configFile: string): Promise<HostedEngine | undefined> {
  try {
    return await hostEngine({
      home,
      configFile,
      homedir: os.homedir(),
      env: process.env,
      version: packageVersion(),
      log,
      port: undefined,
      host: undefined,
      // An OAuth sign-in opens in the person's own browser, where their accounts and passkeys are;
      // only a web address: the page comes from a remote server's metadata, and openExternal would
      // hand any other scheme (file:, a custom protocol) to whatever program claims it.
      openUrl: async (url) => {
        const web = externalUrl(url);
        if (web === undefined) throw new Error(`the sign-in page is not a web address: ${url}`);
        await shell.openExternal(web);
      },
    });
  } catch (err) {
    if (err instanceof EngineAlreadyRunningError) {
      const choice = conflictChoice(err);
      const { response } = await dialog.showMessageBox({
        type: 'info',
        message: choice.message,
        detail: choice.detail,
        buttons: [...choice.buttons],
        defaultId: 0,
        cancelId: 1,
      });
      if (response === 0) {
        const link = await new EngineClient(err.running).signInLink().catch(() => err.running.url);
        await shell.openExternal(link);
      }
      return undefined;
    }
    const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    dialog.showErrorBox(
      'Switchboard cannot start',
      `${(err as Error).message}${inUse ? '\n\nAnother program uses the port in settings.port of the config file; choose another port there (0 picks a free one).' : ''}\n\nConfig: ${configFile}`,
    );
    return undefined;
  }
}

main().catch((err: unknown) => {
  log(`cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  dialog.showErrorBox('Switchboard cannot start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
