"""The public good of the survey's Section 5.2: G(M) = 0 for every secure mechanism, P(I) > 0 for every
information structure, and the gap persists on finer grids and as eps -> 0 ("no saddle point")."""
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog

from irmd.cli import main
from irmd.commands.public_good import bounding_programs
from irmd.errors import ParameterError
from irmd.status import Status
from irmd.verify.finite import (
    guarantee,
    instance_from_dict,
    load_instance,
    potential,
    public_good_environment,
    public_good_gap,
    public_good_information,
    public_good_instance_dict,
    public_good_mechanism,
    public_good_sweep,
)
from irmd.verify.finite.public_good import (
    INFORMATION,
    MECHANISMS,
    footnote_mechanism_value,
    minimal_potential,
    universal_certificate,
)

V, EPS = Fraction(3, 4), Fraction(1, 10)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "finite" / "public_good.json"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- the environment ----------------------------------------------------------------------------------

def test_environment_is_budget_balanced_and_the_objective_is_the_surplus():
    env = public_good_environment(V, EPS, 4)
    u, w = env.u.fractions(), env.w.fractions()
    assert env.n_outcomes == 6 and env.mu.entry((0,)) == EPS
    for o in range(env.n_outcomes):
        for t, theta in enumerate((0, V)):
            provided = o > 0
            assert w[o, t] == (2 * theta - 1) * provided
            assert u[0, o, t] + u[1, o, t] == w[o, t]          # contributions cover the cost exactly
            if provided:
                assert u[0, o, t] == theta - Fraction(o - 1, 4)


@pytest.mark.parametrize("name", MECHANISMS)
def test_secure_action_pays_nothing(name):
    env = public_good_environment(V, EPS, 3)
    mechanism = public_good_mechanism(env, name)              # validate() checks security exactly
    U = mechanism.utilities(env).fractions()
    for a in np.ndindex(*mechanism.action_counts):
        for i in range(2):
            if a[i] == 0:
                assert U[(i, *a, 0)] == 0                    # state 0: zero utility means zero payment


# -- (1) every secure mechanism has guarantee 0, exactly ------------------------------------------------

@pytest.mark.parametrize("n", [2, 3, 5])
@pytest.mark.parametrize("name", MECHANISMS)
def test_guarantee_is_exactly_zero(name, n):
    env = public_good_environment(V, EPS, n)
    mechanism = public_good_mechanism(env, name)
    g = guarantee(env, mechanism, exact=True)
    assert g.status is Status.PROVED, g.message
    assert g.value == 0 and isinstance(g.value, Fraction)
    assert g.exact is not None and g.exact.proved
    # exact dual certificate: v(theta) <= lambda(a, theta) everywhere and sum mu v = 0
    assert all(g.lam[a + (t,)] >= g.v[t] for a in np.ndindex(*mechanism.action_counts) for t in range(2))
    assert EPS * g.v[0] + (1 - EPS) * g.v[1] == 0
    # the hand proof, independent of the LP: alpha_i(0|a) = 1 gives lambda >= 0; (0, 0) is a BCE with w = 0
    assert universal_certificate(env, mechanism) == (True, True)


def test_natural_mechanism_has_a_good_equilibrium_too():
    """Fund-if-both-say-yes is not useless: its best BCE funds the good; only the worst one gives 0."""
    env = public_good_environment(V, EPS, 2)
    mechanism = public_good_mechanism(env, "unanimity")
    W, U = mechanism.objective(env).fractions(), mechanism.utilities(env).fractions()
    mu = (EPS, 1 - EPS)
    # both always say yes: obedient (saying no instead gives 0), and the good is funded in every state
    for i, alone in ((0, (0, 1)), (1, (1, 0))):
        assert sum(mu[t] * U[(i, 1, 1, t)] for t in range(2)) >= 0 == sum(mu[t] * U[(i, *alone, t)] for t in range(2))
    assert EPS * W[1, 1, 0] + (1 - EPS) * W[1, 1, 1] == (1 - EPS) * (2 * V - 1) - EPS > 0


# -- (2) every information structure has potential bounded away from 0, exactly ---------------------------

@pytest.mark.parametrize("name", INFORMATION)
def test_potential_is_positive_and_above_the_jensen_bound(name):
    env = public_good_environment(V, EPS, 2)
    info = public_good_information(env, name)
    p = potential(env, info, exact=True)
    assert p.status is Status.PROVED, p.message
    assert isinstance(p.value, Fraction)
    star = minimal_potential(V, EPS)
    assert star == Fraction(7, 20)
    assert p.value >= star > 0
    bound, feasible = footnote_mechanism_value(env, info)     # truthful + IR, checked exactly
    assert feasible and star <= bound <= p.value


