import { useCallback, useEffect, useRef, useState } from 'react';
import { type DatasetDetail } from '../../../src-shared/orderbook/contract';
import { ProfileChart, SignatureChart } from './AnalysisPanels';
import { TimeUnitsBar } from './TimeUnitsBar';
import { fmtInt } from '../../app/format';
import { type ViewProps } from '../../app/views';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { appErrorOf, call } from '../../ipc/client';
import { DatasetsGrid, StocksGrid } from './DatasetsGrid';
import { ImportPanel } from './ImportPanel';
import { PathBuilderPanel } from './PathBuilderPanel';
import { MessageStats } from './MessageStats';
import { RvHistogram } from './RvHistogram';
import { WapChart } from './WapChart';
import { useOrderbook } from './useOrderbook';
import styles from './orderbook.module.css';
import { cx } from '../../styles/cx';

/**
 * Order books: import (left, top) and the path builder (left, bottom); the data sets and the selected data
 * set's stocks (right, top); the selected stock's WAP chart with zoom and bid/ask band and the realised-
 * volatility histogram (right, bottom).
 */
export function OrderbookView({ connection }: ViewProps) {
  const state = useOrderbook(connection.opens);
  const [datasetId, setDatasetId] = useState<string | null>(null);
  const [detail, setDetail] = useState<DatasetDetail | null>(null);
  const [stockId, setStockId] = useState<number | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [tab, setTab] = useState<'wap' | 'signature' | 'profile'>('wap');
  const [unitsVersion, setUnitsVersion] = useState(0);


  // A data set just imported, selected before the list has been refetched with it: not a deleted selection.
  const justImported = useRef<string | null>(null);
  // Open on the newest data set (the example on a fresh data directory); drop a selection that was deleted.
  useEffect(() => {
    if (!state.loaded) return;
    const listed = datasetId !== null && state.datasets.some((d) => d.id === datasetId);
    if (listed && justImported.current === datasetId) justImported.current = null;
    if (datasetId !== null && justImported.current === datasetId) return;
    if (!listed) setDatasetId(state.datasets[0]?.id ?? null);
  }, [state.loaded, state.datasets, datasetId]);

  useEffect(() => {
    if (!datasetId) {
      setDetail(null);
      return;
    }
    let live = true;
    call('orderbook-dataset-get', { datasetId })
      .then((d) => {
        if (!live) return;
        setDetail(d);
        setStockId((s) => (s !== null && d.stocksTable.some((x) => x.stockId === s) ? s : (d.stocksTable[0]?.stockId ?? null)));
      })
      .catch((e) => live && setActionError(appErrorOf(e).message));
    return () => {
      live = false;
    };
    // read again when the units change: the stocks' volatilities are annualised in them
  }, [datasetId, unitsVersion]);

  const { refresh } = state;
  const onImported = useCallback(
    (id: string) => {
      justImported.current = id;
      setDatasetId(id);
      refresh();
    },
    [refresh],
  );

  const doDelete = async (): Promise<void> => {
    setConfirmDelete(false);
    if (!datasetId) return;
    try {
      await call('orderbook-dataset-delete', { datasetId });
      setDatasetId(null);
      setActionError(null);
    } catch (e) {
      setActionError(appErrorOf(e).message);
    } finally {
      state.refresh();
    }
  };

  const dataset = state.datasets.find((d) => d.id === datasetId) ?? null;
  return (
    <>
      <main className={cx('app-main', styles.main)}>
        <aside className={cx('left-panel', styles.left)}>
          <ImportPanel state={state} connected={connection.status === 'open'} onImported={onImported} />
          <PathBuilderPanel state={state} dataset={dataset} connected={connection.status === 'open'} timeUnits={detail && detail.id === dataset?.id ? detail.timeUnits : null} />
        </aside>
        <div className="right-panel">
          <section className={cx('panel', styles.top)}>
            <div className="toolbar">
              <span className="panel-title-inline">Data sets</span>
              <span className="muted" data-testid="ob-datasets-count">
                {state.datasets.length} stored
              </span>
              {(state.error || actionError) && (
                <span className="inline-error" role="alert">
                  {state.error ?? actionError}
                </span>
              )}
              <span className="spacer" />
              <button type="button" className="small" onClick={state.refresh}>
                Refresh
              </button>
              <button type="button" className="small danger" data-testid="ob-delete-dataset" disabled={!datasetId} onClick={() => setConfirmDelete(true)}>
                Delete data set
              </button>
            </div>
            <div className={styles.grids}>
              <DatasetsGrid datasets={state.datasets} selectedId={datasetId} onSelect={setDatasetId} />
              <StocksGrid stocks={detail?.stocksTable ?? []} selectedId={stockId} onSelect={setStockId} />
            </div>
          </section>
          <section className={cx('panel', styles.bottom)} data-testid="ob-detail">
            {detail && stockId !== null ? (
              <>
                <div className={cx(styles.detailHead, 'muted')} data-testid="ob-detail-head">
                  {detail.label} · {detail.source === 'lobster' ? 'LOBSTER pairs' : `${detail.layout} layout`}, {detail.levels} levels, {detail.bucketSeconds} s buckets · {fmtInt(detail.rows)} rows
                  {detail.rejectedRows > 0 ? ` (${fmtInt(detail.rejectedRows)} rejected)` : ''} · {detail.sourcePath}
                </div>
                <div className={styles.analysisBar}>
                  <div className={styles.tabs} role="tablist" aria-label="analyses">
                    {(
                      [
                        ['wap', 'WAP series'],
                        ['signature', 'Signature plot'],
                        ['profile', 'Intraday profile'],
                      ] as const
                    ).map(([k, text]) => (
                      <button key={k} type="button" role="tab" aria-selected={tab === k} className={cx('small', tab === k && styles.tabOn)} data-testid={`ob-tab-${k}`} onClick={() => setTab(k)}>
                        {text}
                      </button>
                    ))}
                  </div>
                  <TimeUnitsBar
                    key={detail.id}
                    datasetId={detail.id}
                    units={detail.timeUnits}
                    onSaved={(u) => {
                      setDetail((d) => (d ? { ...d, timeUnits: u } : d));
                      setUnitsVersion((v) => v + 1);
                      refresh(); // the data sets' volatility columns are in the new units
                    }}
                  />
                </div>
                {tab === 'wap' && (
                  <div className={styles.charts}>
                    <WapChart datasetId={detail.id} stockId={stockId} />
                    <RvHistogram datasetId={detail.id} stockId={stockId} unitsVersion={unitsVersion} />
                  </div>
                )}
                {tab === 'signature' && (
                  <div className={styles.single}>
                    <SignatureChart datasetId={detail.id} stockId={stockId} unitsVersion={unitsVersion} />
                  </div>
                )}
                {tab === 'profile' && (
                  <div className={styles.single}>
                    <ProfileChart datasetId={detail.id} stockId={stockId} unitsVersion={unitsVersion} />
                  </div>
                )}
                {detail.source === 'lobster' && detail.stocksTable.some((x) => x.stockId === stockId) && (
                  <MessageStats datasetId={detail.id} stock={detail.stocksTable.find((x) => x.stockId === stockId)!} bucketSeconds={detail.bucketSeconds} />
                )}
              </>
            ) : (
              <div className="empty">{state.loaded && state.datasets.length === 0 ? 'No data sets yet: import a Parquet or CSV book file on the left.' : 'Select a data set and a stock.'}</div>
            )}
          </section>
        </div>
      </main>
      {confirmDelete && dataset && (
        <ConfirmDialog
          title="Delete data set"
          message={`Delete “${dataset.label}” (${fmtInt(dataset.rows)} rows)? Path sets built from it are kept. This cannot be undone.`}
          confirmText="Delete"
          danger
          onConfirm={() => void doDelete()}
          onCancel={() => setConfirmDelete(false)}
        />
      )}
    </>
  );
}
