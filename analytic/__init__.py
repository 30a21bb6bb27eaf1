"""Candidate saddle points written with sympy: the public API.

An :class:`Environment` (or :class:`SymmetricEnvironment`), a :class:`Mechanism`
and an :class:`Information` structure of the same form, :class:`Constant` s and
:class:`DefinedFunction` s make a :class:`Candidate`; ``irmd.verify.verify``
checks it.  The built-in candidates in :mod:`irmd.analytic.library` use nothing
else.
"""
from .candidate import Candidate, make_candidate  # noqa: F401
from .constants import Constant  # noqa: F401
from .environment import (  # noqa: F401
    OWN,
    TOTAL,
    Environment,
    Family,
    State,
    SymmetricEnvironment,
    action_symbols,
    allocation,
    transfers,
)
from .functions import DefinedFunction  # noqa: F401
from .information import Information, SymmetricInformation  # noqa: F401
from .mechanism import Mechanism, SymmetricMechanism  # noqa: F401
from .outcomes import Interval, Simplex  # noqa: F401
from .special import ErlangCDF, ErlangPDF, ErlangSF  # noqa: F401
