"""Time and peak memory of `e2eai.qlib.load_panel` on the shipped A-share data, 2010-01-01..2022-12-31, all factors and labels.

    python benchmarks/load_bench.py [--data DIR] [--start 2010-01-01] [--end 2022-12-31]

Each case runs in its own process so that its peak RSS (getrusage ru_maxrss, which includes the Python, numpy and
torch imports) is its own: csi300, csi500 and csi1000 alone, then all three in one `load_panel` call. The process CPU
time (user + sys, imports included) is printed beside the wall time: on a shared machine it is the steadier number.
"""
import argparse, json, resource, subprocess, sys, time, warnings


def one(data, universes, start, end):
    "Load once in this process and print one JSON line: seconds, peak RSS and the panel's size."
    from e2eai.qlib import load_panel
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        p = load_panel(data, universes, start=start, end=end, progress=False)
    sec = time.perf_counter() - t
    ru = resource.getrusage(resource.RUSAGE_SELF)
    rss = ru.ru_maxrss / 2**20                                                   # KiB -> GiB (Linux)
    T, N, M = p.shape
    print(json.dumps(dict(universes='+'.join(universes), seconds=round(sec, 1), cpu_seconds=round(ru.ru_utime + ru.ru_stime, 1), peak_rss_gib=round(rss, 2), T=T, N=N, M=M,
                          panel_gib=round(sum(a.nbytes for a in (p.factors, p.labels, p.price, p.close)) / 2**30, 2))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--data', default=None, help='Qlib folder (default: shared/data/cn_qlib beside the repository)')
    ap.add_argument('--start', default='2010-01-01'); ap.add_argument('--end', default='2022-12-31')
    ap.add_argument('--one', nargs='+', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.data is None:
        from e2eai.core import shared_data_dir
        a.data = shared_data_dir()
        if a.data is None: sys.exit('no --data given and no shared/data/cn_qlib beside the repository')
    if a.one: return one(a.data, a.one, a.start, a.end)
    print(f'load_panel({a.data}, start={a.start}, end={a.end}), one process per case')
    for us in (['csi300'], ['csi500'], ['csi1000'], ['csi300', 'csi500', 'csi1000']):
        r = subprocess.run([sys.executable, __file__, '--data', str(a.data), '--start', a.start, '--end', a.end, '--one', *us],
                           capture_output=True, text=True)
        if r.returncode: sys.exit(r.stderr)
        s = json.loads(r.stdout.strip().splitlines()[-1])
        print(f"{s['universes']:>22}: {s['seconds']:6.1f} s (process CPU {s['cpu_seconds']:5.1f} s)  peak RSS {s['peak_rss_gib']:5.2f} GiB  "
              f"T={s['T']} N={s['N']} M={s['M']}  (factors+labels+price+close {s['panel_gib']:.2f} GiB)")


if __name__ == '__main__':
    main()
