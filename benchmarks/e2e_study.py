"""Why E2EAI's deep factor carries less signal than DMFM's: each lead measured on validation blocks only.

Every variant (a method with a few settings changed) is trained on the same (universe, fold, seed) cells for a fixed
number of epochs without early stopping. After every epoch the model is scored on its fold's validation block, split in
two halves in time: half A is where a criterion *chooses* the epoch (the validation loss, or the directed Rank IC),
half B is where the chosen epoch is *scored*. So the early-stopping criterion is itself a lead measured without
selection bias, and no number reported here is the maximum of the numbers it was chosen by.

No test block enters: for CSI 300 and CSI 500 the folds are 4, 5, 6, whose validation blocks (2012-03 .. 2015-07)
precede the out-of-sample period that Table 1 reports (from 2015-08). CSI 1000 has no members before 2015-05-29, so its
study folds are 8, 9, 10: fold 8's validation block is before CSI 1000's first test block, but those of folds 9 and 10
are CSI 1000 test blocks 8 and 9. They are reported apart and never used for a choice (`--choice-universes`).

    python benchmarks/e2e_study.py run --out runs/study --shard 0/2 &   # two processes, one torch thread each
    python benchmarks/e2e_study.py run --out runs/study --shard 1/2 &
    python benchmarks/e2e_study.py report --out runs/study --figures figures/study

`run` is resumable (a finished cell's CSV is skipped) and logs to `<out>/study-<shard>.log`; `report` writes
`effects.md/csv` (each lead's effect on half-B Rank IC against E2EAI, mean ± s.e. over folds and seeds),
`criteria.md/csv` and `study.png`.
"""
import argparse, dataclasses, os, sys, time
from pathlib import Path
import numpy as np
import pandas as pd
import torch

STUDY_FOLDS = {'csi300': (4, 5, 6), 'csi500': (4, 5, 6), 'csi1000': (8, 9, 10)}
CLEAN = {'csi300': (4, 5, 6), 'csi500': (4, 5, 6), 'csi1000': (8,)}      # validation block before the universe's test period
PROTOCOL = dict(epochs=6, patience=6, day_stride=4, batch_days=16)       # no early stopping: criteria are applied afterwards
VALID_STRIDE = 2                                                         # every 2nd validation day scored (labels overlap)
REG = dict(dropout=.1)
E2E_BASE = dict(selection_scale='attention')   # the study's E2EAI is the reading it started from (eq. 2 scaled by attention)

# name -> (method, train overrides, model overrides); the first is the reference every effect is measured against
VARIANTS = {
    'E2EAI': ('E2EAI', {}, {}),
    'DMFM': ('DMFM', {}, {}),
    'MLP': ('MLP', {}, {}),
    'MGAT': ('MGAT', {}, {}),
    'E2EAI +L_ic': ('E2EAI', {}, dict(lambda_ic=1.)),
    'E2EAI lambda_p=30': ('E2EAI', {}, dict(lambda_p=30.)),
    'E2EAI L_p detached': ('E2EAI', {}, dict(portfolio_detach=True)),
    'E2EAI lambda_s=0': ('E2EAI', {}, dict(lambda_s=0.)),
    'E2EAI no selection': ('E2EAI', {}, dict(factor_selection=False)),
    'E2EAI gate only (eq. 2)': ('E2EAI', {}, dict(selection_scale='gate')),
    'E2EAI day BN': ('E2EAI', {}, dict(bn_running_stats=False)),
    'E2EAI gamma_f=0': ('E2EAI', {}, dict(gamma_f=0.)),
}
# the same search for every neural method (one seed: a tuning grid, not a lead)
GRID = {'lr=3e-3': (dict(lr=3e-3), {}), 'dropout+wd': (dict(weight_decay=1e-4), REG), 'epochs=16': (dict(epochs=16, patience=16), {})}
GRID_METHODS = ('E2EAI', 'DMFM', 'MLP', 'MGAT')
GRID_SEEDS = (0,)
VARIANTS.update({f'{m} {g}': (m, t, md) for g, (t, md) in GRID.items() for m in GRID_METHODS})


def cell_name(universe, fold, seed, variant) -> str:
    return f"{universe}-f{fold}-s{seed}-{variant.replace(' ', '_').replace('=', '').replace('(', '').replace(')', '').replace('.', '')}"