def test_potentials_by_hand():
    env = public_good_environment(V, EPS, 2)
    values = {name: potential(env, public_good_information(env, name), exact=True).value for name in INFORMATION}
    assert values["none"] == 2 * (1 - EPS) * V - 1                 # provide always, split: 2 E[theta] - 1
    assert values["full"] == (1 - EPS) * (2 * V - 1)               # first best
    low = Fraction(1, 2) - Fraction(1, 100)                         # footnote 12: interim value 1/2 - delta
    p_low = EPS * V / (V - low)
    assert values["two-point"] == (1 - p_low) * (2 * V - 1) == Fraction(37, 104)


def test_two_point_potential_by_a_separate_linprog():
    """P(I) of the footnote-12 structure rebuilt with scipy from the primitives (no irmd LP code)."""
    n, delta = 2, Fraction(1, 20)
    env = public_good_environment(V, EPS, n)
    info = public_good_information(env, "two-point", delta=delta)
    sigma = info.sigma.floats                                      # (2, 2, 2): (s1, s2, theta)
    thetas = (0.0, float(V))
    outcomes = [(0, 0.0, 0.0)] + [(1, j / n, 1 - j / n) for j in range(n + 1)]
    S, O = 2, len(outcomes)

    def var(s1, s2, o):
        return (s1 * S + s2) * O + o

    def util(i, o, t):
        provided, t1, t2 = outcomes[o]
        return thetas[t] * provided - (t1, t2)[i]

    c = np.zeros(S * S * O)
    for s1, s2, o, t in np.ndindex(S, S, O, 2):
        c[var(s1, s2, o)] -= sigma[s1, s2, t] * (2 * thetas[t] - 1) * outcomes[o][0]
    A_eq = np.zeros((S * S, S * S * O))
    for s1, s2, o in np.ndindex(S, S, O):
        A_eq[s1 * S + s2, var(s1, s2, o)] = 1
    rows = []
    for i in range(2):
        for own in range(S):
            ir = np.zeros(S * S * O)
            for other, o, t in np.ndindex(S, O, 2):
                s = (own, other) if i == 0 else (other, own)
                ir[var(*s, o)] -= sigma[s + (t,)] * util(i, o, t)
            rows.append(ir)
            for report in range(S):
                if report == own:
                    continue
                ic = np.zeros(S * S * O)
                for other, o, t in np.ndindex(S, O, 2):
                    s = (own, other) if i == 0 else (other, own)
                    r = (report, other) if i == 0 else (other, report)
                    ic[var(*s, o)] -= sigma[s + (t,)] * util(i, o, t)
                    ic[var(*r, o)] += sigma[s + (t,)] * util(i, o, t)
                rows.append(ic)
    lp = linprog(c, A_ub=np.array(rows), b_ub=np.zeros(len(rows)), A_eq=A_eq, b_eq=np.ones(S * S),
                 bounds=(0, None), method="highs")
    assert lp.status == 0
    exact = potential(env, info, exact=True)
    assert exact.status is Status.PROVED
    assert -lp.fun == pytest.approx(float(exact.value), abs=1e-9)
    low = Fraction(1, 2) - delta
    assert exact.value == (1 - EPS * V / (V - low)) * (2 * V - 1)


# -- the gap, and as eps -> 0 ------------------------------------------------------------------------------

def test_gap_result_is_proved_immutable_and_serialisable():
    gap = public_good_gap(V, EPS, 2)
    assert gap.status is Status.PROVED, gap.message
    assert gap.max_guarantee == 0 and gap.min_potential == Fraction(7, 20) and gap.gap == Fraction(7, 20)
    assert [g.name for g in gap.guarantees] == list(MECHANISMS)
    assert [p.name for p in gap.potentials] == list(INFORMATION)
    with pytest.raises(AttributeError):
        gap.eps = Fraction(1, 2)
    data = json.loads(json.dumps(gap.to_dict()))
    assert data["status"] == "proved" and data["gap"] == "7/20" and data["max_guarantee"] == "0"
    assert all(g["exact"]["status"] == "proved" and g["value"] == "0" for g in data["guarantees"])


@pytest.mark.parametrize("eps", [Fraction(1, 10), Fraction(1, 100), Fraction(1, 1000)])
def test_gap_persists_as_eps_goes_to_zero(eps):
    gap = public_good_gap(V, eps, 2, mechanisms=("unanimity", "levels"), information=("none", "two-point"))
    assert gap.status is Status.PROVED, gap.message
    assert gap.max_guarantee == 0
    assert gap.min_potential == 2 * (1 - eps) * V - 1 >= Fraction(7, 20)   # tends to 2v - 1, the efficient surplus


def test_no_gap_when_the_prior_mean_is_below_one_half():
    gap = public_good_gap(V, Fraction(1, 2), 2, mechanisms=("unanimity",), information=("none", "full"))
    assert gap.min_potential == 0 and gap.status is Status.REFUTED


