import { describe, expect, it } from 'vitest';
import { TooManyPointsError, previousTick, realisedVariance } from '../../../../src-main/engine/orderbook/previousTick';
import { intradayProfile } from '../../../../src-main/engine/orderbook/profiles';
import { groupSessions, utcDate, type StoredBucket } from '../../../../src-main/engine/orderbook/sessions';
import { meanAndSe, olsSlope, signaturePlot } from '../../../../src-main/engine/orderbook/signature';
import { seeded } from '../../../../src-main/engine/stochastic/rng';

describe('previousTick', () => {
  it('samples the last usable tick at or before each grid time, only between the first and last tick', () => {
    // ticks at 0.5, 1, 2.5, 4 s (the 2.5 s one is not positive: skipped), equal-time pair at 4 s: the later wins
    const s = { times: [0.5, 1, 2.5, 4, 4, 6.2], wap: [10, 11, -1, 12, 13, 14] };
    const g = previousTick(s, 1);
    // grid 1 .. 6 (ceil(0.5) = 1, floor(6.2) = 6)
    expect(Array.from(g.t)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(g.v)).toEqual([11, 11, 11, 13, 13, 13]);
    expect(Array.from(g.src)).toEqual([1, 1, 1, 4, 4, 4]);
    const g2 = previousTick(s, 2);
    expect(Array.from(g2.t)).toEqual([2, 4, 6]);
    expect(Array.from(g2.v)).toEqual([11, 13, 13]);
  });

  it('puts a tick that sits on a grid point up to rounding on that point, and returns nothing without usable ticks', () => {
    const g = previousTick({ times: [0, 0.30000000000000004, 0.6], wap: [1, 2, 3] }, 0.1);
    expect(Array.from(g.v)).toEqual([1, 1, 1, 2, 2, 2, 3]);
    expect(previousTick({ times: [1, 2], wap: [NaN, 0] }, 1).v.length).toBe(0);
  });

  it('refuses a grid far finer than the span instead of allocating it', () => {
    expect(() => previousTick({ times: [0, 1e6], wap: [1, 1] }, 0.01)).toThrow(TooManyPointsError);
  });

  it('realised variance sums squared log returns and counts the returns over which the tick changed', () => {
    const g = previousTick({ times: [0, 1, 3], wap: [100, 101, 99] }, 1); // grid 0..3: 100, 101, 101, 99
    const r = realisedVariance(g, 1);
    const expected = Math.log(101 / 100) ** 2 + 0 + Math.log(99 / 101) ** 2;
    expect(r.rv).toBeCloseTo(expected, 15);
    expect(r).toMatchObject({ returns: 3, changes: 2, spanSeconds: 3 });
  });
});

describe('signature plot', () => {
  it('recovers 2 x the noise variance per observation from the small-interval slope, within its error bar', () => {
    // efficient log price: Brownian with variance sigma2 per second; observed every second with i.i.d. noise eta2
    const rng = seeded(20240601);
    const sigma2 = 1e-8;
    const eta2 = 1e-8;
    const S = 40;
    const T = 600;
    const sessions = [];
    for (let s = 0; s < S; s++) {
      const times = new Float64Array(T + 1);
      const wap = new Float64Array(T + 1);
      let x = 0;
      for (let k = 0; k <= T; k++) {
        if (k > 0) x += Math.sqrt(sigma2) * rng.normal();
        times[k] = k;
        wap[k] = Math.exp(x + Math.sqrt(eta2) * rng.normal());
      }
      sessions.push({ times, wap });
    }
    const spy = 252 * 6.5 * 3600;
    const sig = signaturePlot(sessions, { secondsPerYear: spy });
    const noise = sig.noise!;
    expect(noise.sessions).toBe(S);
    expect(noise.intervals).toEqual([1, 2, 5, 10]);
    // the estimate is meaningful (error bar under 10% of the value) and holds the truth within two error bars
    const se = noise.se!;
    expect(se).toBeLessThan(0.1 * eta2);
    expect(Math.abs(noise.variance - eta2)).toBeLessThan(2 * se);
    // the plot itself: at 1 s, E[RV] = sigma2 T + 2 eta2 T; at 600 s, one return: E[RV] = sigma2 T + 2 eta2
    const p1 = sig.points[0];
    expect(p1.intervalSeconds).toBe(1);
    expect(Math.abs(p1.rvMean! - (sigma2 + 2 * eta2) * T)).toBeLessThan(3 * p1.rvSe!);
    // annualised: (sigma2 + 2 eta2 / dt) per second x seconds per year, decreasing in dt
    expect(Math.abs(p1.annualVariance! - (sigma2 + 2 * eta2) * spy)).toBeLessThan(3 * p1.annualVarianceSe!);
    const ann = sig.points.map((p) => p.annualVariance!);
    expect(ann[0]).toBeGreaterThan(ann[3]);
    expect(ann[3]).toBeGreaterThan(ann[6]);
    const p600 = sig.points[sig.points.length - 1];
    expect(p600).toMatchObject({ intervalSeconds: 600, sessions: S, returns: S });
  });

  it('mean, standard error and OLS slope by hand', () => {
    expect(meanAndSe([1, 2, 3, 6])).toEqual({ mean: 3, se: Math.sqrt(14 / 3 / 4) });
    expect(olsSlope([0, 1, 2], [1, 3, 5])).toBeCloseTo(2, 14);
    expect(Number.isNaN(olsSlope([1, 1], [2, 3]))).toBe(true);
  });
});

