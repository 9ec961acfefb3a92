"""What a reproduction grid cost, read from its run folder: wall time of the papermill runs per universe and method, the
training seconds per epoch, and what the same runs would take under another training profile.

The run records' `config.json` (the run's own seconds, its TrainConfig) and `history.csv` (seconds of every epoch) and the
grid's `grid_status.csv` (seconds of each notebook, papermill and kernel start included) are all it reads. The
extrapolation scales each run's epoch time by the ratio of days per epoch (`day_stride`) and of epochs; it is an
estimate, printed as one, for a profile that was not run. Run from the repository root:

    python benchmarks/grid_costs.py runs/real [--status runs/real/grid_status.csv ...] [--epochs 20 --day-stride 1]
"""
import argparse, json
from pathlib import Path
import pandas as pd
from e2eai.records import run_name


def run_table(run_dir: Path) -> pd.DataFrame:
    "One row per run record: its run name, universe, method, run seconds, epochs, training seconds, day stride."
    rows = []
    for cfg_path in sorted((run_dir / 'records').glob('*/*/seed*/fold*/config.json')):
        c = json.loads(cfg_path.read_text())
        try: h = pd.read_csv(cfg_path.parent / 'history.csv')
        except pd.errors.EmptyDataError: h = pd.DataFrame()                     # Linear, EW: fitted, not trained
        rows.append(dict(run=run_name(c['universe'], c['method'], c['fold'], c['seed']), universe=c['universe'], method=c['method'],
                         run_s=c['seconds'], epochs=len(h), train_s=float(h.seconds.sum()) if 'seconds' in h else 0.,
                         day_stride=c['train'].get('day_stride', 1)))
    if not rows: raise SystemExit(f"{run_dir / 'records'}: no run records")
    return pd.DataFrame(rows)


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
    print("\n== per universe: sum of run seconds")
    print(runs.groupby('universe').run_s.sum().round(0).to_string())
    status = a.status if a.status else [a.run_dir / 'grid_status.csv']
    st = pd.concat([pd.read_csv(s) for s in status if s.exists()], ignore_index=True) if any(s.exists() for s in status) else None
    if st is not None:
        st = st[st.status == 'done']
        st['universe'] = st.run.str.split('/').str[0]
        print("\n== notebook seconds (papermill + kernel start + data load + run), runs executed by the sweep(s) read")
        print(st.groupby('universe').seconds.agg(['size', 'sum', 'mean']).round(1).to_string())
        if 'records' in st:                                                      # a notebook trains one or more seeds (records)
            rec = st.assign(record=st.records.str.split(';')).explode('record')
            run_s = rec.merge(runs[['run', 'run_s']], left_on='record', right_on='run', suffixes=('', '_r')).groupby('run').run_s.sum()
            over = st.set_index('run').join(run_s, how='inner')
            n_rec = rec.groupby('run').size().reindex(over.index)
        else:                                                                   # an older sweep: one notebook per record
            over = st.merge(runs[['run', 'run_s']], on='run').set_index('run')
            n_rec = pd.Series(1, over.index)
        extra = over.seconds - over.run_s
        print(f"total {st.seconds.sum():.0f} s of notebook time; beyond the runs' own seconds: {extra.mean():.1f} s a notebook, "
              f"{extra.sum() / n_rec.sum():.1f} s a record (papermill, kernel start, imports, cached data load, evaluation; "
              f"{len(over)} notebooks, {n_rec.sum()} records)")
    scale = runs.day_stride / a.day_stride * (a.epochs / runs.epochs.where(runs.epochs > 0))
    est = (runs.run_s - runs.train_s + runs.train_s * scale.fillna(1))
    print(f"\n== ESTIMATE, not measured: the same runs with {a.epochs} epochs (no early stop) over every {a.day_stride}. day")
    print((runs.assign(est_s=est).groupby('universe').est_s.sum() / 3600).round(1).rename('CPU-process hours').to_string())
    print(f"total {est.sum() / 3600:.1f} process-hours (divide by the workers that run side by side)")


if __name__ == '__main__':
    main()
