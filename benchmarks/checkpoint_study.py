"""Does checking the validation block within an epoch help E2EAI more than DMFM? Validation blocks only.

Under the full profile (every training day, early stopping once an epoch) E2EAI's validation Rank IC on CSI 300 is
highest after its first epoch and falls after it, while DMFM's falls less (`figures/full_csi300/validation_curves.png`).
If E2EAI's best point lay inside the first epoch, epoch-level early stopping would handicap it against DMFM. This study
trains both with the full profile's settings (`e2eai.reproduce.PROFILES['full']`, `method_params`) for `--epochs`
epochs without early stopping and scores the model `--checks` times an epoch, at evenly spaced optimizer steps (the
last at the epoch's end), on its fold's validation block split in time as `e2e_study.halves` does: half A chooses the
checkpoint, half B scores it, so no reported number is the maximum of the numbers it was chosen by.

The folds are `e2e_study.CLEAN`'s: validation blocks before the universe's test period, so no test block enters.

    python benchmarks/checkpoint_study.py run --out runs/checkpoints          # resumable; logs to <out>/study.log
    python benchmarks/checkpoint_study.py report --out runs/checkpoints --figures figures/checkpoints

`report` prints and writes `checkpoints.md` / `.csv` (per method: half-B Rank IC at the checkpoint half A picks among
epoch ends only and among every checkpoint, the gain paired on cells, E2EAI minus each other method under each) and
`checkpoints.png` (the mean half-A and half-B curves).
"""
import argparse, os, sys, time
from pathlib import Path
import numpy as np
import pandas as pd
import torch
from e2e_study import CLEAN, halves, md, fmt

METHODS = ('E2EAI', 'DMFM')


def checkpoint_steps(n_steps: int, checks: int) -> set:
    "The 0-based optimizer steps after which the model is scored: `checks` evenly spaced, the last at the epoch's end."
    return set(np.linspace(0, n_steps, checks + 1)[1:].round().astype(int) - 1)


