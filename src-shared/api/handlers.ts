import { type Method, type Parsed, type Res } from './contract';

/**
 * The handler table both transports serve (Electron IPC and the browser-mode WebSocket): one handler per
 * contract method, taking the method's parsed request and returning its response. Derived from the contract,
 * so a missing handler is a type error. Domains build slices of it (`Pick<HandlerTable, …>`); the composition
 * root (src-main/workstation.ts) joins them; src-main/host/dispatch.ts validates and calls into it.
 */
export type HandlerTable = { [M in Method]: (args: Parsed<M>) => Res<M> | Promise<Res<M>> };
