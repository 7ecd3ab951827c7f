import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { type PreloadApi, type PushMessage, type RpcResponse } from '../../src-shared/api/contract';

/** Replies and events arrive encoded by the backend process (JSON text or its UTF-8 bytes); parsed here. */
const decode = (payload: string | Uint8Array): unknown => JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload));

/** The one object the renderer gets: invoke a handler by name, listen to pushed events. Nothing else. */
const api: PreloadApi = {
  invoke: async (method, args) => decode(await ipcRenderer.invoke('rpc', method, args)) as RpcResponse,
  on(listener) {
    const wrapped = (_e: IpcRendererEvent, payload: string): void => listener(decode(payload) as PushMessage);
    ipcRenderer.on('push', wrapped);
    return () => ipcRenderer.removeListener('push', wrapped);
  },
  pickPath: (kind) => ipcRenderer.invoke('files-pick', kind === 'folder' ? 'folder' : 'file') as Promise<string | null>,
  // The path comes from the File object of a real drop (a File made by script has none), computed here in
  // the preload, so the page cannot name an arbitrary path to be granted.
  grantDropped: (file) => {
    const p = webUtils.getPathForFile(file);
    return p ? (ipcRenderer.invoke('files-grant-dropped', p) as Promise<string | null>) : Promise.resolve(null);
  },
};

contextBridge.exposeInMainWorld('workstation', api);
