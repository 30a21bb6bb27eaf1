"""Arrays of exact rationals stored as integer numerators over one denominator.

Finite instances can be large (a first-price auction on a grid of 201 bids has
16 million outcome probabilities), so exact data is kept compactly: an integer
array of numerators and a single positive denominator.  Floating views feed the
LP solver; :meth:`RationalArray.fractions` gives ``Fraction`` objects for the
exact certificate, which only ever runs on small instances.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np

#: Integer arithmetic stays in int64 while every partial sum is below this bound.
_INT64_SAFE = 2**62


def _as_int_array(values) -> np.ndarray:
    """int64 when every entry fits comfortably, otherwise an object array of Python ints."""
    array = np.asarray(values, dtype=object)
    if array.size == 0:
        return np.zeros(array.shape, dtype=np.int64)
    largest = max(abs(int(v)) for v in array.flat)
    if largest < _INT64_SAFE:
        return array.astype(np.int64)
    return array


@dataclass(frozen=True, eq=False)
class RationalArray:
    """``numerators / denominator`` elementwise, with ``denominator > 0``.

    Parameters
    ----------
    numerators : numpy.ndarray
        Integer array (int64 or object array of Python ints).
    denominator : int
        Common positive denominator.
    """

    numerators: np.ndarray
    denominator: int = 1
    _floats: np.ndarray | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if int(self.denominator) <= 0:
            raise ValueError("denominator must be positive")
        object.__setattr__(self, "denominator", int(self.denominator))

    @classmethod
    def from_fractions(cls, values) -> "RationalArray":
        """Build from a (nested) array of Fractions or ints."""
        array = np.asarray(values, dtype=object)
        fractions = [Fraction(v) for v in array.flat]
        denominator = math.lcm(*(f.denominator for f in fractions)) if fractions else 1
        numerators = [f.numerator * (denominator // f.denominator) for f in fractions]
        return cls(_as_int_array(numerators).reshape(array.shape), denominator)

    @classmethod
    def from_integers(cls, numerators, denominator: int = 1) -> "RationalArray":
        return cls(np.asarray(numerators), denominator)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.numerators.shape)

    @cached_property
    def floats(self) -> np.ndarray:
        """Nearest-double view (read-only)."""
        if self.numerators.dtype == object:
            out = np.array([float(Fraction(int(v), self.denominator)) for v in self.numerators.flat])
            out = out.reshape(self.shape)
        else:
            out = self.numerators.astype(np.float64) / self.denominator
        out.setflags(write=False)
        return out

    def fractions(self) -> np.ndarray:
        """Object array of :class:`fractions.Fraction` (use on small arrays only)."""
        d = self.denominator
        out = np.empty(self.shape, dtype=object)
        flat = out.reshape(-1)
        for k, v in enumerate(self.numerators.flat):
            flat[k] = Fraction(int(v), d)
        return out

    def sign(self) -> np.ndarray:
        """Exact sign of every entry (-1, 0, 1) as an int array."""
        if self.numerators.dtype == object:
            return np.array([(v > 0) - (v < 0) for v in self.numerators.flat], dtype=np.int8).reshape(self.shape)
        return np.sign(self.numerators).astype(np.int8)

    def contract(self, other: "RationalArray", axes) -> "RationalArray":
        """Exact :func:`numpy.tensordot` of two rational arrays."""
        a, b = self.numerators, other.numerators
        bound = (int(np.max(np.abs(a))) if a.size else 0) * (int(np.max(np.abs(b))) if b.size else 0)
        summed = math.prod(a.shape[ax] for ax in np.atleast_1d(axes[0])) if a.size else 1
        if a.dtype == object or b.dtype == object or bound * max(summed, 1) >= _INT64_SAFE:
            a, b = a.astype(object), b.astype(object)
        return RationalArray(np.tensordot(a, b, axes=axes), self.denominator * other.denominator)

    def entry(self, index) -> Fraction:
        return Fraction(int(self.numerators[index]), self.denominator)
