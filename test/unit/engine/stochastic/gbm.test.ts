import { describe, expect, it } from 'vitest';
import { fillGbmChunk, simulateGbm } from '../../../../src-main/engine/stochastic/gbm';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

describe('simulateGbm', () => {
  it('follows P_{i+1} = P_i exp(sigma sqrt(dt) Z_i + (mu - sigma^2/2) dt) with path-major normals', () => {
    const steps = 5;
    const paths = 4;
    const dt = 1 / 365;
    const vol = 0.3;
    const drift = 0.1;
    const out = simulateGbm({ paths, steps, dt, vol, drift, rng: seeded(3) });
    const z = new Float64Array(paths * steps);
    seeded(3).fillNormal(z); // the same stream: path p uses z[p*steps .. p*steps + steps - 1]
    for (let p = 0; p < paths; p++) {
      let price = 1;
      expect(out[p * (steps + 1)]).toBe(1);
      for (let i = 0; i < steps; i++) {
        price *= Math.exp(vol * Math.sqrt(dt) * z[p * steps + i] + (drift - 0.5 * vol * vol) * dt);
        expect(out[p * (steps + 1) + i + 1]).toBeCloseTo(price, 14);
      }
    }
  });

  it('gives the same paths whatever the chunk sizes', () => {
    const steps = 30;
    const whole = simulateGbm({ paths: 100, steps, dt: 1 / 365, vol: 0.1, drift: 0, rng: seeded(8) });
    const rng = seeded(8);
    const pieces = new Float64Array(100 * (steps + 1));
    let start = 0;
    for (const m of [7, 50, 1, 42]) {
      const out = new Float64Array(m * (steps + 1));
      fillGbmChunk({ rng, paths: m, steps, dt: 1 / 365, vol: 0.1, drift: 0, out, normals: new Float64Array(64 * steps) });
      pieces.set(out, start * (steps + 1));
      start += m;
    }
    expect(Array.from(pieces)).toEqual(Array.from(whole));
  });

  it('has E[P_T] = exp(mu T) and Var[log P_T] = sigma^2 T within Monte Carlo error', () => {
    const paths = 200_000;
    const steps = 10;
    const dt = 0.05;
    const vol = 0.25;
    const drift = 0.08;
    const T = steps * dt;
    const out = simulateGbm({ paths, steps, dt, vol, drift, rng: seeded(11) });
    let sum = 0;
    let sumSq = 0;
    let logSum = 0;
    let logSq = 0;
    for (let p = 0; p < paths; p++) {
      const pt = out[p * (steps + 1) + steps];
      sum += pt;
      sumSq += pt * pt;
      const l = Math.log(pt);
      logSum += l;
      logSq += l * l;
    }
    const mean = sum / paths;
    const se = Math.sqrt((sumSq / paths - mean * mean) / paths);
    expect(Math.abs(mean - Math.exp(drift * T))).toBeLessThan(4 * se);
    const logMean = logSum / paths;
    const logVar = logSq / paths - logMean * logMean;
    expect(Math.abs(logMean - (drift - 0.5 * vol * vol) * T)).toBeLessThan(4 * Math.sqrt((vol * vol * T) / paths));
    expect(Math.abs(logVar - vol * vol * T)).toBeLessThan(4 * vol * vol * T * Math.sqrt(2 / paths));
  });

  it('honours spot0 and rejects a too small output buffer', () => {
    const out = simulateGbm({ paths: 2, steps: 3, dt: 0.01, vol: 0.2, drift: 0, spot0: 100, rng: seeded(1) });
    expect(out[0]).toBe(100);
    expect(out[4]).toBe(100);
    expect(() => fillGbmChunk({ rng: seeded(1), paths: 2, steps: 3, dt: 0.01, vol: 0.2, drift: 0, out: new Float64Array(7) })).toThrow(RangeError);
  });
});
