import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QLBS_CONFIG } from '../../../src-shared/qlbs/config';
import { DEFAULT_HEDGE } from '../../../src-shared/bsde/hedge';
import { JOB_KINDS, readFinishedRun, readStoredRun, tryReadStoredRun, type JobRun } from '../../../src-shared/api/jobs';
import { type AnyRun } from '../../../src-shared/api/runs';
import { type JobManager } from '../../../src-main/jobs/manager';
import { type PathsConfig } from '../../../src-shared/orderbook/contract';

const ROOT = join(__dirname, '..', '..', '..');

/** Relative import specifiers of every .ts file under a folder, resolved to absolute paths. */
function importsUnder(dir: string): Array<{ file: string; target: string }> {
  const out: Array<{ file: string; target: string }> = [];
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.ts')) continue;
    const file = join(dir, f);
    const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    const visit = (n: ts.Node): void => {
      const spec =
        (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)
          ? n.moduleSpecifier.text
          : ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(n.arguments[0])
            ? n.arguments[0].text
            : null;
      if (spec?.startsWith('.')) out.push({ file, target: resolve(dirname(file), spec) });
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return out;
}

describe('layering of the job layer', () => {
  it('src-main/jobs imports no domain (runners are registered by the composition root)', () => {
    const domains = join(ROOT, 'src-main', 'domains');
    const imports = importsUnder(join(ROOT, 'src-main', 'jobs'));
    expect(imports.length).toBeGreaterThan(5);
    expect(imports.filter((i) => i.target.startsWith(domains + '/')).map((i) => `${i.file} -> ${i.target}`)).toEqual([]);
  });

  it('HandlerTable is declared in src-shared/api, not in the transport (src-main/host)', () => {
    const declares = (file: string): boolean => /export type HandlerTable\b/.test(readFileSync(file, 'utf8'));
    expect(declares(join(ROOT, 'src-shared', 'api', 'handlers.ts'))).toBe(true);
    for (const f of readdirSync(join(ROOT, 'src-main', 'host'))) expect(declares(join(ROOT, 'src-main', 'host', f))).toBe(false);
    const domains = importsUnder(join(ROOT, 'src-main', 'domains'));
    expect(domains.filter((i) => /src-main\/host\/dispatch$/.test(i.target) && /HandlerTable/.test(readFileSync(i.file, 'utf8').split('\n').find((l) => l.includes('host/dispatch')) ?? ''))).toEqual([]);
  });
});

describe('runner registration', () => {
  it('the composition root registers exactly one runner per stored job kind (helper threads are piscina tasks, not runners)', async () => {
    const mod = await import('../../../src-main/app/jobRunners');
    expect(Object.keys(mod).sort()).toEqual(['JOB_RUNNERS']);
    const { JOB_RUNNERS } = mod;
    expect(Object.keys(JOB_RUNNERS).sort()).toEqual([...JOB_KINDS].sort());
    for (const k of JOB_KINDS) expect(typeof JOB_RUNNERS[k]).toBe('function');
  }, 60_000);
});

const run = (kind: string, config: unknown, metrics: unknown = null): AnyRun => ({
  id: 'run-0001',
  kind,
  model: 'dp',
  label: 'a run',
  status: 'done',
  config,
  seed: 1,
  backend: 'js-float64',
  createdAt: 0,
  startedAt: 0,
  finishedAt: 1,
  wallMs: 1,
  progress: { done: 1, total: 1 },
  metrics,
  error: null,
  groupId: null,
  compute: 'local',
});

describe('stored config parsed with its schema on read', () => {
  it('reads a QLBS run back as a typed QLBS run', () => {
    const stored = JSON.parse(JSON.stringify({ ...DEFAULT_QLBS_CONFIG, driftTerm: false }));
    const r: JobRun<'qlbs'> = readStoredRun(run('qlbs', stored, { price: 1 }), 'qlbs');
    expect(r.config.paths).toBe(DEFAULT_QLBS_CONFIG.paths);
    expect(r.config.method).toBe(DEFAULT_QLBS_CONFIG.method);
  });

  it('reads a book-hedge run back, and refuses one whose config has a key its schema does not know', () => {
    const cfg = JSON.parse(JSON.stringify({ solveRunId: 'solve-run-01', ...DEFAULT_HEDGE }));
    expect(readStoredRun(run('bsde-hedge', cfg), 'bsde-hedge').config).toEqual(cfg);
    expect(tryReadStoredRun(run('bsde-hedge', { ...cfg, hedgeEverything: true }), 'bsde-hedge')).toBeNull();
    expect(tryReadStoredRun(run('bsde-hedge', { ...cfg, solveRunId: '../x' }), 'bsde-hedge')).toBeNull();
  });

  it('a finished run has its metrics; a run without them is refused as not done', () => {
    const cfg = { ...DEFAULT_QLBS_CONFIG, driftTerm: false };
    expect(readFinishedRun(run('qlbs', cfg, { price: 2 }), 'qlbs').metrics).toEqual({ price: 2 });
    expect(() => readFinishedRun({ ...run('qlbs', cfg), status: 'failed' }, 'qlbs')).toThrow(/has no results \(status: failed\)/);
  });

  it('parses stored path-set metrics: keys of a later version pass, a missing figure is reported', () => {
    const cfg = { datasetId: 'dataset-0001', steps: 30 };
    const metrics = {
      pathSetId: 'ps-1', datasetId: 'dataset-0001', steps: 30, intervalSeconds: 60, dtYears: 60 / (252 * 6.5 * 3600), train: 80, test: 20,
      dropped: 1, shortBuckets: 0, sigmaTrain: 0.2, sigmaTest: 0.25, cutTimeId: 100, seconds: 1.5, addedLater: 'kept',
    };
    expect(readFinishedRun(run('orderbook-paths', cfg, metrics), 'orderbook-paths').metrics).toEqual(metrics);
    const { sigmaTrain: _dropped, ...withoutSigma } = metrics;
    expect(() => readStoredRun(run('orderbook-paths', cfg, withoutSigma), 'orderbook-paths')).toThrow(/stored results of run run-0001 \(orderbook-paths\) do not read back \(sigmaTrain: /);
  });

  it('refuses a run of another kind, naming both kinds', () => {
    expect(() => readStoredRun(run('hedge', {}), 'qlbs')).toThrow(/run run-0001 is a hedge run, not a qlbs run/);
    expect(tryReadStoredRun(run('hedge', {}), 'qlbs')).toBeNull();
  });

  it('reports a stored config that does not match its schema instead of passing it on', () => {
    const bad = { ...DEFAULT_QLBS_CONFIG, paths: 'many' };
    let err: unknown;
    try {
      readStoredRun(run('qlbs', bad), 'qlbs');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ appError: { type: 'conflict', code: 'STORED_CONFIG' } });
    expect(String((err as Error).message)).toMatch(/stored settings of run run-0001 \(qlbs\) do not read back \(paths: /);
    expect(tryReadStoredRun(run('qlbs', bad), 'qlbs')).toBeNull();
  });
});

// Compile-time checks (tsc runs over test/ in npm test): an unused @ts-expect-error is itself an error, so
// each line below fails the typecheck if submit<K>() stops tying the config to its kind.
declare const submit: JobManager['submit'];
declare const pathsConfig: PathsConfig;
const meta = { model: 'm', label: 'l', total: 1 };
export function typedSubmitExamples(): void {
  submit({ kind: 'qlbs', config: { ...DEFAULT_QLBS_CONFIG } }, meta);
  submit({ kind: 'orderbook-paths', config: pathsConfig }, meta);
  // @ts-expect-error a paths-set config is not a QLBS config
  submit({ kind: 'qlbs', config: pathsConfig }, meta);
  // @ts-expect-error no such job kind
  submit({ kind: 'qlbs-typo', config: {} }, meta);
}
