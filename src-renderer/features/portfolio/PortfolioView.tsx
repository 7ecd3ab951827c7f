import { useCallback, useEffect, useMemo, useState } from 'react';
import { type BookContent } from '../../../src-shared/portfolio/book';
import { type BookSummary, type StoredBook, type VersionInfo } from '../../../src-shared/portfolio/contract';
import { type ViewProps } from '../../app/views';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { appErrorOf, call } from '../../ipc/client';
import { BookEditor } from './BookEditor';
import { type DraftIssue, draftPath, issuesByCell, newBook, validateDraft } from './draft';
import { SolveForm } from './SolveForm';
import { SolvePanel } from './SolvePanel';
import { useSolveRuns } from './useSolveRuns';
import styles from './portfolio.module.css';
import { cx } from '../../styles/cx';

const same = (a: BookContent, b: BookContent): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Portfolio: books on the left (presets B1-B4 and the user's), the solve form below them; the open book's
 * editor (assets, correlation, options) and the results of its solve runs on the right.
 */
export function PortfolioView({ connection, onCounts }: ViewProps) {
  const [books, setBooks] = useState<BookSummary[]>([]);
  const [listError, setListError] = useState<string | null>(null);
  const [stored, setStored] = useState<StoredBook | null>(null);
  const [draft, setDraft] = useState<BookContent>(newBook);
  const [versions, setVersions] = useState<VersionInfo[]>([]);
  const [serverIssues, setServerIssues] = useState<DraftIssue[]>([]);
  const [gridIssues, setGridIssues] = useState<DraftIssue[]>([]);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const [starting, setStarting] = useState<string | null>(null);
  const { runs, progress, refresh: refreshRuns } = useSolveRuns(connection.opens);

  const loadList = useCallback(async (): Promise<BookSummary[]> => {
    try {
      const list = await call('portfolio-list', {});
      setBooks(list);
      setListError(null);
      return list;
    } catch (e) {
      setListError(appErrorOf(e).message);
      return [];
    }
  }, []);

  const open = useCallback(async (bookId: string, version: number | null = null): Promise<void> => {
    try {
      const [b, v] = await Promise.all([call('portfolio-get', { bookId, version }), call('portfolio-versions', { bookId })]);
      setStored(b);
      setDraft(b.book);
      setVersions(v);
      setServerIssues([]);
      setMessage(null);
    } catch (e) {
      setMessage({ kind: 'error', text: appErrorOf(e).message });
    }
  }, []);

  useEffect(() => {
    if (connection.opens === 0) return;
    void loadList().then((list) => {
      if (!stored && list.length) void open(list[0].bookId);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [connection.opens]);

  const bookRuns = useMemo(() => (stored ? runs.filter((r) => r.config.bookId === stored.bookId).sort((a, b) => b.createdAt - a.createdAt) : []), [runs, stored]);
  useEffect(() => {
    if (starting && runs.some((r) => r.id === starting)) setStarting(null);
  }, [runs, starting]);
  useEffect(() => {
    if (runId && bookRuns.some((r) => r.id === runId)) return;
    if (starting) return;
    setRunId(bookRuns.find((r) => r.status === 'done')?.id ?? bookRuns[0]?.id ?? null);
  }, [bookRuns, runId, starting]);
  const active = runs.filter((r) => r.status === 'queued' || r.status === 'running').length;
  useEffect(() => onCounts?.({ runs: runs.length, active }), [onCounts, runs.length, active]);

  const dirty = stored ? !same(stored.book, draft) : true;
  const localIssues = useMemo(() => validateDraft(draft), [draft]);
  const issues = localIssues.length ? localIssues : serverIssues;
  const cellIssues = useMemo(() => issuesByCell([...issues, ...gridIssues]), [issues, gridIssues]);

  const onChange = useCallback((b: BookContent) => {
    setDraft(b);
    setServerIssues([]);
    setMessage(null);
  }, []);

  const save = async (): Promise<void> => {
    setSaving(true);
    setMessage(null);
    try {
      const r = await call('portfolio-save', { bookId: stored?.bookId ?? null, baseVersion: stored?.version ?? null, book: draft });
      await open(r.bookId, r.version);
      await loadList();
      setMessage({
        kind: 'ok',
        text: r.action === 'created' ? `Saved as a new book (v${r.version}).` : r.action === 'new-version' ? `Saved as v${r.version}; runs keep the version they used.` : r.action === 'updated' ? `Saved (v${r.version} updated).` : 'No changes to save.',
      });
    } catch (e) {
      const err = appErrorOf(e);
      setServerIssues((err.fields ?? []).map((f) => ({ path: draftPath(f.field), message: f.message })));
      setMessage({ kind: 'error', text: err.message });
    } finally {
      setSaving(false);
    }
  };

  const duplicate = async (): Promise<void> => {
    if (!stored) return;
    try {
      const r = await call('portfolio-duplicate', { bookId: stored.bookId, version: stored.version });
      await loadList();
      await open(r.bookId, r.version);
      setMessage({ kind: 'ok', text: 'Duplicated into a new book.' });
    } catch (e) {
      setMessage({ kind: 'error', text: appErrorOf(e).message });
    }
  };

  const remove = async (): Promise<void> => {
    setConfirmDelete(false);
    if (!stored) return;
    try {
      await call('portfolio-delete', { bookId: stored.bookId });
      const list = await loadList();
      setStored(null);
      if (list.length) await open(list[0].bookId);
      else setDraft(newBook());
    } catch (e) {
      setMessage({ kind: 'error', text: appErrorOf(e).message });
    }
  };

  return (
    <>
      <main className={styles.main}>
        <aside className={styles.left}>
          <section className={styles.books} data-testid="book-list">
            <div className="panel-title">
              Books
              <span className="spacer" />
              <button
                type="button"
                className="small"
                data-testid="book-new"
                onClick={() => {
                  setStored(null);
                  setVersions([]);
                  setDraft(newBook());
                  setServerIssues([]);
                  setMessage(null);
                }}
              >
                + New
              </button>
            </div>
            {listError && <div className="inline-error">{listError}</div>}
            <ul>
              {books.map((b) => (
                <li key={b.bookId}>
                  <button
                    type="button"
                    className={cx(styles.book, stored?.bookId === b.bookId && styles.active)}
                    data-testid="book-item"
                    data-book-id={b.bookId}
                    title={b.name}
                    onClick={() => void open(b.bookId)}
                  >
                    <span className={styles.bookName}>{b.name}</span>
                    <span className={cx('muted', styles.bookMeta)}>
                      {b.assets} assets · {b.options} option{b.options === 1 ? '' : 's'} · v{b.latestVersion}
                      {b.runs ? ` · ${b.runs} run${b.runs === 1 ? '' : 's'}` : ''}
                      {b.preset ? ` · preset ${b.preset}` : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <SolveForm
            book={draft}
            bookId={stored?.bookId ?? null}
            version={stored?.version ?? null}
            dirty={dirty}
            bookValid={localIssues.length === 0}
            connected={connection.status === 'open'}
            onGridIssues={setGridIssues}
            onStarted={(id) => {
              setStarting(id);
              setRunId(id);
              refreshRuns();
              void loadList();
              if (stored) void open(stored.bookId, stored.version);
            }}
          />
        </aside>
        <div className={styles.right}>
          <BookEditor
            book={draft}
            bookId={stored?.bookId ?? null}
            version={stored?.version ?? null}
            latestVersion={stored?.latestVersion ?? null}
            versionRuns={stored?.runs ?? 0}
            versions={versions}
            dirty={dirty}
            issues={issues}
            cellIssues={cellIssues}
            saving={saving}
            message={message}
            onChange={onChange}
            onSave={() => void save()}
            onRevert={() => stored && onChange(stored.book)}
            onDuplicate={() => void duplicate()}
            onDelete={() => setConfirmDelete(true)}
            onVersion={(v) => stored && void open(stored.bookId, v)}
          />
          <SolvePanel runs={bookRuns} runId={runId} onSelect={setRunId} progress={progress} starting={starting !== null} />
        </div>
      </main>
      {confirmDelete && stored && (
        <ConfirmDialog
          title="Delete book"
          message={`Delete "${stored.book.name}" and all its versions? Books used by solve runs cannot be deleted until those runs are.`}
          confirmText="Delete"
          danger
          onConfirm={() => void remove()}
          onCancel={() => setConfirmDelete(false)}
        />
      )}
    </>
  );
}
