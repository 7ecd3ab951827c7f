#!/usr/bin/env python3
"""Exact price of the daily-monitored at-the-money fixed-strike lookback call (K = S_0 = M_0, r = 0).

With W_k = log(P_k / P_0) a Gaussian random walk (step mean -sigma^2 dt/2, variance sigma^2 dt) the payoff is
max_{0<=k<=n} P_k - K = exp(max(0, W_1, .., W_n)) - 1 for K = P_0 = 1. Spitzer's identity
    sum_n t^n E[exp(lambda max(0, W_1..W_n))] = exp( sum_k t^k / k * E[exp(lambda W_k^+)] )
at lambda = 1 gives b_n = E[exp(max(0, W_1..W_n))] by the power-series exponential
    b_0 = 1,  b_n = (1/n) sum_{k=1}^n c_k b_{n-k},  c_k = E[exp(W_k^+)] = 1 + BS call(S=1, K=1, total vol sigma sqrt(k dt)).
(F. Spitzer, "A combinatorial lemma and its application to probability theory", Trans. AMS 82 (1956).)
No discretisation error: the only approximation is mpmath's 40-digit arithmetic.

Regenerate:  python3 test/reference/lookback_discrete_spitzer.py
Used by test/unit/engine/math/lookbackDiscrete.test.ts.
"""
from mpmath import mp, mpf, ncdf, sqrt

mp.dps = 40


def bs_call_atm(total_vol):
    return ncdf(total_vol / 2) - ncdf(-total_vol / 2)


def discrete_atm_lookback(sigma, days, steps):
    dt = mpf(days) / 365 / steps
    c = [None] + [1 + bs_call_atm(sigma * sqrt(k * dt)) for k in range(1, steps + 1)]
    b = [mpf(1)]
    for n in range(1, steps + 1):
        b.append(sum(c[k] * b[n - k] for k in range(1, n + 1)) / n)
    return b[steps] - 1


if __name__ == "__main__":
    for sigma, days, steps in [(mpf("0.1"), 30, 30), (mpf("0.3"), 91.25, 60), (mpf("0.1"), 30, 1)]:
        print(f"sigma={mp.nstr(sigma, 3)} days={days} steps={steps} price={mp.nstr(discrete_atm_lookback(sigma, days, steps), 20)}")
