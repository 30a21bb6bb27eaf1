"""Sweeps of many LPs (FPA grids, truncation levels) with an optional progress callback.

A sweep reports each finished step to ``progress(done, total, label)``; the command
line passes a rich progress bar there, and nothing under ``--json``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

from irmd.status import Status, combine

from .fpa import first_price_auction
from .guarantee import GuaranteeResult, guarantee
from .information_reduction import InformationReduction, reduce_information
from .mechanism_reduction import MechanismReduction, reduce_mechanism
from .model import FiniteInstance
from .output import DEFAULT_DPS
from .potential import potential
from .sizes import check_reduction_fits
from .standard_auctions import _checked_arguments, check_auction_size

Progress = Callable[[int, int, str], None]

#: Default truncation levels of ``irmd reduce`` (the information tail bound needs more levels).
DEFAULT_K_MECHANISM = 20
DEFAULT_K_INFORMATION = 60


def _silent(done: int, total: int, label: str) -> None:
    return None


@dataclass(frozen=True, eq=False)
class FpaEntry:
    n: int
    guarantee: GuaranteeResult
    coarse_guarantee: GuaranteeResult

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        return {"n": self.n, "guarantee": self.guarantee.to_dict(dps),
                "coarse_guarantee": self.coarse_guarantee.to_dict(dps)}


@dataclass(frozen=True, eq=False)
class FpaSweep:
    """G and Gc of the built-in first-price auction for several grids."""

    bidders: int
    entries: list = field(default_factory=list)

    @property
    def status(self) -> Status:
        return combine(r.status for e in self.entries for r in (e.guarantee, e.coarse_guarantee))

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        return {"example": "first-price auction, common value theta in {0, 1}, mu(1) = 1/2",
                "bidders": self.bidders, "status": str(self.status), "results": [e.to_dict(dps) for e in self.entries]}


def fpa_sweep(grids, *, bidders: int = 2, exact: bool = False, progress: Progress = _silent, solver=None,
              max_memory: int | None = None) -> FpaSweep:
    """G(M) and Gc(M) of the first-price auction on each grid ``n`` in ``grids``; every grid's size and
    memory plan is checked before the first LP (limit ``max_memory``, default a share of the machine's)."""
    for n in grids:
        _checked_arguments(n, bidders, Fraction(1, 2))
        check_auction_size("first", n, bidders, max_memory)
    entries, total = [], 2 * len(grids)
    for k, n in enumerate(grids):
        env, mechanism = first_price_auction(n, bidders, max_memory=max_memory)
        progress(2 * k, total, f"G, n = {n}")
        g = guarantee(env, mechanism, exact=exact, solver=solver)
        progress(2 * k + 1, total, f"Gc, n = {n}")
        gc = guarantee(env, mechanism, coarse=True, exact=exact, solver=solver)
        entries.append(FpaEntry(int(n), g, gc))
    progress(total, total, "done")
    return FpaSweep(bidders, entries)


@dataclass(frozen=True, eq=False)
class ReductionSweep:
    """Dual reductions of a file's mechanism and/or information structure at several levels."""

    mechanism: list = field(default_factory=list)
    information: list = field(default_factory=list)
    input_notes: tuple[str, ...] = ()   # how the input was changed when read (renormalised float sums)

    @property
    def status(self) -> Status:
        """Every mechanism level must pass; for information, one K whose tail bound decides suffices.

        A small K only gives a loose tail bound (inconclusive), which a larger K can settle.
        """
        statuses = [r.status for r in self.mechanism]
        info = [r.status for r in self.information]
        if Status.REFUTED in info:
            statuses.append(Status.REFUTED)
        elif Status.CONFIRMED in info:
            statuses.append(Status.CONFIRMED)
        elif info:
            statuses.append(Status.INCONCLUSIVE)
        return combine(statuses)

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        return {"status": str(self.status),
                "mechanism": [r.to_dict(dps) for r in self.mechanism],
                "information": [r.to_dict(dps) for r in self.information],
                **({"input_notes": list(self.input_notes)} if self.input_notes else {})}


def reduction_sweep(instance: FiniteInstance, levels=None, *, coarse: bool = False, rule: str = "agent",
                    margin: float | None = None, progress: Progress = _silent, solver=None,
                    max_memory: int | None = None) -> ReductionSweep:
    """Reduce whatever ``instance`` holds at each truncation level (one reference LP per object).

    The levels' memory is planned first (:func:`~.sizes.check_reduction_fits`, limit ``max_memory``
    bytes, by default a share of the machine's): nothing is built for a plan that does not fit.
    """
    env = instance.env
    mech_levels = list(levels or [DEFAULT_K_MECHANISM]) if instance.mechanism is not None else []
    info_levels = list(levels or [DEFAULT_K_INFORMATION]) if instance.information is not None else []
    check_reduction_fits(env, mech_levels, mechanism=instance.mechanism, limit=max_memory)
    check_reduction_fits(env, info_levels, information=instance.information, limit=max_memory)
    total = (1 + 2 * len(mech_levels) if mech_levels else 0) + (1 + len(info_levels) if info_levels else 0)
    done = 0
    mechanism_results: list[MechanismReduction] = []
    information_results: list[InformationReduction] = []
    if mech_levels:
        progress(done, total, "guarantee of the mechanism")
        reference = guarantee(env, instance.mechanism, coarse=coarse, solver=solver)
        done += 1
        for k in mech_levels:
            progress(done, total, f"mechanism reduction, k = {k}")
            options = {} if margin is None else {"margin": margin}
            mechanism_results.append(reduce_mechanism(env, instance.mechanism, k, coarse=coarse, rule=rule,
                                                      reference=reference, solver=solver, **options))
            done += 2
    if info_levels:
        progress(done, total, "potential of the information structure")
        reference = potential(env, instance.information, solver=solver)
        done += 1
        for K in info_levels:
            progress(done, total, f"information reduction, K = {K}")
            options = {} if margin is None else {"margin": margin}
            information_results.append(reduce_information(env, instance.information, K, rule=rule,
                                                          reference=reference, solver=solver, **options))
            done += 1
    progress(total, total, "done")
    return ReductionSweep(mechanism_results, information_results, instance.notes)
