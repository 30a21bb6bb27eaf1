"""The registered checks, one family per module (imported here to register them)."""
from . import bounds, distribution, feasibility, pde, slackness  # noqa: F401
from .base import REGISTRY, Check, CheckNotApplicable, ordered_checks, register_check  # noqa: F401
