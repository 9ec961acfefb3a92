"""What a reproduction grid cost, read from its run folder: wall time of the papermill runs per universe and method, the
training seconds per epoch, and what the same runs would take under another training profile.

The run records' `config.json` (the run's own seconds, its TrainConfig, and `timing`: fit, score, predict, evaluate and its
share of the notebook's data load) and `history.csv` (seconds of every epoch) and the grid's `grid_status.csv` (seconds of
each notebook, papermill and kernel start included; jobs that shared a notebook share its row's seconds) are all it
reads, with the executed notebooks' papermill timestamps for the wall time. Per run it prints where the time goes, and per
notebook the overhead: what is left beyond load, runs and evaluation. The
extrapolation scales each run's epoch time by the ratio of days per epoch (`day_stride`) and of epochs; it is an
estimate, printed as one, for a profile that was not run. Run from the repository root:

    python benchmarks/grid_costs.py runs/real [--status runs/real/grid_status.csv ...] [--epochs 20 --day-stride 1]
"""
import argparse, json, re
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


def _stamp(text) -> pd.Timestamp:
    return pd.Timestamp(text) if text else pd.NaT


def _fold_key(part: str) -> tuple[str, int] | None:
    "The (universe, fold) of one notebook name part, `<universe>__fold<j>__<methods>` or `<universe>__<method>__fold<j>__...`."
    m = re.match(r'(\w+?)__.*?fold(\d+)', part)
    return (m.group(1), int(m.group(2))) if m else None


def _record_times(run_dir: Path, key: tuple[str, int]) -> list[pd.Timestamp]:
    "When each run record of (universe, fold) `key` was written (its config.json's mtime)."
    u, j = key
    return [pd.Timestamp(f.stat().st_mtime, unit='s', tz='UTC')
            for f in (run_dir / 'records' / u).glob(f'*/seed*/fold{j:02d}/config.json')]


def _killed_end(run_dir: Path, iv: pd.DataFrame, i) -> pd.Timestamp:
    """The end of killed notebook `iv.loc[i]`: its last finished cell, or the last run record of its (universe, fold)s
    written after it started and before the next notebook of any of them started, whichever is later."""
    later = [s for s, folds in zip(iv.start, iv.folds) if s > iv.start[i] and folds & iv.folds[i]]
    stop = min(later, default=pd.Timestamp.max.tz_localize('UTC'))
    written = [t for key in iv.folds[i] for t in _record_times(run_dir, key) if iv.start[i] < t < stop]
    return max([iv.last_cell[i], *written])


def notebook_intervals(run_dir: Path) -> pd.DataFrame:
    """One row per executed grid notebook in `run_dir/notebooks`: its universes, and when it ran. `start` is papermill's;
    `end` is papermill's, or for a notebook killed midway (it has no end), the later of its last finished cell and the
    last run record of its (universe, fold) written before another notebook of that (universe, fold) started. The
    killed job's unfinished work is not counted, and a notebook a resumed sweep re-ran under the same name keeps only its
    last run, so wall times from these intervals are lower bounds."""
    rows = []
    for f in sorted((run_dir / 'notebooks').glob('*.ipynb')):
        if '__' not in f.stem: continue                                          # table1, figures: not grid notebooks
        meta = json.loads(f.read_text())
        pm = meta['metadata'].get('papermill', {})
        if not pm.get('start_time'): continue
        ends = [_stamp(c['metadata'].get('papermill', {}).get('end_time')) for c in meta['cells']]
        parts = f.stem.split('+')
        rows.append(dict(notebook=f.name, parts=parts, folds={_fold_key(p) for p in parts} - {None}, start=_stamp(pm['start_time']),
                         end=_stamp(pm.get('end_time')), last_cell=max([e for e in ends if pd.notna(e)], default=pd.NaT)))
    iv = pd.DataFrame(rows, columns=['notebook', 'parts', 'folds', 'start', 'end', 'last_cell'])
    iv['finished'] = iv.end.notna()
    iv['end'] = [e if done else _killed_end(run_dir, iv, i) for i, e, done in zip(iv.index, iv.end, iv.finished)]
    iv['universe'] = ['+'.join(sorted({p.split('__')[0] for p in parts})) for parts in iv.parts]
    return iv[['notebook', 'universe', 'start', 'end', 'finished']]


def union_seconds(iv: pd.DataFrame, gap_s: float = 120.) -> tuple[float, int]:
    """Seconds covered by the union of the intervals `iv[start, end]`, and the pieces they form: runs of overlapping
    intervals, a new piece after a gap of more than `gap_s` with nothing running (a killed and resumed sweep)."""
    spans = sorted(zip(iv.start, iv.end))
    if not spans: return 0., 0
    total, pieces = 0., 1
    cur_s, cur_e = spans[0]
    for s, e in spans[1:]:
        if s <= cur_e:                                    # overlaps the current run of intervals: extend it
            cur_e = max(cur_e, e)
            continue
        total += (cur_e - cur_s).total_seconds()
        pieces += (s - cur_e).total_seconds() > gap_s
        cur_s, cur_e = s, e
    return total + (cur_e - cur_s).total_seconds(), pieces


def wall_table(iv: pd.DataFrame) -> pd.DataFrame:
    """Per universe (and for all notebooks together): wall hours while at least one of its notebooks ran, the pieces
    the sweep ran in, the notebooks and how many were killed before they finished."""
    rows = []
    for u, g in list(iv.groupby('universe')) + [('all', iv)]:
        sec, pieces = union_seconds(g)
        rows.append(dict(universe=u, wall_h=sec / 3600, pieces=pieces, notebooks=len(g), killed=int((~g.finished).sum()),
                         first=g.start.min().strftime('%Y-%m-%d %H:%M'), last=g.end.max().strftime('%Y-%m-%d %H:%M')))
    return pd.DataFrame(rows).set_index('universe')


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
    iv = notebook_intervals(a.run_dir)
    if len(iv):
        print("\n== wall time per universe, MEASURED as the union of its notebooks' papermill intervals (a killed notebook "
              "to its last record; a lower bound: notebook_intervals says why)")
        print(wall_table(iv).round(2).to_string())
    scale = runs.day_stride / a.day_stride * (a.epochs / runs.epochs.where(runs.epochs > 0))
    est = (runs.run_s - runs.train_s + runs.train_s * scale.fillna(1))
    print(f"\n== ESTIMATE, not measured: the same runs with {a.epochs} epochs (no early stop) over every {a.day_stride}. day")
    print((runs.assign(est_s=est).groupby('universe').est_s.sum() / 3600).round(1).rename('CPU-process hours').to_string())
    print(f"total {est.sum() / 3600:.1f} process-hours (divide by the workers that run side by side)")


if __name__ == '__main__':
    main()
