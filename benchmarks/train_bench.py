"""E2EAI training speed at CSI 1000 size: seconds per epoch (fwd + bwd + optimizer step of the full model with the
IC-based losses of eq. 11, as `e2eai.train.fit` runs them) and peak memory, for each relational-neutralization path,
with a breakdown of where the time goes, a torch.profiler and a cProfile profile, and the same on CUDA when present.

Random data of that size, built as an `e2eai.batch.UniverseData` without a Panel: 1,000 stocks a day (5% padding on
every other day), 30 industries skewed like A-shares, M=43 factors (the OHLCV library's count on cn_qlib), K=5
horizons, 500 trading days, batches of 16 days, default `E2EAIConfig` and `TrainConfig`. Run from the repository root:

    python benchmarks/train_bench.py                      # all sections (several minutes on a 2-core CPU)
    python benchmarks/train_bench.py --only epochs        # seconds/epoch and peak RSS for gat_impl dense, fast, auto
    python benchmarks/train_bench.py --only breakdown     # time by module for one epoch (--impl auto)
    python benchmarks/train_bench.py --only profile       # torch.profiler top ops and cProfile top functions
    python benchmarks/train_bench.py --only cuda          # the CUDA epoch and a 64-day batch's peak GPU memory
    python benchmarks/train_bench.py --days 96            # a shorter epoch (the per-day figures hold)

The figures scale with the machine's load, far more than in proportion (2 threads on a 2-core machine at load average
8 ran the same epoch 5-20x slower): the script prints the load average at the start and end of each section.
"""
from __future__ import annotations
import argparse, cProfile, io, json, os, pstats, resource, subprocess, sys, time, warnings
from collections import defaultdict
import numpy as np
import torch
from e2eai.batch import UniverseData, iterate_batches
from e2eai.model import E2EAI, E2EAIConfig
from e2eai.train import TrainConfig, seed_everything

IMPLS = ('dense', 'fast', 'auto')
PARTS = ('selection', 'encoder', 'neutralize_industry', 'neutralize_cross', 'deep_heads', 'estimate', 'portfolio')
TARGET_S_PER_DAY = .12   # the target: a 500-day CSI 1000 epoch under 60 s on a 2-core CPU

def random_universe(T: int = 500, N: int = 1000, M: int = 43, G: int = 30, K: int = 5, device='cpu', seed: int = 0) -> UniverseData:
    "A CSI 1000-sized `UniverseData` of random factors and labels (labels load weakly on factor 0 so that ICs are not all noise)."
    g = torch.Generator().manual_seed(seed)
    count = np.where(np.arange(T) % 2, int(N * .95), N)
    mask = torch.arange(N)[None] < torch.as_tensor(count)[:, None]                     # [T, N]
    p = 1 / (torch.arange(G) + 3.)
    ind = torch.multinomial(p / p.sum(), N, replacement=True, generator=g)              # [N] industry of each stock
    x = torch.randn(T, N, M, generator=g) * mask[..., None]
    y = (.02 * x[..., :1] + torch.randn(T, N, K, generator=g) * .05) * mask[..., None]
    y_mask = mask[..., None].expand(T, N, K).clone()
    y_mask[-20:] = False                                                                # the last labels leave the data
    dates = np.busday_offset('2019-01-02', np.arange(T), roll='forward').astype('datetime64[D]')
    dev = torch.device(device)
    return UniverseData(universe='csi1000', dates=dates, codes=np.array([f'sz{i:06d}' for i in range(N)]),
                        factor_names=[f'f{j}' for j in range(M)], factor_groups=['Momentum'] * M,
                        industry_names=[f'I{i}' for i in range(G)], horizons=(3, 5, 10, 15, 20)[:K], count=count,
                        x=x.to(dev), y=y.to(dev), y_mask=y_mask.to(dev), mask=mask.to(dev),
                        industry=torch.where(mask, ind[None], -1).to(dev), stocks=torch.where(mask, torch.arange(N)[None], -1).to(dev))

class Timer:
    """Wall and CPU seconds by part of a training step: each module's forward (forward hooks), the losses, backward, the
    optimizer; inside backward, each module's share runs from the moment its outputs' gradients are ready (backward
    pre-hook) to the last gradient accumulated into its parameters (the autograd engine runs them one after the other)."""
    def __init__(self, model: E2EAI, sync):
        warnings.filterwarnings('ignore', message='Full backward hook is firing')   # selection's input needs no gradient
        self.sums, self.cpu, self.sync, self.t0, self.t1 = defaultdict(float), defaultdict(float), sync, {}, {}
        for name in PARTS:
            m = getattr(model, name, None)
            if m is None: continue
            m.register_forward_pre_hook(lambda mod, inp, name=name: self.start(name))
            m.register_forward_hook(lambda mod, inp, out, name=name: self.stop(name))
            m.register_full_backward_pre_hook(lambda mod, gout, name=name: self.start('bwd ' + name))
            for p in m.parameters(): p.register_post_accumulate_grad_hook(lambda p, name=name: self.mark('bwd ' + name))

    def mark(self, name):
        self.sync(); self.t1[name] = time.perf_counter(), time.process_time()

    def close_backward(self):
        "After `backward()`: add each module's backward span."
        for name, (w1, c1) in self.t1.items():
            w0, c0 = self.t0.pop(name)
            self.sums[name] += w1 - w0; self.cpu[name] += c1 - c0
        self.t0.clear(); self.t1.clear()

    def start(self, name):
        self.sync(); self.t0[name] = time.perf_counter(), time.process_time()

    def stop(self, name):
        self.sync(); w, c = self.t0.pop(name)
        self.sums[name] += time.perf_counter() - w; self.cpu[name] += time.process_time() - c

