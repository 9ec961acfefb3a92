"""What VWAP labels change against the typical-price proxy: in the labels themselves, and in Table 1 on one fold.

`cn_qlib` now has a `vwap` field, which `load_panel` takes as the deal price. The typical-price run needs the same data
without it: `view` builds a folder of symbolic links to `cn_qlib` that leaves out `vwap.day.bin` and `amount.day.bin`,
so `load_panel` falls back to (high + low + close) / 3 exactly as it did before the field existed. Nothing is copied.

    python benchmarks/deal_price.py view --data ../shared/data/cn_qlib --out runs/typical_data
    python benchmarks/deal_price.py labels --data ../shared/data/cn_qlib --view runs/typical_data --universe csi300
    e2eai reproduce --profile quick --data runs/typical_data --out runs/typical --universe csi300 --folds last \\
        --seeds 0 1 2 --workers 2 --no-assemble
    python benchmarks/deal_price.py table --vwap runs/real --typical runs/typical --universe csi300

`table` reads the per-fold metrics every run record carries (its fold's test block), so the VWAP side can be a slice of
a larger grid (here the all-folds rerun in runs/real): same profile, same fold, same seeds.
"""
import argparse, os, sys
from pathlib import Path
import numpy as np
import pandas as pd
from e2eai.report import markdown_table

DROPPED = ('vwap.day.bin', 'amount.day.bin')
SHOW = ['Rank IC', 'ICIR', 'alpha', 'IR', 'alpha_net', 'IR_net', 'TT']


def cmd_view(a):
    src, out = Path(a.data).resolve(), Path(a.out)
    (out / 'features').mkdir(parents=True, exist_ok=True)
    for name in os.listdir(src):
        if name not in ('features', 'financial', 'build') and not (out / name).exists(): (out / name).symlink_to(src / name)
    n = 0
    for code in sorted(os.listdir(src / 'features')):
        d = out / 'features' / code; d.mkdir(exist_ok=True)
        for f in os.listdir(src / 'features' / code):
            if f in DROPPED or (d / f).exists(): continue
            (d / f).symlink_to(src / 'features' / code / f); n += 1
    print(f"{out}: {n} links to {src}/features without {', '.join(DROPPED)}")


def cmd_labels(a):
    from e2eai.qlib import load_panel
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        v = load_panel(a.data, (a.universe,), start=a.start, progress=False)
        t = load_panel(a.view, (a.universe,), start=a.start, progress=False)
    assert (v.codes == t.codes).all() and (v.dates == t.dates).all()
    k = v.horizons.index(5)
    m = v.member[a.universe]
    rv, rt = v.labels[..., k][m], t.labels[..., k][m]
    both = np.isfinite(rv) & np.isfinite(rt)
    d = rv[both] - rt[both]
    from e2eai.core import masked_rank_ic
    import torch
    ric = masked_rank_ic(torch.from_numpy(v.labels[..., k]), torch.from_numpy(t.labels[..., k]), torch.from_numpy(m), undefined=torch.nan).numpy()
    rows = {
        'member-days': int(m.sum()),
        'with a 5-day label: vwap / typical': f"{np.isfinite(rv).mean():.2%} / {np.isfinite(rt).mean():.2%}",
        'mean 5-day label: vwap / typical': f"{np.nanmean(rv):+.5f} / {np.nanmean(rt):+.5f}",
        'std 5-day label: vwap / typical': f"{np.nanstd(rv):.5f} / {np.nanstd(rt):.5f}",
        'mean |vwap - typical|': f"{np.abs(d).mean():.5f} ({np.abs(d).mean() / np.nanstd(rt):.1%} of the label's std)",
        'Pearson corr over member-days': f"{np.corrcoef(rv[both], rt[both])[0, 1]:.4f}",
        'daily cross-sectional Rank corr, mean (min)': f"{np.nanmean(ric):.4f} ({np.nanmin(ric):.4f})",
        'sign differs': f"{(np.sign(rv[both]) != np.sign(rt[both])).mean():.2%} of member-days",
        'deal price (vwap data)': v.price_source, 'deal price (view)': t.price_source}
    text = '\n'.join(f"- {k}: {val}" for k, val in rows.items())
    print(f"{a.universe}, {v.dates[0]}..{v.dates[-1]}, 5-day labels over member-days\n{text}")


def fold_metrics(run_dir: Path, universe: str, fold: int | None) -> pd.DataFrame:
    "Per-record fold metrics (ad-hoc and automatic rows) of `universe` (the last fold when `fold` is None)."
    from e2eai.records import RunRecord, find_records
    recs = [RunRecord.load(p) for p in find_records(Path(run_dir) / 'records') if p.parts[-4] == universe]
    fold = fold if fold is not None else max(r.config['fold'] for r in recs)
    rows = [dict(m, fold=r.config['fold']) for r in recs if r.config['fold'] == fold for m in r.metrics]
    return pd.DataFrame(rows)


def cmd_table(a):
    v, t = fold_metrics(a.vwap, a.universe, a.fold), fold_metrics(a.typical, a.universe, a.fold)
    assert set(v.fold) == set(t.fold), (set(v.fold), set(t.fold))
    key = ['method', 'construction']
    g = lambda df: df.groupby(key)[SHOW].agg(['mean', 'sem'])
    vv, tt = g(v), g(t)
    out = []
    for idx in vv.index.intersection(tt.index):
        row = dict(zip(key, idx), seeds=int((v[key] == list(idx)).all(axis=1).sum()))
        for c in SHOW:
            row[c] = f"{vv.loc[idx, (c, 'mean')]:.3f} vs {tt.loc[idx, (c, 'mean')]:.3f}"
        out.append(row)
    tab = pd.DataFrame(out)
    print(f"{a.universe}, fold {int(v.fold.iloc[0])} (test {v.start.iloc[0]}..{v.end.iloc[0]}): VWAP vs typical price, mean over seeds")
    print(markdown_table(tab.set_index(key)))


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    s = sub.add_parser('view'); s.add_argument('--data', required=True); s.add_argument('--out', required=True)
    s = sub.add_parser('labels'); s.add_argument('--data', required=True); s.add_argument('--view', required=True)
    s.add_argument('--universe', default='csi300'); s.add_argument('--start', default='2015-01-01')
    s = sub.add_parser('table'); s.add_argument('--vwap', required=True); s.add_argument('--typical', required=True)
    s.add_argument('--universe', default='csi300'); s.add_argument('--fold', type=int)
    a = p.parse_args()
    {'view': cmd_view, 'labels': cmd_labels, 'table': cmd_table}[a.cmd](a)


if __name__ == '__main__':
    sys.exit(main())
