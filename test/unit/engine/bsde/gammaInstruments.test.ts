import { describe, expect, it } from 'vitest';
import {
  buildInstruments,
  evalInstruments,
  fillGammaSystem,
  gammaRhs,
  gammaSystem,
  type InstrumentMarket,
  instrumentEval,
} from '../../../../src-main/engine/bsde/gammaInstruments';
import { csrMultiply, LsqrSolver } from '../../../../src-main/engine/bsde/lsqr';
import { bsDivDelta, bsDivGamma, bsDivPrice } from '../../../../src-main/engine/math/blackScholesDividend';
import { margrabe } from '../../../../src-main/engine/math/margrabe';
import { seeded } from '../../../../src-main/engine/stochastic/rng';
import { DEFAULT_INSTRUMENTS, type HedgeInstrumentInfo } from '../../../../src-shared/bsde/hedge';

/** A d-asset market with unequal volatilities, dividends and correlations (rho_ab = 0.2 + 0.5 / (1 + |a - b|)). */
function market(d: number): InstrumentMarket {
  return {
    d,
    names: Array.from({ length: d }, (_, a) => `S${a + 1}`),
    s0: Array.from({ length: d }, (_, a) => 100 + 10 * a),
    sigma: Array.from({ length: d }, (_, a) => [0.25, 0.4, 0.15, 0.3][a % 4]),
    q: Array.from({ length: d }, (_, a) => [0.02, 0, 0.03, 0.01][a % 4]),
    corr: Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => (a === b ? 1 : 0.2 + 0.5 / (1 + Math.abs(a - b))))),
    rate: 0.03,
  };
}

/** Price of instrument k alone at time t and spots s. */
function priceOf(inst: HedgeInstrumentInfo, m: InstrumentMarket, t: number, s: number[]): number {
  const ev = instrumentEval(1);
  evalInstruments([inst], m, t, s, 0, ev);
  return ev.price[0];
}

/** Central finite-difference d x d Gamma of one instrument's price (bumps h_a = 1e-3 S_a). */
function fdGamma(inst: HedgeInstrumentInfo, m: InstrumentMarket, t: number, s: number[]): number[][] {
  const d = s.length;
  const bump = (da: number, a: number, db: number, b: number) => {
    const x = s.slice();
    x[a] += da;
    x[b] += db;
    return priceOf(inst, m, t, x);
  };
  const g = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let a = 0; a < d; a++) {
    const ha = 1e-3 * s[a];
    g[a][a] = (bump(ha, a, 0, a) - 2 * priceOf(inst, m, t, s) + bump(-ha, a, 0, a)) / (ha * ha);
    for (let b = a + 1; b < d; b++) {
      const hb = 1e-3 * s[b];
      g[a][b] = g[b][a] = (bump(ha, a, hb, b) - bump(ha, a, -hb, b) - bump(-ha, a, hb, b) + bump(-ha, a, -hb, b)) / (4 * ha * hb);
    }
  }
  return g;
}