describe('intraday profile', () => {
  it('averages spread and depth per bin and annualises the realised variance of the returns starting in each bin', () => {
    // two sessions, bins of 2 s, volatility sampled at 1 s
    const a = { times: [0, 1, 2, 3], wap: [1, 1.01, 1.01, 1.02], spreadBp: [2, 4, 6, 8], depth: [100, 300, 500, 700] };
    const b = { times: [0.5, 2.5], wap: [2, 2.2], spreadBp: [10, 20], depth: [50, 150] };
    const spy = 1000;
    const p = intradayProfile([a, b], { binSeconds: 2, rvIntervalSeconds: 1, secondsPerYear: spy });
    expect(p.binStart).toEqual([0, 2]);
    expect(p.rows).toEqual([3, 3]);
    expect(p.spreadBp[0]).toBeCloseTo((2 + 4 + 10) / 3, 14);
    expect(p.spreadBp[1]).toBeCloseTo((6 + 8 + 20) / 3, 14);
    expect(p.depth).toEqual([(100 + 300 + 50) / 3, (500 + 700 + 150) / 3]);
    // session a on grid 0..3: returns starting at 0 (log 1.01), 1 (0) -> bin 0; at 2 (log(1.02/1.01)) -> bin 1
    // session b on grid 1..2: 2, 2 (t=1), 2 (t=2): one return starting at 1 (0) -> bin 0
    expect(p.returns).toEqual([3, 1]);
    expect(p.rvAnnual[0]).toBeCloseTo(Math.sqrt((Math.log(1.01) ** 2 / 3) * spy), 12);
    expect(p.rvAnnual[1]).toBeCloseTo(Math.sqrt(Math.log(1.02 / 1.01) ** 2 * spy), 12);
  });

  it('refuses a bin that is not a multiple of the volatility interval', () => {
    expect(() => intradayProfile([], { binSeconds: 5, rvIntervalSeconds: 2, secondsPerYear: 1 })).toThrow(/multiple/);
  });
});

describe('sessions', () => {
  const bucket = (timeId: number, seconds: number[]): StoredBucket => ({
    timeId,
    seconds,
    wap: seconds.map((s) => 1 + s / 1e4),
    wap1: seconds.map(() => 1),
    bid1: seconds.map(() => 0.999),
    ask1: seconds.map(() => 1.001),
    depth: seconds.map(() => 10),
  });

  it('each bucket is a session on the bucket clock', () => {
    const out = [...groupSessions([bucket(5, [0, 3]), bucket(9, [1])], { kind: 'bucket' }, 600)];
    expect(out.map((s) => s.label)).toEqual(['time_id 5', 'time_id 9']);
    expect(Array.from(out[0].times)).toEqual([0, 3]);
    expect(out[0].spreadBp[0]).toBeCloseTo(20, 10);
  });

  it('a UTC day is a session on the day clock, seconds after the session start', () => {
    // 600 s buckets: day 19723 (2024-01-01) starts at time_id 19723 x 144; 14:30 UTC = 52,200 s = bucket 87
    const d0 = 19723 * 144;
    const buckets = [bucket(d0 + 87, [0, 30]), bucket(d0 + 88, [10]), bucket(d0 + 144 + 87, [5])];
    const out = [...groupSessions(buckets, { kind: 'day', startSeconds: 52_200 }, 600)];
    expect(out.map((s) => s.label)).toEqual(['2024-01-01', '2024-01-02']);
    expect(utcDate(19723)).toBe('2024-01-01');
    expect(Array.from(out[0].times)).toEqual([0, 30, 610]);
    expect(Array.from(out[1].times)).toEqual([5]);
  });
});
