"""Run the notebooks of nbs/ on the shipped sample and save their outputs in place, so that a reader sees the figures,
tables and test results without running anything (on a code host too).

    python tools/refresh_outputs.py                 # every notebook of nbs/ (not nbs/experiments: papermill templates)
    python tools/refresh_outputs.py nbs/21_diagnostics.ipynb ...
    nbdev_clean                                     # then commit

Cells are skipped as `nbdev_test` skips them (flags `slow`, `cuda`, `notest`; `eval: false`; the export call), so no
output comes from the real data: `shared_data_dir` is made to find nothing, and tests that need `../shared` skip as in
CI. Figures are drawn at 60 dpi in plain PNG (not retina) to keep the repository lean. A notebook that fails is
reported and left as it was.
"""
import re, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory

SKIP = re.compile(r'^#\|\s*(slow|cuda|notest)\b|^#\|\s*eval:\s*false', re.M)
SETUP = ("import e2eai.core as _core; _core.shared_data_dir = lambda name='cn_qlib': None\n"   # no real-data output
         "import matplotlib; matplotlib.rcParams['figure.dpi'] = 60")


def skip(cell) -> bool:
    "Cells `nbdev_test` would not run."
    return cell.cell_type != 'code' or 'nbdev_export(' in cell.source or bool(SKIP.search(cell.source))


def refresh(path: Path) -> bool:
    "Execute `path` and write it back with its outputs; False (and the file untouched) when a cell fails."
    nb = read_nb(path)
    for cell in nb.cells:                                     # a cell that went quiet, or is skipped, keeps no old output
        if cell.cell_type == 'code': cell.outputs, cell.execution_count = [], None
    shell = CaptureShell(path, mpl_format='png')
    t0 = time.time()
    try:
        with working_directory(path.parent):
            shell.run(SETUP)                                      # in the kernel, not in any cell (inject_code replaces cell 0)
            shell.run_all(nb, exc_stop=True, preproc=skip)
    except Exception:
        print(f"FAILED {path} ({time.time() - t0:.0f} s):\n{shell.prettytb(fname=path)}", file=sys.stderr)
        return False
    write_nb(nb, path)
    print(f"{path}: {time.time() - t0:.0f} s, {path.stat().st_size / 1024:.0f} KB")
    return True


if __name__ == '__main__':
    root = Path(__file__).resolve().parents[1]
    paths = [Path(p).resolve() for p in sys.argv[1:]] or sorted((root / 'nbs').glob('[0-9]*.ipynb'))
    failed = [p for p in paths if not refresh(p)]
    sys.exit(f"{len(failed)} notebook(s) failed: {', '.join(p.name for p in failed)}" if failed else 0)
