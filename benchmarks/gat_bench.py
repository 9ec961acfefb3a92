"""Relational neutralization speed: fwd+bwd seconds per day and peak memory of PyG's GAT layers and of our dense and fast
paths, on B days x N stocks x G industries (CSI 1000 sized by default), the dense/fast crossover that `impl='auto'`
uses, and a profile of the fast path.

    python benchmarks/gat_bench.py                  # table, crossover, profile (about 5 minutes on 2 idle cores)
    python benchmarks/gat_bench.py --only table     # just the table
    python benchmarks/gat_bench.py --threads 1      # torch threads (default 2)

Times are the best of `--reps` passes after a warm-up: wall seconds, and CPU seconds of the process (all its threads),
which other processes on a shared machine disturb less. Peak memory is the growth of the process's peak RSS during
one pass, each (method, relation) in a fresh process.
"""
from __future__ import annotations
import argparse, json, resource, subprocess, sys, time
import torch
from torch_geometric.nn import GATConv, DenseGATConv
from e2eai.graphs import industry_graph, cross_industry_graph, edge_index
from e2eai.neutralize import RelationalNeutralization

METHODS = ('pyg_sparse', 'pyg_dense', 'dense', 'fast')
RELATIONS = ('industry', 'cross')

def make_batch(B: int, N: int, G: int, D: int, seed: int = 0):
    "Random contexts; industries skewed like A-shares (p_g ~ 1/(g+3): the largest ~14% of a day); 5% padding on odd days."
    g = torch.Generator().manual_seed(seed)
    c = torch.randn(B, N, D, generator=g)
    p = 1 / (torch.arange(G) + 3.)
    industry = torch.multinomial(p / p.sum(), B * N, replacement=True, generator=g).view(B, N)
    mask = torch.ones(B, N, dtype=torch.bool); mask[1::2, int(N * 0.95):] = False
    return c, industry.masked_fill(~mask, -1), mask

def step_fn(method: str, relation: str, c, industry, mask, heads: int):
    "A closure running one fwd+bwd over the batch (PyG sparse: one day per step, as a loader of single days would)."
    B, N, D = c.shape
    adj = (industry_graph if relation == 'industry' else cross_industry_graph)(industry, mask)
    x = c.clone().requires_grad_()
    if method == 'pyg_sparse':
        conv = GATConv(D, D // heads, heads=heads)
        days = [(mask[b], edge_index(adj[b:b + 1, mask[b]][:, :, mask[b]])) for b in range(B)]
        def step():
            for b, (m, ei) in enumerate(days): (x[b, m] - conv(x[b, m], ei)).square().mean().backward()
    elif method == 'pyg_dense':
        conv, a = DenseGATConv(D, D // heads, heads=heads), adj.float()
        def step(): ((x - conv(x, a, mask)) * mask[..., None]).square().mean().backward()
    else:
        rnb = RelationalNeutralization(D, relation, heads=heads, impl=method)
        def step(): rnb(x, industry, mask).square().mean().backward()
    return step

def time_per_day(step, B: int, reps: int) -> tuple[float, float]:
    "(wall, CPU) seconds per day of one step: the best of `reps` passes after a warm-up."
    step()
    wall = cpu = float('inf')
    for _ in range(reps):
        w, c = time.perf_counter(), time.process_time()
        step()
        wall, cpu = min(wall, time.perf_counter() - w), min(cpu, time.process_time() - c)
    return wall / B, cpu / B

def rss_mib() -> float:
    with open('/proc/self/statm') as f: return int(f.read().split()[1]) * resource.getpagesize() / 2**20

def one(args) -> dict:
    "One (method, relation) in this process: seconds per day and peak memory above the inputs (MiB)."
    c, industry, mask = make_batch(args.B, args.N, args.G, args.D)
    step = step_fn(args.method, args.relation, c, industry, mask, args.heads)
    base = rss_mib()
    step()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base
    reps = 1 if args.method == 'pyg_sparse' else args.reps   # seconds a day: one pass shows it
    wall, cpu = time_per_day(step, args.B, reps)
    return dict(wall=wall, cpu=cpu, peak_mib=max(peak, 0.))

def table(args):
    print(f"fwd+bwd of one relational neutralization block, B={args.B} days x N={args.N} stocks x G={args.G} industries, "
          f"D={args.D}, {args.heads} heads, torch {torch.__version__}, {args.threads} threads "
          f"(pyg_sparse: GATConv one day per step; the others: the batch of {args.B} days at once)")
    print(f"{'':<12}" + ''.join(f"{r:>34}" for r in RELATIONS))
    print(f"{'method':<12}" + f"{'wall s/day':>12}{'cpu s/day':>11}{'peak MiB':>11}" * 2)
    for m in METHODS:
        row = f"{m:<12}"
        for r in RELATIONS:
            cmd = [sys.executable, __file__, '--one', m, r] + [f'--{k}={getattr(args, k)}' for k in ('B', 'N', 'G', 'D', 'heads', 'threads', 'reps')]
            res = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()[-1])
            row += f"{res['wall']:>12.4f}{res['cpu']:>11.4f}{res['peak_mib']:>11.0f}"
        print(row, flush=True)

def crossover(args):
    print(f"\ndense vs fast, CPU ms/day (wall ms/day), B={args.B}, G={args.G}: sets AUTO_FAST_MIN_N in e2eai.neutralize")
    for N in (50, 100, 150, 200, 300, 500):
        c, industry, mask = make_batch(args.B, N, args.G, args.D)
        row = f"N={N:<5}"
        for r in RELATIONS:
            res = [time_per_day(step_fn(m, r, c, industry, mask, args.heads), args.B, max(5, 3000 // N)) for m in ('dense', 'fast')]
            row += f"  {r}: " + ' '.join(f"{m} {1e3 * cpu:6.2f} ({1e3 * wall:6.2f})" for m, (wall, cpu) in zip(('dense', 'fast'), res))
        print(row, flush=True)

def profile(args):
    from torch.profiler import profile as prof, ProfilerActivity
    c, industry, mask = make_batch(args.B, args.N, args.G, args.D)
    for r in RELATIONS:
        step = step_fn('fast', r, c, industry, mask, args.heads)
        step()
        with prof(activities=[ProfilerActivity.CPU], record_shapes=True) as p:
            for _ in range(args.reps): step()
        print(f"\nfast path, {r}: top ops by self CPU time ({args.reps} fwd+bwd of B={args.B} days)")
        print(p.key_averages(group_by_input_shape=True).table(sort_by='self_cpu_time_total', row_limit=args.top,
                                                              max_name_column_width=28, max_shapes_column_width=50))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--B', type=int, default=10); ap.add_argument('--N', type=int, default=1000)
    ap.add_argument('--G', type=int, default=30); ap.add_argument('--D', type=int, default=64)
    ap.add_argument('--heads', type=int, default=4); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--reps', type=int, default=5); ap.add_argument('--top', type=int, default=12)
    ap.add_argument('--only', choices=('table', 'crossover', 'profile'))
    ap.add_argument('--one', nargs=2, metavar=('METHOD', 'RELATION'), help=argparse.SUPPRESS)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.one:
        args.method, args.relation = args.one
        print(json.dumps(one(args)))
    else:
        for name, f in (('table', table), ('crossover', crossover), ('profile', profile)):
            if args.only in (None, name): f(args)
