"""Time ``verify`` on the built-in candidates and print a table.

    python benchmarks/bench_verify.py            # auction N = 1..6 and 10 .. 10^6, bilateral trade, verify --all
    python benchmarks/bench_verify.py --quick    # fewer cases
    python benchmarks/bench_verify.py --targets  # issue 15's targets only: N = 10, N = 10^4, --all

Columns: the verdict, seconds, and how many claims were proved / only confirmed.  The last lines
compare with the plain references of issue 15 in the same run: the auction at N = 10^4 against N = 10
(target: at most 1.5 times), and ``irmd verify --all`` against 10 s; the load average is printed,
since the machine is shared.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from irmd.analytic.library import build
from irmd.numbers import decimal_string
from irmd.status import EXIT_CODES, Status
from irmd.verify import verify


def count(certificate, status):
    return sum(e.status is status for c in certificate.checks for e in c.evidence)


def row(name, params, dps):
    """The table's line and the seconds ``verify`` took."""
    started = time.perf_counter()
    certificate = verify(build(name, params), dps=dps)
    seconds = time.perf_counter() - started
    label = " ".join(f"{k}={v}" for k, v in params.items())
    return (f"{name:22s} {label:32s} {dps:4d} {certificate.status.value:10s} {seconds:8.2f} "
            f"{count(certificate, Status.PROVED):7d} {count(certificate, Status.CONFIRMED):9d}  "
            f"{decimal_string(certificate.guarantee_lower, 16) if certificate.guarantee_lower is not None else '-'}"
            ), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--targets", action="store_true", help="only issue 15's cases: N = 10, N = 10^4, --all")
    parser.add_argument("--dps", type=int, default=50)
    args = parser.parse_args()
    cases = [("common-value-auction", {"N": n, "mu1": "1/2"}) for n in range(1, 7)]
    cases += [("common-value-auction", {"N": n, "mu1": "1/2"}) for n in (10, 100, 1000, 10000, 1000000)]
    cases += [("bilateral-trade", {"h": h, "g": "1"}) for h in ("1.01", "1.2", "1.5", "1.9", "1.99", "2.5")]
    cases += [("bilateral-trade", {"h": "1.5", "g": "1", "eps": "1/10"})]
    if args.quick:
        cases = cases[:2] + cases[6:8] + cases[13:14]
    if args.targets:
        cases = [("common-value-auction", {"N": n, "mu1": "1/2"}) for n in (10, 10000)]
    print(f"load {os.getloadavg()[0]:.2f} (2 cores: timings are only comparable below about 1.2)")
    # The first verify in a process pays sympy's one-time costs (its hypergeometric tables, the
    # units module simplify imports): paid here, so that N = 10 and N = 10^4 are compared warm.
    _, warm = row("common-value-auction", {"N": 3, "mu1": "1/2"}, args.dps)
    print(f"(warm-up verify, not in the table: {warm:.2f} s)")
    print(f"{'candidate':22s} {'parameters':32s} {'dps':>4s} {'status':10s} {'seconds':>8s} "
          f"{'proved':>7s} {'confirmed':>9s}  value")
    auction = {}
    for name, params in cases:
        line, seconds = row(name, params, args.dps)
        if name == "common-value-auction":
            auction[params["N"]] = seconds
        print(line, flush=True)
    # The command itself, in a fresh process: imports and one-time costs included, as a user waits.
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "irmd", "verify", "--all", "--dps", str(args.dps)],
                          capture_output=True, text=True)
    seconds_all = time.perf_counter() - started
    verdict = {code: v.value for v, code in EXIT_CODES.items()}.get(done.returncode, f"exit {done.returncode}")
    print(f"{'irmd verify --all (command, fresh process)':55s} {args.dps:4d} {verdict:10s} {seconds_all:8.2f}")
    if 10 in auction and 10000 in auction:
        print(f"auction N = 10^4 / N = 10: {auction[10000] / auction[10]:.2f} (target <= 1.5)")
    print(f"verify --all / 10 s: {seconds_all / 10:.2f} (target < 1); load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
