"""Time the evaluation of one method on one universe of CSI 1000 size: 1,000 members among 2,400 codes, 7.5 years daily.

Random data of that size: prices with limit moves, late listings, ~3% suspended stock-days, semi-annual membership
changes, an index series; an E2EAI-like run record (deep factor, attention estimate and automatic weights for K=5
horizons). Reports wall-clock and CPU seconds of each step on this machine, and the machine's load (the figures scale
with it). Run from the repository root:  python benchmarks/eval_bench.py
"""
import os, time
import numpy as np
import torch
from e2eai.core import Panel, HORIZONS
from e2eai.records import RunRecord
from e2eai.backtest import BacktestConfig, market, backtest_signal, record_array
from e2eai.diagnostics import ic_summary, group_returns
from e2eai.report import evaluate_record

def random_panel(T=1850, N=2400, members=1000, seed=0) -> Panel:
    "A CSI 1000-sized random panel with labels and an index series."
    rng = np.random.default_rng(seed)
    ret = np.clip(rng.normal(0, .025, (T, N)), -.1, .1)             # some days at the limit
    price = (10 * np.exp(np.cumsum(np.log1p(ret), 0))).astype(np.float32)
    price[:200, :100] = np.nan                                       # late listings
    tradable = np.isfinite(price) & (rng.random((T, N)) > .03)       # ~3% suspended stock-days
    rank, member = np.argsort(rng.random(N)), np.zeros((T, N), bool)
    for b in range(0, T, 120):                                       # semi-annual reconstitution
        member[b:b + 120, np.sort(rank[:members])] = True
        rank = np.roll(rank, 50)
    member &= np.isfinite(price)
    labels = np.full((T, N, len(HORIZONS)), np.nan, np.float32)
    for j, k in enumerate(HORIZONS): labels[:T - k, :, j] = price[k:] / price[1:T - k + 1] - 1
    dates = np.busday_offset('2015-01-05', np.arange(T), roll='forward').astype('datetime64[D]')
    return Panel(dates=dates, codes=np.array([f'sz{i:06d}' for i in range(N)]), factors=np.zeros((T, N, 1), np.float32),
                 factor_names=['f0'], factor_groups=['Momentum'], price=price, close=price, tradable=tradable,
                 member={'csi1000': member}, industry=np.zeros(N, np.int64), industry_names=['A'], labels=labels,
                 benchmark={'csi1000': 1000 * np.exp(np.cumsum(rng.normal(0, .012, T)))})

def e2e_record(panel: Panel, seed=1) -> RunRecord:
    "An E2EAI-like record over the whole panel: deep factor, its approximation, weights on the top decile."
    rng = np.random.default_rng(seed)
    mem = panel.member['csi1000'][..., None]
    deep = np.where(mem, np.nan_to_num(panel.labels) + rng.normal(0, .1, panel.labels.shape), np.nan).astype(np.float32)
    approx = (deep + rng.normal(0, .1, deep.shape)).astype(np.float32)
    weights = np.where(mem, (rng.random(deep.shape) < .1).astype(np.float32), np.nan).astype(np.float32)
    T, K = len(panel.dates), len(HORIZONS)
    return RunRecord(config=dict(method='E2EAI', universe='csi1000', fold=-1, seed=0), dates=panel.dates, codes=panel.codes,
                     deep=deep, approx=approx, weights=weights, dir_deep=np.ones((T, K)), factor_names=['f0'], factor_groups=['Momentum'])

def timed(what, f, *args, **kw):
    w, c = time.perf_counter(), time.process_time()
    out = f(*args, **kw)
    w, c = time.perf_counter() - w, time.process_time() - c
    print(f"{what:<62s} {w:6.2f} s wall {c:6.2f} s CPU"); return out, w

if __name__ == '__main__':
    panel = random_panel(); rec = e2e_record(panel)
    T, N = panel.price.shape
    print(f"{T} days x {N} codes, {panel.member['csi1000'].sum(1).mean():.0f} members/day, K={len(HORIZONS)}; "
          f"{os.cpu_count()} CPUs, {torch.get_num_threads()} torch threads, load average {os.getloadavg()[0]:.1f} at start")
    m = market(panel, 'csi1000')
    deep5 = record_array(rec, m, 'deep')[..., HORIZONS.index(5)]
    steps = [('one portfolio: ad-hoc top decile, rebalance 5 (defaults)', backtest_signal, (m, deep5), {}),
             ('one portfolio: ad-hoc top decile, daily rebalance', backtest_signal, (m, deep5), dict(cfg=BacktestConfig(rebalance=1))),
             ('Table 1 rows of one E2EAI record (E2E_l, E2E_d, E2E_auto + IC)', evaluate_record, (rec, panel), {}),
             ('IC, Rank IC, ICIR, Rank ICIR at all 5 horizons', ic_summary, (record_array(rec, m, 'deep'), m), {}),
             ('10-group mean returns at all 5 horizons (Fig. 3 data)', group_returns, (deep5, m), {})]
    total = 0.
    for what, f, args, kw in steps:
        out, w = timed(what, f, *args, **kw)
        if 'Table 1' in what: print(out[['method', 'alpha', 'IR', 'MD', 'TT', 'n', 'alpha_net', 'IC']].round(2).to_string(index=False))
        if 'one portfolio' not in what: total += w
    print(f"{'one method: Table 1 rows + diagnostics at all horizons':<62s} {total:6.2f} s wall; load average {os.getloadavg()[0]:.1f} at end")
