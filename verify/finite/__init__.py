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
standard_auction(rule, n) -> (env, mechanism); auction_sweep(rules, grids)    standard auctions (survey 5.3)
public_good_gap(v, eps, n) -> PublicGoodGap                                 built-in duality gap (survey 5.2)
LPStatus; LPData, LPSolution, HiGHS, certify from the LP core (irmd.verify.lp)  statuses, programs, adapter
"""
from irmd.status import LPStatus

from ..lp import ExactCertificate, HiGHS, LPData, LPSolution, Reduction, certify
from .fpa import first_price_auction, first_price_instance
from .guarantee import Guarantee2LP, GuaranteeResult, PayoffTables, guarantee, solve_guarantee, strategic_lagrangian
from .information_reduction import InformationReduction, reduce_information
from .jsonio import instance_from_dict, load_instance
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
from .public_good import (
    PublicGoodGap,
    PublicGoodSweep,
    public_good_continuum_environment,
    public_good_environment,
    public_good_gap,
    public_good_information,
    public_good_instance_dict,
    public_good_mechanism,
    public_good_sweep,
)
from .rational import RationalArray
from .standard_auctions import (
    AuctionSeries,
    AuctionSweep,
    OrderingCheck,
    PaymentRule,
    auction_guarantees,
    auction_sweep,
    parse_rule,
    proportional_auction_value,
    standard_auction,
    standard_auction_instance,
)

__all__ = [
    "ExactCertificate", "certify", "first_price_auction", "first_price_instance", "Guarantee2LP", "GuaranteeResult",
    "PayoffTables", "guarantee", "solve_guarantee", "strategic_lagrangian", "InformationReduction",
    "reduce_information", "instance_from_dict", "load_instance", "LPData", "Reduction", "MechanismReduction",
    "reduce_mechanism", "FiniteEnvironment", "FiniteInformation", "FiniteInstance", "FiniteMechanism",
    "AuctionSeries", "AuctionSweep", "OrderingCheck", "PaymentRule", "auction_guarantees", "auction_sweep",
    "parse_rule", "proportional_auction_value", "standard_auction", "standard_auction_instance",
    "InstanceError", "InformationTables", "Potential2LP", "PotentialResult", "informational_lagrangian", "potential",
    "solve_potential", "RationalArray", "PublicGoodGap", "PublicGoodSweep", "public_good_continuum_environment",
    "public_good_environment", "public_good_gap", "public_good_information", "public_good_instance_dict",
    "public_good_mechanism", "public_good_sweep", "HiGHS", "LPSolution", "LPStatus",
]
