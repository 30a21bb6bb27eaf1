"""``irmd derive`` and ``irmd reproduce``: derivations as LaTeX/PDF, the survey's equations re-derived."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from irmd.derivations import to_latex
from irmd.derivations.compile import compile_tex, find_engine
from irmd.derivations.reproduce import report_latex, reproduce
from irmd.errors import InputError
from irmd.status import EXIT_OK
from irmd.verify import verify

from ._arguments import positive_seconds, working_dps
from .candidates import build_candidate, parse_params


def register(subparsers):
    p = subparsers.add_parser(
        "derive",
        help="write the verification of a candidate as a LaTeX document (optionally compiled to PDF)",
        description="Verify a built-in candidate and write the derivation in the papers' notation: environment, "
        "mechanism and information, SVO and IVO, every check with its steps and status, constants and bounds. "
        "Exit code as for `irmd verify` (0 verified, 1 refuted, 2 inconclusive, 3 bad input).",
    )
    p.add_argument("name", nargs="?", help="built-in candidate (see `irmd list`)")
    p.add_argument("--file", metavar="FILE.py", default=None,
                   help="derive the candidate of a Python file instead (see `irmd verify --file`)")
    p.add_argument("--param", action="append", default=[], metavar="K=V",
                   help="parameter value, e.g. --param N=3 (repeatable)")
    p.add_argument("--dps", type=working_dps, default=50, help="working precision in decimal digits (default 50)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.tex", help="LaTeX file to write")
    p.add_argument("--pdf", action="store_true", help="compile FILE.tex to FILE.pdf with latexmk or pdflatex")
    p.add_argument("--short", action="store_true",
                   help="the form to paste into a paper: the papers'-notation chains and the verdicts, "
                        "irmd's own steps in an appendix")
    p.add_argument("--budget", type=positive_seconds, default=120.0, metavar="SECONDS",
                   help="total time budget of symbolic steps (default 120)")
    p.set_defaults(handler=derive_command)

    p = subparsers.add_parser(
        "reproduce",
        help="re-derive the equations (27)-(45) of the survey \"A Case for (and Against) the Worst Case\" and "
        "compare them with the printed forms",
        description="Re-derive the equations of Sections 3.5-3.6 of the survey (\"A Case for (and Against) the Worst "
        "Case\") from the model and compare each "
        "with the equation as printed: reproduced, differs (with the derived form and why), garbled transcription "
        "(the extracted text cannot be read as the paper's display) or not checkable. "
        "Also the headline numbers (rate of 1 - G_N(ybar) -> mu(1), bilateral-trade bound at h/g >= 2).",
    )
    p.add_argument("--paper", default="survey",
                   help="which paper (only 'survey', \"A Case for (and Against) the Worst Case\", so far)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("-o", "--output", metavar="report.tex", help="also write the report as a LaTeX document")
    p.add_argument("--pdf", action="store_true", help="compile the LaTeX report (needs -o)")
    p.add_argument("--max-agents", type=int, default=10**6, metavar="N",
                   help="largest N of the rate check (default 1000000)")
    p.set_defaults(handler=reproduce_command)


def _output_path(text: str) -> Path:
    path = Path(text)
    if path.suffix != ".tex":
        raise InputError(f"-o expects a .tex file name, got {text!r}")
    if not path.parent.exists():
        raise InputError(f"directory {str(path.parent)!r} does not exist")
    return path


def _compile(path: Path, stream=None) -> None:
    result = compile_tex(path)
    report = result.report
    print(f"wrote {result.pdf} ({report.pages} pages, {result.engine}, {result.seconds:.1f} s)",
          file=stream or sys.stdout)
    for line in report.overfull:
        print(f"warning: {line}", file=sys.stderr)


def derive_command(args) -> int:
    if bool(args.name) == (args.file is not None):
        raise InputError("give a candidate NAME or --file FILE.py (not both)")
    path = _output_path(args.output)
    if args.pdf:
        find_engine()  # say how to install TeX before spending time on the verification
    candidate = build_candidate(args.name, args.file, parse_params(args.param))
    certificate = verify(candidate, dps=args.dps, budget_seconds=args.budget)
    path.write_text(to_latex(certificate, short=args.short))
    print(f"wrote {path} (verdict: {certificate.status.value})")
    if args.pdf:
        _compile(path)
    return certificate.status.exit_code


def reproduce_command(args) -> int:
    if args.paper != "survey":
        raise InputError(f"unknown paper {args.paper!r}; known: survey")
    if args.pdf and not args.output:
        raise InputError("--pdf needs -o report.tex")
    if args.max_agents < 10:
        raise InputError("--max-agents must be at least 10")
    path = _output_path(args.output) if args.output else None
    if args.pdf:
        find_engine()
    report = reproduce(args.paper, max_agents=args.max_agents)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(report.summary())
    if path is not None:
        path.write_text(report_latex(report))
        # With --json, stdout carries the JSON document only.
        print(f"wrote {path}", file=sys.stderr if args.json else sys.stdout)
        if args.pdf:
            _compile(path, sys.stderr if args.json else None)
    return EXIT_OK