def run_cell(data, fold, seed: int, method: str, epochs: int, checks: int,
             changes: dict | None = None) -> pd.DataFrame:
    """Train `method` on one (universe, fold, seed) with the full profile's settings and the fields in `changes`
    (`TrainConfig`'s, e.g. lr, go to training, the rest to the model) for `epochs` epochs; one row per checkpoint:
    epoch, step, `at` (epochs done, fractional), half-A and half-B Rank IC (every horizon and horizon 5)."""
    from e2eai.cli import _split_settings
    from e2eai.methods import build_model
    from e2eai.reproduce import PROFILES, method_params
    from e2eai.train import TrainConfig, fit, validate, seed_everything
    p = method_params(PROFILES['full'], [method])[method]
    changes = changes or {}
    train, model = _split_settings(changes)                     # as `e2eai reproduce --set` splits them
    p['model'], p['train'] = {**p['model'], **model}, {**p['train'], **train}
    cfg = TrainConfig(**{**p['train'], 'epochs': epochs, 'patience': epochs, 'seed': seed, 'progress': False})
    n_steps = -(-len(cfg.days(fold)[0]) // cfg.batch_days)
    at, (a, b), rows = checkpoint_steps(n_steps, checks), halves(fold), []

    def on_step(epoch, step, net):
        if step not in at: return
        va, vb = validate(net, data, a), validate(net, data, b)
        rows.append(dict(epoch=epoch, step=step, at=epoch + (step + 1) / n_steps, A_rank_ic=va['rank_ic'],
                         B_rank_ic=vb['rank_ic'], A_rank_ic_5=va['rank_ic_5'], B_rank_ic_5=vb['rank_ic_5']))

    seed_everything(seed)
    net = build_model(method, len(data.factor_names), p['model']).to(data.device)
    fit(net, data, fold, cfg, on_step=on_step)
    label = ' '.join([method, *(f'{k}={_value(v)}' for k, v in changes.items())])
    return pd.DataFrame(rows).assign(universe=data.universe, fold=fold.j, seed=seed, method=label, steps=n_steps)


def _value(v) -> str:
    "A `--set` value as labels and cell names show it: 0.0 or 0 -> '0', 3e-3 -> '0.003'."
    return f'{v:g}' if isinstance(v, float) else str(v)


def cmd_run(a):
    from e2eai.core import shared_data_dir
    from e2eai.experiment import load_universe, universe_folds
    torch.set_num_threads(a.threads)
    out = Path(a.out)
    (out / 'cells').mkdir(parents=True, exist_ok=True)
    data_dir = a.data or shared_data_dir('cn_qlib')
    if data_dir is None: sys.exit("error: no --data given and no shared/data/cn_qlib beside the repository")
    log = open(out / 'study.log', 'a')
    from e2eai.cli import _kv
    changes = _kv(a.set)                                                  # as `e2eai reproduce --set` parses them
    tag = ''.join(f'-{k}{_value(v)}' for k, v in changes.items())           # in the cell's name
    for u in a.universes:
        todo = [(f, s, m) for f in CLEAN[u] for s in a.seeds for m in a.methods
                if not (out / 'cells' / f'{u}-f{f}-s{s}-{m}{tag}.csv').exists()]
        if not todo: continue
        data, _ = load_universe(data_dir, u, cache_dir=out / 'cache', progress=False)
        folds = {x.j: x for x in universe_folds(data, test_start=None)}
        print(f"{time.strftime('%H:%M:%S')} {u}: {len(todo)} cells, {a.threads} thread(s)", file=log, flush=True)
        for f, s, m in todo:
            t0 = time.time()
            h = run_cell(data, folds[f], s, m, a.epochs, a.checks, changes)
            path = out / 'cells' / f'{u}-f{f}-s{s}-{m}{tag}.csv'
            tmp = path.with_suffix(f'.{os.getpid()}.tmp')
            h.to_csv(tmp, index=False)
            tmp.replace(path)
            print(f"{time.strftime('%H:%M:%S')} {path.stem}: {time.time() - t0:.0f} s, {len(h)} checkpoints, best half-A at "
                  f"{h.loc[h.A_rank_ic.idxmax(), 'at']:.2f} epochs", file=log, flush=True)


# ---------- report ----------
CELL = ['universe', 'fold', 'seed', 'method']


def picked(hist: pd.DataFrame, epoch_ends: bool) -> pd.DataFrame:
    "Per cell, the checkpoint with the highest half-A Rank IC, among epoch ends only or among every checkpoint."
    h = hist[hist.step == hist.steps - 1] if epoch_ends else hist
    return h.loc[h.groupby(CELL).A_rank_ic.idxmax()].set_index(CELL)


def _mean_se(x: pd.Series) -> str:
    return fmt(x.mean(), x.sem())


def summary(hist: pd.DataFrame) -> pd.DataFrame:
    """Per method: half-B Rank IC at the checkpoint half A picks among epoch ends and among every checkpoint, the gain
    paired on cells, and where the pick lies (epochs, mean); then E2EAI minus each other method under each, paired on
    cells."""
    ends, every = picked(hist, True), picked(hist, False)
    rows = []
    for m in hist.method.unique():
        e, v = ends.xs(m, level='method'), every.xs(m, level='method')
        rows.append({'': m, 'cells': len(e), 'B at epoch ends': f"{e.B_rank_ic.mean():.4f}",
                     'B at every checkpoint': f"{v.B_rank_ic.mean():.4f}", 'gain': _mean_se(v.B_rank_ic - e.B_rank_ic),
                     'picked at (epochs)': f"{e['at'].mean():.2f} / {v['at'].mean():.2f}"})
    for m in [m for m in hist.method.unique() if m.split(' ')[0] != 'E2EAI' and 'E2EAI' in set(hist.method)]:
        rows.append(_gap_row(ends, every, 'E2EAI', m))
    for v in [v for v in hist.method.unique() if ' ' in v and v.split(' ')[0] in set(hist.method)]:
        rows.append(_gap_row(ends, every, v, v.split(' ')[0]))          # a variant's effect: it minus its method
    return pd.DataFrame(rows).set_index('')


def paired_gap(picks: pd.DataFrame, m1: str, m2: str, col: str = 'B_rank_ic') -> pd.Series:
    "Per cell that both have, `col` of m1 minus m2 at the checkpoints `picked` chose: [cells]."
    return (picks.xs(m1, level='method')[col] - picks.xs(m2, level='method')[col]).dropna()


def _gap_row(ends: pd.DataFrame, every: pd.DataFrame, m1: str, m2: str) -> dict:
    "`summary`'s row of m1 − m2: half-B Rank IC paired on cells, at epoch ends and at every checkpoint."
    gap = lambda p: paired_gap(p, m1, m2)
    return {'': f'{m1} − {m2}', 'cells': len(gap(ends)), 'B at epoch ends': _mean_se(gap(ends)),
            'B at every checkpoint': _mean_se(gap(every)), 'gain': '', 'picked at (epochs)': ''}


def with_check(hist: pd.DataFrame) -> pd.DataFrame:
    "`x`: epochs trained on a grid shared by every fold, epoch + k / checks for the k-th checkpoint of the epoch."
    k = hist.groupby(CELL + ['epoch']).step.rank().astype(int)
    checks = hist.groupby(CELL + ['epoch']).step.transform('size')
    return hist.assign(x=(hist.epoch + k / checks).round(3))


def plot(hist: pd.DataFrame, path: Path):
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True)
    for ax, half in zip(axes, 'AB'):
        for m, g in with_check(hist).groupby('method'):
            c = g.groupby('x')[f'{half}_rank_ic'].agg(['mean', 'sem'])
            line, = ax.plot(c.index, c['mean'], marker='o', ms=3, label=m)
            ax.fill_between(c.index, c['mean'] - c['sem'], c['mean'] + c['sem'], color=line.get_color(), alpha=.15, lw=0)
        ax.set(title=f'half {half} of the validation block', xlabel='epochs trained (mean ± s.e. over cells)',
               ylabel='Rank IC')
        for e in range(1, int(np.ceil(hist['at'].max())) + 1): ax.axvline(e, color='grey', lw=.5, ls=':')
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=150)


