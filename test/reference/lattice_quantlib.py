#!/usr/bin/env python3
"""Converged references for the 1-D Bermudan lattice (src-main/engine/math/lattice1d.ts).

QuantLib 1.29 (Debian package quantlib-python; run with /usr/bin/python3) finite-difference engine
FdBlackScholesVanillaEngine, Crank-Nicolson, on a fine grid, Bermudan exercise on the dates
k T/E, k = 0..E (t = 0 included: the holder may exercise at once, as the lattice does), T = 360/365
(whole-day dates). Each value is computed at two grids (tGrid x xGrid = 2000 x 2000 and 4000 x 4000) and the
finer one is printed with the difference as its error estimate.

Regenerate:  /usr/bin/python3 test/reference/lattice_quantlib.py
"""
import json
import QuantLib as ql


def bermudan(S, K, vol, r, q, days, E, side, grid):
    today = ql.Date(1, 1, 2025)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual365Fixed()
    step = days // E
    dates = [today + k * step for k in range(0, E + 1)]
    proc = ql.BlackScholesMertonProcess(
        ql.QuoteHandle(ql.SimpleQuote(S)),
        ql.YieldTermStructureHandle(ql.FlatForward(today, q, dc)),
        ql.YieldTermStructureHandle(ql.FlatForward(today, r, dc)),
        ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, ql.NullCalendar(), vol, dc)),
    )
    payoff = ql.PlainVanillaPayoff(ql.Option.Put if side == "put" else ql.Option.Call, K)
    opt = ql.VanillaOption(payoff, ql.BermudanExercise(dates))
    opt.setPricingEngine(ql.FdBlackScholesVanillaEngine(proc, grid, grid, 0, ql.FdmSchemeDesc.CrankNicolson()))
    return opt.NPV(), opt.delta(), opt.gamma()


CASES = [
    # the deep in-the-money put: must be worth at least its intrinsic value 80
    dict(side="put", spot=20, strike=100, vol=1.0, rate=0.04, div=0, days=360, E=120),
    # just above the t = 0 exercise boundary (~74.1 here), where Gamma jumps
    dict(side="put", spot=74.4, strike=100, vol=0.25, rate=0.04, div=0, days=360, E=120),
    dict(side="put", spot=74.7, strike=100, vol=0.25, rate=0.04, div=0, days=360, E=120),
    dict(side="put", spot=75, strike=100, vol=0.25, rate=0.04, div=0, days=360, E=120),
    dict(side="put", spot=76, strike=100, vol=0.25, rate=0.04, div=0, days=360, E=120),
    dict(side="put", spot=80, strike=100, vol=0.25, rate=0.04, div=0, days=360, E=12),
    dict(side="put", spot=85, strike=100, vol=0.25, rate=0.04, div=0, days=360, E=12),
    dict(side="put", spot=100, strike=100, vol=0.25, rate=0.04, div=0, days=360, E=12),
    # call with a dividend yield: in the exercise region, and above it
    dict(side="call", spot=125, strike=100, vol=0.2, rate=0.0, div=0.06, days=360, E=120),
    dict(side="call", spot=115, strike=100, vol=0.2, rate=0.0, div=0.06, days=360, E=120),
]

if __name__ == "__main__":
    for c in CASES:
        args = (c["spot"], c["strike"], c["vol"], c["rate"], c["div"], c["days"], c["E"], c["side"])
        p1, d1, g1 = bermudan(*args, 2000)
        p2, d2, g2 = bermudan(*args, 4000)
        print(json.dumps({**c, "tau": c["days"] / 365, "price": p2, "delta": d2, "gamma": g2,
                          "priceErr": abs(p2 - p1), "deltaErr": abs(d2 - d1), "gammaErr": abs(g2 - g1)}))
