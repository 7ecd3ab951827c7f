import { type BookContent } from '../../../src-shared/portfolio/book';
import { fieldLabel } from '../../../src-shared/api/fieldLabels';
import { type VersionInfo } from '../../../src-shared/portfolio/contract';
import { fmtDateTime } from '../../app/format';
import { AssetsGrid, CorrelationGrid, OptionsGrid } from './BookGrids';
import { type DraftIssue, parseCellNumber } from './draft';
import styles from './portfolio.module.css';
import { cx } from '../../styles/cx';
import { type Draft } from '../../forms/draftStore';

interface Props {
  book: BookContent;
  bookId: string | null;
  version: number | null;
  latestVersion: number | null;
  /** Runs that used the open version (saving then creates a new version). */
  versionRuns: number;
  versions: VersionInfo[];
  dirty: boolean;
  issues: DraftIssue[];
  cellIssues: Map<string, string[]>;
  saving: boolean;
  message: { kind: 'ok' | 'error'; text: string } | null;
  onChange(b: BookContent): void;
  onSave(): void;
  onRevert(): void;
  onDuplicate(): void;
  onDelete(): void;
  onVersion(v: number): void;
  /** Unsaved edits of this book kept from an earlier session (a reload), offered back. */
  draftOffer: Draft<BookContent> | null;
  onRestoreDraft(): void;
  onDiscardDraft(): void;
}

/** The book editor: name, rate, versions and actions; assets, correlation and options grids; the issues. */
export function BookEditor(p: Props) {
  const { book } = p;
  const saveNote =
    p.bookId === null
      ? 'new book — not saved yet'
      : p.versionRuns > 0
        ? `v${p.version} was used by ${p.versionRuns} run${p.versionRuns === 1 ? '' : 's'}: saving creates v${(p.latestVersion ?? 0) + 1}`
        : p.version !== p.latestVersion
          ? `editing v${p.version} (older): saving creates v${(p.latestVersion ?? 0) + 1}`
          : `v${p.version} has no runs: saving updates it in place`;
  return (
    <section className={cx('panel', styles.editor)} data-testid="book-editor">
      <div className={cx('toolbar', styles.editorBar)}>
        <label className={styles.inlineField}>
          Name
          <input data-testid="book-name" value={book.name} maxLength={80} onChange={(e) => p.onChange({ ...book, name: e.target.value })} className={p.cellIssues.has('name') ? styles.inputError : undefined} />
        </label>
        <label className={styles.inlineField} title="continuously compounded risk-free rate, per year">
          r /yr
          <input
            data-testid="book-rate"
            className={cx(styles.numInput, p.cellIssues.has('rate') && styles.inputError)}
            defaultValue={String(book.rate)}
            key={`${p.bookId}-${p.version}-${book.rate}`}
            onBlur={(e) => p.onChange({ ...book, rate: parseCellNumber(e.target.value) })}
          />
        </label>
        <label className={styles.inlineField}>
          Version
          <select data-testid="book-version" value={p.version ?? ''} disabled={!p.bookId} onChange={(e) => p.onVersion(Number(e.target.value))}>
            {p.bookId === null && <option value="">—</option>}
            {p.versions.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version} · {fmtDateTime(v.updatedAt)} · {v.runs} run{v.runs === 1 ? '' : 's'}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <button type="button" className="small" data-testid="book-revert" disabled={!p.dirty || p.saving} onClick={p.onRevert}>
          Revert
        </button>
        <button type="button" className="small" data-testid="book-duplicate" disabled={!p.bookId || p.saving} onClick={p.onDuplicate} title="Copy this version into a new book">
          Duplicate
        </button>
        <button type="button" className="small danger" data-testid="book-delete" disabled={!p.bookId || p.saving} onClick={p.onDelete}>
          Delete
        </button>
        <button type="button" className="small primary" data-testid="book-save" disabled={!p.dirty || p.issues.length > 0 || p.saving} onClick={p.onSave}>
          {p.saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      {p.draftOffer && (
        <div className={cx(styles.message, styles.draftOffer)} role="status" data-testid="book-draft-offer">
          Unsaved edits of this book from {fmtDateTime(p.draftOffer.savedAt)}
          {p.draftOffer.baseVersion !== null ? ` (made on v${p.draftOffer.baseVersion})` : ''} were kept.{' '}
          <button type="button" className="small primary" data-testid="book-draft-restore" onClick={p.onRestoreDraft}>
            Restore
          </button>{' '}
          <button type="button" className="small" data-testid="book-draft-discard" onClick={p.onDiscardDraft}>
            Discard
          </button>
        </div>
      )}
      <div className={cx(styles.saveNote, p.dirty ? styles.dirty : 'muted')} data-testid="book-save-note">
        {p.dirty ? `Unsaved edits · ${saveNote}` : saveNote}
      </div>
      {(p.issues.length > 0 || p.message) && (
        <div className={p.issues.length ? styles.issues : cx(styles.message, p.message!.kind === 'ok' ? styles.messageOk : styles.messageError)} data-testid={p.issues.length ? 'book-issues' : 'book-message'} role={p.issues.length ? 'alert' : undefined}>
          {p.issues.length > 0 ? (
            <>
              <b>{p.issues.length === 1 ? '1 problem' : `${p.issues.length} problems`} — nothing is saved until they are fixed:</b>
              <ul>
                {p.issues.slice(0, 6).map((i, k) => (
                  <li key={k} data-testid="book-issue" data-path={i.path}>
                    <span className={styles.issuePath}>{i.path ? fieldLabel(i.path, { domain: 'portfolio', assetNames: book.assets.map((a) => a.name) }) : 'book'}:</span> {i.message}
                  </li>
                ))}
                {p.issues.length > 6 && <li className="muted">… and {p.issues.length - 6} more (red cells)</li>}
              </ul>
            </>
          ) : (
            p.message!.text
          )}
        </div>
      )}
      <div className={styles.gridsTop}>
        <AssetsGrid book={book} issues={p.cellIssues} onChange={p.onChange} readOnly={p.saving} />
        <CorrelationGrid book={book} issues={p.cellIssues} onChange={p.onChange} readOnly={p.saving} />
      </div>
      <div className={styles.gridsBottom}>
        <OptionsGrid book={book} issues={p.cellIssues} onChange={p.onChange} readOnly={p.saving} />
      </div>
    </section>
  );
}
