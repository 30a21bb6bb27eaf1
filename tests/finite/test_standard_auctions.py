"""Standard auctions (first-price, second-price, all-pay, mixtures) on bid grids: their guarantees against
an independent LP written out from the rules, exact certificates, the survey's ordering as the tool
reports it, and the command line."""
import itertools
import json
from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import linprog

from irmd.cli import main
from irmd.errors import ParameterError
from irmd.verify.extrapolation import richardson
from irmd.verify.finite import (
    FiniteInstance,
    PayoffTables,
    auction_guarantees,
    auction_sweep,
    first_price_auction,
    parse_rule,
    proportional_auction_value,
    standard_auction,
    standard_auction_instance,
)
from irmd.verify.finite.standard_auctions import MAX_LP_NONZEROS, auction_sizes, check_auction_size

from .helpers import assert_proved


# --------------------------------------------------------------------------- an independent computation
def rule_payment(weights, bids, payer, winner, n):
    """What ``payer`` pays when ``winner`` gets the good, straight from the rules' definitions."""
    first, second, all_pay = weights
    own = Fraction(bids[payer], n)
    if payer != winner:
        return all_pay * own
    highest_losing = Fraction(max((b for k, b in enumerate(bids) if k != winner), default=0), n)
    return first * own + second * highest_losing + all_pay * own


def direct_tables(weights, n, bidders, mu_high):
    """U[i][profile][theta] and W[profile][theta] by plain loops (uniform tie-breaking)."""
    U, W = {}, {}
    for bids in itertools.product(range(n + 1), repeat=bidders):
        winners = [j for j in range(bidders) if bids[j] == max(bids)]
        for theta in (0, 1):
            total = Fraction(0)
            for i in range(bidders):
                U[i, bids, theta] = sum((theta * (i == j) - rule_payment(weights, bids, i, j, n)) / len(winners)
                                        for j in winners)
            for j in winners:
                total += sum(rule_payment(weights, bids, i, j, n) for i in range(bidders)) / len(winners)
            W[bids, theta] = total
    return U, W


def independent_guarantee(weights, n, bidders=2, mu_high=Fraction(1, 2), coarse=False):
    """min over (coarse) BCE of expected revenue, with the obedience constraints written out for linprog."""
    U, W = direct_tables(weights, n, bidders, mu_high)
    columns = list(W)                                  # (profile, theta)
    index = {key: k for k, key in enumerate(columns)}
    cost = [float(W[key]) for key in columns]
    A_eq = np.zeros((2, len(columns)))
    for (_, theta), k in index.items():
        A_eq[theta, k] = 1
    b_eq = [float(1 - mu_high), float(mu_high)]
    rows = []
    for i in range(bidders):
        for deviation in range(n + 1):
            recommendations = [None] if coarse else [r for r in range(n + 1) if r != deviation]
            for recommended in recommendations:
                row = np.zeros(len(columns))
                for (bids, theta), k in index.items():
                    if recommended is not None and bids[i] != recommended:
                        continue
                    deviated = bids[:i] + (deviation,) + bids[i + 1:]
                    # gain from deviating must be <= 0:  U(deviated) - U(obeyed) <= 0
                    row[k] = float(U[i, deviated, theta] - U[i, bids, theta])
                rows.append(row)
    result = linprog(cost, A_ub=np.array(rows), b_ub=np.zeros(len(rows)), A_eq=A_eq, b_eq=b_eq,
                     bounds=(0, None), method="highs")
    assert result.status == 0, result.message
    return result.fun


RULES = ["first", "second", "all-pay", "mix:1/2,1/4,1/4", "mix:0,1/2,1/2", "mix:1/3,1/3,1/3"]


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("n, bidders, mu_high", [(2, 2, Fraction(3, 4)), (3, 2, Fraction(3, 4)),
                                                 (3, 2, Fraction(1, 2)), (2, 3, Fraction(3, 4))])