def halves(fold):
    "The validation block's days split in time: (A, B)."
    v = np.sort(fold.valid)[::VALID_STRIDE]
    return v[:len(v) // 2], v[len(v) // 2:]


def run_cell(data, fold, seed, variant) -> pd.DataFrame:
    "Train one variant on one (universe, fold, seed) for the protocol's epochs; its history with half-A/B scores per epoch."
    from e2eai.methods import build_model
    from e2eai.train import TrainConfig, fit, validate, seed_everything
    method, train, model = VARIANTS[variant]
    if method == 'E2EAI': model = {**E2E_BASE, **model}
    a, b = halves(fold)

    def on_epoch(epoch, net):
        va, vb = validate(net, data, a), validate(net, data, b)
        return {**{f'A_{k}': v for k, v in va.items()}, **{f'B_{k}': v for k, v in vb.items()}}

    seed_everything(seed)
    net = build_model(method, len(data.factor_names), model).to(data.device)
    cfg = TrainConfig(**{**PROTOCOL, **train, 'seed': seed, 'progress': False})
    h = fit(net, data, fold, cfg, on_epoch=on_epoch)
    return h.assign(universe=data.universe, fold=fold.j, seed=seed, variant=variant)


CORE = ('E2EAI', 'DMFM', 'MLP', 'MGAT', 'E2EAI no selection', 'E2EAI gamma_f=0', 'E2EAI L_p detached', 'E2EAI +L_ic',
        'E2EAI gate only (eq. 2)')


def cells(universes, seeds, variants):
    """Every (universe, fold, seed, variant) in the order they run: the core leads, then the tuning grid (one seed), then
    the other leads; within each tier grouped by universe so a process loads each universe once per tier."""
    grid = [v for v in variants if any(v.endswith(' ' + g) for g in GRID)]
    core = [v for v in variants if v in CORE]
    rest = [v for v in variants if v not in grid and v not in core]
    tier = lambda vs, ss: [(u, f, s, v) for u in universes for f in STUDY_FOLDS[u] for s in ss for v in vs]
    return tier(core, seeds) + tier(grid, [s for s in seeds if s in GRID_SEEDS]) + tier(rest, seeds)


def cmd_run(a):
    from e2eai.core import shared_data_dir
    from e2eai.experiment import load_universe, universe_folds
    torch.set_num_threads(a.threads)
    out = Path(a.out); (out / 'cells').mkdir(parents=True, exist_ok=True)
    data_dir = a.data or shared_data_dir('cn_qlib')
    if data_dir is None: sys.exit("error: no --data given and no shared/data/cn_qlib beside the repository")
    i, n = map(int, a.shard.split('/'))
    todo = [c for k, c in enumerate(cells(a.universes, a.seeds, a.variants)) if k % n == i]
    todo = [c for c in todo if not (out / 'cells' / f'{cell_name(*c)}.csv').exists()]
    log = open(out / f'study-{i}.log', 'a')
    print(f"{time.strftime('%H:%M:%S')} shard {a.shard}: {len(todo)} cells to run, {a.threads} thread(s)", file=log, flush=True)
    loaded = {}
    for u, f, s, v in todo:
        if u not in loaded:
            loaded.clear()
            data, _ = load_universe(data_dir, u, cache_dir=a.cache, progress=False)
            loaded[u] = (data, {x.j: x for x in universe_folds(data, test_start=None)})
        data, folds = loaded[u]
        t0 = time.time()
        h = run_cell(data, folds[f], s, v)
        path = out / 'cells' / f'{cell_name(u, f, s, v)}.csv'
        tmp = path.with_suffix(f'.{os.getpid()}.tmp')
        h.to_csv(tmp, index=False); tmp.replace(path)
        last = h.iloc[-1]
        print(f"{time.strftime('%H:%M:%S')} {cell_name(u, f, s, v)}: {time.time() - t0:.0f} s, last epoch B rank IC "
              f"{last.B_rank_ic:.4f} (5d {last.B_rank_ic_5:.4f})", file=log, flush=True)


# ---------- report ----------
CRITERIA = ('loss', 'rank_ic', 'last')


def choose(h: pd.DataFrame, criterion: str, max_epochs: int | None = None, patience: int | None = None) -> pd.Series:
    """The epoch a criterion keeps, read off one cell's history: lowest half-A loss, highest half-A directed Rank IC, or
    the last epoch; optionally as early stopping would have run (`max_epochs`, `patience`)."""
    h = h.sort_values('epoch')
    if max_epochs: h = h[h.epoch < max_epochs]
    if criterion == 'last': return h.iloc[-1]
    score = h['A_total'] if criterion == 'loss' else -h['A_rank_ic']
    if patience:                                   # stop after `patience` epochs without improvement, as `fit` does
        best, stale, keep = np.inf, 0, 0
        for i, v in enumerate(score.to_numpy()):
            if v < best: best, stale, keep = v, 0, i
            else: stale += 1
            if stale >= patience: break
        return h.iloc[keep]
    return h.loc[score.idxmin()]


def selected(hist: pd.DataFrame, criterion: str, **kw) -> pd.DataFrame:
    "One row per cell: the epoch `criterion` keeps and its half-B scores."
    rows = [choose(g, criterion, **kw) for _, g in hist.groupby(['universe', 'fold', 'seed', 'variant'])]
    return pd.DataFrame(rows).reset_index(drop=True)


def paired_effect(sel: pd.DataFrame, ref: str, metric: str) -> pd.DataFrame:
    """Each variant's difference to `ref` on `metric`, paired by (universe, fold, seed): mean, its standard error over
    the pairs, and n; per universe and pooled over the universes."""
    key = ['universe', 'fold', 'seed']
    base = sel[sel.variant == ref].set_index(key)[metric]
    rows = []
    for v, g in sel.groupby('variant', sort=False):
        d = (g.set_index(key)[metric] - base).dropna()
        for u, du in [*d.groupby(level='universe'), ('all', d)]:
            rows.append(dict(variant=v, universe=u, mean=du.mean(), se=du.std(ddof=1) / np.sqrt(len(du)) if len(du) > 1 else np.nan,
                             n=len(du)))
    return pd.DataFrame(rows)


def md(t: pd.DataFrame) -> str:
    "A markdown table of `t` with its index as the first column (numbers to 4 decimals)."
    cell = lambda v: f"{v:.4f}" if isinstance(v, float) else str(v)
    lines = ['| ' + ' | '.join([str(t.index.name or '')] + [str(c) for c in t.columns]) + ' |', '|' + '---|' * (len(t.columns) + 1)]
    lines += ['| ' + ' | '.join([str(i)] + [cell(v) for v in row]) + ' |' for i, row in zip(t.index, t.to_numpy())]
    return '\n'.join(lines)


def fmt(m, s) -> str:
    return f"{m:+.4f} ± {s:.4f}" if np.isfinite(s) else f"{m:+.4f}"


def budget_tables(hist: pd.DataFrame, universes) -> list:
    """The other methods minus E2EAI on half-B Rank IC after each epoch (paired, mean ± s.e.): how the gap depends on the
    training budget. Epoch 1 here (2 passes over every 4th day) is about the quick profile's budget (2 over every 5th)."""
    base = [v for v in ('DMFM', 'MLP', 'MGAT', 'E2EAI no selection', 'E2EAI L_p detached') if v in set(hist.variant)]
    six = hist[hist.variant.isin(['E2EAI', *base]) & (hist.epoch < PROTOCOL['epochs'])]
    rows = []
    for e, g in six.groupby('epoch'):
        eff = paired_effect(g, 'E2EAI', 'B_rank_ic')
        for u in universes + ['all']:
            r = {'epoch': e, 'universe': u}
            r.update({v: fmt(x.iloc[0]['mean'], x.iloc[0].se) for v in base
                      if len(x := eff[(eff.variant == v) & (eff.universe == u)])})
            rows.append(r)
    t = pd.DataFrame(rows)
    out = ["\n## The gap by training budget: each method minus E2EAI on half-B Rank IC after each epoch (paired)\n",
           "Epoch e = e+1 passes over every 4th training day; the quick profile trains 2 passes over every 5th day (about epoch 1).\n"]
    for u in universes + ['all']:
        out += [f"\n**{u}**\n", md(t[t.universe == u].drop(columns='universe').set_index('epoch'))]
    return out


def long_training_tables(hist: pd.DataFrame) -> list:
    """For the 16-epoch runs of the tuning grid: half-B Rank IC at the epoch each early-stopping rule keeps (patience 5 on
    half-A loss or half-A Rank IC, or a fixed number of epochs), mean ± s.e. over the cells."""
    long = hist[hist.variant.str.endswith('epochs=16')]
    if long.empty: return []
    rules = {'loss, patience 5': dict(criterion='loss', patience=5), 'rank_ic, patience 5': dict(criterion='rank_ic', patience=5),
             'loss, patience 3': dict(criterion='loss', patience=3), 'rank_ic, patience 3': dict(criterion='rank_ic', patience=3),
             'last of 6': dict(criterion='last', max_epochs=6), 'last of 16': dict(criterion='last')}
    rows = []
    for name, kw in rules.items():
        sel = selected(long, **kw)
        for v, g in sel.groupby('variant'):
            rows.append(dict(rule=name, variant=v, v=f"{fmt(g.B_rank_ic.mean(), g.B_rank_ic.std(ddof=1) / np.sqrt(len(g)))} "
                                                     f"(epoch {g.epoch.mean():.1f})"))
    t = pd.DataFrame(rows).pivot(index='rule', columns='variant', values='v').reindex(list(rules))
    return ["\n## Longer training (16 epochs, seed 0): half-B Rank IC at the epoch each stopping rule keeps (mean epoch)\n", md(t)]


RULE = dict(criterion='rank_ic', patience=5)      # how a grid setting is scored: early stopping as `fit(valid_metric='rank_ic')`


def grid_table(hist: pd.DataFrame) -> tuple[pd.DataFrame, list]:
    """The equal tuning grid: for each method, its default and each `GRID` setting on the grid's seeds, scored by half-B
    Rank IC at the epoch `RULE` keeps on half A; paired difference to the default, mean ± s.e. over the cells; the chosen
    setting per method: the best mean among the default and the settings that beat it by more than 2 paired s.e."""
    rows, best = [], []
    for m in GRID_METHODS:
        names = {'default': m, **{g: f'{m} {g}' for g in GRID}}
        sub = hist[hist.variant.isin(names.values()) & hist.seed.isin(GRID_SEEDS)]
        if sub.empty: continue
        cells_of = sub.groupby('variant')[['universe', 'fold', 'seed']].apply(lambda g: set(map(tuple, g.drop_duplicates().to_numpy())))
        common = set.intersection(*cells_of)                      # compare the settings on the cells they all have
        sub = sub[[tuple(r) in common for r in sub[['universe', 'fold', 'seed']].to_numpy()]]
        sel = selected(sub, **RULE).set_index(['universe', 'fold', 'seed', 'variant']).B_rank_ic
        base = sel.xs(m, level='variant') if m in sel.index.get_level_values('variant') else None
        for g, v in names.items():
            if v not in sel.index.get_level_values('variant'): continue
            x = sel.xs(v, level='variant')
            d = (x - base).dropna() if base is not None else pd.Series(dtype=float)
            se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else np.nan
            rows.append(dict(method=m, setting=g, n=len(x), B_rank_ic=x.mean(), gain=d.mean() if g != 'default' else 0.,
                             gain_se=se if g != 'default' else 0., vs_default=fmt(d.mean(), se) if len(d) > 1 and g != 'default' else ''))
        t = pd.DataFrame([r for r in rows if r['method'] == m])
        sure = t[(t.setting == 'default') | (t.gain > 2 * t.gain_se)]      # a setting must beat the default by 2 paired s.e.
        best.append(sure.loc[sure.B_rank_ic.idxmax()].to_dict())
    t = pd.DataFrame(rows).drop(columns=['gain', 'gain_se'])
    out = [f"\n## Equal tuning grid (seed(s) {list(GRID_SEEDS)}; every setting scored at the epoch `{RULE}` keeps on half A)\n",
           md(t.set_index('method')), "\nChosen setting per method: the highest mean half-B Rank IC among the default and the settings that beat it by more "
           "than 2 paired standard errors (a gain within noise keeps the default):\n",
           md(pd.DataFrame(best).set_index('method')[['setting', 'B_rank_ic', 'n']])]
    return pd.DataFrame(best), out


def cmd_report(a):
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    out, fig_dir = Path(a.out), Path(a.figures)
    fig_dir.mkdir(parents=True, exist_ok=True)
    files = sorted((out / 'cells').glob('*.csv'))
    if not files: sys.exit(f"error: no finished cells under {out / 'cells'}")
    hist = pd.concat([pd.read_csv(p) for p in files], ignore_index=True)
    hist['clean'] = [f in CLEAN[u] for u, f in zip(hist.universe, hist.fold)]
    keep = ['universe', 'fold', 'seed', 'variant', 'epoch', 'clean', 'A_total', 'A_rank_ic', 'B_total', 'B_rank_ic', 'B_rank_ic_5',
            'train_total', 'seconds']
    hist[keep].round(6).to_csv(fig_dir / 'cells.csv.gz', index=False)       # every cell's per-epoch scores: what all tables come from
    every = [v for v in VARIANTS if v in set(hist.variant)]
    n_cells = hist.groupby('variant')[['universe', 'fold', 'seed']].apply(lambda g: len(g.drop_duplicates())).reindex(every)
    order = [v for v in every if not any(v.endswith(' ' + g) for g in GRID)]          # the leads; the grid has its own table
    grid_hist, hist = hist, hist[hist.variant.isin(order)]
    lines = [f"# E2EAI signal study (validation blocks only)\n",
             f"Protocol: {PROTOCOL} (every {PROTOCOL['day_stride']}th training day, every {VALID_STRIDE}nd validation day, no early stopping; criteria applied afterwards), "
             f"folds {STUDY_FOLDS}, seeds {sorted(int(x) for x in hist.seed.unique())}. Cells per variant: "
             + ', '.join(f'{v} {n}' for v, n in n_cells.items()) + ".\n",
             "Metric: directed Rank IC (deep factor times its directional buffer's sign) with the label, mean over the "
             "5 horizons, on half B of the validation block, at the epoch chosen on half A. Effects are paired "
             "differences to `E2EAI` (same universe, fold, seed): mean ± standard error over the pairs.\n"]
    crit_rows, effects, sels = [], {}, {}
    for crit in CRITERIA:
        sel = sels[crit] = selected(hist, crit)
        for u, g in [*sel.groupby('universe'), ('all', sel)]:
            for v, gv in g.groupby('variant'):
                crit_rows.append(dict(criterion=crit, universe=u, variant=v, B_rank_ic=gv.B_rank_ic.mean(),
                                      B_rank_ic_5=gv.B_rank_ic_5.mean(), epoch=gv.epoch.mean(), n=len(gv)))
        effects[crit] = paired_effect(sel, 'E2EAI', 'B_rank_ic').assign(criterion=crit)
    crit = pd.DataFrame(crit_rows)
    crit.to_csv(fig_dir / 'criteria.csv', index=False)
    eff = pd.concat(effects.values(), ignore_index=True)
    eff.to_csv(fig_dir / 'effects.csv', index=False)
    universes = [u for u in STUDY_FOLDS if u in set(hist.universe)]
    # table 1: level of each variant (criterion: rank_ic on half A)
    for c in CRITERIA:
        t = crit[crit.criterion == c].pivot(index='variant', columns='universe', values='B_rank_ic').reindex(order)[universes + ['all']]
        lines += [f"\n## Half-B Rank IC at the epoch chosen by `{c}` (mean over folds and seeds)\n", md(t)]
    clean = paired_effect(selected(hist[hist.clean], 'rank_ic'), 'E2EAI', 'B_rank_ic')
    clean = clean[clean.universe == 'all'].set_index('variant').reindex(order)
    clean.to_csv(fig_dir / 'effects_clean.csv')
    lines += ["\n## What the choices rest on: effect against E2EAI on the clean cells only (validation blocks before each "
              "universe's test period: CSI 300/500 folds 4-6, CSI 1000 fold 8), criterion `rank_ic`, pooled\n",
              md(clean.assign(effect=[fmt(m, s) for m, s in zip(clean['mean'], clean.se)])[['effect', 'n']])]
    for c in CRITERIA:
        e = eff[eff.criterion == c]
        t = e.assign(v=[fmt(m, s) for m, s in zip(e['mean'], e.se)]).pivot(index='variant', columns='universe', values='v')
        lines += [f"\n## Effect on half-B Rank IC against E2EAI, criterion `{c}`\n", md(t.reindex(order)[universes + ['all']])]
    # criterion comparison: rank_ic vs loss, per variant, paired
    s_loss, s_ic = sels['loss'], sels['rank_ic']
    key = ['universe', 'fold', 'seed', 'variant']
    d = (s_ic.set_index(key).B_rank_ic - s_loss.set_index(key).B_rank_ic).rename('d').reset_index()
    rows = []
    for v, g in d.groupby('variant', sort=False):
        for u, gu in [*g.groupby('universe'), ('all', g)]:
            rows.append(dict(variant=v, universe=u, v=fmt(gu.d.mean(), gu.d.std(ddof=1) / np.sqrt(len(gu)))))
    t = pd.DataFrame(rows).pivot(index='variant', columns='universe', values='v').reindex(order)[universes + ['all']]
    lines += ["\n## Criterion: half-B Rank IC when the epoch is chosen by half-A Rank IC minus when chosen by half-A loss\n",
              md(t)]
    lines += budget_tables(hist, universes)
    best, grid_lines = grid_table(grid_hist)
    lines += grid_lines
    best.to_csv(fig_dir / 'grid_best.csv', index=False)
    lines += long_training_tables(grid_hist)
    (fig_dir / 'study.md').write_text('\n'.join(lines) + '\n')
    # plot: effects with 2 s.e. bars, per universe, criterion rank_ic; and validation Rank IC per epoch
    fig, axes = plt.subplots(1, 2, figsize=(13, 5.5), gridspec_kw=dict(width_ratios=[1.2, 1]))
    e = eff[(eff.criterion == 'rank_ic') & (eff.variant != 'E2EAI')]
    vs = [v for v in order if v != 'E2EAI']
    for k, u in enumerate(universes + ['all']):
        g = e[e.universe == u].set_index('variant').reindex(vs)
        y = np.arange(len(vs)) + (k - 1.5) * .18
        axes[0].errorbar(g['mean'], y, xerr=2 * g.se, fmt='o', ms=4, capsize=2, label=u)
    axes[0].axvline(0, color='k', lw=.8)
    axes[0].set_yticks(np.arange(len(vs)), vs); axes[0].invert_yaxis()
    axes[0].set_xlabel('half-B directed Rank IC minus E2EAI\'s (epoch chosen on half A by Rank IC), ± 2 s.e.')
    axes[0].legend(fontsize=8); axes[0].set_title('Each lead against E2EAI, paired by universe, fold, seed')
    shown = [x for x in ('E2EAI', 'DMFM', 'MLP', 'MGAT', 'E2EAI no selection', 'E2EAI L_p detached') if x in set(hist.variant)]
    key = ['universe', 'fold', 'seed']
    common = set.intersection(*(set(map(tuple, hist[hist.variant == v][key].drop_duplicates().to_numpy())) for v in shown))
    ok = np.array([tuple(r) in common for r in hist[key].to_numpy()])
    curve = hist[ok & hist.variant.isin(shown)].groupby(['variant', 'epoch']).B_rank_ic.mean().unstack(0)
    for v in shown: axes[1].plot(curve.index, curve[v], marker='o', ms=3, label=v)
    axes[1].set_xlabel('epoch (each: one pass over every 4th training day)')
    axes[1].set_ylabel(f'half-B directed Rank IC (mean over the {len(common)} cells all of them have)')
    axes[1].set_title('Validation Rank IC per epoch'); axes[1].legend(fontsize=8); axes[1].grid(alpha=.3)
    fig.tight_layout(); fig.savefig(fig_dir / 'study.png', dpi=110)
    print((fig_dir / 'study.md').read_text())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run')
    r.add_argument('--out', default='runs/study'); r.add_argument('--data', default=None); r.add_argument('--cache', default='runs/cache')
    r.add_argument('--universes', nargs='+', default=list(STUDY_FOLDS)); r.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    r.add_argument('--variants', nargs='+', default=list(VARIANTS)); r.add_argument('--shard', default='0/1')
    r.add_argument('--threads', type=int, default=1)
    p = sub.add_parser('report')
    p.add_argument('--out', default='runs/study'); p.add_argument('--figures', default='figures/study')
    a = ap.parse_args()
    if a.cmd == 'run':
        bad = [v for v in a.variants if v not in VARIANTS]
        if bad: sys.exit(f"error: unknown --variants {bad}; variants are {list(VARIANTS)}")
        cmd_run(a)
    else: cmd_report(a)


if __name__ == '__main__':
    main()
