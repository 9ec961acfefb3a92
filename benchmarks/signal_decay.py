"""Does a signal's Rank IC decay faster than another's as a test block moves away from its training days? Reporting only.

Each fold's model is trained once and then scored on a test block of about eleven months. This script takes the daily
Rank IC of each ad-hoc signal (`e2eai.report.evaluate_records(daily=True)`, seed mean per day), assigns every test
day the month of its block it lies in (month 1 = the block's first 21 trading days), and prints per method the mean
Rank IC by month and its difference to `--reference` by month: mean ± standard error over folds (each fold's monthly
mean of the daily difference). A signal that holds up less well away from its training days loses ground month by
month. It reads test blocks, so it is for reading the result, never for a choice.

    python benchmarks/signal_decay.py runs/full --universe csi300 [--methods E2E_d DMFM MGAT MLP LightGBM Linear]
"""
import argparse
from pathlib import Path
import numpy as np
import pandas as pd
from e2eai.report import _pm       # '+0.0123 ± 0.0045', without ± for one fold

MONTH = 21     # trading days


def daily_rank_ic(run_dir: Path, universe: str, data_dir) -> pd.DataFrame:
    "Seed-mean daily Rank IC per ad-hoc method with each day's fold: columns date, fold, method, rank_ic."
    from e2eai.core import shared_data_dir
    from e2eai.experiment import load_market
    from e2eai.records import RunRecord, complete_folds, find_records
    from e2eai.report import evaluate_records
    recs = [RunRecord.load(p) for p in find_records(run_dir / 'records') if f'/{universe}/' in str(p)]
    recs = complete_folds(recs)
    if not recs: raise SystemExit(f"error: no complete fold of {universe} in {run_dir / 'records'}")
    data_dir = data_dir or shared_data_dir('cn_qlib')
    market = {universe: load_market(data_dir, universe, cache_dir=run_dir / 'cache', progress=False)}
    _, daily = evaluate_records(recs, market, daily=True)
    fold_of = pd.concat([pd.Series(r.config['fold'], index=pd.to_datetime(r.dates)) for r in recs
                         if r.config['seed'] == recs[0].config['seed'] and r.config['method'] == recs[0].config['method']])
    d = daily.dropna(subset=['rank_ic']).groupby(['date', 'method']).rank_ic.mean().reset_index()
    return d.assign(fold=pd.to_datetime(d.date).map(fold_of.groupby(level=0).first()))


def with_month(d: pd.DataFrame) -> pd.DataFrame:
    "`month`: the month of its test block a day lies in (1 = the block's first `MONTH` trading days)."
    d = d.sort_values('date')
    return d.assign(month=d.groupby(['fold', 'method']).cumcount() // MONTH + 1)


def fold_month_diff(d: pd.DataFrame, reference: str, methods) -> pd.DataFrame:
    "Each method's daily Rank IC minus `reference`'s, averaged per (fold, month of the block): index (fold, month)."
    wide = with_month(d).pivot_table(index=['fold', 'month', 'date'], columns='method', values='rank_ic')
    diff = wide[[m for m in methods if m in wide]].sub(wide[reference], axis=0)
    return diff.groupby(level=['fold', 'month']).mean()


def by_month(per_fold: pd.DataFrame) -> pd.DataFrame:
    "The difference per month of the block: mean ± s.e. over folds, and how many folds have that month."
    g = per_fold.groupby(level='month')
    out = pd.DataFrame({c: [_pm(a, b, 4, '+') for a, b in zip(g[c].mean(), g[c].sem())] for c in per_fold},
                       index=g.mean().index)
    return out.assign(folds=g.size())


def trend(per_fold: pd.DataFrame, method: str) -> pd.Series:
    "Per fold, the least-squares slope of the monthly difference on the month: Rank IC a month."
    w = per_fold[method].unstack('month')
    return w.apply(lambda r: np.polyfit(r.dropna().index.to_numpy(float), r.dropna().to_numpy(), 1)[0], axis=1)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('run_dir', type=Path)
    p.add_argument('--universe', default='csi300')
    p.add_argument('--data', default=None)
    p.add_argument('--reference', default='E2E_d')
    p.add_argument('--methods', nargs='*', default=['DMFM', 'MGAT', 'MLP', 'LightGBM', 'Linear'])
    a = p.parse_args()
    d = daily_rank_ic(a.run_dir, a.universe, a.data)
    methods = [m for m in a.methods if m in set(d.method)]
    print(f"{a.universe}: {d.fold.nunique()} folds, {d.date.nunique()} test days; month = {MONTH} trading days of a block")
    level = with_month(d).groupby(['month', 'method']).rank_ic.mean().unstack('method')[[a.reference, *methods]]
    print("\n== mean daily Rank IC by month of the test block (seed mean; every fold)")
    print(level.round(4).to_string())
    per_fold = fold_month_diff(d, a.reference, methods)
    print(f"\n== minus {a.reference}, by month of the block: mean ± s.e. over folds")
    print(by_month(per_fold).to_string())
    print(f"\n== trend of the difference over the block (per-fold least-squares slope, Rank IC a month)")
    for m in methods:
        t = trend(per_fold, m)
        print(f"{m} - {a.reference}: {t.mean():+.5f} ± {t.sem():.5f} ({len(t)} folds, t = {t.mean() / t.sem():+.2f})")


if __name__ == '__main__':
    main()
