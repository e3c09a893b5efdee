// `node --import ./register.mjs dist/main/main.js`: the main process bundle with 'electron' resolved
// to fake-electron.mjs, so its glue runs for real (engine, servers, IPC, tray) where no Electron is.
import { register } from 'node:module';

register('./resolve-electron.mjs', import.meta.url);
