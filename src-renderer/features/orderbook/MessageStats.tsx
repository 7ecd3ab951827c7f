import { useEffect, useState } from 'react';
import { type BucketMessages, type StockSummary } from '../../../src-shared/orderbook/contract';
import { fmtInt } from '../../app/format';
import { appErrorOf, call } from '../../ipc/client';
import styles from './orderbook.module.css';

/** hh:mm:ss of seconds after midnight. */
const clock = (s: number): string => [Math.floor(s / 3600), Math.floor((s % 3600) / 60), Math.floor(s % 60)].map((x) => String(x).padStart(2, '0')).join(':');

const TYPES = ['new', 'part. cancel', 'delete', 'visible exec.', 'hidden exec.', 'cross', 'halt'];

/**
 * Message statistics per bucket of a LOBSTER stock ('orderbook-buckets' `messages`): messages by event type
 * (1-7), shares executed visibly (type 4) and against hidden orders (type 5), executions, and messages inside a
 * halt; the bucket's start on the session clock, and the stock's halts.
 */
export function MessageStats({ datasetId, stock, bucketSeconds }: { datasetId: string; stock: StockSummary; bucketSeconds: number }) {
  // Kept with the stock it belongs to, so another stock's table never shows while the new one loads.
  const key = `${datasetId}:${stock.stockId}`;
  const [loaded, setLoaded] = useState<{ key: string; m: BucketMessages | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call('orderbook-buckets', { datasetId, stockId: stock.stockId })
      .then((t) => live && setLoaded({ key: `${datasetId}:${stock.stockId}`, m: t.messages }))
      .catch((e) => live && setError(appErrorOf(e).message));
    return () => {
      live = false;
    };
  }, [datasetId, stock.stockId]);
  const m = loaded?.key === key ? loaded.m : null;
  if (error) return <div className="inline-error">{error}</div>;
  if (!m) return null;
  const start = stock.session?.startSeconds ?? 0;
  return (
    <div className={styles.messages} data-testid="ob-messages">
      <div className="muted">
        Messages per {bucketSeconds} s bucket of {stock.name ?? `stock ${stock.stockId}`}
        {stock.session ? ` (${stock.session.date ?? ''} session ${clock(stock.session.startSeconds)}–${clock(stock.session.endSeconds)})` : ''}; volumes in shares
        {stock.halts.length > 0 && ` · halts: ${stock.halts.map((h) => `${clock(start + h.startSecond)}–${h.endSecond === null ? 'end of file' : clock(start + h.endSecond)}`).join(', ')}`}
      </div>
      <table className={styles.sample} data-testid="ob-messages-table">
        <thead>
          <tr>
            <th>bucket from</th>
            {TYPES.map((t, i) => (
              <th key={t} title={`type ${i + 1}`}>
                {i + 1} {t}
              </th>
            ))}
            <th>visible vol. (sh)</th>
            <th>hidden vol. (sh)</th>
            <th>trades</th>
            <th>in halt</th>
          </tr>
        </thead>
        <tbody>
          {m.timeId.map((b, i) => (
            <tr key={b} data-testid="ob-messages-row">
              <td>{clock(start + b * bucketSeconds)}</td>
              {m.events.map((e, t) => (
                <td key={t}>{fmtInt(e[i])}</td>
              ))}
              <td>{fmtInt(m.visibleVolume[i])}</td>
              <td>{fmtInt(m.hiddenVolume[i])}</td>
              <td>{fmtInt(m.trades[i])}</td>
              <td>{fmtInt(m.haltedRows[i])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
