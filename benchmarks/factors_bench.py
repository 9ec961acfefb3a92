"""Time and peak memory of `compute_factors` on the real data (`../shared/data/cn_qlib`, 3,159 days x 2,951 stocks) when
present, else on random data of that size; optionally also `preprocess` on a [3159, 1000, 40] panel.

    python benchmarks/factors_bench.py                      # real data when present
    python benchmarks/factors_bench.py --random             # random [3159, 2951] data
    python benchmarks/factors_bench.py --preprocess         # also time preprocess
"""
from __future__ import annotations
import argparse, resource, time, tracemalloc
from pathlib import Path
import numpy as np
from e2eai.factors import compute_factors, preprocess, random_ohlcv

FIELDS = ('close', 'high', 'low', 'volume', 'factor')

def read_cn_qlib(data: Path) -> dict:
    "The five daily fields of every stock in `instruments/all.txt` as [T, N] float32 (a benchmark-only reader; see e2eai.qlib)."
    cal = (data / 'calendars/day.txt').read_text().split()
    codes = [s.split('\t')[0] for s in (data / 'instruments/all.txt').read_text().splitlines() if s.strip()]
    out = {f: np.full((len(cal), len(codes)), np.nan, np.float32) for f in FIELDS}
    for i, code in enumerate(codes):
        for f, a in out.items():
            b = np.fromfile(data / 'features' / code / f'{f}.day.bin', dtype='<f4'); s = int(b[0]); a[s:s + len(b) - 1, i] = b[1:]
    return out

def measure(what: str, f, *args, **kw):
    "Run f, print wall seconds, CPU seconds and the traced (numpy) peak allocated during the call."
    tracemalloc.start(); t, c = time.perf_counter(), time.process_time()
    res = f(*args, **kw)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    peak = tracemalloc.get_traced_memory()[1] / 2 ** 30; tracemalloc.stop()
    print(f"{what}: {dt:.1f} s wall, {dc:.1f} s CPU, peak {peak:.2f} GiB allocated during the call")
    return res

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', type=Path, default=Path(__file__).resolve().parents[2] / 'shared/data/cn_qlib')
    p.add_argument('--random', action='store_true', help='use random data even when the real data is present')
    p.add_argument('--preprocess', action='store_true', help='also time preprocess on [3159, 1000, 40]')
    a = p.parse_args()
    if a.data.exists() and not a.random:
        t = time.perf_counter(); fields = read_cn_qlib(a.data); print(f"read {a.data}: {time.perf_counter() - t:.1f} s")
        what, mkt = 'cn_qlib', None
    else:
        fields, mkt = random_ohlcv(3159, 2951); what = 'random'
    T, N = fields['close'].shape
    rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20
    print(f"process peak RSS before: {rss():.2f} GiB (the input data and libraries)")
    X, names, _ = measure(f"compute_factors on {what} [{T}, {N}]", compute_factors, fields, mkt)
    print(f"process peak RSS after compute_factors: {rss():.2f} GiB")
    cover = np.isfinite(X).sum((0, 1)) / np.isfinite(fields['close']).sum()      # X is NaN wherever the close is
    print(f"  {len(names)} factors, output {X.nbytes / 2 ** 30:.2f} GiB; share of stock-days with data that have each factor: "
          f"{cover.min():.2f} ({names[cover.argmin()]}) .. {cover.max():.2f} ({names[cover.argmax()]})")
    del X, fields
    if a.preprocess:
        rng = np.random.default_rng(0)
        x = rng.standard_normal((3159, 1000, 40), np.float32) ** 3                     # heavy tails
        x[rng.random(x.shape, np.float32) < .05] = np.nan
        mask = rng.random((3159, 1000), np.float32) < .8
        measure("preprocess [3159, 1000, 40]", preprocess, x, mask)
        print(f"process peak RSS after preprocess: {rss():.2f} GiB")
