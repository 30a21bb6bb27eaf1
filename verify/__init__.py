"""Verification of candidate saddle points.

>>> from irmd.analytic.library import build
>>> from irmd.verify import verify
>>> certificate = verify(build("common-value-auction", {"N": "2", "mu1": "1/2"}), dps=30)
>>> certificate.status.value
'verified'
"""
from .api import verify  # noqa: F401
from .certificate import Certificate, CheckResult  # noqa: F401
