"""What the missing fundamentals cost: Linear, DMFM and E2EAI with and without the fundamental factors (Value, Size,
Quality, Growth and the coverage flag, `e2eai.fundamentals`), on validation and test blocks, 3 seeds.

The same quick profile and folds as `figures/` (the last two runnable folds of each CSI universe, whose training spans
hold six or more years of published reports), two reproduction grids that differ only in `--financial`:

    python benchmarks/fundamentals_ablation.py run --out runs/fund --workers 2
    python benchmarks/fundamentals_ablation.py report --out runs/fund --figures figures/fundamentals

`run` is resumable (finished records are skipped) and logs to `<out>/ablation.log`. `report` pairs every record with its
twin (same universe, fold, method, seed) and writes `effects.csv/md` (mean ± s.e. of with − without, per method and
universe: validation Rank IC, test Rank IC, test α and IR gross and net), `cells.csv` and `ablation.png`.
The validation block is where a choice could be made; the test block only reports.
"""
import argparse, sys, time
from pathlib import Path
import numpy as np
import pandas as pd
from e2eai.report import markdown_table

METHODS = ('Linear', 'DMFM', 'E2EAI')
SIGNAL = {'Linear': 'Linear', 'DMFM': 'DMFM', 'E2EAI': 'E2E_d'}     # the row of a record's metrics that is its deep signal
SETTINGS = {'without': None, 'with': 'auto'}                         # --financial of each grid
SEEDS, FOLDS = (0, 1, 2), 'last:2'
TEST = ['Rank IC', 'alpha', 'IR', 'alpha_net', 'IR_net']


def cmd_run(a):
    from e2eai.reproduce import reproduce
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    for name, financial in SETTINGS.items():
        t0 = time.time()
        status = reproduce(a.profile, a.data, out / name, workers=a.workers, methods=METHODS, seeds=SEEDS, folds=a.folds,
                           financial=financial, assemble=False)
        line = f"{name}: {status.status.value_counts().to_dict()} in {time.time() - t0:.0f} s"
        print(line); (out / 'ablation.log').open('a').write(line + '\n')


def cells(out: Path) -> pd.DataFrame:
    "One row per record: setting, universe, fold, method, seed, validation Rank IC (mean over horizons, and 5-day), test metrics."
    from e2eai.records import RunRecord, find_records
    rows = []
    for name in SETTINGS:
        for path in find_records(out / name / 'records'):
            r = RunRecord.load(path)
            c = r.config
            test = pd.DataFrame(r.metrics)
            test = test[(test['method'] == SIGNAL[c['method']]) & (test['construction'] == 'ad-hoc')].iloc[0]
            rows.append(dict(setting=name, universe=c['universe'], fold=c['fold'], method=c['method'], seed=c['seed'],
                             n_factors=len(r.factor_names), valid_rank_ic=c['valid']['rank_ic'], valid_rank_ic_5=c['valid']['rank_ic_5'],
                             **{f'test_{k}': float(test[k]) for k in TEST}))
    return pd.DataFrame(rows)


def effects(df: pd.DataFrame, by) -> pd.DataFrame:
    "Mean ± s.e. over paired cells of with − without, grouped by `by`."
    key = ['universe', 'fold', 'method', 'seed']
    w = df.pivot_table(index=key, columns='setting', values=[c for c in df if c.startswith(('valid_', 'test_'))])
    d = (w.xs('with', axis=1, level=1) - w.xs('without', axis=1, level=1)).reset_index()
    g = d.groupby(by)
    cols = [c for c in d if c.startswith(('valid_', 'test_'))]
    mean, se, n = g[cols].mean(), g[cols].std(ddof=1) / np.sqrt(g.size().to_numpy()[:, None]), g.size()
    out = pd.concat({'mean': mean, 'se': se}, axis=1)
    out[('cells', '')] = n
    return out


def md(eff: pd.DataFrame, cols) -> str:
    "A markdown table of `mean ± se` for `cols`."
    lines = ['| ' + ' | '.join([*eff.index.names, *cols, 'cells']) + ' |', '|' + '---|' * (len(eff.index.names) + len(cols) + 1)]
    for idx, r in eff.iterrows():
        idx = idx if isinstance(idx, tuple) else (idx,)
        digits = lambda c: 4 if 'rank' in c.lower() else 2
        cells_ = [f"{r[('mean', c)]:+.{digits(c)}f} ± {r[('se', c)]:.{digits(c)}f}" for c in cols]
        lines.append('| ' + ' | '.join([*map(str, idx), *cells_, str(int(r[('cells', '')]))]) + ' |')
    return '\n'.join(lines)


def cmd_report(a):
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    out, fig_dir = Path(a.out), Path(a.figures); fig_dir.mkdir(parents=True, exist_ok=True)
    df = cells(out)
    df.to_csv(fig_dir / 'cells.csv', index=False)
    cols = ['valid_rank_ic', 'valid_rank_ic_5', 'test_Rank IC', 'test_alpha', 'test_IR', 'test_alpha_net', 'test_IR_net']
    by_method, by_universe = effects(df, ['method']), effects(df, ['method', 'universe'])
    pd.concat({'all': by_method.reset_index(), 'universe': by_universe.reset_index()}).to_csv(fig_dir / 'effects.csv')
    levels = df.groupby(['setting', 'method'])[cols].mean().round(4)
    text = '\n\n'.join([
        '# Fundamentals: with − without (mean ± s.e. over universe × fold × seed cells)',
        md(by_method, cols), '## Per universe', md(by_universe, cols),
        '## Levels (mean over cells)', markdown_table(levels)])
    (fig_dir / 'effects.md').write_text(text + '\n')
    print(text)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, c, title in zip(axes, ['valid_rank_ic', 'test_Rank IC'], ['validation Rank IC (all horizons)', 'test Rank IC (5 days)']):
        e = by_universe[[('mean', c), ('se', c)]].droplevel(1, axis=1).reset_index()
        piv_m, piv_s = e.pivot(index='method', columns='universe', values='mean'), e.pivot(index='method', columns='universe', values='se')
        piv_m.plot.bar(yerr=piv_s, ax=ax, rot=0, capsize=3)
        ax.axhline(0, color='k', lw=.8); ax.set_title(f'with − without fundamentals: {title}'); ax.set_xlabel('')
    fig.tight_layout(); fig.savefig(fig_dir / 'ablation.png', dpi=120)
    print(f"wrote {fig_dir}/effects.md, effects.csv, cells.csv, ablation.png")


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run'); r.add_argument('--out', default='runs/fund'); r.add_argument('--workers', type=int, default=2)
    r.add_argument('--profile', default='quick', help='reproduction profile (smoke: a check on data_samples)')
    r.add_argument('--folds', default=FOLDS)
    r.add_argument('--data', default=str(Path(__file__).resolve().parents[2] / 'shared' / 'data' / 'cn_qlib'))
    s = sub.add_parser('report'); s.add_argument('--out', default='runs/fund'); s.add_argument('--figures', default='figures/fundamentals')
    a = p.parse_args()
    {'run': cmd_run, 'report': cmd_report}[a.cmd](a)


if __name__ == '__main__':
    sys.exit(main())