def test_values_stay_apart_on_finer_grids():
    sweep = public_good_sweep(V, EPS, [2, 4], bounds=bounding_programs())
    assert sweep.status is Status.CONFIRMED, sweep.message          # bounding programs are floating point
    star = float(minimal_potential(V, EPS))
    for e in sweep.entries:
        assert e.guarantee.value == 0 and e.guarantee.status is Status.PROVED
        assert e.potential.value >= Fraction(7, 20) and e.potential.status is Status.PROVED
        assert e.lower <= 1e-6 and e.upper >= star - 1e-6
    assert sweep.entries[0].upper > sweep.entries[1].upper          # the potential bound falls towards P*


# -- files and the command line ------------------------------------------------------------------------------

def test_instance_dict_round_trips_and_matches_the_example():
    data = public_good_instance_dict(V, EPS, 2, "unanimity", "two-point")
    instance = instance_from_dict(json.loads(json.dumps(data)))
    assert guarantee(instance.env, instance.mechanism, exact=True).value == 0
    assert potential(instance.env, instance.information, exact=True).value == Fraction(37, 104)
    example = load_instance(EXAMPLE)
    assert example.mechanism.m.fractions().tolist() == instance.mechanism.m.fractions().tolist()
    assert example.information.sigma.fractions().tolist() == instance.information.sigma.fractions().tolist()


def test_cli_gap(capsys):
    code, out, err = run(capsys, "public-good", "--param", "v=3/4", "--param", "eps=1/10", "--param", "n=2")
    assert code == 0, err
    assert "gap = 7/20" in out and "unanimity" in out and "footnote" in out and "status: proved" in out


def test_cli_json_and_save(capsys, tmp_path):
    target = tmp_path / "pg.json"
    code, out, _ = run(capsys, "public-good", "--mechanism", "levels", "--information", "none", "--json",
                       "--save", str(target))
    assert code == 0
    data = json.loads(out)
    assert data["gap"] == "7/20" and data["potentials"][0]["value"] == "7/20"
    code, out, _ = run(capsys, "guarantee", str(target), "--exact")
    assert code == 0 and "G(M) = 0" in out and "proved" in out
    code, out, _ = run(capsys, "potential", str(target), "--exact")
    assert code == 0 and "7/20" in out


def test_cli_sweep_and_plot(capsys, tmp_path):
    png = tmp_path / "gap.png"
    code, out, err = run(capsys, "public-good", "--mechanism", "unanimity", "--information", "none",
                         "--k", "2", "3", "--plot", str(png))
    assert code == 4, err                                           # confirmed: the bounding programs are floats
    assert png.stat().st_size > 1000
    assert "bound (18)" in out and "stay apart" in out


def test_cli_plot_path_is_checked_first(capsys, tmp_path):
    code, _, err = run(capsys, "public-good", "--plot", str(tmp_path / "missing" / "x.png"))
    assert code == 3 and "does not exist" in err


@pytest.mark.parametrize("param", ["v=1/2", "v=1", "v=0.3", "eps=0", "eps=1", "eps=-1/10", "n=0", "n=1/2",
                                   "v=abc", "delta=1", "nope=1"])
def test_cli_bad_parameters(capsys, param):
    code, out, err = run(capsys, "public-good", "--param", param)
    assert code == 3
    assert err.count("\n") == 1 and err.startswith("irmd: error:") and "Traceback" not in err


def test_api_bad_parameters():
    for args in [("1/2", EPS, 2), (V, 0, 2), (V, 1, 2), (V, EPS, 0)]:
        with pytest.raises(ParameterError):
            public_good_environment(*args)


# -- no continuum candidate verifies -------------------------------------------------------------------------

CANDIDATE = '''
import sympy as sp

from irmd.analytic import Candidate, Information, Mechanism
from irmd.verify.finite.public_good import P1, P2, public_good_continuum_environment


def candidate(v="3/4", eps="1/10"):
    env = public_good_continuum_environment(v, eps)
    x1, x2 = env.actions
    q = (1 - sp.exp(-x1)) * (1 - sp.exp(-x2))          # provided with this probability; 0 at either secure action
    mechanism = Mechanism.make({P1: q / 2, P2: q / 2})  # each agent pays half the cost in expectation
    signal = sp.exp(-x1 - x2)                           # uninformative signals
    information = Information.make({"0": eps * signal, "v": (1 - eps) * signal})
    return Candidate("public-good", env, mechanism, information, svo_levels={"0": 0, "v": 0})
'''


def test_continuum_candidate_is_not_verified(capsys, tmp_path):
    path = tmp_path / "public_good_candidate.py"
    path.write_text(CANDIDATE)
    code, out, err = run(capsys, "verify", "--file", str(path), "--dps", "15", "--numeric")
    assert code not in (0, 3), err
    assert "VERIFIED" not in out.upper().replace("NOT VERIFIED", "")
