"""LightGBM's label and early-stopping rule, chosen on validation blocks only.

`LightGBMConfig.label` ('demeaned' or 'rank') x `LightGBMConfig.stopping` ('l2' or 'rank_ic'): each of the 4 is trained
on every 5th training day (the quick profile's `day_stride`), seed 0, on the (universe, fold) cells CSI 300 and CSI 500 x
folds 4, 5, 6 (`universe_folds(data, test_start=None)`). Their validation blocks (2012-03 .. 2015-07) end before the first
test block of Table 1 (2015-08), so no number here has seen a test day. Each fold's validation block is split in time:
early stopping watches every 5th day of its first half (A), and the fitted model is scored on every day of its second
half (B): the mean daily Rank IC of its signal with the label, at 5 days and averaged over the 5 horizons. The stopping
rule is itself what is compared, so it must not see the days it is scored on.

Prints one line per (cell, combination) as it goes, then each combination's mean +- s.e. over the 6 cells and its paired
difference to the old default ('demeaned' + 'l2'); writes the lines to --out. Run from the repository root, one thread:

    OMP_NUM_THREADS=1 nice -n 15 python benchmarks/lightgbm_choice.py [--data ../shared/data/cn_qlib] [--cache runs/cache]
"""
import argparse, itertools, time
from pathlib import Path
import numpy as np
import pandas as pd
import torch
from e2eai.baselines import LIGHTGBM_LABELS, LIGHTGBM_STOPPING, LightGBMConfig, LightGBMModel
from e2eai.batch import iterate_batches
from e2eai.core import masked_rank_ic
from e2eai.experiment import load_universe, universe_folds

UNIVERSES, FOLDS, SEED, STRIDE = ('csi300', 'csi500'), (4, 5, 6), 0, 5
COMBOS = list(itertools.product(LIGHTGBM_LABELS, LIGHTGBM_STOPPING))
REFERENCE = ('demeaned', 'l2')                          # the default before this study


def halves(fold):
    "The validation block split in time: (every STRIDE-th day of the first half, every day of the second half)."
    v = np.sort(fold.valid)
    return v[:len(v) // 2][::STRIDE], v[len(v) // 2:]


def daily_rank_ic(model, data, days, batch_days: int = 32) -> torch.Tensor:
    "`[days, K]` Rank IC of the model's signal with each horizon's label over the day's labelled members."
    out = []
    for b in iterate_batches(data, days, batch_days):
        ok = (b.y_mask & b.mask[..., None]).transpose(1, 2)
        out.append(masked_rank_ic(model(b).deep.transpose(1, 2), b.y.transpose(1, 2), ok, undefined=torch.nan))
    return torch.cat(out)


def run_cell(data, fold) -> list[dict]:
    a, b = halves(fold)
    train = fold.train[::STRIDE]
    rows = []
    for label, stopping in COMBOS:
        t0 = time.time()
        m = LightGBMModel(LightGBMConfig(label=label, stopping=stopping, num_threads=1), seed=SEED).fit(data, train, a)
        secs = time.time() - t0
        ic = daily_rank_ic(m, data, b).nanmean(0).numpy()                               # [K]
        row = dict(universe=data.universe, fold=fold.j, label=label, stopping=stopping, r5=float(ic[list(data.horizons).index(5)]),
                   avg=float(ic.mean()), trees=m.best_iteration, seconds=round(secs, 1), train_days=len(train), stop_days=len(a),
                   score_days=len(b), **{f'ric_r{h}': float(v) for h, v in zip(data.horizons, ic)})
        print(f"{data.universe} f{fold.j} {label:>8} + {stopping:<7}  B: r5 {row['r5']:+.4f}  avg {row['avg']:+.4f}  "
              f"trees {m.best_iteration}  {secs:6.1f}s", flush=True)
        rows.append(row)
    return rows


def summary(df: pd.DataFrame) -> pd.DataFrame:
    "Per combination: mean +- s.e. over the cells of r5 and avg, paired difference to REFERENCE, mean trees and seconds."
    key = ['universe', 'fold']
    ref = df[(df.label == REFERENCE[0]) & (df.stopping == REFERENCE[1])].set_index(key)
    out = []
    for (label, stopping), g in df.groupby(['label', 'stopping'], sort=False):
        g = g.set_index(key)
        n = len(g)
        r = dict(combination=f'{label} + {stopping}', cells=n)
        for c in ('r5', 'avg'):
            d = g[c] - ref.loc[g.index, c]
            r[c] = f"{g[c].mean():+.4f} ± {g[c].std(ddof=1) / n ** .5:.4f}"
            r[f'{c} - ref'] = f"{d.mean():+.4f} ± {d.std(ddof=1) / n ** .5:.4f}"
        r['trees (mean per horizon)'] = ' '.join(f'{v:.0f}' for v in np.mean(np.stack(g.trees.values), 0))
        r['seconds'] = round(g.seconds.mean(), 1)
        out.append(r)
    return pd.DataFrame(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default='../shared/data/cn_qlib'); ap.add_argument('--cache', default='runs/cache')
    ap.add_argument('--out', default='runs/lightgbm_choice.csv')
    a = ap.parse_args()
    torch.set_num_threads(1)
    t0, rows = time.time(), []
    for u in UNIVERSES:
        data, _ = load_universe(a.data, u, cache_dir=a.cache, progress=False)
        folds = {f.j: f for f in universe_folds(data, test_start=None)}
        for j in FOLDS:
            f = folds[j]
            if f.skipped: raise SystemExit(f"{u} fold {j} is skipped: {f.skipped}")
            A, B = halves(f)
            print(f"{u} fold {j}: train {f.span('train')} every {STRIDE}th day; stop on {f.dates[A[0]]}..{f.dates[A[-1]]} "
                  f"({len(A)} d); score on {f.dates[B[0]]}..{f.dates[B[-1]]} ({len(B)} d)", flush=True)
            rows += run_cell(data, f)
        del data
    df = pd.DataFrame(rows)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); df.to_csv(a.out, index=False)
    print(f"\nmean ± s.e. over {df.groupby(['universe', 'fold']).ngroups} (universe, fold) cells of the half-B Rank IC; "
          f"'- ref': paired difference to {' + '.join(REFERENCE)}; {time.time() - t0:.0f} s in all; rows in {a.out}\n")
    with pd.option_context('display.width', 200, 'display.max_columns', 20):
        print(summary(df).to_string(index=False))


if __name__ == '__main__':
    main()
