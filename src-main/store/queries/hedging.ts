import { type Db } from '../db';
import { type EpochRecord } from '../../../src-shared/hedging/config';
import { type MlpLayout } from '../../engine/hedging/network';

/** A training run's state after an epoch (see resources/migrations/1763720000000_hedge_checkpoints.sql). */
export interface HedgeCheckpoint {
  runId: string;
  epoch: number;
  layout: MlpLayout;
  params: Float64Array;
  adam: { m: Float64Array; v: Float64Array; t: number };
  /** Per-epoch records from epoch 1 up to `epoch` (a continuation carries its source's history). */
  history: EpochRecord[];
  keep: boolean;
  createdAt: number;
}

const f64 = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const fromBlob = (b: Buffer): Float64Array => {
  const bytes = new Uint8Array(b.byteLength);
  bytes.set(b);
  return new Float64Array(bytes.buffer);
};

interface Row {
  run_id: string;
  epoch: number;
  keep: number;
  created_at: number;
  layout_json: string;
  params: Buffer;
  adam_m: Buffer;
  adam_v: Buffer;
  adam_t: number;
  history_json: string;
}

const toCheckpoint = (r: Row): HedgeCheckpoint => ({
  runId: r.run_id,
  epoch: r.epoch,
  keep: r.keep === 1,
  createdAt: r.created_at,
  layout: JSON.parse(r.layout_json) as MlpLayout,
  params: fromBlob(r.params),
  adam: { m: fromBlob(r.adam_m), v: fromBlob(r.adam_v), t: r.adam_t },
  history: JSON.parse(r.history_json) as EpochRecord[],
});

/** Reads and writes of `hedge_checkpoints` (the job worker writes, handlers read). */
export function hedgingQueries(db: Db) {
  const s = {
    put: db.prepare(
      `INSERT OR REPLACE INTO hedge_checkpoints (run_id, epoch, keep, created_at, layout_json, params, adam_m, adam_v, adam_t, history_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    prune: db.prepare(`DELETE FROM hedge_checkpoints WHERE run_id = ? AND keep = 0 AND epoch < ?`),
    latest: db.prepare(`SELECT * FROM hedge_checkpoints WHERE run_id = ? ORDER BY epoch DESC LIMIT 1`),
    at: db.prepare(`SELECT * FROM hedge_checkpoints WHERE run_id = ? AND epoch = ?`),
    epochs: db.prepare(`SELECT epoch, keep FROM hedge_checkpoints WHERE run_id = ? ORDER BY epoch`),
  };
  return {
    /** Save the state after `epoch` and drop the run's older non-kept checkpoints, in one transaction. */
    saveCheckpoint(c: Omit<HedgeCheckpoint, 'createdAt'>): void {
      db.transaction(() => {
        s.put.run(c.runId, c.epoch, c.keep ? 1 : 0, Date.now(), JSON.stringify(c.layout), f64(c.params), f64(c.adam.m), f64(c.adam.v), c.adam.t, JSON.stringify(c.history));
        s.prune.run(c.runId, c.epoch);
      })();
    },
    /** The run's last saved epoch, or null. */
    latestCheckpoint(runId: string): HedgeCheckpoint | null {
      const r = s.latest.get(runId) as Row | undefined;
      return r ? toCheckpoint(r) : null;
    },
    checkpointAt(runId: string, epoch: number): HedgeCheckpoint | null {
      const r = s.at.get(runId, epoch) as Row | undefined;
      return r ? toCheckpoint(r) : null;
    },
    /** Epochs with a stored checkpoint. */
    checkpointEpochs(runId: string): number[] {
      return (s.epochs.all(runId) as Array<{ epoch: number }>).map((r) => r.epoch);
    },
  };
}

export type HedgingQueries = ReturnType<typeof hedgingQueries>;

/** An experiment: a `run_groups` row of kind 'hedge-experiment' (config = the ExperimentRequest). */
export interface GroupRow {
  id: string;
  kind: string;
  label: string;
  config: unknown;
  createdAt: number;
}

/** Reads and writes of `run_groups` for the deep-hedging experiments. */
export function groupQueries(db: Db) {
  const s = {
    insert: db.prepare(`INSERT INTO run_groups (id, kind, label, config_json, created_at) VALUES (?, ?, ?, ?, ?)`),
    get: db.prepare(`SELECT * FROM run_groups WHERE id = ?`),
    list: db.prepare(`SELECT * FROM run_groups WHERE kind = ? ORDER BY created_at DESC, id DESC`),
    runIds: db.prepare(`SELECT id FROM runs WHERE group_id = ? ORDER BY created_at, id`),
  };
  const toGroup = (r: { id: string; kind: string; label: string; config_json: string; created_at: number }): GroupRow => ({
    id: r.id,
    kind: r.kind,
    label: r.label,
    config: JSON.parse(r.config_json) as unknown,
    createdAt: r.created_at,
  });
  return {
    create(g: { id: string; kind: string; label: string; config: unknown }): void {
      s.insert.run(g.id, g.kind, g.label, JSON.stringify(g.config), Date.now());
    },
    get(id: string): GroupRow | null {
      const r = s.get.get(id) as Parameters<typeof toGroup>[0] | undefined;
      return r ? toGroup(r) : null;
    },
    list(kind: string): GroupRow[] {
      return (s.list.all(kind) as Array<Parameters<typeof toGroup>[0]>).map(toGroup);
    },
    /** Ids of the group's runs, oldest first. */
    runIds(id: string): string[] {
      return (s.runIds.all(id) as Array<{ id: string }>).map((r) => r.id);
    },
  };
}

export type GroupQueries = ReturnType<typeof groupQueries>;
