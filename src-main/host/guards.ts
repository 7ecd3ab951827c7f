/**
 * Process-level guards of a long-lived backend (browser-mode host, Electron's backend process): an exception
 * or rejection that escaped every handler is logged with its stack and the process keeps serving — running
 * jobs live in worker threads and keep going. Each request already turns its own failures into error replies
 * (dispatch.ts, reply.ts); this is the net under code outside a request (timers, socket callbacks, events).
 *
 * Returns a function that removes the guards (tests).
 */
export function installProcessGuards(log: (line: string) => void = (l) => console.error(l)): () => void {
  const describe = (e: unknown): string => (e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));
  const onException = (e: unknown): void => log(`uncaught exception (the host keeps running): ${describe(e)}`);
  const onRejection = (e: unknown): void => log(`unhandled rejection (the host keeps running): ${describe(e)}`);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
