"""Finite mechanisms and information structures as linear programs (002: Theorems 1-2).

Public API
----------
load_instance, instance_from_dict      JSON -> validated FiniteInstance
FiniteEnvironment, FiniteMechanism, FiniteInformation, FiniteInstance, InstanceError
guarantee(env, mechanism, coarse=False, exact=False) -> GuaranteeResult      G(M), Gc(M)
potential(env, information, exact=False) -> PotentialResult                  P(I)
reduce_mechanism(env, mechanism, k, coarse=False) -> MechanismReduction      Theorem 1, Prop. 1, Cor. 1
reduce_information(env, information, K) -> InformationReduction              Theorem 2, Prop. 2
first_price_auction(n) -> (env, mechanism)                                   built-in example
LPStatus, HIGHS                                                              solver statuses and adapter
"""
from irmd.lp_status import LPStatus

from .exact import ExactCertificate, certify
from .fpa import first_price_auction, first_price_instance
from .guarantee import Guarantee2LP, GuaranteeResult, PayoffTables, guarantee, solve_guarantee, strategic_lagrangian
from .information_reduction import InformationReduction, reduce_information
from .jsonio import instance_from_dict, load_instance
from .lp import LPData, Reduction
from .mechanism_reduction import MechanismReduction, reduce_mechanism
from .model import FiniteEnvironment, FiniteInformation, FiniteInstance, FiniteMechanism, InstanceError
from .potential import (
    InformationTables,
    Potential2LP,
    PotentialResult,
    informational_lagrangian,
    potential,
    solve_potential,
)
from .rational import RationalArray
from .solvers import HIGHS, STATUS_MAP, LPSolution

__all__ = [
    "ExactCertificate", "certify", "first_price_auction", "first_price_instance", "Guarantee2LP", "GuaranteeResult",
    "PayoffTables", "guarantee", "solve_guarantee", "strategic_lagrangian", "InformationReduction",
    "reduce_information", "instance_from_dict", "load_instance", "LPData", "Reduction", "MechanismReduction",
    "reduce_mechanism", "FiniteEnvironment", "FiniteInformation", "FiniteInstance", "FiniteMechanism",
    "InstanceError", "InformationTables", "Potential2LP", "PotentialResult", "informational_lagrangian", "potential",
    "solve_potential", "RationalArray", "HIGHS", "STATUS_MAP", "LPSolution", "LPStatus",
]