def test_guarantees_match_an_independent_lp(rule, n, bidders, mu_high):
    weights = parse_rule(rule).weights
    g, gc = auction_guarantees(rule, n, bidders=bidders, mu_high=mu_high)
    assert float(g.value) == pytest.approx(independent_guarantee(weights, n, bidders, mu_high), abs=1e-8)
    assert float(gc.value) == pytest.approx(independent_guarantee(weights, n, bidders, mu_high, coarse=True),
                                            abs=1e-8)


def test_nontrivial_values_at_n_5_match_the_independent_lp():
    for rule in ("first", "all-pay", "mix:1/2,1/2,0", "mix:1/4,1/4,1/2"):
        g, _ = auction_guarantees(rule, 5)
        assert float(g.value) > 0.05
        assert float(g.value) == pytest.approx(independent_guarantee(parse_rule(rule).weights, 5), abs=1e-8)


def test_payoff_tables_are_the_rules_expected_payoffs():
    # the lottery encoding (random payer, scaled payment) has exactly the rules' expected payoffs
    for rule in ("mix:1/2,1/4,1/4", "all-pay", "second"):
        U, W = direct_tables(parse_rule(rule).weights, 3, 3, Fraction(1, 3))
        env, mechanism = standard_auction(rule, 3, 3, Fraction(1, 3))
        tables = PayoffTables.of(env, mechanism, exact=True)
        for (i, bids, theta), value in U.items():
            assert tables.U[(i, *bids, theta)] == value
        for (bids, theta), value in W.items():
            assert tables.W[(*bids, theta)] == value


def test_all_pay_losers_pay_their_bids():
    env, mechanism = standard_auction("all-pay", 4)
    U = mechanism.utilities(env)
    # bidder 0 bids 1/4 and loses to 3/4: pays 1/4 in both states; the winner gets theta - 3/4
    assert U.entry((0, 1, 3, 0)) == Fraction(-1, 4) and U.entry((0, 1, 3, 1)) == Fraction(-1, 4)
    assert U.entry((1, 1, 3, 1)) == Fraction(1, 4)
    assert mechanism.objective(env).entry((1, 3, 0)) == 1


# --------------------------------------------------------------------------- mixtures and pure rules
def test_pure_mixtures_are_the_pure_rules():
    assert parse_rule("mix:1,0,0") == parse_rule("first") and parse_rule("mix:1,0,0").name == "first"
    for mix, pure in (("mix:1,0,0", "first"), ("mix:0,1,0", "second"), ("mix:0,0,1", "all-pay")):
        a, b = standard_auction(mix, 5), standard_auction(pure, 5)
        assert np.array_equal(a[1].m.floats, b[1].m.floats) and np.array_equal(a[0].u.floats, b[0].u.floats)
        assert auction_guarantees(mix, 5)[0].value == auction_guarantees(pure, 5)[0].value


def test_first_rule_is_the_fpa_builtin():
    env, mechanism = first_price_auction(6, 3)
    env2, mechanism2 = standard_auction("first", 6, 3)
    assert env.outcomes == env2.outcomes and mechanism.actions == mechanism2.actions
    assert np.array_equal(mechanism.m.floats, mechanism2.m.floats)
    assert np.array_equal(env.u.floats, env2.u.floats) and np.array_equal(env.w.floats, env2.w.floats)


@pytest.mark.parametrize("rule", RULES)
def test_bidding_zero_is_secure_in_every_rule(rule):
    instance = standard_auction_instance(rule, 4, 3)
    assert isinstance(instance, FiniteInstance) and instance.name.endswith("3 bidders, n = 4")


def test_exact_certificates_prove_small_grids():
    expected = {"first": (Fraction(3, 50), Fraction(1, 30)), "all-pay": (Fraction(1, 15), Fraction(1, 15)),
                "second": (Fraction(0), Fraction(0)), "mix:1/2,1/4,1/4": (Fraction(96, 1135), Fraction(1, 14))}
    for rule, (value, coarse_value) in expected.items():
        g, gc = auction_guarantees(rule, 5, exact=True)
        assert_proved(g)
        assert_proved(gc)
        assert (g.value, gc.value) == (value, coarse_value)
        assert float(value) == pytest.approx(independent_guarantee(parse_rule(rule).weights, 5), abs=1e-9)


