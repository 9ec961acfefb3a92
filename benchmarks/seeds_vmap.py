"""Seeds together: is one training step of a neural method's 3 seeds faster vectorized with `torch.func`
(`stack_module_state` + `vmap` + `functional_call`, one Adam on the stacked parameters) than the 3 steps one after
another, as `e2eai.methods.run_fold` trains them now?

For DMFM and E2EAI (`build_model`, default settings, gat_impl='auto'), on random universes of CSI 300 and CSI 1000 size
(`train_bench.random_universe`: 5% padding every other day, 30 skewed industries, M=43 factors, K=5) and a batch of 16
days (the full profile's `batch_days`), one step of all 3 seeds as `e2eai.train.fit` takes it (forward, eq. 11,
backward, per-seed gradient clipping at 5, Adam, directional-buffer update):

    (a) sequential: 3 models, each its own step;
    (b) vmapped: the 3 models' parameters and buffers stacked `[S, ...]`, one vmapped forward + loss, one backward of
        the summed losses, a per-seed clip, one Adam over the stacked parameters (Adam is elementwise: the same update).

First it checks that (b) gives (a)'s losses, gradients, updated parameters and buffers; then it times both, interleaved
(A, B, A, B, ...) after warm-up steps, and prints the medians. Run from the repository root:

    OMP_NUM_THREADS=1 python benchmarks/seeds_vmap.py --threads 1
    python benchmarks/seeds_vmap.py --threads 2
    python benchmarks/seeds_vmap.py --sizes 300 --methods DMFM --reps 3     # a quick look

At 1 thread the whole run took some 5-7 minutes on a 2-core machine at load average 5; at 2 threads on that machine the
steps ran 4-15x slower (oversubscribed) and the run passed 10 minutes before reaching E2EAI: run a method at a time.

Under vmap, `attend_cross`'s precision fallback (`if redo.any(): ...` redo the lost (day, head)s densely) is
data-dependent control flow and fails; the vmapped variant swaps in a copy without the branch that returns the `redo`
flags instead, and the script reports whether any seed would have needed the dense redo (then that seed's step would
have to be redone on its own).
"""
from __future__ import annotations
import argparse, contextlib, copy, os, statistics, sys, time, traceback
import torch
import torch.nn.functional as F
from torch.func import functional_call, stack_module_state, vmap
import e2eai.neutralize as nz
from e2eai.batch import iterate_batches
from e2eai.methods import build_model
from e2eai.train import TrainConfig, seed_everything
sys.path.insert(0, os.path.dirname(__file__))
from train_bench import random_universe

SEEDS = (0, 1, 2)

def load() -> str:
    return '/'.join(f'{v:.2f}' for v in os.getloadavg())

# ---- the models and one batch ----

def seed_models(method: str, M: int) -> list:
    "One untrained network per seed, initialized as `run_fold` does (`seed_everything(seed)` then `build_model`)."
    nets = []
    for s in SEEDS:
        seed_everything(s)
        nets.append(build_model(method, M).train())
    return nets

def one_batch(N: int, M: int, B: int = 16, days: int = 64):
    "The first batch of `B` shuffled days of a random universe of `N` stocks: x [B, N, M], y, y_mask [B, N, K], mask [B, N]."
    data = random_universe(days, N, M)
    return next(iterate_batches(data, range(days), B, shuffle=True, seed=0))

# ---- (a) sequential ----

def sequential(nets: list, tcfg: TrainConfig):
    "A step function running `fit`'s step for each seed in turn -> losses `[S]`; and the optimizers."
    opts = [torch.optim.Adam(n.parameters(), lr=tcfg.lr) for n in nets]
    def step(b) -> torch.Tensor:
        out = []
        for net, opt in zip(nets, opts):
            o = net(b); loss = net.loss(o, b)['total']
            opt.zero_grad(set_to_none=True); loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), tcfg.grad_clip)
            opt.step(); net.update_buffers(o)
            out.append(loss.detach())
        return torch.stack(out)
    return step, opts

# ---- (b) vmapped ----

