#!/usr/bin/env python3
"""References for src-main/engine/heston/semiAnalytic.ts and adi.ts (spec heston-osm.md).

Source: QuantLib 1.29 (Debian package quantlib-python), independent of this repository's code:
1. European puts/calls: AnalyticHestonEngine (Heston 1993 with QuantLib's own integration, relative tolerance
   1e-13); Delta, Vega (d/dv0), Gamma, Vomma, Vanna by central finite differences of that price
   (steps hS = 1e-3 S, hv = 1e-4; their error ~1e-7 relative, stated as `fdTol`).
2. Bermudan and American puts: FdHestonVanillaEngine (Douglas or modified Craig–Sneyd ADI, in't Hout & Foulon
   2010) with BermudanExercise at t = k T / 12 and AmericanExercise, on two grids (the finer one is the golden
   number, the difference is its own error estimate).

Times: Actual360 day count so that T = 0.3 is exactly 108 days and the 12 exercise dates are every 9 days.

Regenerate:  PYTHONPATH=/usr/lib/python3/dist-packages python3 test/reference/heston_quantlib.py \
                 > test/reference/heston_quantlib.json
"""
import json
import time
import QuantLib as ql

TODAY = ql.Date(1, 1, 2025)
ql.Settings.instance().evaluationDate = TODAY
DC = ql.Actual360()

H1 = dict(s0=10.0, nu0=0.0625, kappa=5.0, nubar=0.16, xi=0.9, rho=0.1, r=0.1, q=0.0)


def process(m):
    return ql.HestonProcess(
        ql.YieldTermStructureHandle(ql.FlatForward(TODAY, m["r"], DC)),
        ql.YieldTermStructureHandle(ql.FlatForward(TODAY, m["q"], DC)),
        ql.QuoteHandle(ql.SimpleQuote(m["s0"])),
        m["nu0"], m["kappa"], m["nubar"], m["xi"], m["rho"],
    )


def days(t):
    d = round(t * 360)
    assert abs(d - t * 360) < 1e-9, t
    return d


def payoff(kind, K):
    return ql.PlainVanillaPayoff(ql.Option.Put if kind == "put" else ql.Option.Call, K)


def analytic(m, kind, K, T):
    opt = ql.VanillaOption(payoff(kind, K), ql.EuropeanExercise(TODAY + days(T)))
    opt.setPricingEngine(ql.AnalyticHestonEngine(ql.HestonModel(process(m)), 1e-13, 1000000))
    return opt.NPV()


def european_case(m, kind, K, T):
    hs, hv = 1e-3 * m["s0"], 1e-4
    p = lambda **kw: analytic({**m, **kw}, kind, K, T)
    s, v = m["s0"], m["nu0"]
    p0 = p()
    return dict(
        market=m, kind=kind, strike=K, maturity=T,
        price=p0,
        delta=(p(s0=s + hs) - p(s0=s - hs)) / (2 * hs),
        vega=(p(nu0=v + hv) - p(nu0=v - hv)) / (2 * hv),
        gamma=(p(s0=s + hs) - 2 * p0 + p(s0=s - hs)) / hs ** 2,
        vomma=(p(nu0=v + hv) - 2 * p0 + p(nu0=v - hv)) / hv ** 2,
        vanna=(p(s0=s + hs, nu0=v + hv) - p(s0=s + hs, nu0=v - hv) - p(s0=s - hs, nu0=v + hv) + p(s0=s - hs, nu0=v - hv))
        / (4 * hs * hv),
        fdTol=1e-6,
    )


def fd_put(m, K, T, exercise, grid, scheme):
    t, x, v = grid
    if exercise == "american":
        ex = ql.AmericanExercise(TODAY, TODAY + days(T))
    elif exercise == "european":
        ex = ql.EuropeanExercise(TODAY + days(T))
    else:
        ex = ql.BermudanExercise([TODAY + days(k * T / exercise) for k in range(1, exercise + 1)])
    opt = ql.VanillaOption(payoff("put", K), ex)
    desc = ql.FdmSchemeDesc.ModifiedCraigSneyd() if scheme == "mcs" else ql.FdmSchemeDesc.Hundsdorfer()
    opt.setPricingEngine(ql.FdHestonVanillaEngine(ql.HestonModel(process(m)), t, x, v, 0, desc))
    t0 = time.time()
    price = opt.NPV()
    return dict(price=price, delta=opt.delta(), gamma=opt.gamma(), seconds=time.time() - t0)


def main():
    european = []
    m_b = dict(s0=100.0, nu0=0.04, kappa=1.5, nubar=0.04, xi=0.5, rho=-0.7, r=0.03, q=0.02)  # Feller holds
    m_c = dict(s0=100.0, nu0=0.09, kappa=1.0, nubar=0.04, xi=1.0, rho=-0.9, r=0.02, q=0.0)  # Feller fails
    for kind, K, T in [("put", 11, 0.3), ("call", 11, 0.3), ("put", 11, 0.5), ("put", 10, 0.4), ("put", 12, 0.75), ("put", 9, 0.6), ("call", 8, 0.1)]:
        european.append(european_case(H1, kind, K, T))
    for kind, K in [("call", 90.0), ("put", 100.0), ("call", 120.0)]:
        european.append(european_case(m_b, kind, K, 1.0))
    for kind, K in [("put", 80.0), ("call", 100.0)]:
        european.append(european_case(m_c, kind, K, 2.0))

    bermudan = []
    for ex in [12, "european", "american"]:
        coarse = fd_put(H1, 11, 0.3, ex, (200, 200, 100), "hv")
        fine = fd_put(H1, 11, 0.3, ex, (400, 400, 200), "hv")
        bermudan.append(dict(market=H1, strike=11, maturity=0.3, exercise=ex, price=fine["price"], delta=fine["delta"],
                             gamma=fine["gamma"], coarsePrice=coarse["price"], grids=[[200, 200, 100], [400, 400, 200]],
                             scheme="Hundsdorfer-Verwer", seconds=fine["seconds"]))

    print(json.dumps(dict(source="QuantLib %s (Debian quantlib-python), test/reference/heston_quantlib.py" % ql.__version__,
                          european=european, bermudan=bermudan), indent=1))


if __name__ == "__main__":
    main()