def test_rule_parsing():
    rule = parse_rule("mix:1/2, 0.25, 1/4")
    assert rule.weights == (Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)) and rule.name == "mix:1/2,1/4,1/4"
    assert rule.label == "1/2 first + 1/4 second + 1/4 all-pay"
    for text, message in (("third", "unknown rule"), ("mix:1/2,1/2", "three weights"),
                          ("mix:1/2,1/2,1/2", "sum to 3/2"), ("mix:-1,1,1", ">= 0"), ("mix:a,b,c", "a weight"),
                          ("mix:1/1000000007,0,1000000006/1000000007", "common denominator")):
        with pytest.raises(ParameterError, match=message):
            parse_rule(text)


def test_sizes_are_refused_before_building():
    sizes = auction_sizes("all-pay", 10, 3)
    # three bidders: G's direct rows (110 pairs of own bids, 66 multisets of the others' bids, 2 states) and
    # the marginals over 286 orbits are the larger LP
    assert {k: sizes[k] for k in ("profiles", "outcomes", "mechanism_entries", "lp_nonzeros", "denominator")} == {
        "profiles": 1331, "outcomes": 99, "mechanism_entries": 1331 * 99, "lp_nonzeros": 286 * 2 + 110 * 66 * 2,
        "denominator": 6 * 3}
    with pytest.raises(ParameterError, match="does not fit 64-bit integers"):
        standard_auction("mix:1/999999937,0,999999936/999999937", 1, 20)
    # n = 400 (129 million outcome probabilities) is planned, not refused by a count: its LPs are compact
    sizes = auction_sizes("first", 400, 2)
    assert sizes["mechanism_entries"] == 128962402 and sizes["lp_nonzeros"] < MAX_LP_NONZEROS // 8
    check_auction_size("first", 400, 2, max_memory=12 * 2**30)
    with pytest.raises(ParameterError, match=r"--n 400 with 2 bidders \(first\) needs .* GiB of memory by plan .*"
                                             r"the largest --n that fits is (\d+)") as refused:
        standard_auction("first", 400, max_memory=2**30)
    fitting = int(refused.value.args[0].rsplit(" ", 1)[1])
    assert auction_sizes("first", fitting)["bytes"] <= 2**30 < auction_sizes("first", fitting + 1)["bytes"]
    with pytest.raises(ParameterError, match="guarantee-LP nonzeros .* the largest --n that fits is"):
        check_auction_size("first", 100, 3)          # three bidders: G's direct rows, O(n^4) non-zeros
    with pytest.raises(ParameterError, match="action profiles"):
        auction_sweep(["first"], [5, 2000])           # refused before the first LP


# --------------------------------------------------------------------------- the survey's comparison
@pytest.fixture(scope="module")
def comparison():
    return auction_sweep(["first", "second", "all-pay", "mix:1/2,1/2,0", "mix:1/3,1/3,1/3"], [5, 10, 20],
                         extrapolate=richardson)


def test_ordering_as_the_tool_reports_it(comparison):
    checks = {c.n: c for c in comparison.ordering}
    assert sorted(checks) == [5, 10, 20]
    for n, check in checks.items():
        first = comparison.series[0].guarantee_at(n).value
        assert check.first_value == first
        # first-price >= second-price on every grid (second-price's guarantee is 0: a bidding ring)
        assert comparison.series[1].guarantee_at(n).value == pytest.approx(0, abs=1e-9)
        reported = {rule for rule, _ in check.exceptions}
        for series in comparison.series[1:]:
            value = series.guarantee_at(n).value
            assert (series.rule.name in reported) == (float(value) > float(first) + 1e-7)
        assert check.above_bound == ()
    # on these grids first-price is not the highest: all-pay beats it at n = 5 and 20, the mixtures everywhere
    assert {rule for rule, _ in checks[5].exceptions} == {"all-pay", "mix:1/2,1/2,0", "mix:1/3,1/3,1/3"}
    assert not checks[20].holds and checks[20].largest_excess < checks[10].largest_excess < checks[5].largest_excess


