import { useEffect, useRef, useState } from 'react';
import { isTerminal } from '../../../src-shared/api/runs';
import { type ColumnMapping, type ImportMetrics, type InspectResult, type LobsterPairInfo, MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, MAX_UPLOAD_FOLDER_BYTES, positionalColumn } from '../../../src-shared/orderbook/contract';
import { fmtInt } from '../../app/format';
import { appErrorOf, call } from '../../ipc/client';
import { ImportProgress, ImportResult } from './ImportStatus';
import { MappingForm, unmappedRoles } from './MappingForm';
import { type OrderbookState, liveRuns } from './useOrderbook';
import styles from './orderbook.module.css';
import { cx } from '../../styles/cx';

interface Props {
  state: OrderbookState;
  connected: boolean;
  /** A finished import (or a duplicate) points at this data set. */
  onImported(datasetId: string): void;
}

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * Import a book file or folder: a path typed here is checked on the host ('orderbook-inspect': files, columns,
 * matched mapping); small files can be uploaded from the browser instead, one or several at once (chosen or
 * dropped): several go into one upload folder, which is checked and imported like a folder, so a LOBSTER pair
 * (or several pairs) uploaded together is imported as pairs. When the columns do not match the expected names,
 * the mapping step appears. Import starts a job with live progress and Cancel.
 * (In the desktop app a native file dialog fills the path, and one dropped file or folder is read where it is.)
 */
