#!/usr/bin/env python3
"""References for src-main/engine/math/stulz.ts and bivariateNormal.ts.

1. Stulz (1982) two-asset call on the max and put on the min: QuantLib 1.29's StulzEngine (Debian package
   quantlib-python), which implements the same paper independently, and a 1-D quadrature of the
   conditional Black-Scholes value (independent of any two-asset closed form).
2. The bivariate normal distribution function: mpmath quadrature at 30 digits,
   M(a, b; rho) = int_{-inf}^{a} n(x) N((b - rho x)/sqrt(1 - rho^2)) dx.

Regenerate:  PYTHONPATH=/usr/lib/python3/dist-packages python3 test/reference/stulz_quantlib.py
(Debian's QuantLib module with a python3 that also has numpy and mpmath.)
"""
import json
import math
import QuantLib as ql

try:
    from mpmath import mp, mpf, quad, npdf, ncdf, sqrt as msqrt, inf
    HAVE_MPMATH = True
except ImportError:
    HAVE_MPMATH = False


def stulz_ql(kind, S1, S2, v1, v2, q1, q2, rho, r, K, days):
    today = ql.Date(1, 1, 2025)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual365Fixed()
    mat = today + days

    def proc(S, v, q):
        return ql.BlackScholesMertonProcess(
            ql.QuoteHandle(ql.SimpleQuote(S)),
            ql.YieldTermStructureHandle(ql.FlatForward(today, q, dc)),
            ql.YieldTermStructureHandle(ql.FlatForward(today, r, dc)),
            ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, ql.NullCalendar(), v, dc)),
        )

    if kind == "max-call":
        payoff = ql.MaxBasketPayoff(ql.PlainVanillaPayoff(ql.Option.Call, K))
    else:
        payoff = ql.MinBasketPayoff(ql.PlainVanillaPayoff(ql.Option.Put, K))
    opt = ql.BasketOption(payoff, ql.EuropeanExercise(mat))
    opt.setPricingEngine(ql.StulzEngine(proc(S1, v1, q1), proc(S2, v2, q2), rho))
    return opt.NPV()


def conditional_quad(kind, S1, S2, v1, v2, q1, q2, rho, r, K, tau):
    """Independent of any two-asset formula: condition on asset 1's normal z, then asset 2 is lognormal and
    max(max(s1, S2) - K, 0) = (s1 - K)^+ + (S2 - max(s1, K))^+,   max(K - min(s1, S2), 0) = (K - s1)^+ + (min(s1, K) - S2)^+,
    so the inner expectation is a Black-Scholes call/put; the outer integral is scipy quad (1e-13)."""
    from scipy.integrate import quad as squad
    from scipy.stats import norm
    t = math.sqrt(tau)

    def inner(z):
        s1 = S1 * math.exp((r - q1 - 0.5 * v1 * v1) * tau + v1 * t * z)
        vol = v2 * t * math.sqrt(1 - rho * rho)
        fwd = S2 * math.exp((r - q2 - 0.5 * v2 * v2) * tau + v2 * t * rho * z + 0.5 * vol * vol)
        k = max(s1, K) if kind == "max-call" else min(s1, K)
        d1 = (math.log(fwd / k) + 0.5 * vol * vol) / vol
        d2 = d1 - vol
        if kind == "max-call":
            return max(s1 - K, 0) + fwd * norm.cdf(d1) - k * norm.cdf(d2)
        return max(K - s1, 0) + k * norm.cdf(-d2) - fwd * norm.cdf(-d1)

    zk = (math.log(K / S1) - (r - q1 - 0.5 * v1 * v1) * tau) / (v1 * t)
    f = lambda z: inner(z) * math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    total = sum(squad(f, lo, hi, epsabs=1e-14, epsrel=1e-13, limit=200)[0] for lo, hi in [(-12, zk), (zk, 12)])
    return math.exp(-r * tau) * total


CASES = [
    dict(kind="max-call", spots=[100, 100], vols=[0.25, 0.2], divs=[0, 0], rho=0.25, rate=0.04, strike=80, days=365),
    dict(kind="max-call", spots=[100, 110], vols=[0.4, 0.1], divs=[0.02, 0.05], rho=-0.5, rate=0.04, strike=100, days=182),
    dict(kind="max-call", spots=[90, 100], vols=[0.3, 0.3], divs=[0.0, 0.0], rho=0.9, rate=0.0, strike=120, days=730),
    dict(kind="min-put", spots=[100, 100], vols=[0.25, 0.2], divs=[0, 0], rho=0.25, rate=0.04, strike=50, days=365),
    dict(kind="min-put", spots=[100, 95], vols=[0.15, 0.35], divs=[0.03, 0.0], rho=0.5, rate=0.02, strike=100, days=365),
    dict(kind="min-put", spots=[80, 120], vols=[0.2, 0.2], divs=[0.0, 0.0], rho=-0.3, rate=0.05, strike=110, days=91),
]
BVN = [(0, 0, 0.5), (0.3, -0.2, 0.95), (1, 2, -0.95), (-1, -2, -0.5), (0.5, 0.5, 0.999), (-2, 1, 0.2), (2, 1.5, -0.99), (-3, -3, 0.8)]

if __name__ == "__main__":
    for c in CASES:
        args = (c["kind"], *c["spots"], *c["vols"], *c["divs"], c["rho"], c["rate"], c["strike"])
        q = stulz_ql(*args, c["days"])
        cq = conditional_quad(*args, c["days"] / 365)
        print(json.dumps({**c, "tau": c["days"] / 365, "quantlib": q, "conditionalQuad": cq}))
    if HAVE_MPMATH:
        mp.dps = 30
        for a, b, r in BVN:
            a, b, r = mpf(a), mpf(b), mpf(r)
            v = quad(lambda x: npdf(x) * ncdf((b - r * x) / msqrt(1 - r * r)), [-inf, a])
            print(json.dumps({"bvn": [float(a), float(b), float(r)], "value": mp.nstr(v, 20)}))