def make_step(model: E2EAI, opt, tcfg: TrainConfig, timer: Timer | None = None):
    "One training step exactly as `e2eai.train.fit` takes it (forward, eq. 11, backward, clip, Adam, buffer update)."
    t = timer.start if timer else (lambda n: None)
    s = timer.stop if timer else (lambda n: None)
    close = timer.close_backward if timer else (lambda: None)
    def step(b):
        t('forward'); out = model(b); s('forward')
        t('losses'); losses = model.loss(out, b); s('losses')
        t('backward'); opt.zero_grad(set_to_none=True); losses['total'].backward(); s('backward'); close()
        t('optimizer')
        if tcfg.grad_clip: torch.nn.utils.clip_grad_norm_(model.parameters(), tcfg.grad_clip)
        opt.step(); model.update_buffers(out); s('optimizer')
        return losses['total'].item()
    return step

def setup(args, impl: str, device='cpu'):
    seed_everything(0)
    data = random_universe(args.days, args.N, args.M, args.G, device=device)
    model = E2EAI(args.M, E2EAIConfig(gat_impl=impl)).to(device).train()
    tcfg = TrainConfig()
    opt = torch.optim.Adam(model.parameters(), lr=tcfg.lr)
    return data, model, tcfg, opt

def epoch(data, model, step, batch_days: int, seed: int = 0):
    "One training epoch over all days (shuffled), as `fit` runs it; returns wall seconds."
    model.reset_buffers()
    t0 = time.perf_counter()
    for b in iterate_batches(data, np.arange(len(data.dates)), batch_days, shuffle=True, seed=seed): step(b)
    return time.perf_counter() - t0

def rss_mib() -> float:
    with open('/proc/self/statm') as f: return int(f.read().split()[1]) * resource.getpagesize() / 2**20

def one(args) -> dict:
    "In this process: one warm-up step, then one timed epoch with `args.impl`; peak RSS above the data and model (MiB)."
    data, model, tcfg, opt = setup(args, args.impl)
    step = make_step(model, opt, tcfg)
    base = rss_mib()
    step(next(iterate_batches(data, np.arange(args.batch_days), args.batch_days)))     # warm-up
    c0 = time.process_time()
    wall = epoch(data, model, step, args.batch_days)
    return dict(wall=wall, cpu=time.process_time() - c0, peak_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base)

def load() -> str:
    return '/'.join(f'{v:.1f}' for v in os.getloadavg())

def header(args, what: str):
    print(f"\n== {what}: {args.days} days x {args.N} stocks (5% padding every other day) x {args.G} industries, M={args.M}, "
          f"K=5, batch_days={args.batch_days}, default E2EAIConfig/TrainConfig; torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads, {os.cpu_count()} CPUs, load average {load()}", flush=True)

def epochs(args):
    "Seconds per epoch and per day, CPU seconds and peak RSS for each `gat_impl`, each in a fresh process."
    header(args, 'one training epoch per gat_impl (fresh process each)')
    print(f"{'gat_impl':<10}{'epoch s':>10}{'s/day':>9}{'CPU s':>9}{'CPU s/day':>11}{'peak MiB':>10}  vs target {TARGET_S_PER_DAY} s/day")
    for impl in IMPLS:
        cmd = [sys.executable, __file__, '--one', impl] + [f'--{k}={getattr(args, k)}' for k in ('days', 'N', 'M', 'G', 'batch_days', 'threads')]
        r = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()[-1])
        d = args.days
        print(f"{impl:<10}{r['wall']:>10.1f}{r['wall'] / d:>9.3f}{r['cpu']:>9.1f}{r['cpu'] / d:>11.3f}{r['peak_mib']:>10.0f}"
              f"  {'meets' if r['wall'] / d <= TARGET_S_PER_DAY else 'misses'}", flush=True)
    print(f"load average at the end {load()}")