def attend_cross_flagged(h, s, t, industry, mask, negative_slope):
    """`e2eai.neutralize.attend_cross` without its `if redo.any()` dense redo (data-dependent control flow, which vmap
    cannot trace): the lost (day, head)s keep the self-loop placeholder and are recorded in `FLAGS` (`[B, H]` bool)."""
    dtype, (h, s, t) = h.dtype, (x.double() for x in (h, s, t))
    segments = nz.industry_segments(industry, mask)
    B, H, N = s.shape
    group = segments[0][:, None].expand(B, H, N)
    gmax = nz._group_max(t, mask, group)[..., :N]                                                  # [B, H, G]
    top = torch.cat([gmax, torch.full_like(gmax[..., :2], float('-inf'))], -1).topk(2, -1)
    other = torch.where(group == top.indices[..., :1], top.values[..., 1:], top.values[..., :1])
    m = F.leaky_relu(s.detach() + torch.maximum(t.detach(), other), negative_slope)
    full = nz.leaky_softmax_sums(s, t, h, mask, m, negative_slope)
    own = nz.leaky_softmax_sums(s, t, h, mask, m, negative_slope, segments)
    alone = ((segments[2] - segments[1]) == mask.sum(-1, keepdim=True))[:, None, :, None]
    loop = (F.leaky_relu(s + t, negative_slope) - m).exp()[..., None] * torch.cat([h, torch.ones_like(h[..., :1])], -1)
    acc = torch.where(alone, 0., full - own) + loop
    lost = (own[..., -1] > nz.CROSS_MASS_RATIO * acc[..., -1]) & mask[:, None]
    acc = torch.where(lost[..., None], loop, acc)
    FLAGS.append(lost.any(-1))                                                                     # [B, H] per seed
    return (acc[..., :-1] / acc[..., -1:]).to(dtype)

FLAGS: list = []   # inside one vmapped forward: each attend_cross call's lost (day, head)s
REDO: list = []    # after each vmapped step: [S] bool, whether a seed would have needed the dense redo

@contextlib.contextmanager
def vmappable_cross(on: bool = True):
    "Swap `attend_cross_flagged` into `e2eai.neutralize` while the vmapped forward runs."
    orig = nz.attend_cross
    if on: nz.attend_cross = attend_cross_flagged
    try: yield
    finally: nz.attend_cross = orig

def clip_per_seed(params: list, max_norm: float):
    "`clip_grad_norm_` for each seed of stacked parameters `[S, ...]`: each seed's gradient norm over all its parameters."
    norm = torch.stack([p.grad.flatten(1).square().sum(1) for p in params]).sum(0).sqrt()          # [S]
    coef = (max_norm / (norm + 1e-6)).clamp(max=1.)
    for p in params: p.grad.mul_(coef.view(-1, *[1] * (p.dim() - 1)))

def vmapped(nets: list, tcfg: TrainConfig, patch: bool = True):
    "A step function doing the seeds' steps as one -> losses `[S]`; the stacked params and buffers `{name: [S, ...]}`; the optimizer."
    params, buffers = stack_module_state(nets)
    base = copy.deepcopy(nets[0]).to('meta')
    opt = torch.optim.Adam(params.values(), lr=tcfg.lr)
    def one(p, bufs, b):                                           # one seed: its params, its buffers, the shared batch
        FLAGS.clear()
        out = functional_call(base, (p, bufs), (b,))
        redo = torch.stack([f.any() for f in FLAGS]).any() if FLAGS else torch.tensor(False)
        return base.loss(out, b)['total'], out.increment, redo
    def step(b) -> torch.Tensor:
        with vmappable_cross(patch):
            loss, inc, redo = vmap(lambda p, bufs: one(p, bufs, b), randomness='different')(params, buffers)   # [S], ([S, K, M], [S, K]), [S]
        REDO.append(redo)
        opt.zero_grad(set_to_none=True); loss.sum().backward()
        clip_per_seed(list(params.values()), tcfg.grad_clip)
        opt.step()
        with torch.no_grad():
            buffers['buffer.factor_ic_sum'] += inc[0]; buffers['buffer.deep_ic_sum'] += inc[1]
        return loss.detach()
    return step, params, buffers, opt

# ---- check and time ----

def max_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return (a - b).abs().max().item()