describe('buildInstruments', () => {
  it('d = 1: one put; d = 2: two puts and one exchange call; d = 4: 4 puts and 6 exchange calls in pair order', () => {
    expect(buildInstruments(market(1), DEFAULT_INSTRUMENTS)).toEqual([{ label: 'put S1 K=100 T~=4y', kind: 'put', assets: [0], strike: 100, maturity: 4 }]);
    const two = buildInstruments(market(2), { maturity: 4, putMoneyness: 1.05, exchangeRatio: 0.9 });
    expect(two.map((h) => h.label)).toEqual(['put S1 K=105 T~=4y', 'put S2 K=115.5 T~=4y', 'exchange S1/S2 k=0.9 T~=4y']);
    expect(two.map((h) => h.strike)).toEqual([105, 1.05 * 110, 0.9]);
    const four = buildInstruments(market(4), { maturity: 2.5, putMoneyness: 1, exchangeRatio: 1 });
    expect(four).toHaveLength(10);
    expect(four.map((h) => h.kind)).toEqual([...new Array(4).fill('put'), ...new Array(6).fill('exchange')]);
    expect(four.map((h) => h.assets)).toEqual([[0], [1], [2], [3], [0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
    expect(four.slice(0, 4).map((h) => h.strike)).toEqual([100, 110, 120, 130]);
    expect(four[9].label).toBe('exchange S3/S4 k=1 T~=2.5y');
    expect(four.every((h) => h.maturity === 2.5)).toBe(true);
  });
});

describe('evalInstruments', () => {
  const m = market(3);
  const insts = buildInstruments(m, { maturity: 4, putMoneyness: 1, exchangeRatio: 0.95 });
  const s = [93, 121, 108];
  const t = 0.7;

  it('Deltas and Gammas of every instrument match central finite differences of its price', () => {
    const ev = instrumentEval(insts.length);
    evalInstruments(insts, m, t, [0, 0, ...s], 2, ev); // with an offset into the spot array
    insts.forEach((h, k) => {
      const [a, b] = h.assets;
      const ha = 1e-3 * s[a];
      const up = s.slice();
      const dn = s.slice();
      up[a] += ha;
      dn[a] -= ha;
      expect(ev.price[k]).toBeCloseTo(priceOf(h, m, t, s), 12);
      expect(Math.abs(ev.dA[k] - (priceOf(h, m, t, up) - priceOf(h, m, t, dn)) / (2 * ha))).toBeLessThan(1e-6); // O(h^2) truncation
      const g = fdGamma(h, m, t, s);
      expect(Math.abs(ev.gAA[k] - g[a][a])).toBeLessThan(5e-6 * Math.abs(g[a][a]) + 1e-9);
      if (h.kind === 'put') {
        expect([ev.dB[k], ev.gAB[k], ev.gBB[k]]).toEqual([0, 0, 0]);
        expect(ev.price[k]).toBeGreaterThan(0);
      } else {
        const hb = 1e-3 * s[b];
        const ub = s.slice();
        const db = s.slice();
        ub[b] += hb;
        db[b] -= hb;
        expect(Math.abs(ev.dB[k] - (priceOf(h, m, t, ub) - priceOf(h, m, t, db)) / (2 * hb))).toBeLessThan(1e-6);
        expect(Math.abs(ev.gAB[k] - g[a][b])).toBeLessThan(5e-6 * Math.abs(g[a][b]) + 1e-9);
        expect(Math.abs(ev.gBB[k] - g[b][b])).toBeLessThan(5e-6 * Math.abs(g[b][b]) + 1e-9);
        expect(ev.gAB[k]).toBeLessThan(0);
      }
    });
  });

  it('at and after maturity: intrinsic values, payoff Deltas and zero Gammas', () => {
    const ev = instrumentEval(insts.length);
    evalInstruments(insts, m, 4, s, 0, ev);
    // puts K = 100, 110, 120 at S = 93, 121, 108
    expect(Array.from(ev.price.slice(0, 3))).toEqual([7, 0, 12]);
    expect(Array.from(ev.dA.slice(0, 3))).toEqual([-1, 0, -1]);
    // exchange (0,1): 93 - 0.95*121 < 0; (0,2): 93 - 0.95*108 < 0; (1,2): 121 - 0.95*108 = 18.4
    expect(ev.price[3]).toBe(0);
    expect(ev.price[5]).toBeCloseTo(121 - 0.95 * 108, 12);
    expect([ev.dA[5], ev.dB[5]]).toEqual([1, -0.95]);
    for (const g of [ev.gAA, ev.gAB, ev.gBB]) expect(Array.from(g)).toEqual(new Array(6).fill(0));
  });
});

/** The instruments' values through the library closed forms (bsDivPrice/Delta/Gamma, margrabe()), one at a time. */
function reference(insts: HedgeInstrumentInfo[], m: InstrumentMarket, t: number, s: number[]): number[][] {
  return insts.map((h) => {
    const tau = h.maturity - t;
    const [a, b] = h.assets;
    if (h.kind === 'put') {
      const args = { spot: s[a], strike: h.strike, vol: m.sigma[a], tau, rate: m.rate, div: m.q[a] };
      return [bsDivPrice('put', args), bsDivDelta('put', args), 0, tau > 0 ? bsDivGamma(args) : 0, 0, 0];
    }
    const r = margrabe({ spotA: s[a], spotB: s[b], ratio: h.strike, volA: m.sigma[a], volB: m.sigma[b], rho: m.corr[a][b], divA: m.q[a], divB: m.q[b], tau });
    return [r.price, r.delta[0], r.delta[1], r.gamma[0][0], r.gamma[0][1], r.gamma[1][1]];
  });
}

describe('evalInstruments fast path', () => {
  it('equals bsDivPrice/bsDivDelta/bsDivGamma and margrabe() to 1e-12 relative (or 1e-15 absolute): d = 4, 600 random points incl. tau = 1e-6, tau <= 0, deep in/out of the money, sigma = 0, mixed maturities', () => {
    const d = 4;
    const base = market(d);
    const flat = { ...base, sigma: [0.25, 0.4, 0, 0.3] }; // asset 3: zero volatility (put: discounted intrinsic; exchange with 1: s > 0)
    const lowVolPair = { ...base, sigma: [0.2, 0.2, 0.15, 0.3], corr: base.corr.map((row, a) => row.map((c, b) => (a + b === 1 ? 1 : c))) }; // exchange (0,1): s = 0
    const T = 2.5;
    const same = buildInstruments(base, { maturity: T, putMoneyness: 1.02, exchangeRatio: 0.97 });
    const mixed = same.map((h, k) => ({ ...h, maturity: k % 3 === 0 ? T : k % 3 === 1 ? 1.5 : T + 0.5 })); // three taus in one call
    const rng = seeded(11);
    const ev = instrumentEval(same.length);
    const spots = new Float64Array(3 + d);
    let maxRel = 0;
    let points = 0;
    const kinds = { tiny: 0, expired: 0, far: 0 };
    for (let trial = 0; trial < 600; trial++) {
      const m = trial % 5 === 3 ? flat : trial % 5 === 4 ? lowVolPair : base;
      const insts = trial % 2 === 0 ? same : mixed;
      // spots: mostly log-normal around s0, one in four trials pushed far in or out of the money (x e^{+-3..5})
      const far = trial % 4 === 1;
      const s = m.s0.map((s0) => s0 * Math.exp(far ? (rng.uniform() < 0.5 ? -1 : 1) * (3 + 2 * rng.uniform()) : 0.4 * rng.normal()));
      // times: uniform on [0, T), tau = 1e-6 or 1e-4, exactly at maturity, after maturity
      const u = trial % 6;
      const t = u === 0 ? T - 1e-6 : u === 1 ? T - 1e-4 : u === 2 ? T : u === 3 ? T + 0.3 : rng.uniform() * T;
      if (u <= 1) kinds.tiny++;
      if (u === 2 || u === 3) kinds.expired++;
      if (far) kinds.far++;
      spots.set(s, 3);
      evalInstruments(insts, m, t, spots, 3, ev);
      const want = reference(insts, m, t, s);
      const got = [ev.price, ev.dA, ev.dB, ev.gAA, ev.gAB, ev.gBB];
      insts.forEach((_, k) => {
        for (let j = 0; j < 6; j++) {
          const x = got[j][k];
          const y = want[k][j];
          const err = Math.abs(x - y);
          if (!(err <= 1e-15 || err <= 1e-12 * Math.abs(y))) throw new Error(`instrument ${k} (${insts[k].label}), quantity ${j}, t = ${t}, S = ${s}: ${x} vs ${y}`);
          if (err > 1e-15) maxRel = Math.max(maxRel, err / Math.abs(y));
          points++;
        }
      });
    }
    expect(points).toBe(600 * 10 * 6);
    expect(kinds.tiny).toBe(200);
    expect(kinds.expired).toBe(200);
    expect(kinds.far).toBe(150);
    expect(maxRel).toBeLessThan(1e-12);
  });

  it('picks up a market changed in place between calls at the same t (the per-tau constants are not stale)', () => {
    const m = market(4);
    const insts = buildInstruments(m, DEFAULT_INSTRUMENTS);
    const s = [95, 118, 126, 122];
    const ev = instrumentEval(insts.length);
    evalInstruments(insts, m, 1, s, 0, ev);
    const before = Array.from(ev.price);
    for (const change of [() => (m.q[2] = 0.05), () => (m.sigma[1] = 0.2), () => (m.rate = 0.01)]) {
      change();
      evalInstruments(insts, m, 1, s, 0, ev);
      const want = reference(insts, m, 1, s);
      insts.forEach((_, k) => expect(Math.abs(ev.price[k] - want[k][0])).toBeLessThanOrEqual(1e-12 * Math.abs(want[k][0]) + 1e-15));
    }
    expect(ev.price[2]).not.toBe(before[2]); // put on asset 3 moved with q_3
    expect(ev.price[0]).not.toBe(before[0]); // put on asset 1 moved with r
  });
});

describe('gammaSystem', () => {
  it('d = 2: the sparse matrix equals, entry by entry, the dense one assembled from finite-difference Gammas', () => {
    const m = market(2);
    const insts = buildInstruments(m, { maturity: 4, putMoneyness: 1.1, exchangeRatio: 1.05 });
    const sys = gammaSystem(2, insts);
    expect([sys.rows, sys.cols, sys.values.length]).toEqual([3, 3, 5]);
    expect([sys.rowOf(0, 0), sys.rowOf(1, 1), sys.rowOf(0, 1), sys.rowOf(1, 0)]).toEqual([0, 1, 2, 2]);
    const s = [104, 97];
    const t = 0.4;
    const ev = instrumentEval(3);
    evalInstruments(insts, m, t, s, 0, ev);
    fillGammaSystem(sys, ev);
    const sparseDense = Array.from({ length: 3 }, () => new Array<number>(3).fill(0));
    for (let i = 0; i < 3; i++) for (let p = sys.rowPtr[i]; p < sys.rowPtr[i + 1]; p++) sparseDense[i][sys.colIdx[p]] = sys.values[p];
    const byHand = Array.from({ length: 3 }, () => new Array<number>(3).fill(0));
    insts.forEach((h, k) => {
      const g = fdGamma(h, m, t, s);
      byHand[sys.rowOf(0, 0)][k] = g[0][0];
      byHand[sys.rowOf(1, 1)][k] = g[1][1];
      byHand[sys.rowOf(0, 1)][k] = g[0][1];
    });
    // put S1 touches only (0,0), put S2 only (1,1): the finite differences of their prices in the other
    // asset are exactly zero, and so are the sparse matrix's missing entries.
    const zeros = [
      [1, 0],
      [2, 0],
      [0, 1],
      [2, 1],
    ];
    for (const [i, k] of zeros) {
      expect(byHand[i][k]).toBe(0);
      expect(sparseDense[i][k]).toBe(0);
    }
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 3; k++) {
        expect(Math.abs(sparseDense[i][k] - byHand[i][k])).toBeLessThan(1e-6 * Math.abs(byHand[i][k]) + 1e-10);
        if (!zeros.some(([zi, zk]) => zi === i && zk === k)) expect(Math.abs(sparseDense[i][k])).toBeGreaterThan(1e-4);
      }
    }
  });

  it('d = 4: a CSR pattern of 4 + 3 * 6 nonzeros, columns sorted in each row, the documented row order', () => {
    const insts = buildInstruments(market(4), DEFAULT_INSTRUMENTS);
    const sys = gammaSystem(4, insts);
    expect([sys.rows, sys.cols, sys.values.length]).toEqual([10, 10, 4 + 3 * 6]);
    const rows: number[][] = [];
    for (let i = 0; i < 10; i++) rows.push(Array.from(sys.colIdx.slice(sys.rowPtr[i], sys.rowPtr[i + 1])));
    // diagonal rows (a,a): the put on a, then every exchange touching a; cross rows: the exchange (a,b) only
    expect(rows).toEqual([[0, 4, 5, 6], [1, 4, 7, 8], [2, 5, 7, 9], [3, 6, 8, 9], [4], [5], [6], [7], [8], [9]]);
    expect([sys.rowOf(0, 1), sys.rowOf(0, 3), sys.rowOf(1, 2), sys.rowOf(3, 2)]).toEqual([4, 6, 7, 9]);
    expect(Array.from(sys.source)).toEqual(Array.from(sys.colIdx));
    // part: row (1,1) holds gBB of exchange (0,1) and gAA of exchanges (1,2), (1,3)
    expect(Array.from(sys.part.slice(sys.rowPtr[1], sys.rowPtr[2]))).toEqual([0, 2, 0, 0]);
    expect(Array.from(sys.part.slice(sys.rowPtr[4]))).toEqual(new Array(6).fill(1));
  });

  it('d = 1: a 1 x 1 system', () => {
    const insts = buildInstruments(market(1), DEFAULT_INSTRUMENTS);
    const sys = gammaSystem(1, insts);
    expect([sys.rows, sys.cols, Array.from(sys.rowPtr), Array.from(sys.colIdx)]).toEqual([1, 1, [0, 1], [0]]);
  });

  it('gammaRhs maps a symmetric d x d Gamma (at an offset) to the rows rowOf(a, b)', () => {
    const insts = buildInstruments(market(3), DEFAULT_INSTRUMENTS);
    const sys = gammaSystem(3, insts);
    const g = [1, 2, 3, 2, 4, 5, 3, 5, 6];
    const b = new Float64Array(6);
    gammaRhs(sys, [9, 9, ...g], 2, b);
    for (let a = 0; a < 3; a++) for (let c = a; c < 3; c++) expect(b[sys.rowOf(a, c)]).toBe(g[a * 3 + c]);
  });

  it('LSQR weights reproduce a random symmetric target Gamma, and a target equal to one instrument gives its unit vector', () => {
    const d = 4;
    const m = market(d);
    const insts = buildInstruments(m, DEFAULT_INSTRUMENTS);
    const sys = gammaSystem(d, insts);
    const ev = instrumentEval(insts.length);
    const rng = seeded(5);
    const solver = new LsqrSolver(sys.rows, sys.cols);
    for (let trial = 0; trial < 5; trial++) {
      const s = m.s0.map((s0) => s0 * Math.exp(0.3 * rng.normal()));
      evalInstruments(insts, m, rng.uniform(), s, 0, ev);
      fillGammaSystem(sys, ev);
      // random symmetric target of the size of the instruments' Gammas
      const target = new Float64Array(d * d);
      for (let a = 0; a < d; a++) for (let c = a; c < d; c++) target[a * d + c] = target[c * d + a] = 0.01 * rng.normal();
      const b = new Float64Array(sys.rows);
      gammaRhs(sys, target, 0, b);
      for (const scaleColumns of [false, true]) {
        const w = new Float64Array(sys.cols);
        const r = solver.solve(sys, b, w, { scaleColumns });
        expect(r.istop).toBe(1);
        expect(r.relResidual).toBeLessThan(1e-10);
        // rebuild sum_k w_k Gamma^{H_k} as a full d x d matrix from the compact Gammas
        const got = new Float64Array(d * d);
        insts.forEach((h, k) => {
          const [a, c] = h.assets;
          got[a * d + a] += w[k] * ev.gAA[k];
          if (h.kind === 'exchange') {
            got[a * d + c] += w[k] * ev.gAB[k];
            got[c * d + a] += w[k] * ev.gAB[k];
            got[c * d + c] += w[k] * ev.gBB[k];
          }
        });
        for (let i = 0; i < d * d; i++) expect(Math.abs(got[i] - target[i])).toBeLessThan(1e-10 * 0.01 * d);
      }
      // target = the d x d Gamma of instrument j: w = e_j
      for (const j of [1, 6]) {
        const [a, c] = insts[j].assets;
        const gj = new Float64Array(d * d);
        gj[a * d + a] = ev.gAA[j];
        if (insts[j].kind === 'exchange') {
          gj[a * d + c] = gj[c * d + a] = ev.gAB[j];
          gj[c * d + c] = ev.gBB[j];
        }
        gammaRhs(sys, gj, 0, b);
        const col = new Float64Array(sys.cols);
        col[j] = 1;
        const aej = new Float64Array(sys.rows);
        csrMultiply(sys, col, aej);
        expect(Array.from(b)).toEqual(Array.from(aej));
        const w = new Float64Array(sys.cols);
        solver.solve(sys, b, w);
        w.forEach((wk, k) => expect(Math.abs(wk - (k === j ? 1 : 0))).toBeLessThan(1e-9));
      }
    }
  });
});