def breakdown(args, device='cpu'):
    "Wall seconds of one epoch by part: the modules' forwards, the rest of the forward (directional buffer IC), losses, backward, optimizer."
    data, model, tcfg, opt = setup(args, args.impl, device)
    sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)
    timer = Timer(model, sync)
    step = make_step(model, opt, tcfg, timer)
    step(next(iterate_batches(data, np.arange(args.batch_days), args.batch_days)))     # warm-up
    timer.sums.clear(); timer.cpu.clear()
    header(args, f'where one epoch goes, gat_impl={args.impl!r}, {device}')
    c0 = time.process_time()
    wall = epoch(data, model, step, args.batch_days)
    cpu = time.process_time() - c0
    rest, brest = 'forward, rest (directional buffer IC, checks)', '  backward, rest (losses, graph glue)'
    print(f"epoch {wall:.1f} s wall = {wall / args.days:.3f} s/day; {cpu:.1f} s CPU = {cpu / args.days:.3f} CPU s/day")
    print(f"  {'part':<48}{'wall s':>8}{'%':>7}{'CPU s':>8}{'%':>7}")
    for d, tot in ((timer.sums, wall), (timer.cpu, cpu)):
        bwd = {k: d.pop(k) for k in list(d) if k.startswith('bwd ')}
        d[rest] = d.pop('forward') - sum(d.get(p, 0.) for p in PARTS)
        d['batching and Python between the parts'] = tot - sum(d.values())
        d.update({'  backward of ' + k[4:]: v for k, v in bwd.items()}); d[brest] = d['backward'] - sum(bwd.values())
    for k in (*PARTS, rest, 'losses', 'backward', *(f'  backward of {p}' for p in PARTS), brest, 'optimizer',
              'batching and Python between the parts'):
        if k in timer.sums:
            print(f"  {k:<48}{timer.sums[k]:>8.2f}{100 * timer.sums[k] / wall:>7.1f}{timer.cpu[k]:>8.2f}{100 * timer.cpu[k] / cpu:>7.1f}")
    return wall

def profile(args):
    "torch.profiler (top ops by self CPU time) and cProfile (top functions by cumulative time) of one epoch."
    from torch.profiler import profile as tprofile, ProfilerActivity
    data, model, tcfg, opt = setup(args, args.impl)
    step = make_step(model, opt, tcfg)
    step(next(iterate_batches(data, np.arange(args.batch_days), args.batch_days)))
    header(args, f'torch.profiler, one epoch, gat_impl={args.impl!r}')
    with tprofile(activities=[ProfilerActivity.CPU]) as p: epoch(data, model, step, args.batch_days)
    print(p.key_averages().table(sort_by='self_cpu_time_total', row_limit=args.top))
    header(args, f'cProfile, one epoch, gat_impl={args.impl!r}')
    pr = cProfile.Profile(); pr.enable(); epoch(data, model, step, args.batch_days); pr.disable()
    s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats('cumulative').print_stats(args.top + 10)
    print(s.getvalue())

def cuda(args):
    "The epoch and its breakdown on CUDA, and the peak GPU memory of one training step on a 64-day batch of 1,000 stocks."
    if not torch.cuda.is_available():
        print("\n== CUDA: torch.cuda.is_available() is False on this machine: no GPU figures"); return
    print(f"\n== CUDA: {torch.cuda.get_device_name()}")
    for impl in IMPLS:
        args.impl = impl
        breakdown(args, 'cuda')
    for impl in IMPLS:
        data, model, tcfg, opt = setup(args, impl, 'cuda')
        step = make_step(model, opt, tcfg)
        b = next(iterate_batches(data, np.arange(64), 64))
        try:
            step(b); torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats()
            t0 = time.perf_counter(); step(b); torch.cuda.synchronize(); dt = time.perf_counter() - t0
            print(f"gat_impl={impl!r}: one step on a 64-day batch of {args.N} stocks {dt:.3f} s ({dt / 64:.4f} s/day), "
                  f"peak GPU memory {torch.cuda.max_memory_allocated() / 2**30:.2f} GiB", flush=True)
        except torch.cuda.OutOfMemoryError:
            print(f"gat_impl={impl!r}: a 64-day batch of {args.N} stocks does not fit: out of GPU memory "
                  f"({torch.cuda.get_device_properties(0).total_memory / 2**30:.0f} GiB)", flush=True)
        del data, model, opt, b; torch.cuda.empty_cache()

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--days', type=int, default=500); ap.add_argument('--N', type=int, default=1000)
    ap.add_argument('--M', type=int, default=43); ap.add_argument('--G', type=int, default=30)
    ap.add_argument('--batch_days', type=int, default=16); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--impl', choices=IMPLS, default='auto', help='gat_impl of the breakdown and the profiles')
    ap.add_argument('--top', type=int, default=15)
    ap.add_argument('--only', choices=('epochs', 'breakdown', 'profile', 'cuda'))
    ap.add_argument('--one', choices=IMPLS, help=argparse.SUPPRESS)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.one:
        args.impl = args.one
        print(json.dumps(one(args)))
    else:
        for name, f in (('epochs', epochs), ('breakdown', breakdown), ('profile', profile), ('cuda', cuda)):
            if args.only in (None, name): f(args)
