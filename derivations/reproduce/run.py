"""Check every display: derive, compare, explain; the whole reproduction."""
from __future__ import annotations

import json
from importlib import resources

import sympy as sp

from irmd.status import EquationVerdict

from ..rates import bilateral_zero_regime, survey_rate
from ..report import EquationResult, Formula, Note, Report
from . import auction, trade
from .compare import SAMPLES, at_ybar_root, compare_pair, explain, layout_note, prepared, symbolic_equal
from .model import trade_env
from .notation import DEFINITIONS, N, namespace, parse, theta, theta_1, theta_2, y, z
from .odes import trade_probability_check, transfer_check
from .registry import Deriver

#: Every display's deriver, by equation id.
DERIVERS: dict[str, Deriver] = {**auction.DERIVERS, **trade.DERIVERS}


def derive(eq_id: str) -> dict:
    """The derived forms of display ``eq_id`` (see :data:`registry.Deriver`)."""
    return DERIVERS[eq_id](namespace(eq_id))


def check_equation(entry: dict) -> EquationResult:
    eq_id = entry["id"]
    printed = [parse(p, eq_id) for p in entry["printed"]]
    base = EquationResult(eq_id, entry["what"], "", "", entry["latex"],
                          printed=[parse(p, eq_id, evaluate=False) for p in entry["printed"]],
                          reading=entry.get("reading", ""))
    if eq_id in DEFINITIONS:
        base.verdict, base.method = EquationVerdict.NOT_CHECKABLE, "definition"
        base.note = Note.of("a definition: there is nothing to derive" if eq_id == "28" else
                            "a conjecture read off numerical solutions; its consequences (the IVO depending on "
                            "x_1 + x_2 only, and (40)) are checked")
        return base
    spec = derive(eq_id)
    forms = spec.get("forms")
    if forms == "erlang-density":
        return _erlang_density(base, printed)
    if spec.get("agents"):
        printed = [p.subs(N, spec["agents"]) for p in printed]
    if forms == "T-ode":
        return transfer_check(base, printed[0])
    if forms == "q-ode":
        return trade_probability_check(base, printed[0])
    samples = [at_ybar_root(s) if spec.get("ybar_root") else s for s in SAMPLES]
    substitute = spec.get("substitute", {})
    if "state_forms" in spec:
        return _state_check(base, printed, spec)
    base.derived, base.derived_lhs = list(forms), spec.get("lhs")
    problems, methods = [], set()
    for position, (p, d) in enumerate(zip(printed, forms), start=1):
        p_sub = p.xreplace(substitute).subs(substitute) if substitute else p
        ok, method, note = compare_pair(p_sub, d, samples)
        methods.add(method)
        if ok is False:
            problems.append((position, p_sub, d, note))
        elif ok is None:
            base.verdict, base.method = EquationVerdict.NOT_CHECKABLE, method
            base.note = Note.of(f"form {position}: ") + note
            return base
    base.method = " + ".join(sorted(methods))
    if not problems:
        base.verdict = EquationVerdict.REPRODUCED
        base.note = Note.of(spec["note"]) if spec.get("note") else Note()
        return base
    # A display garbled in transcription is reported apart from a real typo: the paper may well
    # be right where its extracted text cannot be read.
    garbled = layout_note(entry)
    base.verdict = EquationVerdict.GARBLED if garbled else EquationVerdict.DIFFERS
    notes = [garbled]
    for position, p, d, note in problems:
        where = f"printed form {position} of {len(printed)}" if len(printed) > 1 else "the printed form"
        notes.append(Note.of(f"{where} disagrees with the derivation (") + note + Note.of(")"))
        known = any(isinstance(part, Formula) and part.lhs == "printed - derived" for part in note.parts)
        notes.append(explain(p, d, samples, difference_known=known))
    base.note = Note.join(notes)
    return base


def _state_check(base, printed, spec) -> EquationResult:
    problems = []
    for label, forms in spec["state_forms"].items():
        if spec.get("trade_states"):
            state = trade_env().state(label)
            values = {theta_1: state.values[0][1], theta_2: state.values[1][1]}
        elif isinstance(label, str):
            values = {}
        else:
            values = {theta: label}
        for p, d in zip(printed, forms):
            p_state = p.subs(values)
            if not symbolic_equal(p_state, d):
                difference = sp.simplify(prepared(p_state) - prepared(d))
                problems.append(Note.of(f"in state {label}: ", Formula("printed - derived", difference)))
        base.derived.extend(forms)
    base.method = "symbolic, per state"
    base.verdict = EquationVerdict.REPRODUCED if not problems else EquationVerdict.DIFFERS
    base.note = Note.join(problems)
    return base


def _erlang_density(base, printed) -> EquationResult:
    """g_N is the density of the sum of N standard exponentials: convolve, N = 1..5."""
    density = sp.exp(-y)
    problems = []
    for n in range(1, 6):
        if n > 1:
            density = sp.integrate(density.subs(y, z) * sp.exp(-(y - z)), (z, 0, y))
        for p in printed:
            if sp.simplify(p.subs(N, n).rewrite(sp.exp) - density) != 0:
                problems.append(Note.of(f"N = {n}: printed ", p.subs(N, n), ", derived ", density))
    base.derived = [density]
    base.method = "symbolic convolution of exponential densities, N = 1..5"
    base.verdict = EquationVerdict.REPRODUCED if not problems else EquationVerdict.DIFFERS
    base.note = Note.join(problems) if problems else Note.of(
        "the printed g_N equals the N-fold convolution of e^(-y) for N = 1, ..., 5")
    return base




def load_equations(paper: str = "survey") -> list:
    text = resources.files("irmd.derivations").joinpath("data", f"{paper}_equations.json").read_text()
    return json.loads(text)["equations"]


def reproduce(paper: str = "survey", max_agents: int = 10**6) -> Report:
    results = [check_equation(entry) for entry in load_equations(paper)]
    headline = {"rate": survey_rate(max_agents), "bilateral_zero_regime": bilateral_zero_regime()}
    return Report(paper, results, headline)


