"""The ``irmd`` command line.

Each module in :mod:`irmd.commands` adds its sub-commands through a
``register(subparsers)`` function and sets ``handler`` on its parser; a handler
takes the parsed arguments and returns the exit code.  User mistakes
(:class:`~irmd.errors.InputError`) print one line and exit with code 3.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from . import __version__, commands
from .errors import InputError
from .status import EXIT_BAD_INPUT, EXIT_OK


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on usage errors; 2 means *inconclusive* here, so use 3."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(EXIT_BAD_INPUT, f"irmd: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="irmd",
        description="Informationally robust mechanism design: verify candidate saddle points, "
        "solve finite and bounding programs, derive the mathematics.",
        epilog="Exit codes: 0 verified/ok, 1 refuted, 2 inconclusive, 3 bad input.",
    )
    parser.add_argument("--version", action="version", version=f"irmd {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version and usage errors
        return stop.code if isinstance(stop.code, int) else EXIT_OK
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.handler(args))
    except InputError as error:
        message = " ".join(str(error).split())
        print(f"irmd: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("irmd: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`irmd verify ... | head`): stop quietly, as a
        # shell tool killed by SIGPIPE would, and keep Python from complaining
        # about the unflushed stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
