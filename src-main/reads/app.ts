import { type HandlerTable } from '../../src-shared/api/handlers';
import { type ReadPool } from './pool';

/** 'reads-cancel': cancel the reads a caller named (the order-book signature plot and profiles take a readId). */
export function readsHandlers(deps: { reads: ReadPool }): Pick<HandlerTable, 'reads-cancel'> {
  return {
    'reads-cancel': ({ readId }) => ({ cancelled: deps.reads.cancel(readId) }),
  };
}
