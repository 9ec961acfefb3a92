"""Paired differences between methods per (universe, fold, seed) cell, from the fold metrics every run record carries.

    python benchmarks/paired_folds.py runs/real [--ref E2E_d] [--against DMFM MGAT LightGBM Linear] [--metric 'Rank IC']

Each record's `metrics.json` holds its fold's test-block metrics (ad-hoc rows, directed signal). A deterministic method
(Linear) has one seed: it is paired with every seed of the reference. Prints mean ± s.e. over cells of ref − other, per
universe and pooled, for Rank IC, α and IR (gross and net).
"""
import argparse, json, sys
from pathlib import Path
import numpy as np
import pandas as pd

METRICS = ['Rank IC', 'alpha', 'IR', 'alpha_net', 'IR_net']


def fold_rows(run_dir: Path) -> pd.DataFrame:
    "One row per (record, ad-hoc signal): universe, fold, seed, method (the signal's name) and its fold metrics."
    rows = []
    for p in sorted((run_dir / 'records').glob('*/*/seed*/fold*/metrics.json')):
        fold = int(p.parent.name[4:])
        for m in json.loads(p.read_text()):
            if m['construction'] == 'ad-hoc': rows.append(dict(fold=fold, **{k: m[k] for k in ['universe', 'method', 'seed', *METRICS]}))
    return pd.DataFrame(rows)


def paired(df: pd.DataFrame, ref: str, other: str) -> pd.DataFrame:
    "ref − other per (universe, fold, seed); a one-seed method is paired with every seed of `ref`."
    a = df[df.method == ref].set_index(['universe', 'fold', 'seed'])[METRICS]
    b = df[df.method == other]
    if b.seed.nunique() == 1: b = b.drop(columns='seed').merge(a.reset_index()[['universe', 'fold', 'seed']], on=['universe', 'fold'])
    b = b.set_index(['universe', 'fold', 'seed'])[METRICS]
    return (a - b).dropna()


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('run_dir', type=Path); p.add_argument('--ref', default='E2E_d')
    p.add_argument('--against', nargs='+', default=['DMFM', 'MGAT', 'LightGBM', 'Linear'])
    a = p.parse_args()
    df = fold_rows(a.run_dir)
    print(f"{a.ref} minus each method, per (universe, fold, seed) test block: mean ± s.e. (cells)\n")
    print('| vs | universe | ' + ' | '.join(METRICS) + ' | cells |\n|---|---|' + '---|' * (len(METRICS) + 1))
    for o in a.against:
        d = paired(df, a.ref, o)
        for u, g in [*d.groupby(level='universe'), ('all', d)]:
            cells = [f"{g[m].mean():+.{3 if 'IC' in m else 2}f} ± {g[m].std(ddof=1) / np.sqrt(len(g)):.{3 if 'IC' in m else 2}f}" for m in METRICS]
            print(f"| {o} | {u} | " + ' | '.join(cells) + f" | {len(g)} |")


if __name__ == '__main__':
    sys.exit(main())
