import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { queryKeys } from '../../app/queryKeys';
import { type BookContent } from '../../../src-shared/portfolio/book';
import { type BookSummary, type StoredBook, type VersionInfo } from '../../../src-shared/portfolio/contract';
import { type ViewProps } from '../../app/views';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { appErrorOf, call } from '../../ipc/client';
import { BookEditor } from './BookEditor';
import { type DraftIssue, draftPath, issuesByCell, newBook, parseBookDraft, validateDraft } from './draft';
import { type Draft, draftStore } from '../../forms/draftStore';
import { useUnsavedGuard } from '../../forms/useUnsavedGuard';
import { SolveForm } from './SolveForm';
import { SolvePanel } from './SolvePanel';
import { useSolveRuns } from './useSolveRuns';
import { HestonView } from './heston/HestonView';
import { MarketChoice, type PortfolioMarket, loadMarketChoice, saveMarketChoice } from './heston/MarketChoice';
import styles from './portfolio.module.css';
import { cx } from '../../styles/cx';

const same = (a: BookContent, b: BookContent): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Unsaved book edits in localStorage, by book id ('new' for a book never saved): they survive a reload. */
const bookDrafts = draftStore<BookContent>('portfolio-book', parseBookDraft);
const NEW_KEY = 'new';
const NO_BOOKS: BookSummary[] = [];
const fetchBooks = (): Promise<BookSummary[]> => call('portfolio-list', {});

/**
 * Portfolio: the market choice ("Black–Scholes book" or "Heston (one asset)") and that market's screen. Switching
 * away from a book with unsaved edits asks first (the book editor's guard); the Heston inputs are kept as they are.
 */
export function PortfolioView({ connection }: ViewProps) {
  const [market, setMarket] = useState<PortfolioMarket>(loadMarketChoice);
  const choose = (m: PortfolioMarket): void => {
    setMarket(m);
    saveMarketChoice(m);
  };
  return market === 'heston' ? (
    <HestonView connectionOpens={connection.opens} connected={connection.status === 'open'} marketChoice={<MarketChoice value="heston" onChoose={choose} />} />
  ) : (
    <BookPortfolio connection={connection} marketChoice={(guard) => <MarketChoice value="bs" onChoose={(m) => m !== 'bs' && guard(() => choose(m))} />} />
  );
}

/**
 * The Black–Scholes books: books on the left (presets B1-B4 and the user's), the solve form below them; the open
 * book's editor (assets, correlation, options) and the results of its solve runs on the right.
 */
