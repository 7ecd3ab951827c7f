import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { type PreloadApi, type PushMessage, type RpcResponse } from '../../src-shared/api/contract';

/** The one object the renderer gets: invoke a handler by name, listen to pushed events. Nothing else. */
const api: PreloadApi = {
  invoke: (method, args) => ipcRenderer.invoke('rpc', method, args) as Promise<RpcResponse>,
  on(listener) {
    const wrapped = (_e: IpcRendererEvent, msg: PushMessage): void => listener(msg);
    ipcRenderer.on('push', wrapped);
    return () => ipcRenderer.removeListener('push', wrapped);
  },
};

contextBridge.exposeInMainWorld('workstation', api);