export function ImportPanel({ state, connected, onImported }: Props) {
  const [path, setPath] = useState('');
  const [inspect, setInspect] = useState<InspectResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [pathError, setPathError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [editMapping, setEditMapping] = useState(false);
  const [skipBad, setSkipBad] = useState(false);
  const [bucketSeconds, setBucketSeconds] = useState('600');
  const [label, setLabel] = useState('');
  const [runId, setRunId] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [uploading, setUploading] = useState<{ done: number; total: number } | null>(null);
  const [dragOver, setDragOver] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const reported = useRef(new Set<string>());

  // After a reload: show an import that is still running.
  const live = liveRuns(state.runs, 'orderbook-import');
  useEffect(() => {
    if (runId === null && live.length > 0) setRunId(live[0].id);
  }, [runId, live]);
  const run = runId ? (state.runs.find((r) => r.id === runId) ?? null) : null;
  useEffect(() => {
    if (run && run.status === 'done' && !reported.current.has(run.id)) {
      reported.current.add(run.id);
      const m = run.metrics as ImportMetrics | null;
      if (m) onImported(m.datasetId);
    }
  }, [run, onImported]);

  const check = async (p: string = path): Promise<void> => {
    if (!p.trim()) {
      setPathError('type the path of a .parquet / .csv file or of a folder of them');
      return;
    }
    setChecking(true);
    setPathError(null);
    if (inspect && inspect.path !== p.trim()) setLabel('');
    setInspect(null);
    try {
      const r = await call('orderbook-inspect', { path: p.trim() });
      setInspect(r);
      setMapping(r.mapping ?? (r.hasHeader ? r.suggested : { ...r.suggested, header: false }));
      setEditMapping(r.mapping === null && r.bookFiles > 0);
    } catch (e) {
      setPathError(appErrorOf(e).message);
    } finally {
      setChecking(false);
    }
  };

  /** Electron: the app reads only what the user chooses in a native dialog or drops (see files/policy.ts). */
  const desktop = typeof window !== 'undefined' ? window.workstation : undefined;
  const pick = async (kind: 'file' | 'folder'): Promise<void> => {
    const p = await desktop?.pickPath?.(kind);
    if (p) {
      setPath(p);
      await check(p);
    }
  };
  const onDrop = async (e: React.DragEvent): Promise<void> => {
    e.preventDefault();
    setDragOver(false);
    const dropped = Array.from(e.dataTransfer.files ?? []);
    if (dropped.length === 0) return;
    // Desktop: one file or folder is read where it is (granted); several files are uploaded together.
    if (dropped.length === 1 && desktop?.grantDropped) {
      const p = await desktop.grantDropped(dropped[0]);
      if (p) {
        setPath(p);
        await check(p);
      }
      return;
    }
    await upload(dropped);
  };

  /** Upload one file, or several into one upload folder (then the folder is checked), within the size limits. */
  const upload = async (chosen: File[]): Promise<void> => {
    const byPath = desktop?.pickPath ? 'choose the folder that holds them with Folder…' : "type the folder's path instead";
    const big = chosen.filter((f) => f.size > MAX_UPLOAD_BYTES);
    const total = chosen.reduce((a, f) => a + f.size, 0);
    const names = new Set(chosen.map((f) => f.name));
    const problem =
      big.length > 0
        ? `${big[0].name} is ${fmtInt(big[0].size)} bytes; uploads are limited to ${fmtInt(MAX_UPLOAD_BYTES)} bytes a file. ${chosen.length > 1 ? byPath[0].toUpperCase() + byPath.slice(1) : desktop?.pickPath ? 'Choose it with File…' : "Type the file's path instead"}.`
        : chosen.length > MAX_UPLOAD_FILES
          ? `${chosen.length} files chosen; at most ${MAX_UPLOAD_FILES} can be uploaded together: ${byPath}.`
          : total > MAX_UPLOAD_FOLDER_BYTES
            ? `the ${chosen.length} files are ${fmtInt(total)} bytes; files uploaded together are limited to ${fmtInt(MAX_UPLOAD_FOLDER_BYTES)} bytes in all: ${byPath}.`
            : names.size < chosen.length
              ? 'two of the files have the same name; upload files with different names together'
              : chosen.some((f) => f.size === 0)
                ? `${chosen.find((f) => f.size === 0)!.name} is empty (0 bytes)`
                : null;
    if (problem) {
      setPathError(problem);
      return;
    }
    setUploading({ done: 0, total: chosen.length });
    setPathError(null);
    try {
      let folder: string | undefined;
      let last: { path: string; folderPath: string } | null = null;
      for (const [i, file] of chosen.entries()) {
        const r = await call('orderbook-upload', { name: file.name, dataBase64: toBase64(await file.arrayBuffer()), ...(folder ? { folder } : {}) });
        folder = r.folder;
        last = r;
        setUploading({ done: i + 1, total: chosen.length });
      }
      const target = chosen.length === 1 ? last!.path : last!.folderPath;
      setPath(target);
      await check(target);
    } catch (e) {
      setPathError(appErrorOf(e).message);
    } finally {
      setUploading(null);
    }
  };

  const unmapped = mapping ? unmappedRoles(mapping) : ['everything'];
  const running = run !== null && !isTerminal(run.status);
  const lobster = inspect?.lobster ?? null;
  const bucket = Number(bucketSeconds);
  const bucketError = lobster && !(bucket > 0 && bucket <= 86_400) ? 'bucket length must be a number of seconds from 1 to 86400' : null;
  const canImport = connected && !!inspect && inspect.bookFiles > 0 && unmapped.length === 0 && !running && !bucketError;
  // The mapping step's columns: the header's names, or positions (`column 3`) when the user says there is none.
  const header = mapping?.header ?? inspect?.hasHeader ?? true;
  const view = !inspect
    ? { columns: [], sample: [] }
    : header === inspect.hasHeader
      ? { columns: inspect.columns, sample: inspect.sample }
      : header
        ? { columns: inspect.firstRow, sample: inspect.sample.slice(1) }
        : { columns: inspect.firstRow.map((_, k) => positionalColumn(k + 1)), sample: [inspect.firstRow, ...inspect.sample] };
  const setHeader = (h: boolean): void => {
    if (!inspect || !mapping) return;
    // The column names change: start the mapping again (keeping layout, levels, unit and bucket).
    const L = mapping.levels;
    const empty = Array.from({ length: L }, () => '');
    setMapping({ ...mapping, header: h, timeId: undefined, secondsInBucket: undefined, timestamp: undefined, stockId: undefined, bidPrice: empty, bidSize: [...empty], askPrice: [...empty], askSize: [...empty] });
  };

  const start = async (): Promise<void> => {
    if (!inspect || !mapping) return;
    setStartError(null);
    try {
      const r = await call('orderbook-import', {
        path: inspect.path,
        ...(lobster ? { bucketSeconds: bucket } : editMapping || inspect.mapping === null ? { mapping } : {}),
        ...(skipBad ? { skipBadRows: true } : {}),
        ...(label.trim() ? { label: label.trim() } : {}),
      });
      setRunId(r.runId);
      state.refresh();
    } catch (e) {
      setStartError(appErrorOf(e).message);
    }
  };

  return (
    <section
      className={cx(styles.card, dragOver && styles.dropping)}
      data-testid="ob-import"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragOver(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragOver(false);
      }}
      onDrop={(e) => void onDrop(e)}
    >
      <div className="panel-title">Import order books</div>
      <div className={styles.body}>
        <label className={styles.label} htmlFor="ob-path">
          File or folder (on the host)
        </label>
        <div className={styles.row}>
          <input
            id="ob-path"
            data-testid="ob-path"
            className={cx(styles.text, pathError && styles.invalid)}
            placeholder="/data/book_train.parquet"
            value={path}
            spellCheck={false}
            onChange={(e) => setPath(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && void check()}
          />
          <button type="button" className="small" data-testid="ob-check" disabled={checking || !connected} onClick={() => void check()}>
            {checking ? 'Checking…' : 'Check'}
          </button>
          {desktop?.pickPath && (
            <>
              <button type="button" className="small" data-testid="ob-pick-file" disabled={checking || !connected} onClick={() => void pick('file')}>
                File…
              </button>
              <button type="button" className="small" data-testid="ob-pick-folder" disabled={checking || !connected} onClick={() => void pick('folder')}>
                Folder…
              </button>
            </>
          )}
        </div>
        <div className={cx(styles.row, styles.uploadRow)}>
          <input
            ref={fileInput}
            type="file"
            data-testid="ob-upload-input"
            accept=".csv,.tsv,.txt,.parquet,.pq"
            multiple
            hidden
            onChange={(e) => {
              const chosen = Array.from(e.target.files ?? []);
              e.target.value = '';
              if (chosen.length) void upload(chosen);
            }}
          />
          <button type="button" className="link-button" data-testid="ob-upload" disabled={uploading !== null || !connected} onClick={() => fileInput.current?.click()}>
            {uploading ? `Uploading ${uploading.done + 1 > uploading.total ? uploading.total : uploading.done + 1} of ${uploading.total}…` : 'or upload small files'}
          </button>
          <span className="muted" data-testid="ob-upload-hint">
            (or drop them here; up to {MAX_UPLOAD_BYTES / 1000} kB a file, {MAX_UPLOAD_FILES} files together: both files of a LOBSTER pair at once)
          </span>
        </div>
        {pathError && (
          <div className={cx('field-error', styles.block)} data-testid="ob-path-error" role="alert">
            {pathError}
          </div>
        )}
        {inspect && (
          <div className={styles.inspect} data-testid="ob-inspect">
            <div>
              <b>{inspect.bookFiles}</b> {inspect.lobster ? 'LOBSTER pair' : 'book file'}
              {inspect.bookFiles === 1 ? '' : 's'} ({(inspect.totalBytes / 1e6).toFixed(2)} MB)
              {inspect.files.some((f) => f.stockId !== null) && `, stock ids ${[...new Set(inspect.files.map((f) => f.stockId).filter((s) => s !== null))].slice(0, 12).join(', ')}`}
              {inspect.files.some((f) => f.rows !== null) && `, ${fmtInt(inspect.files.reduce((a, f) => a + (f.rows ?? 0), 0))} rows`}
            </div>
            {lobster ? (
              <LobsterPairs pairs={lobster} bucketSeconds={bucketSeconds} onBucketSeconds={setBucketSeconds} error={bucketError} />
            ) : (
            <div className="muted">
              {inspect.mapping ? `columns match the ${inspect.mapping.layout} layout, ${inspect.mapping.levels} level${inspect.mapping.levels === 1 ? '' : 's'}` : `columns not recognised: ${inspect.missing.join(', ')}`}
              {inspect.mapping && (
                <button type="button" className="link-button" data-testid="ob-edit-mapping" onClick={() => setEditMapping((v) => !v)}>
                  {editMapping ? 'hide mapping' : 'edit mapping'}
                </button>
              )}
            </div>
            )}
            {inspect.duplicateOf && (
              <div className="note warn" data-testid="ob-inspect-duplicate">
                Already imported as “{inspect.duplicateOf.label}”: importing again stores nothing new.
              </div>
            )}
            {inspect.notes.map((n, i) => (
              <div key={i} className="muted">
                · {n}
              </div>
            ))}
          </div>
        )}
        {inspect && mapping && editMapping && !lobster && <MappingForm columns={view.columns} sample={view.sample} value={mapping} onChange={setMapping} header={header} onHeader={setHeader} />}
        {inspect && (
          <>
            <label className={styles.checkRow}>
              <input type="checkbox" data-testid="ob-skip-bad" checked={skipBad} onChange={(e) => setSkipBad(e.target.checked)} />
              Skip bad rows (import the rest and report them; default: any bad row stops the import, nothing is stored)
            </label>
            <div className={styles.row}>
              <input className={styles.text} data-testid="ob-label" placeholder="label (optional)" maxLength={120} value={label} onChange={(e) => setLabel(e.target.value)} />
            </div>
          </>
        )}
        <div className={styles.actions}>
          <button type="button" className="primary" data-testid="ob-import-button" disabled={!canImport} onClick={() => void start()}>
            Import
          </button>
          {inspect && unmapped.length > 0 && inspect.bookFiles > 0 && <span className="form-invalid">map the columns first</span>}
        </div>
        {startError && (
          <div className="form-error" role="alert" data-testid="ob-start-error">
            {startError}
          </div>
        )}
        {run && running && <ImportProgress run={run} progress={state.progress[run.id]} />}
        {run && !running && <ImportResult run={run} datasetLabel={(id) => state.datasets.find((d) => d.id === id)?.label ?? null} />}
      </div>
    </section>
  );
}

const clock = (s: number): string => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;

/** The LOBSTER pairs found at the path, and the bucket length on the session clock. */
function LobsterPairs({ pairs, bucketSeconds, onBucketSeconds, error }: { pairs: LobsterPairInfo[]; bucketSeconds: string; onBucketSeconds(v: string): void; error: string | null }) {
  return (
    <div data-testid="ob-lobster">
      <div className="muted">LOBSTER pairs: time from the message file, prices / 10,000 (dollars), one stock per pair; no mapping needed.</div>
      <table className={styles.sample} data-testid="ob-lobster-pairs">
        <thead>
          <tr>
            <th>stock</th>
            <th>date</th>
            <th>session</th>
            <th>levels</th>
            <th>size (MB)</th>
          </tr>
        </thead>
        <tbody>
          {pairs.slice(0, 20).map((p) => (
            <tr key={p.messageFile} title={`${p.messageFile}\n${p.orderbookFile}`}>
              <td>{p.stockName}</td>
              <td>{p.date}</td>
              <td>
                {clock(p.startSeconds)}–{clock(p.endSeconds)}
              </td>
              <td>{p.levels}</td>
              <td>{(p.bytes / 1e6).toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pairs.length > 20 && <div className="muted">… and {pairs.length - 20} more pairs</div>}
      <div className={styles.row}>
        <label htmlFor="ob-lobster-bucket">Bucket length</label>
        <input
          id="ob-lobster-bucket"
          className={cx(styles.text, styles.bucketInput, error && styles.invalid)}
          data-testid="ob-lobster-bucket"
          type="number"
          min={1}
          max={86400}
          value={bucketSeconds}
          onChange={(e) => onBucketSeconds(e.target.value)}
        />
        <span className="muted">s on the session clock (from START)</span>
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
