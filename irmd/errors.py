"""Errors raised by irmd.

Every error a user can cause derives from :class:`InputError`; the command line
prints its message on one line and exits with code 3.  Anything else escaping
from irmd is a bug.
"""


class IrmdError(Exception):
    """Base class of irmd's errors."""


class InputError(ValueError, IrmdError):
    """A user mistake: bad parameter, malformed expression, file that does not parse."""


class ParameterError(InputError):
    """A parameter value that is missing, unknown or out of range."""


class CandidateError(InputError):
    """A candidate that is malformed (wrong variables, non-affine utility, ...)."""


class UnknownNameError(InputError):
    """A name (candidate, check, parameter) that irmd does not know."""


class BudgetExceeded(BaseException):
    """A symbolic step ran out of its time budget (caught inside irmd, never shown as an error).

    It derives from BaseException, like KeyboardInterrupt, so that the generic
    ``except Exception`` blocks inside sympy's heuristics cannot swallow it.
    """
