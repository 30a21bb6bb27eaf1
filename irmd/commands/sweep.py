"""``irmd sweep``: verify a candidate across a parameter grid, in parallel (Dask)."""
from __future__ import annotations

import contextlib
import json
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from irmd.analytic import library
from irmd.errors import InputError
from irmd.sweep import BuiltinSpec, FileSpec, parse_axis, run_sweep
from irmd.verify.plots import plot_sweep

from ._arguments import positive_seconds, working_dps, writable_file

_PLOT_SUFFIXES = (".png", ".pdf", ".svg")


def register(subparsers):
    p = subparsers.add_parser(
        "sweep",
        help="verify a candidate at every point of a parameter grid (in parallel, with Dask)",
        description="Verify a built-in candidate (NAME) or a candidate file (--file) at every point of the grid "
        "spanned by the --param axes, one row per point (status, bounds, time). Points run in parallel worker "
        "processes of a local Dask cluster that the sweep starts and stops, or on an existing cluster "
        "(--scheduler). Exit code: 0 all verified, 1 a point refuted, 2 a point inconclusive, 3 bad input or a "
        "point that could not be verified.",
        epilog="Axes: N=1..50 (integers, both ends), mu1=0.1,0.5,0.9 (a list; items may be ranges), "
        "c=0..0.4:0.1 (exact steps), mu1=1/2 (fixed). Numbers are exact: 0.1 is 1/10.",
    )
    p.add_argument("name", nargs="?", help="built-in candidate (see `irmd list`)")
    p.add_argument("--file", metavar="FILE.py", default=None, help="a candidate file (see `irmd new`)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUES",
                   help="an axis of the grid, e.g. --param N=1..50 --param mu1=0.1,0.5,0.9 (repeatable)")
    p.add_argument("--jobs", type=int, default=None, metavar="J",
                   help="worker processes of the local cluster (default: number of CPUs); 1 runs in this process")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on an existing Dask cluster, e.g. tcp://scheduler-host:8786 (its workers need irmd)")
    p.add_argument("-o", "--output", default=None, metavar="FILE", type=writable_file((".csv", ".parquet")),
                   help="write the rows to FILE.csv (exact decimal strings) or FILE.parquet (float64 columns)")
    p.add_argument("--plot", default=None, metavar="FILE.png", type=writable_file(_PLOT_SUFFIXES),
                   help="plot both bounds against each swept parameter")
    p.add_argument("--dps", type=working_dps, default=50, help="working precision in decimal digits (default 50)")
    p.add_argument("--numeric", action="store_true", help="skip symbolic proofs (statuses at best confirmed)")
    p.add_argument("--budget", type=positive_seconds, default=120.0, metavar="SECONDS",
                   help="symbolic time budget per point (default 120); exceeding it falls back to numerics")
    p.add_argument("--json", action="store_true", help="print the result as JSON (no progress bar)")
    p.set_defaults(handler=sweep_command)


def _spec(args):
    if bool(args.name) == (args.file is not None):
        raise InputError("give a candidate NAME or --file FILE.py (one of them)")
    if args.file is not None:
        spec = FileSpec.read(args.file)
        spec.parameter_kinds()  # loads the file here: a broken file is bad input before any cluster starts
        return spec

    library.get(args.name)  # unknown name: one line, exit 3
    return BuiltinSpec(args.name)


def _axes(spec, items):
    kinds = spec.parameter_kinds()
    axes = []
    for item in items:
        name = item.partition("=")[0].strip()
        axes.append(parse_axis(item, numeric=kinds.get(name, "number") not in ("text", "boolean")))
    return axes


@contextlib.contextmanager
def _progress(args, total_hint: str):
    """A rich progress bar on stderr when it is a terminal and not --json; else a no-op."""
    if args.json or not sys.stderr.isatty():
        yield None
        return
    console = Console(stderr=True)
    with Progress(TextColumn(f"sweep {total_hint}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), TimeElapsedColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("starting workers", total=None)

        def update(done, total, row):
            params = " ".join(f"{k}={v}" for k, v in row.params)
            bar.update(task, completed=done, total=total, description=f"{params}: {row.status}")

        yield update


def sweep_command(args) -> int:
    spec = _spec(args)
    axes = _axes(spec, args.param)
    with _progress(args, spec.label) as update:
        result = run_sweep(spec, axes, dps=args.dps, symbolic=not args.numeric, budget_seconds=args.budget,
                           jobs=args.jobs, scheduler=args.scheduler, progress=update)
    notes = []
    if args.output is not None:
        notes.append(f"rows written to {result.write(args.output)}")
    if args.plot is not None:
        notes.append(f"plot written to {plot_sweep(result, args.plot)}")
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(result.table())
        for note in notes:
            print(note, file=sys.stderr)
    return result.exit_code
