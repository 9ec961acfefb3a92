"""Out-of-sample Rank IC of several methods and E2EAI variants on one real (universe, fold): which switch of the model or
the training moves E2EAI's deep factor, next to Linear and MLP on the same test block.

Each line trains one setting with `e2eai.methods.run_fold` (seed 0, one torch thread) and prints the test block's Rank IC
of the directed signal (deep factor times its directional buffer's sign) at 5 days and averaged over the horizons, the
epochs run, the best epoch and the seconds. One seed and one fold: differences of 0.01-0.02 are within the noise. Run
from the repository root (the universe is cached in --cache):

    python benchmarks/fold_ablation.py --universe csi500 --fold 13 [--data ../shared/data/cn_qlib] [--cache runs/real/cache]
"""
import argparse, time
import numpy as np
import pandas as pd
import torch
from e2eai.core import shared_data_dir
from e2eai.backtest import market, record_array
from e2eai.diagnostics import ic_summary
from e2eai.experiment import load_universe, universe_folds
from e2eai.methods import run_fold

QUICK = dict(epochs=2, day_stride=5)          # the quick profile's training
SETTINGS = [('Linear', {}, {}), ('MLP', QUICK, {}), ('DMFM', QUICK, {}), ('E2EAI', QUICK, {}),
            ('E2EAI', dict(epochs=8, day_stride=5, patience=3), {}), ('E2EAI', dict(epochs=8, day_stride=5, patience=3, lr=3e-3), {}),
            ('E2EAI', dict(epochs=4, day_stride=1, patience=2), {}),
            ('E2EAI', QUICK, dict(lambda_s=0.)), ('E2EAI', QUICK, dict(lambda_s=0., lambda_f=0., lambda_e=0.)),
            ('E2EAI', QUICK, dict(factor_selection=False)), ('E2EAI', QUICK, dict(bn_running_stats=False))]


def directed_rank_ic(rec, m) -> pd.Series:
    "Mean Rank IC over the record's test days of its directed signal with each horizon's label (index: horizon)."
    d = np.nan_to_num(record_array(rec, m, 'dir_deep'), nan=1.)                   # [T, K], +1 where the record has none
    return ic_summary(record_array(rec, m, 'deep') * d[:, None], m)['Rank IC']


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default=None); ap.add_argument('--universe', default='csi500')
    ap.add_argument('--fold', type=int, default=13); ap.add_argument('--cache', default='runs/real/cache')
    a = ap.parse_args()
    torch.set_num_threads(1)
    data_dir = a.data or shared_data_dir('cn_qlib')
    if data_dir is None: raise SystemExit("no --data given and no shared/data/cn_qlib beside the repository")
    data, panel = load_universe(data_dir, a.universe, cache_dir=a.cache, progress=False)
    fold = {f.j: f for f in universe_folds(data)}[a.fold]
    m = market(panel, a.universe)
    print(f"{a.universe} fold {a.fold}: test {fold.span('test')}, seed 0")
    for method, train, model in SETTINGS:
        t0 = time.time()
        rec = run_fold(method, data, fold, 0, train={**train, 'progress': False}, model=model)
        r, h = directed_rank_ic(rec, m), rec.history
        best = int(h.epoch[h.best].iloc[-1]) if len(h) else '-'
        print(f"{method:6s} train={train} model={model}: Rank IC 5d {r[5]:.3f}, mean {r.mean():.3f}; "
              f"epochs {len(h)}, best {best}; {time.time() - t0:.0f} s", flush=True)


if __name__ == '__main__':
    main()
