#!/usr/bin/env python3
"""Golden values for the fixed-strike lookback call (Conze & Viswanathan 1991), continuous monitoring.

Evaluates the textbook closed form literally in mpmath with enough digits that its cancellation
(e^E N(d3) with E = 2 r ln(H/S) / sigma^2 up to ~1e3) is harmless: the working precision is raised
with E and every value is checked against a second evaluation with 40 more digits. The delta is
mpmath's numerical derivative of that price in S at fixed running maximum (independent of the
engine's delta formula). r = 0 uses the limit formula (also checked against r = +-1e-30).

Regenerate:  python3 test/reference/lookback_mpmath.py
Output: JSON lines {"spot","runningMax","strike","vol","tau","rate","price","delta"} used by
test/unit/engine/math/lookbackExact.test.ts.
"""
import json
from mpmath import mp, mpf, ncdf, npdf, log, exp, sqrt, diff


def price(S, M, K, vol, tau, r):
    M = max(M, S)
    H = max(M, K)
    s = vol * sqrt(tau)
    d1 = (log(S / H) + (r + vol * vol / 2) * tau) / s
    d2 = d1 - s
    df = exp(-r * tau)
    base = df * max(M - K, 0) + S * ncdf(d1) - H * df * ncdf(d2)
    if r == 0:
        L = log(S / H)
        return base + S * (ncdf(d1) * (L + s * s / 2) + s * npdf(d1))
    d3 = d1 - 2 * r * sqrt(tau) / vol
    bracket = exp(r * tau) * ncdf(d1) - exp(-2 * r / (vol * vol) * log(S / H)) * ncdf(d3)
    return base + S * df * (vol * vol / (2 * r)) * bracket


def evaluate(case, extra):
    S, M, K, vol, tau, r = (mpf(case[k]) for k in ("spot", "runningMax", "strike", "vol", "tau", "rate"))
    H = max(M, S, K)
    E = abs(2 * r * log(H / S) / (vol * vol)) if r != 0 else mpf(0)
    # digits lost to cancellation ~ E / ln 10 (+ the 1/r, 1/sigma^2 factors); the derivative needs more
    mp.dps = 60 + int(E / mpf(2.3)) + int(abs(log(vol * vol / max(abs(r), mpf('1e-30')), 10))) + extra
    p = price(S, M, K, vol, tau, r)
    d = diff(lambda x: price(x, max(M, x), K, vol, tau, r), S)
    return p, d


CASES = [
    # the point: textbook formula gives -10.21, true 2.98055
    dict(spot=100, runningMax=100, strike=120, vol=0.03, rate=0.1, tau=2),
    # E ~ 703, 1013 and 9116 (textbook overflows to NaN above ~709)
    dict(spot=100, runningMax=100, strike=120, vol=0.0072, rate=0.1, tau=2),
    dict(spot=100, runningMax=100, strike=120, vol=0.006, rate=0.1, tau=2),
    dict(spot=100, runningMax=100, strike=120, vol=0.002, rate=0.1, tau=2),
    dict(spot=100, runningMax=110, strike=100, vol=0.01, rate=0.05, tau=1),
    dict(spot=1, runningMax=1, strike=1.2, vol=0.02, rate=0.3, tau=1),
    # deep out of the money with a large E and price far below 1
    dict(spot=100, runningMax=100, strike=150, vol=0.05, rate=0.2, tau=0.5),
    # negative rate
    dict(spot=100, runningMax=100, strike=120, vol=0.03, rate=-0.1, tau=2),
    dict(spot=0.9, runningMax=1.1, strike=1.3, vol=0.35, rate=-0.05, tau=1),
    # near r = 0 on both sides and at 0
    dict(spot=1, runningMax=1, strike=1, vol=0.1, rate=0, tau=30 / 365),
    dict(spot=1, runningMax=1, strike=1, vol=0.1, rate=1e-9, tau=30 / 365),
    dict(spot=1, runningMax=1, strike=1, vol=0.1, rate=-1e-9, tau=30 / 365),
    dict(spot=0.97, runningMax=1.02, strike=1, vol=0.2, rate=1e-5, tau=0.5),
    # sigma tiny, tau tiny
    dict(spot=1, runningMax=1, strike=1, vol=1e-4, rate=0.05, tau=1),
    dict(spot=1, runningMax=1.001, strike=1, vol=1e-4, rate=0.01, tau=1),
    dict(spot=1, runningMax=1, strike=1.0001, vol=0.2, rate=0.05, tau=1e-6),
    dict(spot=1, runningMax=1, strike=1, vol=0.2, rate=0.05, tau=1e-8),
    # ordinary points (where the textbook formula is fine)
    dict(spot=1, runningMax=1, strike=1, vol=0.1, rate=0.05, tau=30 / 365),
    dict(spot=0.9, runningMax=1.1, strike=1.3, vol=0.35, rate=0.03, tau=1),
    dict(spot=1.05, runningMax=1.05, strike=0.9, vol=0.15, rate=0.02, tau=0.02),
    # high vol, long maturity
    dict(spot=1, runningMax=1, strike=1, vol=1.5, rate=0.05, tau=10),
]

if __name__ == "__main__":
    for c in CASES:
        p, d = evaluate(c, 0)
        p2, d2 = evaluate(c, 40)
        assert abs(p - p2) <= abs(p2) * mpf("1e-30") + mpf("1e-300"), (c, p, p2)
        assert abs(d - d2) <= abs(d2) * mpf("1e-20") + mpf("1e-300"), (c, d, d2)
        if c["rate"] == 0:  # continuity through r = 0
            for r in ("1e-30", "-1e-30"):
                pr, _ = evaluate({**c, "rate": mpf(r)}, 0)
                assert abs(pr - p) < mpf("1e-25"), (c, pr, p)
        print(json.dumps({**c, "price": mp.nstr(p2, 20), "delta": mp.nstr(d2, 20)}))
