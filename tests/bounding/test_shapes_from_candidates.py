"""Grid shapes of a candidate come from the candidate's own expressions and agree with the
survey's closed forms used by the bounding programs as an independent cross-check."""
import numpy as np

from irmd.analytic.library import build, get
from irmd.verify.bounding.candidates import candidate_shapes


def _points():
    rng = np.random.default_rng(7)
    return rng.uniform(0.05, 4.0, size=(200, 2))


def test_auction_shapes_agree():
    ours = candidate_shapes(build("common-value-auction", {"N": 2, "mu1": "1/2"}))
    survey = get("common-value-auction").closed_forms_at({"N": "2", "mu1": "1/2"}).shapes
    X = _points()
    a, b = ours.outcome(X), survey.outcome(X)
    for key in ("q_1", "q_2", "t_1", "t_2"):
        assert np.allclose(a[key], b[key], rtol=1e-9, atol=1e-12), key
    assert np.allclose(ours.density(X), survey.density(X), rtol=1e-12)
    assert np.allclose(ours.posterior(X), survey.posterior(X), rtol=1e-9, atol=1e-12)


def test_bilateral_shapes_agree():
    ours = candidate_shapes(build("bilateral-trade", {"h": "3/2", "g": "1"}))
    survey = get("bilateral-trade").closed_forms_at({"h": "3/2", "g": "1"}).shapes
    X = _points()
    a, b = ours.outcome(X), survey.outcome(X)
    for key in ("q", "t"):
        assert np.allclose(a[key], b[key], rtol=1e-7, atol=1e-10), key
    assert np.allclose(ours.density(X), survey.density(X), rtol=1e-7)
    assert ours.labels == survey.labels
