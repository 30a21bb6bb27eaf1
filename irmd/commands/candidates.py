"""``irmd list`` and ``irmd verify``: built-in candidates and their certificates."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from irmd.analytic import library
from irmd.candidate_files import build_from_file, check_symbolic_sizes
from irmd.errors import InputError
from irmd.status import EXIT_OK, Verdict
from irmd.verify import verify
from irmd.verify.plots import plot_residuals

from ._arguments import positive_seconds, working_dps, writable_folder


def register(subparsers):
    p = subparsers.add_parser("list", help="list the built-in candidates and their parameters")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=list_command)

    p = subparsers.add_parser(
        "verify",
        help="verify a candidate saddle point",
        description="Check every condition of a candidate saddle point and compare the guarantee lower "
        "bound with the potential upper bound. Exit code 0 verified (every claim proved), 1 refuted, "
        "2 inconclusive, 3 bad input, 4 confirmed (some claim rests on numeric evidence only).",
    )
    p.add_argument("name", nargs="?", help="built-in candidate (see `irmd list`)")
    p.add_argument("--all", action="store_true", help="verify every built-in candidate at its default parameters")
    p.add_argument("--file", metavar="FILE.py", default=None,
                   help="verify the candidate of a Python file (trusted code, like any script; see `irmd new`)")
    add_candidate_arguments(p)
    p.add_argument("--plot", metavar="DIR", default=None, type=writable_folder,
                   help="write residual plots of the SVO, the IVO and each PDE to DIR (created if missing)")
    p.set_defaults(handler=verify_command)


def add_candidate_arguments(p):
    p.add_argument("--param", action="append", default=[], metavar="K=V",
                   help="parameter value, e.g. --param N=3 --param mu1=0.3 (repeatable)")
    p.add_argument("--dps", type=working_dps, default=50, help="working precision in decimal digits (default 50)")
    p.add_argument("--json", action="store_true", help="print the certificate as JSON")
    p.add_argument("--numeric", action="store_true", help="skip symbolic proofs (statuses at best confirmed)")
    p.add_argument("--budget", type=positive_seconds, default=120.0, metavar="SECONDS",
                   help="total time budget of symbolic steps (default 120); exceeding it falls back to numerics")


def parse_params(pairs) -> dict:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise InputError(f"--param expects KEY=VALUE, got {pair!r}")
        if key in params:
            raise InputError(f"parameter {key} given twice")
        params[key] = value
    return params


def list_command(args) -> int:
    entries = []
    for name in library.names():
        builtin = library.get(name)
        entries.append({
            "name": name,
            "description": builtin.description,
            "reference": builtin.reference,
            "parameters": [{"name": p.name, "type": p.kind, "default": p.default, "description": p.description}
                           for p in builtin.parameters],
        })
    if args.json:
        print(json.dumps(entries, indent=2))
        return EXIT_OK
    for entry in entries:
        print(f"{entry['name']}: {entry['description']}")
        for p in entry["parameters"]:
            # A description that states its own default ("default 0; 1/100 in ...") is not repeated.
            default = "" if "default" in p["description"] else \
                f" (default {'auto' if p['default'] is None else p['default']})"
            print(f"    --param {p['name']}=...  {p['description']}{default}")
    return EXIT_OK


def build_candidate(name, path, params):
    """The candidate named on the command line: a built-in NAME or the one in --file FILE.py.

    Its expressions are sized before any verification (a parameter that sets an
    exponent could otherwise make a symbolic step exhaust the machine's memory).
    """
    candidate = build_from_file(path, params) if path is not None else library.build(name, params)
    check_symbolic_sizes(candidate)
    return candidate


def _verify(name, path, params, args):
    candidate = build_candidate(name, path, params)
    return verify(candidate, dps=args.dps, symbolic=not args.numeric, budget_seconds=args.budget)


def verify_command(args) -> int:
    if sum((args.all, bool(args.name), args.file is not None)) != 1:
        raise InputError("give one of: a candidate NAME, --file FILE.py or --all")
    if args.all and args.param:
        raise InputError("--param cannot be combined with --all")
    params = parse_params(args.param)
    if args.file is not None:
        certificates = [_verify(None, args.file, params, args)]
    else:
        names = library.names() if args.all else [args.name]
        certificates = [_verify(name, None, params, args) for name in names]
    if args.plot is not None:
        _plot(certificates, args)
    if args.json:
        payload = [c.to_dict() for c in certificates] if args.all else certificates[0].to_dict()
        print(json.dumps(payload, indent=2))
    else:
        print("\n\n".join(c.summary() for c in certificates))
    return worst_exit(c.status for c in certificates)


def _plot(certificates, args) -> None:
    """Residual plots of each certificate (a sub-folder per candidate with --all); paths to stderr."""
    folder = Path(args.plot)
    for certificate in certificates:
        target = folder / certificate.candidate if args.all else folder
        try:
            paths = plot_residuals(certificate, target)
        except InputError:
            raise
        except Exception as error:  # noqa: BLE001 - a failed picture must not hide the verdict
            print(f"irmd: warning: no plots for {certificate.candidate} ({type(error).__name__}: {error})",
                  file=sys.stderr)
            continue
        if not args.json:
            print(f"plots: {', '.join(str(p) for p in paths)}", file=sys.stderr)


def worst_exit(statuses) -> int:
    """The exit code of the weakest verdict: refuted, inconclusive, confirmed, verified."""
    statuses = set(statuses)
    weakest = next((v for v in (Verdict.REFUTED, Verdict.INCONCLUSIVE, Verdict.CONFIRMED) if v in statuses),
                   Verdict.VERIFIED)
    return weakest.exit_code
