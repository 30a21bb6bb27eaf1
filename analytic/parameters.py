"""Parameters of a candidate, one type for the built-ins and for candidate files.

A :class:`Parameter` turns the text a user gives (``--param N=3``, a sweep axis) into the
value the candidate's builder receives: an ``int`` for an integer, an exact
:class:`sympy.Rational` for a number (``"0.3"`` is 3/10), ``True``/``False``, or the text
itself; a ``fixed`` parameter has a default ``--param`` cannot give.

>>> from irmd.analytic.parameters import Parameter
>>> Parameter("N", "integer", "2").parse("3"), Parameter("mu1", "number", "1/2").parse("0.3")
(3, 3/10)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from irmd.errors import ParameterError
from irmd.numbers import parse_exact

KINDS = ("integer", "number", "boolean", "text", "fixed")


def _always_valid(value) -> str | None:
    return None


@dataclass(frozen=True)
class Parameter:
    """name, kind (one of :data:`KINDS`), default as text (None: chosen by the builder, or required),
    a description, a validity test returning the problem (None when valid) and whether it is required."""

    name: str
    kind: str
    default: str | None
    description: str = ""
    check: Callable[[object], str | None] = _always_valid
    required: bool = False

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"parameter kind {self.kind!r} is not one of {', '.join(KINDS)}")

    def parse(self, text):
        """The value handed to the builder for the user's ``text``."""
        what = f"parameter {self.name}"
        if self.kind == "fixed":
            raise ParameterError(f"{what} has a default of a type --param cannot give; change it in the file")
        if self.kind == "text":
            value = str(text)
        elif self.kind == "boolean":
            word = str(text).strip().lower()
            if word not in ("true", "1", "yes", "false", "0", "no"):
                raise ParameterError(f"{what} must be true or false, got {text!r}")
            value = word in ("true", "1", "yes")
        else:
            value = parse_exact(text, what)
            if self.kind == "integer":
                if not value.is_Integer:
                    raise ParameterError(f"{what} must be an integer, got {text}")
                value = int(value)
        problem = self.check(value)
        if problem:
            raise ParameterError(f"{what} = {text}: {problem}")
        return value
