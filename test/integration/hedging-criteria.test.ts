import { afterEach, describe, expect, it } from 'vitest';
import { type Workstation } from '../../src-main/workstation';
import { type HedgeMetrics } from '../../src-shared/hedging/config';
import { criterionRisk } from '../../src-shared/hedging/criteria';
import { measureOf } from '../../src-shared/hedging/ranking';
import { openWorkstation } from '../helpers/host';
import { rpc } from '../helpers/rpc';

let ws: Workstation | null = null;
afterEach(async () => {
  await ws?.close();
  ws = null;
});

const { call, ok } = rpc(() => ws!);
const finished = (runId: string): Promise<void> =>
  new Promise((resolve) => {
    const off = ws!.subscribe((e, p) => {
      if ((e === 'run-finished' || e === 'run-failed') && (p as { runId?: string }).runId === runId) {
        off();
        resolve();
      }
    });
  });

const base = { option: 'european', strike: 1, sigma: 0.1, drift: 0, days: 30, steps: 30, cost: 0.002, paths: 3000, seed: 4 };

describe('training criteria through the handlers (issue 12)', () => {
  it('stores the criterion with the run (defaults filled in) and reports every measure, mean |position| and BSDH reference', async () => {
    ws = await openWorkstation();
    const { runId } = await ok<{ runId: string }>('hedging-start', { ...base, model: 'ntb', epochs: 2, trainPaths: 500, monitorPaths: 500, criterion: 'es', esLevel: 0.95 });
    const { runId: bsdhId } = await ok<{ runId: string }>('hedging-start', { ...base, model: 'bsdh' });
    await Promise.all([finished(runId), finished(bsdhId)]);
    const run = ws.runs.get(runId)!;
    expect(run.status).toBe('done');
    expect(run.config).toMatchObject({ criterion: 'es', esLevel: 0.95, riskAversion: 1, mvLambda: 100 });
    const m = run.metrics as HedgeMetrics;
    expect(m.criterion).toEqual({ kind: 'es', alpha: 0.95 });
    const pnl = ws.runs.getArray(runId, 'pnl') as Float64Array;
    // the stored figures are the measures of the stored PnL
    expect(m.criterionValue).toBeCloseTo(criterionRisk(pnl, { kind: 'es', alpha: 0.95 }), 12);
    expect(Object.keys(m.measures!).sort()).toEqual(['entropic:1', 'es:0.9', 'es:0.95', 'mean-variance:100']);
    expect(m.measures!['es:0.9']).toBeCloseTo(m.es90, 12);
    expect(m.meanAbsPosition).toBeGreaterThan(0.1);
    // BSDH on the same test paths: the trained run's reference equals the BSDH run's own mean |position|
    const b = ws.runs.get(bsdhId)!.metrics as HedgeMetrics;
    expect(ws.runs.get(bsdhId)!.config).toMatchObject({ criterion: 'entropic', riskAversion: 1 });
    expect(b.meanAbsPosition).toBeGreaterThan(0.3);
    expect(m.bsdhMeanAbsPosition).toBeCloseTo(b.meanAbsPosition!, 12);
    expect(measureOf(b, { kind: 'es', alpha: 0.95 })).toBeCloseTo(b.es95, 12);
    // the epoch records carry the criterion trained on the monitor paths
    expect(m.training!.history.every((h) => Number.isFinite(h.criterionValue))).toBe(true);
  }, 120_000);

  it('the all-four comparison and an experiment put the chosen criterion into every run (BSDH included)', async () => {
    ws = await openWorkstation();
    const cmp = await ok<{ groupId: string; runIds: string[] }>('hedging-compare', { ...base, model: 'ntb', epochs: 1, trainPaths: 500, criterion: 'entropic', riskAversion: 50 });
    expect(cmp.runIds).toHaveLength(4);
    for (const id of cmp.runIds) expect(ws.runs.get(id)!.config).toMatchObject({ criterion: 'entropic', riskAversion: 50, esLevel: 0.9, mvLambda: 100 });
    for (const id of [...cmp.runIds].reverse()) await call('runs-cancel', { runId: id });
    const exp = await ok<{ groupId: string; runIds: string[] }>('hedging-experiment', { id: 'E1', scale: 'quick', strikes: [1], criterion: 'es', esLevel: 0.95 });
    for (const id of exp.runIds) expect(ws.runs.get(id)!.config).toMatchObject({ criterion: 'es', esLevel: 0.95 });
    const d = await ok<{ criterion: unknown; criterionLabel: string; label: string }>('hedging-experiment-get', { groupId: exp.groupId });
    expect(d.criterion).toEqual({ kind: 'es', alpha: 0.95 });
    expect(d.criterionLabel).toBe('ES 95%');
    expect(d.label).toContain('trained on ES 95%');
    await ok('hedging-experiment-cancel', { groupId: exp.groupId });
  }, 60_000);

  it('rejects bad criterion parameters naming the field', async () => {
    ws = await openWorkstation();
    const r = await call('hedging-start', { ...base, model: 'ntb', criterion: 'es', esLevel: 1.5 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(JSON.stringify(r.error)).toContain('ES level alpha must be < 1');
    const e = await call('hedging-experiment', { id: 'E1', scale: 'quick', criterion: 'variance' });
    expect(e.ok).toBe(false);
    if (!e.ok) expect(JSON.stringify(e.error)).toContain('criterion must be entropic, es or mean-variance');
  });
});
