"""PyTorch CPU peer of the DHNTB training epoch, for `npm run bench:hedging -- --peer` (issue 16).

Same setting as bench/hedging.bench.ts: 10,000 GBM paths x 30 steps per epoch (fresh paths every epoch, T = 30/365,
sigma 0.1, S0 = 1), European call K = 1, proportional cost c = 2e-3, a 4 x 64 ReLU network of the features
(log moneyness, time to expiry, sigma) giving the two band widths around the Black-Scholes delta,
lower/upper = delta -/+ leaky_relu(width) (slope 0.01), position = clamp(previous, lower, upper) (midpoint when
the bounds cross), PnL = sum delta_i (S_{i+1} - S_i) - c sum |delta_i - delta_{i-1}| S_i - payoff, entropic risk
with a = 1, one Adam step (lr 1e-3) per epoch over all paths, float32, autograd.

Two ways of running the network, both timed:
  per-step: the network is called once per date on that date's 10,000 rows, as pfhedge's Hedger does (the example
            the issue measured: pfhedge's no-transaction band network);
  batched:  one call on all 300,000 rows (the band's inputs do not depend on the position), then the clamp loop --
            what our engine does.
Prints one JSON line: torch version, threads, and per variant the median wall and CPU seconds per epoch over the
epochs after the first.

  python3 bench/peer/torch_ntb.py [--epochs 8] [--threads 2]   (Debian: /usr/bin/python3 with python3-torch)
"""
import argparse
import json
import math
import resource
import statistics
import time

import torch

p = argparse.ArgumentParser()
p.add_argument('--epochs', type=int, default=8)
p.add_argument('--threads', type=int, default=2)
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)

PATHS, STEPS, DAYS, SIGMA, K, COST, A, LR = 10_000, 30, 30, 0.1, 1.0, 2e-3, 1.0, 1e-3
T = DAYS / 365
DT = T / STEPS


def mlp() -> torch.nn.Module:
    layers, width = [], 3
    for _ in range(4):
        layers += [torch.nn.Linear(width, 64), torch.nn.ReLU()]
        width = 64
    layers.append(torch.nn.Linear(width, 2))
    return torch.nn.Sequential(*layers)


def norm_cdf(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * (1 + torch.erf(x / math.sqrt(2)))


def epoch_data():
    z = torch.randn(PATHS, STEPS)
    logs = torch.cumsum(-0.5 * SIGMA**2 * DT + SIGMA * math.sqrt(DT) * z, dim=1)
    s = torch.cat([torch.ones(PATHS, 1), torch.exp(logs)], dim=1)  # paths x (steps + 1)
    tau = T - DT * torch.arange(STEPS, dtype=torch.float32)  # time to expiry at each date
    lm = torch.log(s[:, :-1] / K)
    d1 = (lm + 0.5 * SIGMA**2 * tau) / (SIGMA * torch.sqrt(tau))
    delta = norm_cdf(d1)  # Black-Scholes delta, paths x steps
    feats = torch.stack([lm, tau.expand(PATHS, STEPS), torch.full((PATHS, STEPS), SIGMA)], dim=2)  # paths x steps x 3
    return s, delta, feats


def pnl_of(widths: list, s: torch.Tensor, delta: torch.Tensor) -> torch.Tensor:
    prev = torch.zeros(PATHS)
    value = torch.zeros(PATHS)
    for i in range(STEPS):
        w = widths[i]
        lower = delta[:, i] - torch.nn.functional.leaky_relu(w[:, 0], 0.01)
        upper = delta[:, i] + torch.nn.functional.leaky_relu(w[:, 1], 0.01)
        pos = torch.where(lower > upper, 0.5 * (lower + upper), torch.minimum(torch.maximum(prev, lower), upper))
        value = value + pos * (s[:, i + 1] - s[:, i]) - COST * torch.abs(pos - prev) * s[:, i]
        prev = pos
    return value - torch.clamp(s[:, -1] - K, min=0)


def run(variant: str) -> dict:
    torch.manual_seed(1)
    net = mlp()
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    walls, cpus = [], []
    for _ in range(args.epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        s, delta, feats = epoch_data()
        if variant == 'per-step':
            widths = [net(feats[:, i, :]) for i in range(STEPS)]
        else:
            out = net(feats.reshape(PATHS * STEPS, 3)).reshape(PATHS, STEPS, 2)
            widths = [out[:, i, :] for i in range(STEPS)]
        pnl = pnl_of(widths, s, delta)
        loss = torch.logsumexp(-A * pnl, 0) / A - math.log(PATHS) / A  # entropic risk (1/a) log E exp(-a PnL)
        opt.zero_grad()
        loss.backward()
        opt.step()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    steady = slice(1, None) if args.epochs > 1 else slice(None)
    return {'secondsPerEpoch': statistics.median(walls[steady]), 'cpuSecondsPerEpoch': statistics.median(cpus[steady]), 'loss': float(loss)}


res = {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'epochs': args.epochs}
for v in ('per-step', 'batched'):
    res[v] = run(v)
res['peakRssMB'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(res))