def test_every_grid_guarantee_is_below_the_proportional_auction(comparison):
    value = proportional_auction_value(2)
    assert value == pytest.approx(0.2534058537075345, abs=1e-12)   # irmd verify common-value-auction --param N=2
    assert comparison.proportional_value == value
    assert all(float(r.value) < value for s in comparison.series for r in (*s.guarantees, *s.coarse_guarantees))
    assert proportional_auction_value(3) > value and proportional_auction_value(2, 0) is None


def test_extrapolation_and_json(comparison):
    series = comparison.series[0]
    limit = series.limit
    assert limit.richardson == pytest.approx((20 * float(series.guarantees[2].value)
                                              - 10 * float(series.guarantees[1].value)) / 10)
    data = comparison.to_dict(6)
    assert data["status"] == "confirmed" and data["bidders"] == 2 and data["mu_high"] == "1/2"
    assert [r["n"] for r in data["rules"][0]["results"]] == [5, 10, 20]
    assert data["rules"][0]["extrapolation"]["guarantee"]["richardson_order1"] == f"{limit.richardson:.6g}"
    assert auction_sweep(["first"], [3, 4], extrapolate=None).series[0].limit is None   # no estimate asked
    assert data["rules"][1]["rule"]["weights"] == {"first": "0", "second": "1", "all-pay": "0"}
    assert isinstance(data["proportional_auction"]["value"], str)
    assert data["ordering"][0]["first_price_highest"] is False
    json.dumps(data)


# --------------------------------------------------------------------------- command line
def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exact_single_rule(capsys):
    code, out, err = run(capsys, "auction", "--rule", "all-pay", "--n", "5", "--exact")
    assert code == 0
    assert "1/15" in out and "proved" in out and "Proportional auction" in out


def test_cli_compare_with_plot_and_json(capsys, tmp_path):
    plot = tmp_path / "auctions.png"
    code, out, err = run(capsys, "auction", "--compare", "--n", "3,5", "--plot", str(plot))
    assert code == 0 and plot.stat().st_size > 0
    assert "first-price NOT highest" in out and "second-price: G = 0 on every grid" in out
    assert "1/3 first + 1/3 second + 1/3 all-pay" in out and "n -> inf (estimate" in out
    code, out, err = run(capsys, "auction", "--rule", "second", "mix:1/2,1/2,0", "--compare", "--n", "3", "4",
                         "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert [s["rule"]["name"] for s in data["rules"]] == ["first", "second", "mix:1/2,1/2,0"]
    assert [c["n"] for c in data["ordering"]] == [3, 4]


def test_fpa_is_unchanged(capsys):
    code, out, _ = run(capsys, "fpa", "--n", "5", "--exact")
    assert code == 0 and "3/50" in out and "1/30" in out


@pytest.mark.parametrize("argv, message", [
    (["--rule", "third"], "unknown rule"),
    (["--rule", "mix:1/2,1/2,1/2"], "sum to 3/2, not 1"),
    (["--rule", "mix:-1/2,1,1/2"], "weights must be >= 0"),
    (["--rule", "mix:1,0"], "three weights"),
    (["--n", "0"], "expected positive integers"),
    (["--n", "400", "--max-memory", "2G"], "of memory by plan (mechanism and guarantee LP; limit 2 GiB, --max-memory); "
                                           "the largest --n that fits is"),
    (["--n", "100", "--bidders", "3"], "guarantee-LP nonzeros (limit 40000000); the largest --n that fits is 78"),
    (["--n", "10", "--max-memory", "1k"], "--max-memory"),
    (["--plot", "out.pdf"], "must end in .png"),
    (["--plot", "/proc/auctions.png"], "cannot be written"),
    (["--bidders", "0"], "expected positive integers"),
])
def test_cli_bad_input_is_one_line_exit_3(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "auction", *argv)
    assert code == 3 and message in err and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