function BookPortfolio({ connection, marketChoice }: ViewProps & { marketChoice(guard: (fn: () => void) => void): ReactNode }) {
  const queryClient = useQueryClient();
  const booksQuery = useQuery({ queryKey: queryKeys.books, queryFn: fetchBooks });
  const books = booksQuery.data ?? NO_BOOKS;
  const listError = booksQuery.error ? appErrorOf(booksQuery.error).message : null;
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
  /** A stored draft of the open book, offered back (restore / discard) when the book is opened. */
  const [offer, setOffer] = useState<{ key: string; draft: Draft<BookContent> } | null>(null);

  /** Refetch the book list (run counts, names after a save) and answer it. */
  const loadList = useCallback(
    (): Promise<BookSummary[]> => queryClient.fetchQuery({ queryKey: queryKeys.books, queryFn: fetchBooks, staleTime: 0 }).catch(() => NO_BOOKS),
    [queryClient],
  );

  /** Show a stored book (a version, or its latest), offering back unsaved edits kept for it. */
  const open = useCallback((bookId: string, version: number | null = null): Promise<void> => {
    return Promise.all([call('portfolio-get', { bookId, version }), call('portfolio-versions', { bookId })]).then(
      ([b, v]) => {
        setStored(b);
        setDraft(b.book);
        setVersions(v);
        setServerIssues([]);
        setMessage(null);
        const kept = bookDrafts.get(bookId);
        setOffer(kept && !same(kept.value, b.book) ? { key: bookId, draft: kept } : null);
      },
      (e) => setMessage({ kind: 'error', text: appErrorOf(e).message }),
    );
  }, []);

  // On first load, open the first book.
  const firstBookId = books[0]?.bookId ?? null;
  const openedFirst = useRef(false);
  useEffect(() => {
    if (openedFirst.current || firstBookId === null) return;
    openedFirst.current = true;
    void open(firstBookId);
  }, [firstBookId, open]);

  const bookRuns = useMemo(() => (stored ? runs.filter((r) => r.config.bookId === stored.bookId).sort((a, b) => b.createdAt - a.createdAt) : []), [runs, stored]);
  /** A run just started and not listed yet: keep showing it (its panel says it is starting). */
  const pendingStart = starting !== null && !runs.some((r) => r.id === starting);
  const shownRunId =
    (runId && bookRuns.some((r) => r.id === runId)) || pendingStart ? runId : (bookRuns.find((r) => r.status === 'done')?.id ?? bookRuns[0]?.id ?? null);

  const dirty = stored ? !same(stored.book, draft) : true;
  /** Edits that would be lost: changes to a stored book, or a new book that is no longer the blank one. */
  const unsaved = stored ? dirty : !same(draft, newBook());
  const draftKey = stored?.bookId ?? NEW_KEY;
  useEffect(() => {
    if (unsaved) bookDrafts.put(draftKey, draft, stored?.version ?? null);
    else if (stored && offer?.key !== draftKey) bookDrafts.remove(draftKey);
  }, [draft, draftKey, unsaved, stored, offer]);
  const { guard, dialog: unsavedDialog } = useUnsavedGuard({
    dirty: unsaved,
    what: `"${draft.name}"`,
    onDiscard: () => bookDrafts.remove(draftKey),
  });
  const startNew = (): void => {
    setStored(null);
    setVersions([]);
    const kept = bookDrafts.get(NEW_KEY);
    setDraft(newBook());
    setOffer(kept && !same(kept.value, newBook()) ? { key: NEW_KEY, draft: kept } : null);
    setServerIssues([]);
    setMessage(null);
  };
  const localIssues = useMemo(() => validateDraft(draft), [draft]);
  const issues = localIssues.length ? localIssues : serverIssues;
  const cellIssues = useMemo(() => issuesByCell([...issues, ...gridIssues]), [issues, gridIssues]);

  const onChange = useCallback((b: BookContent) => {
    setDraft(b);
    setOffer(null); // editing on: the kept draft is overwritten by these edits
    setServerIssues([]);
    setMessage(null);
  }, []);

  const save = async (): Promise<void> => {
    setSaving(true);
    setMessage(null);
    try {
      const r = await call('portfolio-save', { bookId: stored?.bookId ?? null, baseVersion: stored?.version ?? null, book: draft });
      bookDrafts.remove(draftKey);
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
          {marketChoice(guard)}
          <section className={styles.books} data-testid="book-list">
            <div className="panel-title">
              Books
              <span className="spacer" />
              <button
                type="button"
                className="small"
                data-testid="book-new"
                onClick={() => guard(startNew)}
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
                    onClick={() => stored?.bookId !== b.bookId && guard(() => void open(b.bookId))}
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
            onRevert={() => {
              bookDrafts.remove(draftKey);
              if (stored) onChange(stored.book);
              else setDraft(newBook());
            }}
            onDuplicate={() => guard(() => void duplicate())}
            onDelete={() => setConfirmDelete(true)}
            onVersion={(v) => stored && guard(() => void open(stored.bookId, v))}
            draftOffer={offer?.key === draftKey ? offer.draft : null}
            onRestoreDraft={() => {
              if (offer) onChange(offer.draft.value);
              setOffer(null);
            }}
            onDiscardDraft={() => {
              bookDrafts.remove(draftKey);
              setOffer(null);
            }}
          />
          <SolvePanel runs={bookRuns} runId={shownRunId} onSelect={setRunId} progress={progress} starting={pendingStart} />
        </div>
      </main>
      {unsavedDialog}
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