def check(method: str, N: int, M: int, tcfg: TrainConfig) -> bool:
    "One step of (a) and (b) from the same initial models: print the largest differences; True when they all agree."
    b = one_batch(N, M)
    nets = seed_models(method, M)
    try: vmapped(copy.deepcopy(nets), tcfg, patch=False)[0](b)
    except Exception as e:
        print(f"  {method} N={N}: vmap of the library's model as is FAILED: {type(e).__name__}: {str(e).splitlines()[0][:300]}")
        where = traceback.extract_tb(e.__traceback__)[-1]
        print(f"    raised at {os.path.relpath(where.filename)}:{where.lineno}: {where.line}")
    else: print(f"  {method} N={N}: vmap of the library's model as is runs")
    vstep, params, buffers, _ = vmapped(copy.deepcopy(nets), tcfg)
    sstep, _ = sequential(nets, tcfg)
    ls = sstep(b)
    try: lv = vstep(b)
    except Exception as e:
        print(f"  {method} N={N}: vmap with attend_cross_flagged FAILED: {type(e).__name__}: {str(e).splitlines()[0][:300]}")
        traceback.print_exc(limit=-3); return False
    redo = REDO[-1].tolist()
    names = dict(nets[0].named_parameters())
    dg = max(max_diff(torch.stack([dict(n.named_parameters())[k].grad for n in nets]), p.grad) for k, p in params.items())
    dp = max(max_diff(torch.stack([dict(n.named_parameters())[k] for n in nets]), p) for k, p in params.items())
    db = max(max_diff(torch.stack([dict(n.named_buffers())[k] for n in nets]).float(), v.float()) for k, v in buffers.items())
    print(f"  {method} N={N}: losses seq {[round(v, 6) for v in ls.tolist()]} vmap {[round(v, 6) for v in lv.tolist()]}; "
          f"max |diff| loss {max_diff(ls, lv):.2e}, clipped grads {dg:.2e}, params after Adam {dp:.2e}, buffers {db:.2e} "
          f"({len(names)} parameter tensors); dense redo needed by seed: {redo}", flush=True)
    return max_diff(ls, lv) < 1e-4 and dg < 1e-4 and dp < 1e-5

def time_pair(method: str, N: int, M: int, tcfg: TrainConfig, warmup: int, reps: int) -> tuple[float, float]:
    "Median ms of one step of all seeds, (a) and (b) interleaved A, B, A, B on the same batch."
    b = one_batch(N, M)
    nets = seed_models(method, M)
    vstep, *_ = vmapped(copy.deepcopy(nets), tcfg)
    sstep, _ = sequential(nets, tcfg)
    for _ in range(warmup): sstep(b); vstep(b)
    REDO.clear()
    ta, tb = [], []
    for _ in range(reps):
        t0 = time.perf_counter(); sstep(b); ta.append(time.perf_counter() - t0)
        t0 = time.perf_counter(); vstep(b); tb.append(time.perf_counter() - t0)
    print(f"  {method} N={N}: any seed needing the dense redo in the timed steps: {torch.stack(REDO).any().item()}")
    print(f"  {method} N={N}: seq ms {[round(1e3 * t) for t in ta]}\n  {' ' * len(method)} N={N}: vmap ms {[round(1e3 * t) for t in tb]}  "
          f"(load {load()})", flush=True)
    return 1e3 * statistics.median(ta), 1e3 * statistics.median(tb)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--threads', type=int, default=1); ap.add_argument('--M', type=int, default=43)
    ap.add_argument('--sizes', type=int, nargs='+', default=[300, 1000])
    ap.add_argument('--methods', nargs='+', default=['DMFM', 'E2EAI'])
    ap.add_argument('--warmup', type=int, default=2); ap.add_argument('--reps', type=int, default=10)
    ap.add_argument('--no_check', action='store_true')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    tcfg = TrainConfig()
    print(f"seeds {SEEDS} of one (universe, fold), batch of 16 days, M={args.M}, K=5; torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads (OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}), {os.cpu_count()} CPUs; "
          f"load average at start {load()}", flush=True)
    ok = {}
    if not args.no_check:
        print("== does (b) vmapped give (a) sequential's step?")
        for method in args.methods:
            for N in args.sizes: ok[method, N] = check(method, N, args.M, tcfg)
    print(f"== timing: {args.warmup} warm-up steps, then {args.reps} of each, interleaved")
    rows = []
    for method in args.methods:
        for N in args.sizes:
            if not ok.get((method, N), True): continue
            rows.append((method, N, *time_pair(method, N, args.M, tcfg, args.warmup, args.reps)))
    print(f"\n{'method':<8}{'N':>6}{'threads':>9}{'seq ms/step':>13}{'vmap ms/step':>14}{'speed-up':>10}   (all 3 seeds, median)")
    for method, N, a, b in rows: print(f"{method:<8}{N:>6}{args.threads:>9}{a:>13.0f}{b:>14.0f}{a / b:>9.2f}x")
    print(f"load average at end {load()}")

if __name__ == '__main__':
    main()
