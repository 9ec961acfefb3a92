"""Before and after: two `results.csv` of Table 1 (one row per universe, method, construction, seed) side by side.

    python benchmarks/compare_results.py OLD.csv NEW.csv [--methods E2E_d DMFM MGAT LightGBM Linear] [--construction ad-hoc]

Prints, per metric, the mean ± s.e. over seeds of each method in each universe, before → after (a method missing on
one side shows '—'). `git show <commit>:figures/results.csv > old.csv` gives the tables of an earlier commit.
"""
import argparse, sys
import numpy as np
import pandas as pd

METRICS = ['Rank IC', 'alpha', 'IR', 'alpha_net', 'IR_net']
UNIVERSES = ['csi1000', 'csi500', 'csi300']


def summary(df: pd.DataFrame, methods, construction) -> pd.DataFrame:
    "Mean and s.e. over seeds of each metric, per (method, universe)."
    d = df[df.method.isin(methods) & (df.construction == construction)]
    g = d.groupby(['method', 'universe'])[METRICS]
    return pd.concat({'mean': g.mean(), 'se': g.std(ddof=1) / np.sqrt(g.size().to_numpy()[:, None])}, axis=1)


def cell(s: pd.DataFrame, key, metric) -> str:
    if key not in s.index: return '—'
    m, e = s.loc[key, ('mean', metric)], s.loc[key, ('se', metric)]
    digits = 3 if 'IC' in metric else 2
    return f"{m:.{digits}f}" + (f" ± {e:.{digits}f}" if np.isfinite(e) else '')


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('old'); p.add_argument('new')
    p.add_argument('--methods', nargs='+', default=['E2E_d', 'DMFM', 'MGAT', 'LightGBM', 'Linear'])
    p.add_argument('--construction', default='ad-hoc')
    a = p.parse_args()
    old, new = (summary(pd.read_csv(f), a.methods, a.construction) for f in (a.old, a.new))
    for metric in METRICS:
        print(f"\n**{metric}** ({a.construction}; before → after, mean ± s.e. over seeds)\n")
        print('| method | ' + ' | '.join(UNIVERSES) + ' |\n|---|' + '---|' * len(UNIVERSES))
        for m in a.methods:
            print(f"| {m} | " + ' | '.join(f"{cell(old, (m, u), metric)} → {cell(new, (m, u), metric)}" for u in UNIVERSES) + ' |')


if __name__ == '__main__':
    sys.exit(main())
