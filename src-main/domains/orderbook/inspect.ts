import { type InspectResult } from '../../../src-shared/orderbook/contract';
import { type OrderbookQueries } from '../../store/queries/orderbook';
import { datasetHash, discover, hashFile } from './io/discover';
import { planFiles } from './plan';

/** Inputs up to this size are hashed while inspecting, to say at once that they were imported before. */
const HASH_ON_INSPECT_BYTES = 256 << 20;

/**
 * What is at a path: the book files (format, size, stock id, rows when known), the first book file's columns
 * and first rows, the column mapping matched from the names (or what is missing), and notes (trade files,
 * unreadable files). Reads only headers and footers, except the content hash of inputs up to 256 MB.
 */
export async function inspectPath(path: string, q: OrderbookQueries, shown: string = path): Promise<InspectResult> {
  const found = await discover(path, shown);
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
  };
}
