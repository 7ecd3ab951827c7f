import { type InspectResult } from '../../../src-shared/orderbook/contract';
import { type OrderbookQueries } from '../../store/queries/orderbook';
import { datasetHash, discover, hashFile } from './io/discover';
import { planFiles } from './plan';
import { appError } from '../../../src-shared/api/errors';
import { excerpt } from '../../../src-shared/text/excerpt';
import { BookInputError } from '../../engine/orderbook/errors';
import { lobsterPlan } from '../../engine/orderbook/lobster';
import { type FoundFile } from './io/discover';
import { type LobsterPair, findLobsterPairs, pairInfo } from './io/lobsterPairs';
import { readLobsterHeads } from './io/lobsterReader';
import { DEFAULT_LOBSTER_BUCKET_SECONDS, lobsterMapping } from './lobsterImport';

/** Inputs up to this size are hashed while inspecting, to say at once that they were imported before. */
const HASH_ON_INSPECT_BYTES = 256 << 20;

/**
 * What is at a path: the book files (format, size, stock id, rows when known), the first book file's columns
 * and first rows, the column mapping matched from the names (or what is missing), and notes (trade files,
 * unreadable files). Reads only headers and footers, except the content hash of inputs up to 256 MB.
 */
export async function inspectPath(path: string, q: OrderbookQueries, shown: string = path): Promise<InspectResult> {
  const found = await discover(path, shown);
  let lobster;
  try {
    lobster = findLobsterPairs(found.files);
    if (lobster) return await inspectLobster(found.root, found.kind, lobster.pairs, lobster.others, q);
  } catch (e) {
    if (e instanceof BookInputError) throw appError('validation', 'ORDERBOOK_BAD_INPUT', e.message, [{ field: 'path', message: e.message, value: excerpt(shown) }]);
    throw e;
  }
  const plans = await planFiles(found.files, { sample: true });
  const books = plans.filter((p) => p.role === 'book');
  const notes: string[] = [];
  const trades = plans.filter((p) => p.role === 'trade');
  if (trades.length) notes.push(`${trades.length} trade file(s) (price, size, order_count) will be left out: the workstation imports book files`);
  for (const p of plans.filter((x) => x.error)) notes.push(p.error!.message);
  const unmatched = books.filter((p) => p.match.kind === 'unknown');
  if (unmatched.length) notes.push(`${unmatched.length} file(s) have no recognisable book columns (e.g. ${unmatched[0].rel}): map them below`);
  const formats = new Set(books.map((b) => b.format));
  if (formats.size > 1) notes.push('the folder mixes Parquet and CSV files; all are imported into one data set');
  const first = books[0] ?? plans.find((p) => !p.error) ?? plans[0];
  const noStock = books.filter((b) => b.stockId === null);
  if (noStock.length && !first.match.suggested.stockId) notes.push(`${noStock.length} file(s) have no stock_id=N in their path: they are imported as stock 0 unless you give a stock id`);

  let duplicateOf: InspectResult['duplicateOf'] = null;
  const totalBytes = books.reduce((a, b) => a + b.bytes, 0);
  if (first?.match.mapping && books.length && totalBytes <= HASH_ON_INSPECT_BYTES) {
    const hashes = [];
    for (const b of books) hashes.push({ sha256: (await hashFile(b.abs)).sha256, stockId: b.stockId ?? 0 });
    const hit = q.findByHash(datasetHash(hashes, first.match.mapping));
    if (hit) duplicateOf = { datasetId: hit.id, label: hit.label };
  }
  return {
    path: found.root,
    kind: found.kind,
    files: plans.map((p) => ({ path: p.rel, format: p.format, bytes: p.bytes, stockId: p.stockId, rows: p.rows, role: p.role })),
    bookFiles: books.length,
    totalBytes,
    columns: first?.columns ?? [],
    sample: first?.sample ?? [],
    mapping: first?.match.mapping ?? null,
    suggested: first.match.suggested,
    missing: first?.match.missing ?? [],
    notes,
    duplicateOf,
    hasHeader: first?.csvHead ? first.csvHead.hasHeader : true,
    firstRow: first?.csvHead ? first.csvHead.firstRow : (first?.columns ?? []),
    lobster: null,
  };
}

/** Inspecting LOBSTER pairs: the pairs, the first orderbook file's first rows, and the fixed mapping (no mapping step). */
async function inspectLobster(root: string, kind: 'file' | 'folder', pairs: LobsterPair[], others: FoundFile[], q: OrderbookQueries): Promise<InspectResult> {
  const heads = await readLobsterHeads(pairs[0]);
  const L = Math.max(...pairs.map((p) => p.name.levels));
  const mapping = lobsterMapping(L, DEFAULT_LOBSTER_BUCKET_SECONDS, lobsterPlan(L, DEFAULT_LOBSTER_BUCKET_SECONDS).names);
  const notes = [`${pairs.length} LOBSTER pair${pairs.length === 1 ? '' : 's'}: time from the message file, prices / 10,000 (dollars), one stock per pair`];
  if (others.length) notes.push(`${others.length} other file(s) (e.g. ${others[0].rel}) are not LOBSTER files and will be left out`);
  const files = pairs.flatMap((p) => [p.message, p.orderbook]);
  const totalBytes = files.reduce((a, f) => a + f.bytes, 0);
  let duplicateOf: InspectResult['duplicateOf'] = null;
  if (totalBytes <= HASH_ON_INSPECT_BYTES) {
    const hashes = [];
    for (const [i, f] of files.entries()) hashes.push({ sha256: (await hashFile(f.abs)).sha256, stockId: pairs[Math.floor(i / 2)].stockId });
    const hit = q.findByHash(datasetHash(hashes, { lobster: true, bucketSeconds: DEFAULT_LOBSTER_BUCKET_SECONDS }));
    if (hit) duplicateOf = { datasetId: hit.id, label: hit.label };
  }
  return {
    path: root,
    kind,
    files: [
      ...files.map((f, i) => ({ path: f.rel, format: 'csv' as const, bytes: f.bytes, stockId: pairs[Math.floor(i / 2)].stockId, rows: null, role: 'book' as const })),
      ...others.map((f) => ({ path: f.rel, format: f.format, bytes: f.bytes, stockId: null, rows: null, role: 'unknown' as const })),
    ],
    bookFiles: pairs.length,
    totalBytes,
    columns: heads.orderbook.columns,
    sample: heads.orderbook.sample,
    mapping,
    suggested: mapping,
    missing: [],
    notes,
    duplicateOf,
    hasHeader: false,
    firstRow: heads.orderbook.firstRow,
    lobster: pairs.map(pairInfo),
  };
}
