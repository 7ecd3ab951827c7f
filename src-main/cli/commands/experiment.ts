import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { type ExperimentDetail } from '../../../src-shared/hedging/contract';
import { criterionLabel } from '../../../src-shared/hedging/criteria';
import { EXPERIMENTS, EXPERIMENT_IDS } from '../../../src-shared/hedging/experiments';
import { DOES_NOT_HEDGE_LABEL, rankedByText } from '../../../src-shared/hedging/ranking';
import { dispatch } from '../../host/dispatch';
import { fail, fmt, num, openCliWorkstation, reportError } from '../common';

export const usage = `experiment <E1|E2|E3|E4|E5> [options] [--json]   a deep-hedging experiment preset (spec table)
  --quick                 quick scale: epochs / 5, 2,000 training and 10,000 test paths (a look, not a result)
  --seed N                seed of every run (default 1)
  --strikes K[,K]         only these of the preset's strikes
  --path-set ID           E4 only: the order-book path set (default: the newest; see 'orderbook paths')
  --criterion K           entropic | es | mean-variance: what every trained run minimises and the cells are
                          ranked on (default entropic with a = 1, the source's)
  --risk-aversion A       entropic a (default 1)   --es-level ALPHA (default 0.9)   --mv-lambda L (default 100)
  --data-dir DIR          store location (default: the app's, or HEDGE_DATA_DIR)
  --json                  print one JSON object: the criterion, every cell with each hedger's criterion value,
                          entropic loss, ES90, mean |position|, "does not hedge" flag and rank, and whether the
                          source's claim held (DHLNN ranks first on the criterion and has the lowest ES90)
 presets: ${EXPERIMENT_IDS.map((id) => `${id} ${EXPERIMENTS[id].title}${EXPERIMENTS[id].unavailable ? ' (unavailable)' : ''}`).join('; ')}`;

/** `cli experiment E1 …`: submit every run of the preset, wait for all of them, print the cells. */
export async function experiment(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      seed: { type: 'string' },
      strikes: { type: 'string' },
      'path-set': { type: 'string' },
      criterion: { type: 'string' },
      'risk-aversion': { type: 'string' },
      'es-level': { type: 'string' },
      'mv-lambda': { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const id = positionals[0];
  if (!id) fail(`experiment: give a preset id (${EXPERIMENT_IDS.join(', ')})\n\n${usage}`);
  const t0 = performance.now();
  const { ws, dataDir } = await openCliWorkstation(values['data-dir']);
  const args = {
    id,
    scale: values.quick ? 'quick' : 'full',
    seed: num(values.seed) ?? 1,
    ...(values.strikes ? { strikes: values.strikes.split(',').map((s) => num(s.trim())) } : {}),
    ...(values['path-set'] ? { pathSetId: values['path-set'] } : {}),
    ...(values.criterion !== undefined ? { criterion: values.criterion } : {}),
    ...(values['risk-aversion'] !== undefined ? { riskAversion: num(values['risk-aversion']) } : {}),
    ...(values['es-level'] !== undefined ? { esLevel: num(values['es-level']) } : {}),
    ...(values['mv-lambda'] !== undefined ? { mvLambda: num(values['mv-lambda']) } : {}),
  };
  const started = await dispatch(ws.handlers, 1, 'hedging-experiment', args);
  if (!started.ok) {
    await ws.close();
    return reportError(started.error, values.json);
  }
  const { groupId, runIds } = started.result as { groupId: string; runIds: string[] };
  const ended = new Set<string>();
  const showProgress = !values.json && process.stderr.isTTY;
  const report = (extra = ''): void => {
    if (showProgress) process.stderr.write(`\r${ended.size} / ${runIds.length} runs finished${extra}      `);
  };
  ws.subscribe((event, payload) => {
    const p = payload as { runId?: string; done?: number; total?: number };
    if (!p.runId || !runIds.includes(p.runId)) return;
    if (event === 'run-finished' || event === 'run-failed' || event === 'run-cancelled') {
      ended.add(p.runId);
      report();
    } else if (event === 'run-progress') report(` · current run ${p.done}/${p.total}`);
  });
  process.once('SIGINT', () => void ws.jobs.shutdown({ cancelCluster: true }).then(() => fail('\ncancelled (resume the cancelled runs from the app)', 130)));
  report();
  await ws.jobs.idle();
  if (showProgress) process.stderr.write('\n');
  const got = await dispatch(ws.handlers, 2, 'hedging-experiment-get', { groupId });
  await ws.close();
  if (!got.ok) return reportError(got.error, values.json, 1);
  const d = got.result as ExperimentDetail;
  const cells = d.cells.map((c) => ({
    key: c.key,
    title: c.title,
    group: c.group,
    varied: c.varied,
    claim: c.claim,
    entries: c.entries.map((e) => ({
      model: e.model,
      runId: e.runId,
      status: e.status,
      criterionValue: e.criterionValue,
      rank: e.rank,
      doesNotHedge: e.doesNotHedge,
      meanAbsPosition: e.meanAbsPosition,
      entropic: e.entropic,
      es90: e.es90,
      mean: e.mean,
      std: e.std,
    })),
  }));
  const totalSeconds = (performance.now() - t0) / 1000;
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ groupId, id: d.id, label: d.label, criterion: { ...d.criterion, label: criterionLabel(d.criterion) }, scale: d.scale, seed: d.seed, strikes: d.strikes, runs: d.runs, done: d.done, failed: d.failed, cancelled: d.cancelled, cells, totalSeconds, dataDir })}\n`,
    );
  } else {
    process.stdout.write(`${d.label} · ${d.done}/${d.runs} runs done · ${fmt(totalSeconds)} s · experiment ${groupId}\n`);
    for (const c of cells) {
      process.stdout.write(`\n${c.title}  — ${rankedByText(d.criterion)}; source's claim (DHLNN first and lowest ES90): ${c.claim}\n`);
      for (const e of [...c.entries].sort((x, y) => (x.rank ?? 99) - (y.rank ?? 99))) {
        const v = (x: number | null): string => (x === null ? '—' : fmt(x));
        process.stdout.write(
          `  ${String(e.rank ?? '—').padStart(2)}. ${e.model.toUpperCase().padEnd(6)} ${criterionLabel(d.criterion)} ${v(e.criterionValue)}  entropic(a=1) ${v(e.entropic)}  ES90 ${v(e.es90)}  mean|δ| ${v(e.meanAbsPosition)}${e.doesNotHedge ? `  — ${DOES_NOT_HEDGE_LABEL}` : ''}\n`,
        );
      }
    }
  }
  if (d.failed > 0 || d.cancelled > 0) process.exitCode = 1;
}