def cmd_report(a):
    files = sorted((Path(a.out) / 'cells').glob('*.csv'))
    if not files: sys.exit(f"error: no cells in {Path(a.out) / 'cells'}")
    hist = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    if a.methods: hist = hist[hist.method.isin(a.methods)]
    if a.universes: hist = hist[hist.universe.isin(a.universes)]
    if hist.empty: sys.exit(f"error: no cells of methods {a.methods} in universes {a.universes} in {Path(a.out) / 'cells'}")
    t = summary(hist)
    fig_dir = Path(a.figures)
    fig_dir.mkdir(parents=True, exist_ok=True)
    cells = hist.groupby(['universe', 'fold']).seed.nunique()
    text = ("# Checkpoints within an epoch (validation blocks only)\n\n"
            f"Cells: {', '.join(f'{u} fold {f} ({n} seeds)' for (u, f), n in cells.items())}; "
            f"{hist.groupby(CELL).size().max()} checkpoints a cell ({hist.steps.iloc[0]} steps an epoch in the first). "
            "Half A picks the checkpoint, half B scores it (directed Rank IC over every horizon). ± is the standard "
            "error over cells (folds × seeds).\n\n" + md(t) + '\n')
    (fig_dir / 'checkpoints.md').write_text(text)
    hist.to_csv(fig_dir / 'checkpoints.csv', index=False)
    plot(hist, fig_dir / 'checkpoints.png')
    print(text)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run')
    r.add_argument('--out', default='runs/checkpoints')
    r.add_argument('--data', default=None)
    r.add_argument('--universes', nargs='*', default=['csi300'])
    r.add_argument('--methods', nargs='*', default=list(METHODS))
    r.add_argument('--seeds', nargs='*', type=int, default=[0, 1, 2])
    r.add_argument('--epochs', type=int, default=3)
    r.add_argument('--checks', type=int, default=5, help="checkpoints an epoch")
    r.add_argument('--threads', type=int, default=1)
    r.add_argument('--set', nargs='*', metavar='KEY=VALUE',
                   help="fields changed for these cells: the model's (e.g. lambda_s=0) or TrainConfig's "
                        "(e.g. lr=3e-4); the method is labelled with them")
    q = sub.add_parser('report')
    q.add_argument('--out', default='runs/checkpoints')
    q.add_argument('--figures', default='figures/checkpoints')
    q.add_argument('--methods', nargs='*', help="only these methods' cells, by label (e.g. E2EAI 'E2EAI lambda_s=0')")
    q.add_argument('--universes', nargs='*', help="only these universes' cells (default: every universe, pooled)")
    a = p.parse_args()
    cmd_run(a) if a.cmd == 'run' else cmd_report(a)


if __name__ == '__main__':
    main()
