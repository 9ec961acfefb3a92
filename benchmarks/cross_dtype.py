"""The cross-industry GAT's fast path (`e2eai.neutralize.attend_cross`) with float32 sums instead of float64: its error
against a float64 dense reference, how many (day, head)s its precision guard sends to the dense path, and fwd+bwd
milliseconds per 16-day batch, on `gat_bench`'s random industries (scores scaled x1 and x3: more own-industry mass).
A measured option, not the library's path: float32 would change real-data results at the 1e-6 level (see the closing
note of session 21). One thread; pause other work while it runs. From the repository root:

    python benchmarks/cross_dtype.py
"""
import time, torch, sys
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(0)
import e2eai.neutralize as nz
from e2eai.graphs import cross_industry_graph
from gat_bench import make_batch

def attend_cross_dt(h, s, t, industry, mask, negative_slope, dt=torch.float32, ratio=1e2, stats=None):
    "`attend_cross` with its sums in `dt` and its precision guard at `ratio` (float64's is `CROSS_MASS_RATIO`, 1e6)."
    dtype, (h, s, t) = h.dtype, (x.to(dt) for x in (h, s, t))
    segments = nz.industry_segments(industry, mask)
    B, H, N = s.shape
    group = segments[0][:, None].expand(B, H, N)
    gmax = nz._group_max(t, mask, group)[..., :N]
    top = torch.cat([gmax, torch.full_like(gmax[..., :2], float('-inf'))], -1).topk(2, -1)
    other = torch.where(group == top.indices[..., :1], top.values[..., 1:], top.values[..., :1])
    m = F.leaky_relu(s.detach() + torch.maximum(t.detach(), other), negative_slope)
    full = nz.leaky_softmax_sums(s, t, h, mask, m, negative_slope)
    own = nz.leaky_softmax_sums(s, t, h, mask, m, negative_slope, segments)
    alone = ((segments[2] - segments[1]) == mask.sum(-1, keepdim=True))[:, None, :, None]
    loop = (F.leaky_relu(s + t, negative_slope) - m).exp()[..., None] * torch.cat([h, torch.ones_like(h[..., :1])], -1)
    acc = torch.where(alone, 0., full - own) + loop
    lost = (own[..., -1] > ratio * acc[..., -1]) & mask[:, None]
    acc = torch.where(lost[..., None], loop, acc)
    out = acc[..., :-1] / acc[..., -1:]
    redo = lost.any(-1)
    if stats is not None: stats.append((redo.sum().item(), redo.numel(), lost.sum().item()))
    if redo.any():
        b, hd = redo.nonzero(as_tuple=True)
        adj = cross_industry_graph(industry[b], mask[b]) | torch.eye(N, dtype=torch.bool, device=h.device)
        dense = nz.attend_dense(h[b, hd, None], s[b, hd, None], t[b, hd, None], adj, negative_slope)[:, 0]
        out = out.index_put((b, hd), dense)
    return out.to(dtype)

B, G, D, H = 16, 30, 64, 4
for N in (300, 1000):
    c, industry, mask = make_batch(B, N, G, D)
    mod = nz.RelationalNeutralization(D, 'cross', heads=H)
    for scale in (1., 3.):                          # larger scores: more own-industry mass
        with torch.no_grad():
            h, s, t = mod.scores(c * scale)
            adj = cross_industry_graph(industry, mask) | torch.eye(N, dtype=torch.bool)
            ref = nz.attend_dense(h.double(), s.double(), t.double(), adj, .2)
            o64 = nz.attend_cross(h, s, t, industry, mask, .2)
            st = []; o32 = attend_cross_dt(h, s, t, industry, mask, .2, stats=st)
            m = mask[:, None, :, None]
            err = lambda o: ((o.double() - ref).abs() * m).max().item() / (ref.abs() * m).max().item()
            print(f"N={N} scale={scale}: rel max err f64 {err(o64):.1e}  f32 {err(o32):.1e}  redo (day,head) {st[0][0]}/{st[0][1]}, lost targets {st[0][2]}")
    # timing fwd+bwd
    for name, fn in (('f64', lambda h, s, t: nz.attend_cross(h, s, t, industry, mask, .2)),
                     ('f32', lambda h, s, t: attend_cross_dt(h, s, t, industry, mask, .2))):
        ts = []
        for _ in range(5):
            cc = c.clone().requires_grad_()
            h, s, t = mod.scores(cc)
            t0 = time.perf_counter(); fn(h, s, t).square().mean().backward(); ts.append(time.perf_counter() - t0)
        print(f"  N={N} {name}: {1000*sorted(ts)[2]:.0f} ms fwd+bwd per {B}-day batch")
