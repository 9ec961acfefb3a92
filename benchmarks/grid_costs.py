"""What a reproduction grid cost, read from its run folder: wall time of the papermill runs per universe and method, the
training seconds per epoch, and what the same runs would take under another training profile.

The run records' `config.json` (the run's own seconds, its TrainConfig, and `timing`: fit, score, predict, evaluate and its
share of the notebook's data load) and `history.csv` (seconds of every epoch) and the grid's `grid_status.csv` (seconds of
each notebook, papermill and kernel start included; jobs that shared a notebook share its row's seconds) are all it
reads. Per run it prints where the time goes, and per notebook the overhead: what is left beyond load, runs and evaluation. The
extrapolation scales each run's epoch time by the ratio of days per epoch (`day_stride`) and of epochs; it is an
estimate, printed as one, for a profile that was not run. Run from the repository root:

    python benchmarks/grid_costs.py runs/real [--status runs/real/grid_status.csv ...] [--epochs 20 --day-stride 1]
"""
import argparse, json
from pathlib import Path
import pandas as pd
from e2eai.records import run_name


def run_table(run_dir: Path) -> pd.DataFrame:
    """One row per run record: run name, universe, method, run seconds (`run_fold`), epochs, training seconds (its epochs),
    day stride, and where the record has it (`config['timing']`), its fit, score, predict and evaluate seconds and its share
    of its notebook's data load."""
    rows = []
    for cfg_path in sorted((run_dir / 'records').glob('*/*/seed*/fold*/config.json')):
        c = json.loads(cfg_path.read_text())
        try: h = pd.read_csv(cfg_path.parent / 'history.csv')
        except pd.errors.EmptyDataError: h = pd.DataFrame()                     # Linear, EW: fitted, not trained
        t = c.get('timing', {})
        rows.append(dict(run=run_name(c['universe'], c['method'], c['fold'], c['seed']), universe=c['universe'], method=c['method'],
                         run_s=c['seconds'], epochs=len(h), train_s=float(h.seconds.sum()) if 'seconds' in h else 0.,
                         day_stride=c['train'].get('day_stride', 1), fit_s=t.get('fit'), score_s=t.get('score'),
                         predict_s=t.get('predict'), evaluate_s=t.get('evaluate'),
                         load_s=t['load_shared'] / t['runs_sharing_load'] if 'load_shared' in t else None))
    if not rows: raise SystemExit(f"{run_dir / 'records'}: no run records")
    return pd.DataFrame(rows)


def _joined(universes: pd.Series) -> str:
    "The universes of one notebook (a small grid's batch may hold several), as 'csi300+csi500'."
    return '+'.join(sorted(set(universes)))


def notebook_table(status: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """One row per executed notebook (several jobs may share one): its seconds, its records that are in `runs`, and what
    is left of its seconds beyond their load share, run seconds and evaluation: the per-notebook overhead."""
    st = status[status.status == 'done'].copy()
    if 'records' not in st: st['records'] = st.run                             # an older sweep: one notebook per record
    st['notebook'] = st.get('notebook', st.run).where(st.get('notebook', st.run).astype(bool), st.run)
    rec = st.assign(record=st.records.str.split(';')).explode('record')[['notebook', 'seconds', 'record']]
    rec = rec.merge(runs, left_on='record', right_on='run')
    accounted = rec.run_s + rec.evaluate_s.fillna(0) + rec.load_s.fillna(0)
    nb = rec.assign(accounted=accounted).groupby('notebook').agg(universe=('universe', _joined), seconds=('seconds', 'first'),
                                                                records=('record', 'size'), accounted=('accounted', 'sum'))
    return nb.assign(overhead=nb.seconds - nb.accounted)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('run_dir', type=Path)
    p.add_argument('--status', type=Path, nargs='*', default=None, help="grid_status.csv files of the sweeps (default: <run_dir>/grid_status.csv)")
    p.add_argument('--epochs', type=int, default=20, help="epochs of the profile to extrapolate to (an upper bound with early stopping)")
    p.add_argument('--day-stride', type=int, default=1, help="day_stride of the profile to extrapolate to")
    a = p.parse_args()
    runs = run_table(a.run_dir)
    print(f"{len(runs)} run records in {a.run_dir}")
    by = runs.groupby(['universe', 'method']).agg(runs=('run_s', 'size'), run_s=('run_s', 'sum'), epochs=('epochs', 'mean'),
                                                    train_s=('train_s', 'sum'))
    by['s_per_epoch'] = by.train_s / (by.epochs * by.runs).where(by.epochs > 0)
    print("\n== seconds inside the runs (run_fold: load excluded, training + prediction), per universe and method")
    print(by.round(1).to_string())
    parts = ['load_s', 'fit_s', 'train_s', 'score_s', 'predict_s', 'evaluate_s']
    timed = runs.dropna(subset=['fit_s'])
    if len(timed):
        print(f"\n== where a run's time goes, mean seconds per run ({len(timed)} runs with config['timing']; load: its share of "
              "the notebook's; train: the epochs inside fit)")
        print(timed.groupby(['universe', 'method'])[parts].mean().round(2).to_string())
    print("\n== per universe: sum of run seconds")
    print(runs.groupby('universe').run_s.sum().round(0).to_string())
    status = a.status if a.status else [a.run_dir / 'grid_status.csv']
    found = [s for s in status if s.exists()]
    if found:
        nb = notebook_table(pd.concat([pd.read_csv(s, keep_default_na=False) for s in found], ignore_index=True), runs)
        print("\n== notebooks (papermill, kernel start, imports, data load, runs, evaluation, saving), per universe "
              "(or the universes a notebook held)")
        print(nb.groupby('universe').agg(notebooks=('seconds', 'size'), records=('records', 'sum'), seconds=('seconds', 'sum'),
                                         overhead=('overhead', 'sum')).round(1).to_string())
        print(f"per-run overhead (notebook seconds beyond load, runs and evaluation, over its records): "
              f"{nb.overhead.sum() / nb.records.sum():.2f} s ({len(nb)} notebooks, {nb.records.sum()} records, "
              f"{nb.overhead.sum() / len(nb):.1f} s a notebook)")
    scale = runs.day_stride / a.day_stride * (a.epochs / runs.epochs.where(runs.epochs > 0))
    est = (runs.run_s - runs.train_s + runs.train_s * scale.fillna(1))
    print(f"\n== ESTIMATE, not measured: the same runs with {a.epochs} epochs (no early stop) over every {a.day_stride}. day")
    print((runs.assign(est_s=est).groupby('universe').est_s.sum() / 3600).round(1).rename('CPU-process hours').to_string())
    print(f"total {est.sum() / 3600:.1f} process-hours (divide by the workers that run side by side)")


if __name__ == '__main__':
    main()
