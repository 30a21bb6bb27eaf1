"""``irmd list`` and ``irmd verify``: built-in candidates and their certificates."""
from __future__ import annotations

import json

from irmd.errors import InputError
from irmd.status import EXIT_OK, Verdict


def register(subparsers):
    p = subparsers.add_parser("list", help="list the built-in candidates and their parameters")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=list_command)

    p = subparsers.add_parser(
        "verify",
        help="verify a candidate saddle point",
        description="Check every condition of a candidate saddle point and compare the guarantee lower "
        "bound with the potential upper bound. Exit code 0 verified, 1 refuted, 2 inconclusive, 3 bad input.",
    )
    p.add_argument("name", nargs="?", help="built-in candidate (see `irmd list`)")
    p.add_argument("--all", action="store_true", help="verify every built-in candidate at its default parameters")
    add_candidate_arguments(p)
    p.set_defaults(handler=verify_command)


def add_candidate_arguments(p):
    p.add_argument("--param", action="append", default=[], metavar="K=V",
                   help="parameter value, e.g. --param N=3 --param mu1=0.3 (repeatable)")
    p.add_argument("--dps", type=int, default=50, help="decimal digits of precision (default 50)")
    p.add_argument("--json", action="store_true", help="print the certificate as JSON")
    p.add_argument("--numeric", action="store_true", help="skip symbolic proofs (statuses at best confirmed)")
    p.add_argument("--budget", type=float, default=120.0, metavar="SECONDS",
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
    from irmd.analytic import library

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
            default = "auto" if p["default"] is None else p["default"]
            print(f"    --param {p['name']}=...  {p['description']} (default {default})")
    return EXIT_OK


def _verify_one(name, params, args):
    from irmd.analytic import library
    from irmd.verify import verify

    candidate = library.build(name, params)
    return verify(candidate, dps=args.dps, symbolic=not args.numeric, budget_seconds=args.budget)


def verify_command(args) -> int:
    from irmd.analytic import library

    if args.all == bool(args.name):
        raise InputError("give a candidate NAME or --all (not both)")
    if args.all and args.param:
        raise InputError("--param cannot be combined with --all")
    names = library.names() if args.all else [args.name]
    params = parse_params(args.param)
    certificates = [_verify_one(name, params, args) for name in names]
    if args.json:
        payload = [c.to_dict() for c in certificates] if args.all else certificates[0].to_dict()
        print(json.dumps(payload, indent=2))
    else:
        print("\n\n".join(c.summary() for c in certificates))
    return worst_exit(c.status for c in certificates)


def worst_exit(statuses) -> int:
    statuses = list(statuses)
    if Verdict.REFUTED in statuses:
        return Verdict.REFUTED.exit_code
    if Verdict.INCONCLUSIVE in statuses:
        return Verdict.INCONCLUSIVE.exit_code
    return Verdict.VERIFIED.exit_code
