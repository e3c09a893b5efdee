/* global Request */
// Just enough of Electron's main-process API for dist/main/main.js to run under plain Node. It
// records what the main process does (tray menus, windows, notifications, dialogs) and lets the test
// drive it the way Electron would (IPC from the window, tray clicks, Quit), over the process IPC
// channel. It decides nothing: every decision stays in the main process code under test.
import { EventEmitter } from 'node:events';

const report = (message) => process.send?.(message);
const handlers = new Map(); // ipcMain.handle
const ipcListeners = new EventEmitter(); // ipcMain.on
const protocols = new Map();
let trayMenu;
let quitting = false;

function menuFrom(template) {
  return {
    items: template.map((item) => ({
      label: item.label ?? '',
      type: item.type ?? (item.submenu ? 'submenu' : 'normal'),
      enabled: item.enabled ?? true,
      checked: item.checked ?? false,
      click: () => item.click?.(),
      submenu: item.submenu ? menuFrom(item.submenu) : undefined,
    })),
  };
}

const labels = (menu) =>
  menu.items.map((item) =>
    item.submenu ? { label: item.label, submenu: labels(item.submenu) } : item.label,
  );

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  getAppPath: () => process.env.FAKE_ELECTRON_APP_PATH,
  setLoginItemSettings: (settings) => report({ kind: 'loginItem', settings }),
  getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
  quit() {
    let prevented = false;
    app.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented || quitting) return;
    quitting = true;
    report({ kind: 'quit' });
    setTimeout(() => process.exit(0), 10);
  },
  exit(code = 0) {
    report({ kind: 'exit', code });
    setTimeout(() => process.exit(code), 10);
  },
});

export const protocol = {
  registerSchemesAsPrivileged: (schemes) => report({ kind: 'schemes', schemes }),
  handle: (scheme, handler) => protocols.set(scheme, handler),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler) =>
      report({ kind: 'permissions', denies: typeof handler === 'function' }),
    setPermissionCheckHandler: () => {},
  },
};

export const ipcMain = {
  handle: (channel, listener) => handlers.set(channel, listener),
  removeHandler: (channel) => handlers.delete(channel),
  on: (channel, listener) => ipcListeners.on(channel, listener),
  removeListener: (channel, listener) => ipcListeners.removeListener(channel, listener),
};

let nextWebContentsId = 1;
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.visible = false;
    const contents = new EventEmitter();
    Object.assign(contents, {
      id: nextWebContentsId++,
      url: '',
      setWindowOpenHandler: (handler) => (contents.openHandler = handler),
      executeJavaScript: async (code) => report({ kind: 'executeJavaScript', code }),
      getURL: () => contents.url,
    });
    this.webContents = contents;
    report({ kind: 'window', webPreferences: options.webPreferences, show: options.show });
  }
  async loadURL(url) {
    this.webContents.url = url;
    report({ kind: 'load', url });
    setTimeout(() => this.emit('ready-to-show'), 5);
  }
  show() {
    this.visible = true;
    report({ kind: 'show', url: this.webContents.url });
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  isMinimized() {
    return false;
  }
  restore() {}
  destroy() {
    this.emit('closed');
  }
}

export const nativeTheme = { shouldUseDarkColors: false };
export const nativeImage = {
  createEmpty: () => ({ path: '' }),
  createFromPath: (path) => ({ path }),
};

export class Tray extends EventEmitter {
  setImage(image) {
    report({ kind: 'trayIcon', path: image.path });
  }
  setToolTip(text) {
    report({ kind: 'tooltip', text });
  }
  setContextMenu(menu) {
    trayMenu = menu;
    report({ kind: 'trayMenu', labels: labels(menu) });
  }
  destroy() {}
}

export const Menu = { buildFromTemplate: (template) => menuFrom(template) };

export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options) {
    super();
    this.options = options;
  }
  show() {
    report({ kind: 'notification', title: this.options.title, body: this.options.body });
  }
}

export const dialog = {
  showMessageBox: async (options) => {
    report({ kind: 'dialog', message: options.message, detail: options.detail });
    return { response: 1 };
  },
  showErrorBox: (title, content) => report({ kind: 'errorBox', title, content }),
};

export const shell = { openExternal: async (url) => report({ kind: 'openExternal', url }) };

// ---- what the test asks for, the way Electron would deliver it --------------------------------------

const frame = (url) => ({ url, parent: null });
const sender = {
  id: 99,
  send: (channel, ...args) => report({ kind: 'send', channel, args }),
  isDestroyed: () => false,
  once() {},
};

process.on('message', async (command) => {
  try {
    if (command.do === 'invoke') {
      const handler = handlers.get('switchboard:invoke');
      const value = await handler(
        { senderFrame: frame(command.from), sender },
        command.operation,
        command.input,
      );
      return report({ kind: 'answer', id: command.id, value });
    }
    if (command.do === 'fetch') {
      const response = await protocols.get('app')(new Request(command.url));
      return report({
        kind: 'answer',
        id: command.id,
        value: {
          status: response.status,
          csp: response.headers.get('content-security-policy'),
          body: (await response.text()).slice(0, 200),
        },
      });
    }
    if (command.do === 'clickTray') {
      const server = trayMenu.items.find(
        (item) => item.submenu && item.label.includes(` ${command.server} — `),
      );
      const items = command.server ? server?.submenu.items : trayMenu.items;
      const item = items?.find((i) => i.label === command.label);
      if (!item) throw new Error(`no "${command.label}" in the tray menu`);
      item.click();
      return report({ kind: 'answer', id: command.id, value: true });
    }
    if (command.do === 'quit') {
      app.quit();
      return report({ kind: 'answer', id: command.id, value: true });
    }
  } catch (err) {
    report({ kind: 'answer', id: command.id, error: String(err) });
  }
});
