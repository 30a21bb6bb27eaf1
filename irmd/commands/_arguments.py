"""Argument types shared by the sub-commands (a module without ``register``: not a command)."""
from __future__ import annotations

import argparse
import math
import os
import tempfile

from irmd.errors import ParameterError
from irmd.memory import parse_size


def positive_integers(text: str) -> list[int]:
    """One token of a list of positive integers: ``4`` or ``4,8,12`` (``--k 4,8`` and ``--k 4 8``
    both work where several values are allowed)."""
    values = []
    for part in text.split(","):
        part = part.strip()
        try:
            value = int(part)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected positive integers (4 or 4,8), got {part!r}") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"expected positive integers, got {value}")
        values.append(value)
    return values


class IntegerList(argparse.Action):
    """Collects ``nargs="+"`` tokens of :func:`positive_integers` into one sorted list without
    repeats (a sweep over k = 4, 4 has one point, and extrapolation needs distinct k)."""

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, sorted({v for token in values for v in token}))


#: Working precision (decimal digits) accepted by the commands that verify; beyond it a run takes
#: hours, and the message says so rather than start.
DPS_RANGE = (5, 1000)
#: Printed significant digits of the commands that solve in floating point or exactly.
DIGITS_RANGE = (1, 50)


def _integer_in(text: str, low: int, high: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, an integer from {low} to {high}, got {text!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"expected {what}, an integer from {low} to {high}, got {value}")
    return value


def working_dps(text: str) -> int:
    """``--dps``: the working precision in decimal digits (everywhere the same meaning)."""
    return _integer_in(text, *DPS_RANGE, "the working precision in digits")


def printed_digits(text: str) -> int:
    """``--digits``: significant digits of the printed decimals."""
    return _integer_in(text, *DIGITS_RANGE, "the printed significant digits")


def _positive_finite(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what} > 0, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected {what} > 0 (finite), got {text}")
    return value


def positive_seconds(text: str) -> float:
    """A time budget or limit: a finite number of seconds > 0 (not -1, nan or inf)."""
    return _positive_finite(text, "seconds")


def positive_number(text: str) -> float:
    """A finite number > 0."""
    return _positive_finite(text, "a number")


def positive_integer(text: str) -> int:
    """One positive integer."""
    if "," in text:
        raise argparse.ArgumentTypeError(f"expected one positive integer, got {text!r}")
    return positive_integers(text)[0]


def writable_file(suffixes: tuple[str, ...]):
    """An output file ending in one of ``suffixes`` whose folder exists and can be written."""
    def check(text: str) -> str:
        if os.path.splitext(text)[1].lower() not in suffixes:
            choices = ", ".join(suffixes[:-1]) + (" or " if len(suffixes) > 1 else "") + suffixes[-1]
            raise argparse.ArgumentTypeError(f"{text}: the file must end in {choices}")
        _writable_folder(os.path.dirname(os.path.abspath(text)), text)
        return text
    return check


def writable_folder(text: str) -> str:
    """An output folder: an existing writable folder, or one that can be created in a writable folder."""
    if os.path.exists(text):
        if not os.path.isdir(text):
            raise argparse.ArgumentTypeError(f"{text}: exists and is not a folder")
        _writable_folder(text, text)
        return text
    parent = os.path.dirname(os.path.abspath(text))
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    _writable_folder(parent, text)
    return text


def _writable_folder(folder: str, given: str) -> None:
    """Creates and removes a file in ``folder`` (permission bits say nothing for root, or on /proc)."""
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"{given}: the folder {folder} does not exist")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise argparse.ArgumentTypeError(f"{given}: the folder {folder} cannot be written ({error.strerror})") from None


def memory_size(text: str) -> int:
    """``--max-memory``: a size such as 8G or 500M (at least 1 MiB)."""
    try:
        return parse_size(text)
    except ParameterError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("--max-memory: ")) from None
