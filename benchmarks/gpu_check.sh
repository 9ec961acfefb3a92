#!/usr/bin/env bash
# The one-command GPU check: what a session lent a GPU runs once (device tool: `run` with this script, timeout_s 540),
# reports every figure it prints, then gives the machine back. Everything writes under $OUT (default /tmp/gpu_check).
#
#   bash benchmarks/gpu_check.sh            # about 5-7 minutes on an H200 machine
#
# 1. the card, the driver, torch and whether every package the library imports is there (the machine has no internet:
#    a missing one is reported and the checks that need it are skipped, never installed);
# 2. the CUDA tests: the `#| cuda` cells are skipped by nbdev_test on CPU, so run the notebooks that train with
#    `nbdev_test --flags cuda` on the notebooks holding them;
# 3. the training benchmark's CUDA section: seconds per epoch and peak GPU memory of E2EAI at CSI 1000 size;
# 4. the relational-neutralization table on CUDA (PyG's layers against ours);
# 5. a quick-profile run of every method on the sample with --device cuda, timed, against the same on CPU.
set -uo pipefail
OUT=${OUT:-/tmp/gpu_check}; mkdir -p "$OUT"
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
log() { echo; echo "=== $* ($(date +%T), load $(cut -d' ' -f1-3 /proc/loadavg))"; }

log "1. machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || echo "no nvidia-smi"
python - <<'EOF'
import importlib, sys
print('python', sys.version.split()[0])
try:
    import torch
    print('torch', torch.__version__, 'cuda', torch.version.cuda, 'available', torch.cuda.is_available(),
          torch.cuda.get_device_name(0) if torch.cuda.is_available() else '')
except ImportError as e: print('torch missing:', e)
for m in ('numpy', 'pandas', 'pyarrow', 'scipy', 'torch_geometric', 'lightgbm', 'papermill', 'matplotlib', 'tqdm', 'nbdev'):
    try: print(f'{m} {importlib.import_module(m).__version__}')
    except Exception as e: print(f'{m} MISSING ({type(e).__name__})')
EOF
python -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" || { echo "no CUDA: stopping"; exit 1; }

log "2. CUDA test cells"
if python -c "import nbdev" 2>/dev/null; then
  nbs=$(grep -l '#| cuda' nbs/*.ipynb 2>/dev/null | tr '\n' ' ')
  if [ -n "$nbs" ]; then for nb in $nbs; do timeout 240 nbdev_test --flags cuda --path "$nb" 2>&1 | tail -3; done
  else echo "no #| cuda cells in nbs/"; fi
else echo "nbdev missing: CUDA cells skipped"; fi

log "3. training speed on CUDA (benchmarks/train_bench.py --only cuda)"
timeout 180 python benchmarks/train_bench.py --only cuda 2>&1 | tee "$OUT/train_bench_cuda.txt" | tail -25

log "4. relational neutralization on CUDA"
timeout 120 python - <<'EOF' 2>&1 | tee "$OUT/gat_cuda.txt"
import time, torch
from e2eai.neutralize import RelationalNeutralization, IMPLS
dev = torch.device('cuda')
for B, N in ((16, 300), (16, 1000), (64, 1000)):
    g = torch.Generator().manual_seed(0)
    c = torch.randn(B, N, 64, generator=g).to(dev).requires_grad_(True)
    ind = (torch.rand(B, N, generator=g) ** 2 * 30).long().to(dev); mask = torch.ones(B, N, dtype=torch.bool, device=dev)
    for impl in [i for i in IMPLS if i != 'auto']:
        layer = RelationalNeutralization(64, 'industry', heads=4, impl=impl).to(dev)
        for rep in range(4):
            torch.cuda.synchronize(); torch.cuda.reset_peak_memory_stats(); t = time.perf_counter()
            layer(c, ind, mask).sum().backward()
            torch.cuda.synchronize(); s = time.perf_counter() - t
        print(f"B={B:3d} N={N:5d} {impl:5s}: fwd+bwd {1e3 * s:7.2f} ms ({1e3 * s / B:.3f} ms/day), peak {torch.cuda.max_memory_allocated() / 2**20:8.1f} MiB")
EOF

log "5. the sample's smoke grid on CUDA and on CPU"
for dev in cuda cpu; do
  t0=$(date +%s)
  timeout 240 python -c 'import sys; from e2eai.cli import main; main(sys.argv[1:])' reproduce --profile smoke --data data_samples --out "$OUT/smoke_$dev" --device $dev --workers 1 \
    --no-assemble 2>&1 | tail -4
  echo "smoke grid on $dev: $(( $(date +%s) - t0 )) s"
done
python - <<EOF
import json, glob, pandas as pd
rows = []
for dev in ('cuda', 'cpu'):
    for p in glob.glob('$OUT/smoke_' + dev + '/records/*/*/seed*/fold*/config.json'):
        c = json.load(open(p)); rows.append(dict(device=c.get('device'), method=c['method'], seconds=c['seconds'],
                                                 valid_rank_ic=c.get('valid', {}).get('rank_ic')))
if rows: print(pd.DataFrame(rows).pivot_table(index='method', columns='device', values=['seconds', 'valid_rank_ic']).round(3).to_string())
EOF
log "done"
