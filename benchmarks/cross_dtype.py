"""The cross-industry GAT's fast path (`e2eai.neutralize.attend_cross`), which sums in its inputs' precision, fed float32
and float64: the error of each against a float64 dense reference, how many (day, head)s its precision guard
(`CROSS_MASS_RATIO`: 10 in float32, 1e6 in float64) sends to the dense path, and fwd+bwd milliseconds per 16-day batch,
on `gat_bench`'s random industries (scores scaled x1 and x3: more own-industry mass). `--trained U` checks the float32
path on real contexts instead: the cross GAT's inputs on the validation days of a DMFM trained 4 epochs (every 5th day)
on universe U's last fold. One thread; pause other work while it runs. From the repository root:

    python benchmarks/cross_dtype.py
    python benchmarks/cross_dtype.py --trained csi300 --data ../shared/data/cn_qlib --cache runs/quick/cache
"""
import argparse, sys, time
import torch
import e2eai.neutralize as nz
from e2eai.graphs import cross_industry_graph
from gat_bench import make_batch

REDONE = []                                      # (day, head)s the fast path handed to the dense one, per call
_dense = nz.attend_dense

def _counting_dense(h, s, t, adj, negative_slope):
    "`attend_dense`, counting the (day, head)s of each call (the fast path calls it only for its redo)."
    REDONE.append(h.shape[0] * h.shape[1])
    return _dense(h, s, t, adj, negative_slope)

def cross(h, s, t, industry, mask, dtype) -> tuple:
    "The fast path on inputs cast to `dtype`: its output and the (day, head)s it redid densely."
    REDONE.clear()
    nz.attend_dense = _counting_dense
    try: out = nz.attend_cross(h.to(dtype), s.to(dtype), t.to(dtype), industry, mask, .2)
    finally: nz.attend_dense = _dense
    return out, sum(REDONE)

def rel_err(out, ref, mask) -> float:
    "Largest error over members, relative to the reference's largest entry."
    m = mask[:, None, :, None]
    return ((out.double() - ref).abs() * m).max().item() / (ref.abs() * m).max().item()

def reference(h, s, t, industry, mask):
    "The float64 dense neighbour sums."
    adj = cross_industry_graph(industry, mask) | torch.eye(h.shape[2], dtype=torch.bool)
    return _dense(h.double(), s.double(), t.double(), adj, .2)

def random_batches(B=16, G=30, D=64, H=4):
    "Errors, redos and fwd+bwd timings on random contexts of N = 300 and 1,000 stocks."
    for N in (300, 1000):
        c, industry, mask = make_batch(B, N, G, D)
        mod = nz.RelationalNeutralization(D, 'cross', heads=H)
        for scale in (1., 3.):
            with torch.no_grad():
                h, s, t = mod.scores(c * scale)
                ref = reference(h, s, t, industry, mask)
                row = []
                for dt in (torch.float64, torch.float32):
                    out, redo = cross(h, s, t, industry, mask, dt)
                    row.append(f"{str(dt)[6:]}: error {rel_err(out, ref, mask):.1e}, redo {redo}/{B * H}")
            print(f"N={N} scale={scale}: " + '; '.join(row))
        for dt in (torch.float64, torch.float32):
            ts = []
            for _ in range(5):
                h, s, t = mod.scores(c.clone().requires_grad_())
                t0 = time.perf_counter()
                cross(h, s, t, industry, mask, dt)[0].square().mean().backward()
                ts.append(time.perf_counter() - t0)
            print(f"  N={N} {str(dt)[6:]} sums: {1000 * sorted(ts)[2]:.0f} ms fwd+bwd per {B}-day batch")

def trained(u: str, data_dir: str, cache: str | None, epochs: int = 4):
    "Float32 against float64 dense on the cross GAT's inputs of a DMFM trained `epochs` on `u`'s last fold."
    from e2eai.experiment import load_universe, universe_folds
    from e2eai.methods import build_model
    from e2eai.train import fit, TrainConfig
    from e2eai.batch import iterate_batches
    data, _ = load_universe(data_dir, u, cache_dir=cache, progress=False)
    fold = [f for f in universe_folds(data) if not f.skipped][-1]
    net = build_model('DMFM', len(data.factor_names))
    fit(net, data, fold, TrainConfig(epochs=epochs, day_stride=5, progress=False))
    mod, caught, gat = net.neutralize_cross, [], net.neutralize_cross.gat
    mod.gat = lambda c, industry, mask: caught.append((c.detach(), industry, mask)) or gat(c, industry, mask)
    net.eval()
    with torch.no_grad():
        for b in iterate_batches(data, fold.valid[::4], 16): net(b)
        errs, redo, total = [], 0, 0
        for c, industry, mask in caught:
            h, s, t = mod.scores(c)
            out, r = cross(h, s, t, industry, mask, torch.float32)
            errs.append(rel_err(out, reference(h, s, t, industry, mask), mask))
            redo, total = redo + r, total + h.shape[0] * h.shape[1]
    print(f"{u} fold {fold.j}, DMFM trained {epochs} epochs, {len(caught)} validation batches: float32 max relative "
          f"error {max(errs):.1e}; dense redo {redo} of {total} (day, head)s")

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--trained', metavar='UNIVERSE'); ap.add_argument('--data', default='../shared/data/cn_qlib')
    ap.add_argument('--cache', default=None, help="the prepared-universe cache folder (e.g. a run folder's cache)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    if args.trained: trained(args.trained, args.data, args.cache)
    else: random_batches()
