r"""A candidate saddle point: environment, mechanism, information, constants, levels.

A :class:`Candidate` is pure data, validated on construction (every user mistake
raises :class:`~irmd.errors.CandidateError` with one line naming it).  It pairs

* an environment (explicit or symmetric),
* a mechanism and an information structure of the same form,
* constants (:mod:`irmd.analytic.constants`) and defined functions
  (:mod:`irmd.analytic.functions`),
* optionally the SVO levels :math:`L_\theta` (the multipliers of the guarantee
  side); when omitted, irmd reads them off the SVO on the support of
  :math:`\sigma(\cdot, \theta)`.

``irmd.verify.verify(candidate, dps=...)`` checks it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

import sympy as sp

from irmd.errors import CandidateError

from .constants import Constant, order_constants
from .environment import OWN, TOTAL, Environment, SymmetricEnvironment
from .functions import DefinedFunction
from .information import Information, SymmetricInformation
from .mechanism import Mechanism, SymmetricMechanism, check_outcome_keys
from .numeric import NumericCandidate


@dataclass(frozen=True)
class Candidate:
    """A candidate saddle point (see the module docstring)."""

    name: str
    environment: Environment | SymmetricEnvironment
    mechanism: Mechanism | SymmetricMechanism
    information: Information | SymmetricInformation
    constants: tuple[Constant, ...] = ()
    functions: tuple[DefinedFunction, ...] = ()
    svo_levels: tuple = ()
    parameters: tuple = ()
    description: str = ""
    headline: tuple[str, ...] = ()
    family: object = field(default=None, compare=False)
    family_parameter: str = ""
    limit_value: object = None
    regime: str = ""
    excluded_checks: tuple = ()

    def with_family(self, family, parameter: str, limit_value, regime: str = "",
                    excluded_checks: tuple = ()) -> "Candidate":
        """This candidate as a member of a family ``family(value) -> Candidate`` whose
        saddle-point claim holds in the limit ``parameter -> limit_value`` (e.g. the
        bilateral-trade information structures as eps -> 0).

        ``excluded_checks`` are ``(check name, reason)`` pairs that are not part of
        the certificate (they hold only in the limit); the certificate lists them.
        """
        return replace(self, family=family, family_parameter=parameter, limit_value=limit_value, regime=regime,
                       excluded_checks=tuple(excluded_checks))

    def __post_init__(self):
        object.__setattr__(self, "constants", tuple(self.constants))
        object.__setattr__(self, "functions", tuple(self.functions))
        if isinstance(self.svo_levels, Mapping):
            object.__setattr__(self, "svo_levels", tuple((str(k), sp.sympify(v)) for k, v in self.svo_levels.items()))
        if isinstance(self.parameters, Mapping):
            object.__setattr__(self, "parameters", tuple((str(k), str(v)) for k, v in self.parameters.items()))
        self._validate()

    # -- structure ---------------------------------------------------------
    @property
    def symmetric(self) -> bool:
        return isinstance(self.environment, SymmetricEnvironment)

    @property
    def agents(self) -> int:
        return self.environment.agents

    @property
    def constant_symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(c.symbol for c in self.constants)

    @property
    def levels(self) -> dict:
        return dict(self.svo_levels)

    @property
    def parameter_values(self) -> dict:
        return dict(self.parameters)

    def constant(self, name: str) -> Constant:
        for c in self.constants:
            if c.symbol.name == name:
                return c
        raise CandidateError(f"candidate {self.name} has no constant {name!r}")

    def explicit_environment(self) -> Environment:
        return self.environment.expand() if self.symmetric else self.environment

    def numeric(self, dps: int = 30):
        """Numeric evaluator of the mechanism and densities (see :mod:`irmd.analytic.numeric`)."""
        return NumericCandidate(self, dps)

    def _repr_latex_(self) -> str:
        """The candidate as math in notebooks (see :mod:`irmd.derivations`)."""
        from irmd.derivations import candidate_latex

        return candidate_latex(self)

    # -- validation ----------------------------------------------------------
    def _validate(self):
        env = self.environment
        if not isinstance(env, (Environment, SymmetricEnvironment)):
            raise CandidateError("environment must be an Environment or SymmetricEnvironment")
        if self.symmetric:
            if not isinstance(self.mechanism, SymmetricMechanism):
                raise CandidateError("a symmetric environment needs a SymmetricMechanism")
            if not isinstance(self.information, SymmetricInformation):
                raise CandidateError("a symmetric environment needs a SymmetricInformation")
            coordinates = env.family_symbols
            mechanism_vars = {OWN, TOTAL}
            density_vars = {TOTAL}
        else:
            if not isinstance(self.mechanism, Mechanism):
                raise CandidateError("an explicit environment needs a Mechanism (not SymmetricMechanism)")
            if not isinstance(self.information, Information):
                raise CandidateError("an explicit environment needs an Information (not SymmetricInformation)")
            coordinates = env.coordinates
            mechanism_vars = set(env.actions)
            density_vars = set(env.actions)
        check_outcome_keys(self.mechanism.mapping, coordinates, "mechanism")

        order_constants(self.constants)  # rejects cycles and duplicates
        constants = set(self.constant_symbols)
        function_names = {f.name for f in self.functions}
        if len(function_names) != len(self.functions):
            raise CandidateError("a function is defined twice")
        for f in self.functions:
            for expr, what in ((f.closed_form, "closed form"), (f.ode, "ODE")):
                if expr is None:
                    continue
                self._check_symbols(expr, {f.variable} | constants, f"{what} of {f.name}", function_names)
        for c in self.constants:
            expr = c.equation if c.equation is not None else c.value
            self._check_symbols(expr, constants, f"definition of constant {c.symbol}", set())
        for coordinate, expr in self.mechanism.outcome:
            self._check_symbols(expr, mechanism_vars | constants, f"mechanism outcome {coordinate}", function_names)
        labels = set(env.state_labels)
        given = set(self.information.mapping)
        if given != labels:
            missing, unknown = sorted(labels - given), sorted(given - labels)
            raise CandidateError(
                f"densities must be given for exactly the states {sorted(labels)}"
                + (f"; missing {missing}" if missing else "")
                + (f"; unknown {unknown}" if unknown else "")
            )
        for label, expr in self.information.density:
            self._check_symbols(expr, density_vars | constants, f"density of state {label}", function_names)
        for label, expr in self.svo_levels:
            if label not in labels:
                raise CandidateError(f"SVO level given for unknown state {label!r}")
            self._check_symbols(expr, constants, f"SVO level of state {label}", set())
        for expr, what in ((self.mechanism.lower, "mechanism lower bound"),
                           (self.information.lower, "signal lower bound")):
            self._check_symbols(expr, constants, what, set())

    @staticmethod
    def _check_symbols(expr: sp.Expr, allowed: set, what: str, functions: set):
        unknown = expr.free_symbols - allowed
        if unknown:
            raise CandidateError(f"{what} uses unknown symbols {sorted(map(str, unknown))}")
        for application in expr.atoms(sp.core.function.AppliedUndef):
            if str(application.func) not in functions:
                raise CandidateError(f"{what} uses the undefined function {application.func}")
            if len(application.args) != 1:
                raise CandidateError(f"{what}: defined functions take one argument, got {application}")


def make_candidate(
    name: str,
    environment,
    mechanism,
    information,
    constants: Sequence[Constant] = (),
    functions: Sequence[DefinedFunction] = (),
    svo_levels: Mapping | None = None,
    parameters: Mapping | None = None,
    description: str = "",
    headline: Sequence[str] = (),
) -> Candidate:
    """Keyword-friendly constructor (mappings instead of tuples of pairs)."""
    return Candidate(
        name,
        environment,
        mechanism,
        information,
        tuple(constants),
        tuple(functions),
        svo_levels or {},
        parameters or {},
        description,
        tuple(headline),
    )
