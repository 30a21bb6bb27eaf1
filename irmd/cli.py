"""The ``irmd`` command line.

Each module in :mod:`irmd.commands` adds its sub-commands through a
``register(subparsers)`` function and sets ``handler`` on its parser; a handler
takes the parsed arguments and returns the exit code.  User mistakes
(:class:`~irmd.errors.InputError`) print one line and exit with code 3.  Any
other exception is a bug in irmd, never a verdict: one line naming it, exit
code 2 (inconclusive); ``--debug`` prints the traceback as well.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import traceback

from . import __version__, commands
from .errors import InputError
from .status import EXIT_BAD_INPUT, EXIT_OK, Verdict


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on usage errors; 2 means *inconclusive* here, so use 3."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(EXIT_BAD_INPUT, f"irmd: error: {message}\n")


def command_modules() -> list[str]:
    """Names of the modules in :mod:`irmd.commands` that register sub-commands."""
    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__)
                  if not info.name.startswith("_"))   # shared helpers, not commands


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with every sub-command, or, for a known ``command``, with that one's module only."""
    parser = _Parser(
        prog="irmd",
        description="Informationally robust mechanism design: verify candidate saddle points, "
        "solve finite and bounding programs, derive the mathematics.",
        epilog="Exit codes: 0 verified (every claim proved) / ok, 1 refuted, 2 inconclusive (also an internal "
        "error), 3 bad input, 4 confirmed (numeric evidence only).",
    )
    parser.add_argument("--version", action="version", version=f"irmd {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="print the traceback of an internal error (for a bug report)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    known = commands.MODULE_OF_COMMAND.get(command)
    for name in [known] if known else command_modules():
        importlib.import_module(f"{commands.__name__}.{name}").register(subparsers)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The sub-command named in ``argv``: its first word that is not an option (the top-level
    options take no value)."""
    return next((word for word in argv if not word.startswith("-")), None)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(_command_in(sys.argv[1:] if argv is None else argv))
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
    except Exception as error:  # noqa: BLE001 - a crash is never a verdict (exit 1 means refuted)
        if args.debug:
            traceback.print_exc()
        message = " ".join(f"{type(error).__name__}: {error}".split())[:500]
        print(f"irmd: internal error ({message}); nothing was decided; please report it"
              + ("" if args.debug else " (run with --debug for the traceback)"), file=sys.stderr)
        return Verdict.INCONCLUSIVE.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
