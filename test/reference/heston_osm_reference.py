#!/usr/bin/env python3
"""Reference price and Greeks of the spec's H1 Bermudan put under Heston (spec heston-osm.md, preset H1).

Independent of the engine: QuantLib's 2-D finite-difference Heston engine (FdHestonVanillaEngine, Douglas ADI)
with a BermudanExercise on the 12 dates t = k T / 12, k = 1..12. Requires Debian's `quantlib-python`
(`apt-get install -y quantlib-python`; run with /usr/bin/python3).

Times: Actual/360 everywhere, so T = 108 days / 360 = 0.3 years exactly and the exercise dates fall every 9 days.
Greeks: Delta and Gamma from the engine (d/dS, d2/dS2 on its grid); Vega = du/dnu0, Vomma = d2u/dnu0^2 and
Vanna = d2u/dS dnu0 by central differences of the engine's price/Delta in nu0 (bump 2.5% of nu0).
Prints the numbers on two grids (the difference is the discretisation error estimate) as JSON.

Usage: /usr/bin/python3 test/reference/heston_osm_reference.py [--european]
"""
import json
import sys

import QuantLib as ql

S0, NU0, K, T_DAYS = 10.0, 0.0625, 11.0, 108
R, Q, KAPPA, NUBAR, XI, RHO = 0.1, 0.0, 5.0, 0.16, 0.9, 0.1
EX_DATES = 12


def price_and_greeks(s0, nu0, grid, european=False):
    today = ql.Date(2, 1, 2025)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual360()
    rts = ql.YieldTermStructureHandle(ql.FlatForward(today, R, dc))
    dts = ql.YieldTermStructureHandle(ql.FlatForward(today, Q, dc))
    spot = ql.QuoteHandle(ql.SimpleQuote(s0))
    process = ql.HestonProcess(rts, dts, spot, nu0, KAPPA, NUBAR, XI, RHO)
    model = ql.HestonModel(process)
    maturity = today + T_DAYS
    if european:
        exercise = ql.EuropeanExercise(maturity)
    else:
        exercise = ql.BermudanExercise([today + k * T_DAYS // EX_DATES for k in range(1, EX_DATES + 1)])
    option = ql.VanillaOption(ql.PlainVanillaPayoff(ql.Option.Put, K), exercise)
    t, x, v = grid
    option.setPricingEngine(ql.FdHestonVanillaEngine(model, t, x, v, 0, ql.FdmSchemeDesc.Douglas()))
    return option.NPV(), option.delta(), option.gamma()


def all_greeks(grid, european):
    p, d, g = price_and_greeks(S0, NU0, grid, european)
    h = 0.025 * NU0
    pu, du, _ = price_and_greeks(S0, NU0 + h, grid, european)
    pd, dd, _ = price_and_greeks(S0, NU0 - h, grid, european)
    return {
        "price": p,
        "delta": d,
        "vega": (pu - pd) / (2 * h),
        "gamma": g,
        "vomma": (pu - 2 * p + pd) / (h * h),
        "vanna": (du - dd) / (2 * h),
    }


if __name__ == "__main__":
    european = "--european" in sys.argv
    coarse = all_greeks((200, 200, 100), european)
    fine = all_greeks((400, 400, 200), european)
    print(json.dumps({"claim": "european put" if european else "bermudan put (12 dates)", "coarse_200x200x100": coarse, "fine_400x400x200": fine}, indent=2))
