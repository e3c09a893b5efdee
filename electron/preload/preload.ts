// The window's preload (sandboxed, bundled to CommonJS): exposes the typed API and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { PRELOAD_GLOBAL } from '../shared/preload-api.js';
import { createPreloadApi } from './preload-api-factory.js';

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, createPreloadApi(ipcRenderer));
