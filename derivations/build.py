r"""Build the derivation of a certificate: the verification written out as mathematics.

:func:`certificate_derivation` reads only what ``verify`` produced -- the
certificate's checks with their evidence, bounds and constants, its candidate
(``certificate.source``) and reduced model (``certificate.reduced_model``) -- and
returns a :class:`~irmd.derivations.document.Derivation` (data).  The order
follows the papers: environment, candidate mechanism and information structure,
constants, the SVO and IVO computed from them, one section per check with every
claim, the bounds, and the verdict.  A refuted certificate opens with the failing
claims and their counterexamples.

Every status printed is the certificate's.  Next to a claim, the readable
reduction of :mod:`irmd.derivations.display` shows *why* it holds in the papers'
notation; the steps irmd's decision procedure recorded follow, with the method
(symbolic, or numeric with its precision and tolerance).
"""
from __future__ import annotations

import mpmath
import sympy as sp

from irmd.analytic.constants import order_constants
from irmd.analytic.environment import OWN, TOTAL, SymmetricEnvironment
from irmd.errors import InputError
from irmd.status import Status

from .display import display_model, reduce_claim
from .document import Chain, Derivation, Math, Paragraph, Step, Table, Verdict, escape, status_tex
from .printer import break_lines, latex, latex_width, number
from .text import formula_tex, text_tex

KIND_RELATION = {"= 0": "=", ">= 0": r"\ge", "bounded": ""}


# ----------------------------------------------------------------------------- small helpers
def inline(expr) -> str:
    return "$%s$" % latex(expr)


def relation_tex(phi, side: int) -> str:
    """``phi < 0`` (side -1), ``phi > 0`` (+1) or ``phi = 0`` (0), written as ``a < b``."""
    pos, neg = _sides(_plain_phi(phi))
    op = {-1: "<", 1: ">", 0: "="}[side]
    return f"{latex(pos)} {op} {latex(neg)}"


def _plain_phi(phi):
    """``phi`` or, with the same sign everywhere, a form without exponentials.

    e^{y} e^{-ybar} - 1 < 0 is y - ybar < 0: both sides are positive, so comparing their logarithms
    is the same condition, and it is taken when the logarithm has no exponential or logarithm left.
    """
    phi = sp.sympify(phi)
    pos, neg = _sides(phi)
    if pos.is_positive and neg.is_positive and (pos.has(sp.exp) or neg.has(sp.exp)):
        logged = sp.expand_log(sp.log(pos) - sp.log(neg), force=True)
        if not logged.has(sp.exp, sp.log):
            return logged
    return phi


def _sides(phi) -> tuple:
    """``phi`` as ``pos - neg``, the terms with a minus sign moved to the right."""
    terms = sp.Add.make_args(phi)
    pos = sp.Add(*[t for t in terms if not t.could_extract_minus_sign()])
    neg = -sp.Add(*[t for t in terms if t.could_extract_minus_sign()])
    return pos, neg


def region_tex(region) -> str:
    # Two boundaries may read alike once simplified (e^{y} e^{-ybar} < 1 and y < ybar) or be the same
    # condition (x_1 < ybar and x_1/ybar < 1): each is said once.
    kept: list = []
    for surface, side in region:
        phi = _plain_phi(surface.phi)
        for k, (other, other_side) in enumerate(kept):
            if side == other_side and _same_surface(phi, other):
                # One condition: the shorter form is printed (x_1 < ybar rather than x_1/ybar < 1).
                if latex_width(latex(phi)) < latex_width(latex(other)):
                    kept[k] = (phi, side)
                break
        else:
            kept.append((phi, side))
    parts = list(dict.fromkeys(relation_tex(phi, side) for phi, side in kept))
    return r",\ ".join(parts) if parts else r"\text{everywhere}"


def _same_surface(a, b) -> bool:
    """``a`` is a positive multiple of ``b``: {a < 0} and {b < 0} are one condition."""
    try:
        return bool(sp.cancel(sp.sympify(a) / sp.sympify(b)).is_positive)
    except (TypeError, ValueError, ZeroDivisionError, sp.PolynomialError):
        return False


def _params_text(params: dict) -> str:
    return ", ".join(f"${latex(sp.Symbol(k))} = {latex(sp.sympify(v))}$" for k, v in params.items())


def _state_tex(state) -> str:
    return r"\theta = \mathrm{%s}" % state.label if not state.label.isdigit() else r"\theta = %s" % state.label


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _ends_in_zero(e) -> bool:
    final = e.steps[-1].expr if e.steps else e.claim.expr
    try:
        return sp.sympify(final) == 0
    except Exception:  # noqa: BLE001 - an expression sympy cannot read is not shown as 0 either
        return False


def evidence_status_text(e) -> str:
    """What stands behind one claim's status, in words (never upgraded)."""
    if e.status is Status.PROVED:
        method = e.method.replace("symbolic: ", "")
        if e.claim.kind.value == ">= 0" and "every factor is non-negative" in method and _ends_in_zero(e):
            # The chain printed above the status ends in "= 0": say so rather than speak of factors.
            method = "it simplifies to 0, so it is non-negative"
        text = "symbolically (%s)" % text_tex(method)
        if e.points:
            text += f"; also evaluated at {_plural(e.points, 'sample point')} as a consistency check"
        return text
    if e.status is Status.CONFIRMED:
        method = text_tex(e.method.replace("numeric: ", ""))
        if e.claim.kind.value == "bounded":
            # A boundedness test has no residual: its yardstick is the largest sampled value.
            text = f"not proved; {method}"
            if e.residual is not None:
                text += rf"; largest sampled $|\text{{value}}|$ ${number(e.residual, 6)}$"
            return text + (r"; the far field (out to $10^{32}$ times the scale) and the lower corner (down to "
                           r"offsets $10^{-32}$) settle")
        text = f"not proved; {method}"
        if e.dps is not None:
            text += f"; requested precision {e.dps} digits, relative tolerance $10^{{-{e.dps}}}$"
        if e.residual is not None:
            text += f"; largest relative residual ${number(e.residual, 3)}$"
        if e.note:
            text += f" ({text_tex(e.note)})"
        return text
    if e.status is Status.REFUTED:
        point = ", ".join(f"${latex(k) if not isinstance(k, str) else formula_tex(k)} = {number(v, 12)}$"
                          for k, v in (e.witness or {}).items())
        return (f"refuted at {point}: residual ${number(e.residual, 8)}$ ({text_tex(e.method)})"
                + (f"; {text_tex(e.note)}" if e.note else ""))
    return "inconclusive: %s" % text_tex(e.note or e.method or "undecided")


# ----------------------------------------------------------------------------- sections
def environment_section(doc: Derivation, candidate) -> None:
    env = candidate.environment
    sec = doc.section("Environment")
    prior = ", ".join(rf"$\mu({s.label}) = {latex(p)}$" if s.label.isdigit() else
                      rf"$\mu(\mathrm{{{s.label}}}) = {latex(p)}$" for s, p in zip(env.states, env.prior))
    states = "; ".join(f"${_state_tex(s)}$" + (": " + ", ".join(f"${latex(k)} = {latex(v)}$" for k, v in s.values)
                                                if s.values and not s.label.isdigit() else "")
                       for s in env.states)
    agents = "There is $N = 1$ agent" if env.agents == 1 else f"There are $N = {env.agents}$ agents"
    sec.add(Paragraph(f"{agents}. The states are {states}, with prior {prior}."))
    if isinstance(env, SymmetricEnvironment):
        members = {f.symbol: sp.Symbol(f"{f.symbol.name}_i", real=True) for f in env.families}
        ranges = []
        for f in env.families:
            if f.kind == "allocation":
                ranges.append(rf"allocation probabilities ${latex(members[f.symbol])} \ge 0$ with "
                              rf"$\sum_i {latex(members[f.symbol])} \le 1$ "
                              rf"(${latex(f.symbol)}_0 = 1 - \sum_i {latex(members[f.symbol])}$)")
            elif f.free:
                ranges.append(rf"a transfer ${latex(members[f.symbol])} \in \mathbb{{R}}$ "
                              r"(the papers' $t_{\max}$ taken arbitrarily large)")
            else:
                ranges.append(rf"${latex(f.lower)} \le {latex(members[f.symbol])} \le {latex(f.upper)}$")
        sec.add(Paragraph("The outcome of agent $i$ is described by " + "; ".join(ranges)
                          + ". Utilities and the designer's objective are, in state $\\theta$,"))
        u = env.utility.xreplace(members)
        w = env.objective_per_agent.xreplace(members)
        wtex = (latex(env.objective_constant) + " + " if env.objective_constant != 0 else "") + \
            r"\sum_{i=1}^{N} " + (r"\left(%s\right)" % latex(w) if w.is_Add else latex(w))
        sec.add(Step("", Math(r"u_i(c, \theta)"), u), Step("", Math(r"w(c, \theta)"), Math(wtex)))
    else:
        coords = []
        for f in env.factors:
            if hasattr(f, "coordinate"):
                coords.append(rf"${latex(f.coordinate)} \in \mathbb{{R}}$" if f.free else
                              rf"${latex(f.lower)} \le {latex(f.coordinate)} \le {latex(f.upper)}$")
            else:
                coords.append(_simplex_tex(f.coordinates))
        sec.add(Paragraph("Outcomes are described by " + ", ".join(coords)
                          + ". Utilities and the designer's objective are"))
        steps = [Step("", Math(r"u_{%d}(c, \theta)" % (i + 1)), u) for i, u in enumerate(env.utilities)]
        steps.append(Step("", Math(r"w(c, \theta)"), env.objective))
        sec.add(*steps)


def _simplex_tex(coordinates) -> str:
    """Allocation probabilities: ``0 <= q <= 1`` for one, ``q_1, q_2 >= 0`` with their sum at most 1."""
    names = [latex(c) for c in coordinates]
    if len(names) == 1:
        return rf"$0 \le {names[0]} \le 1$"
    return rf"${', '.join(names)} \ge 0$ with ${' + '.join(names)} \le 1$"


def _orthant(lower, agents: int) -> str:
    """The action or signal space ``[lower, oo)^N``, without a power for one agent."""
    return rf"[{latex(lower)}, \infty)" + ("" if agents == 1 else "^{%s}" % agents)


def _note(text: str) -> str:
    """`` (text)`` after a noun, or `` text`` when the text is one parenthesis already ("(36)")."""
    text = text.strip()
    if text.startswith("(") and _matching_close(text) == len(text) - 1:
        return " " + text_tex(text)
    return f" ({text_tex(text)})"


def _matching_close(text: str) -> int:
    depth = 0
    for k, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return k
    return -1


def candidate_section(doc: Derivation, candidate, certificate=None) -> None:
    sec = doc.section("Candidate mechanism and information structure")
    mech, info = candidate.mechanism, candidate.information
    if candidate.symmetric and candidate.agents == 1:
        sec.add(Paragraph(rf"The agent's signal and action is $x_1 \in {_orthant(info.lower, 1)}$; write "
                          r"$y = \sum_i x_i = x_1$. Its outcome, in the notation for $N$ agents ($x_i = x_1$):"))
        for coordinate, expr in mech.outcome:
            sec.add(Step("", Math(r"%s_i(x)" % latex(coordinate)), expr))
    elif candidate.symmetric:
        sec.add(Paragraph(r"Signals and actions are $x = (x_1, \dots, x_N)$ on "
                          rf"$[{latex(info.lower)}, \infty)^N$; write $y = \sum_i x_i$ for their total. "
                          r"Agent $i$'s outcome depends on its own action $x_i$ and on $y$:"))
        for coordinate, expr in mech.outcome:
            sec.add(Step("", Math(r"%s_i(x)" % latex(coordinate)), expr))
    else:
        n = candidate.agents
        sec.add(Paragraph(rf"Actions $x \in {_orthant(mech.lower, n)}$, signals "
                          rf"$x \in {_orthant(info.lower, n)}$. The mechanism is"))
        for coordinate, expr in mech.outcome:
            sec.add(Step("", Math(r"%s(x)" % latex(coordinate)), expr))
    for d in candidate.functions:
        text = rf"The function ${latex(d.applied)}$"
        if d.description:
            text += _note(d.description)
        sec.add(Paragraph(text + " is defined by"))
        if d.closed_form is not None:
            sec.add(Step("", d.applied, d.closed_form))
        if d.ode is not None:
            sec.add(Paragraph("and satisfies the linear ODE and initial condition"),
                    Step("", d.ode, sp.S.Zero),
                    Step("", d.function(d.initial[0]), d.initial[1]))
    sec.add(Paragraph(r"The information structure has densities $\sigma(x, \theta)$ (with respect to $dx$):"))
    for label, expr in info.density:
        sec.add(Step("", Math(r"\sigma(x, %s)" % _state_tex_label(label)), expr))
    if candidate.levels:
        def level(k, v):
            name = r"L_{%s}" % _state_tex_label(k)
            # A level that is its own constant (L_1 for state 1) is named, not equated with itself.
            return f"${name}$" if latex(v) in (name, r"L_{%s}" % k) else f"${name} = {latex(v)}$"
        levels = ", ".join(level(k, v) for k, v in candidate.levels.items())
        sec.add(Paragraph(f"Declared SVO levels (the guarantee side's multipliers): {levels}."))


def _state_tex_label(label: str) -> str:
    return label if label.isdigit() else r"\mathrm{%s}" % label


def constants_section(doc: Derivation, candidate, certificate) -> None:
    if not candidate.constants:
        return

    sec = doc.section("Constants and how they were solved for")
    dps = certificate.dps if certificate is not None else 15
    sec.add(Paragraph("Constants are kept as symbols in every symbolic step (an identity proved that way holds "
                      "for every value of the constant); numeric steps use the values below, computed with "
                      f"mpmath at {dps} significant digits plus guard digits."))
    for c in order_constants(candidate.constants):
        value = certificate.constants.get(c.symbol.name) if certificate is not None else None
        shown = f" Its value is ${latex(c.symbol)} = {number(value, dps)}$." if value is not None else ""
        note = _note(c.description) if c.description else ""
        if c.kind == "root":
            lo, hi = c.bracket
            sec.add(Paragraph(rf"${latex(c.symbol)}$ is the root in $[{latex(lo)}, {latex(hi)}]$ of the "
                              f"equation below{note}, found by bisection and the Anderson secant method with the "
                              f"sign change checked on the bracket.{shown}"),
                    Step("", c.equation, sp.S.Zero))
        else:
            sec.add(Paragraph(rf"${latex(c.symbol)}$ is defined by{note}"), Step("", c.symbol, c.value))
            if shown:
                sec.add(Paragraph(shown.strip()))


def objectives_section(doc: Derivation, candidate, certificate, model=None) -> object:
    """The SVO and IVO of the candidate, in the display model; returns that model."""
    model = model if model is not None else display_model(candidate)
    sec = doc.section("Strategic and informational virtual objectives")
    sec.add(Paragraph(r"For an outcome $c$ the SVO and IVO are (survey, Section 3.4)"),
            Step("", Math(r"\lambda(x, \theta)"),
                 Math(r"w(c(x), \theta) + \sum_i \nabla_i \bigl[u_i(c(x), \theta)\bigr]")),
            Step("", Math(r"\gamma(x, c)"),
                 Math(r"\sum_\theta w(c, \theta)\sigma(x, \theta) - \sum_i \sum_\theta u_i(c, \theta)"
                      r"\nabla_i \sigma(x, \theta)")),
            Paragraph(r"where $\nabla_i = \partial/\partial x_i$ acts on the mechanism's outcome (SVO) or on the "
                      r"density (IVO) only."
                      + (r" For exchangeable agents the sums over $i$ are in closed form: with "
                         r"$c_i = a(y) + x_i b(y)$, $\sum_i c_i = N a + y b$ and "
                         r"$\sum_i \nabla_i c_i = N(a' + b) + y b'$; densities depend on $y$ only, "
                         r"so $\nabla_i \sigma = \sigma'(y)$." if candidate.symmetric else "")))
    if model is None:
        sec.add(Paragraph("(The readable form of the model could not be built; the checks below show the "
                          "verifier's expressions.)"))
        return None
    sec.add(Paragraph("Computed from the candidate, with constants and defined functions kept as symbols:"))
    for state in model.states:
        lam = model.svo[state.label]
        simplified = reduce_claim(lam, candidate, substitute=False).final
        steps = [Step("", Math(r"\lambda(x, %s)" % _state_tex_label(state.label)), lam)]
        if simplified != lam:
            steps.append(Step("", None, simplified, "simplified:"))
        sec.add(Chain(tuple(steps)))
    sec.add(Paragraph(r"The IVO is affine in the outcome, $\gamma(x, c) = \gamma_0(x) + \sum_k a_k(x) c_k$, with"))
    if model.ivo_constant != 0:
        sec.add(Step("", Math(r"\gamma_0(x)"), model.ivo_constant))
    for coordinate, a in model.ivo_coefficients.items():
        reduced = reduce_claim(a, candidate, substitute=False).final
        steps = [Step("", Math(r"a_{%s}(x)" % latex(coordinate)), a)]
        if reduced != a:
            steps.append(Step("", None, reduced, "simplified:"))
        sec.add(Chain(tuple(steps)))
    free = [f for f in model.factors if f.free]
    if free:
        sec.add(Paragraph("A transfer that is unbounded must have a vanishing coefficient, or "
                          r"$\max_c \gamma = \infty$: this is the PDE checked in \texttt{ivo.transfer\_pde} "
                          "(survey (27) for the auction, the PDE before (38) for bilateral trade)."))
    return model


def display_counterpart(check_name: str, evidence, model, candidate):
    """The display-model expression of a claim (found by the claim's subject), or None when there is none."""
    if model is None:
        return None
    subject = evidence.claim.subject
    if subject.quantity == "ivo-coefficient":
        return next((a for c, a in model.ivo_coefficients.items() if str(c) == subject.coordinate), None)
    if subject.quantity == "svo-gap":
        level = candidate.levels.get(subject.state)
        return model.svo[subject.state] - level if level is not None and subject.state in model.svo else None
    if subject.quantity == "density":
        return model.density.get(subject.state)
    if subject.quantity in ("feasibility", "participation"):
        conditions = model.feasibility if subject.quantity == "feasibility" else model.participation
        return next((c.expr for c in conditions if c.subject == subject), None)
    return None


def _claim_lhs(check_name, evidence) -> Math:
    """The claim's left-hand side in the papers' notation, from its subject (its label otherwise)."""
    subject = evidence.claim.subject
    if subject.quantity == "svo-gap":
        state = _state_tex_label(subject.state)
        return Math(r"\lambda(x, %s) - L_{%s}" % (state, state))
    if subject.quantity == "density":
        return Math(r"\sigma(x, %s)" % _state_tex_label(subject.state))
    if subject.quantity == "ivo-coefficient":
        return Math(r"a_{%s}(x)" % latex(sp.Symbol(subject.coordinate)))
    if subject.quantity == "participation":
        return Math(r"u_{%s}(%s)\big|_{%s = %s}" % (subject.agent, r"\theta = " + _state_tex_label(subject.state),
                                                    latex(subject.action), latex(subject.at)))
    return Math(r"\text{%s}" % text_tex(evidence.claim.label))


#: An intermediate expression of irmd's decision procedure longer than this many lines is not shown.
SHORT_LINES = 4


def _lines(expr) -> int:
    try:
        return len(break_lines(sp.sympify(expr), 40))
    except Exception:  # noqa: BLE001 - an expression the line breaker cannot handle counts as long
        return 10**6


def _same(a, b) -> bool:
    """The same expression as the reader sees it: structurally equal, or printed alike.

    (Every step of a derivation is an identity, so mathematical equality would
    merge them all: only what is *printed* counts.)
    """
    try:
        a, b = sp.sympify(a), sp.sympify(b)
        return a == b or latex(a) == latex(b)
    except Exception:  # noqa: BLE001
        return False


def verifier_steps(lhs, e, shown=()) -> tuple | None:
    """The steps of irmd's decision procedure worth printing, as a :class:`Chain`, or None.

    The claim's expression first (at most :data:`FIRST_LINES` lines), then, for a
    proved claim, the short intermediate results and always the last step, whose
    reason is the proof; long intermediate results are named, not printed.  For a
    claim that is only confirmed (or inconclusive, or refuted) the symbolic steps
    decided nothing: the last one is shown only when it is short and real.  Steps
    that repeat an expression, and chains whose every expression is already in
    ``shown`` (the papers'-notation reduction), are left out.
    """
    rows = [(e.claim.expr, "")] + [(st.expr, st.description) for st in e.steps]
    kept = [rows[0]]
    for expr, reason in rows[1:]:
        if not _same(expr, kept[-1][0]):
            kept.append((expr, reason))
    first, rest = kept[0], kept[1:]
    chosen, skipped = [], []
    if e.status is Status.PROVED:
        for k, (expr, reason) in enumerate(rest):
            last = k == len(rest) - 1
            if last or _lines(expr) <= SHORT_LINES:
                why = text_tex(reason)
                if skipped:
                    why = text_tex(", ".join(skipped)) + " (not shown), then " + why
                    skipped = []
                chosen.append((expr, why))
            else:
                skipped.append(reason)
    elif rest:
        expr, reason = rest[-1]
        # Only a form that is shorter than the claim's own (and real) is worth showing.
        if _lines(expr) <= SHORT_LINES and not expr.has(sp.I) \
                and latex_width(latex(expr)) < latex_width(latex(first[0])):
            earlier = [r for _, r in rest[:-1]]
            why = (text_tex(", ".join(earlier)) + " (not shown), then " if earlier else "") + text_tex(reason)
            tail = ("this form does not decide the claim; the witness does" if e.status is Status.REFUTED else
                    "this form does not decide the claim")
            chosen.append((expr, f"{why} ({tail})"))
    if all(any(_same(expr, other) for other in shown) for expr in [first[0]] + [expr for expr, _ in chosen]):
        return None                     # every row it would print is printed already
    steps = [Step("", lhs, first[0], elide=True)]
    steps += [Step("", None, expr, why, elide=True) for expr, why in chosen]
    return Chain(tuple(steps))


def check_section(doc: Derivation, result, model, candidate, appendix: list | None = None) -> None:
    """One check: its verdict, and per claim the papers'-notation chain, irmd's own steps and the status.

    With ``appendix`` (the short form), irmd's own steps go there, under the claim's name, instead.
    """
    sec = doc.section(r"\texttt{%s}: %s" % (escape(result.name), text_tex(result.title)), level=2)
    sec.add(Verdict(result.status, text_tex(result.detail)))
    for k, e in enumerate(result.evidence, start=1):
        claim = e.claim
        relation = KIND_RELATION[claim.kind.value]
        if claim.region:
            on = f" on ${region_tex(claim.region)}$"
        elif claim.region_text and claim.region_text != "everywhere":
            on = " on " + text_tex(claim.region_text[3:] if claim.region_text.startswith("on ") else claim.region_text)
        else:
            on = " everywhere"
        inequality = claim.subject.quantity == "feasibility"     # a condition c >= bound: show its slack
        if claim.kind.value == "bounded":
            what = "is bounded"
        elif inequality:
            what = r"holds, i.e.\ its slack $\Delta$ is $%s 0$" % relation
        else:
            what = f"${relation} 0$"
        sec.add(Paragraph(rf"\textbf{{Claim {k}.}} {text_tex(claim.label)} {what}{on}."))
        lhs = Math(r"\Delta") if inequality else _claim_lhs(result.name, e)
        counterpart = display_counterpart(result.name, e, model, candidate)
        shown = []
        if counterpart is not None:
            reduction = reduce_claim(counterpart, candidate, dict(claim.region))
            steps = [Step("", lhs, reduction.steps[0][0])]
            steps += [Step("", None, expr, escape_reason(reason)) for expr, reason in reduction.steps[1:]]
            sec.add(Paragraph("In the papers' notation:"), Chain(tuple(steps)))
            shown = [expr for expr, _ in reduction.steps]
        if claim.expr != 0 and (e.steps or counterpart is None):
            chain = verifier_steps(lhs, e, shown)
            if chain is not None and appendix is not None:
                appendix.append((rf"\texttt{{{escape(result.name)}}}, claim {k}", chain))
            elif chain is not None:
                intro = ("As checked by irmd (definitions substituted):" if counterpart is not None else
                         "As checked by irmd:")
                sec.add(Paragraph(intro), chain)
        sec.add(Paragraph(r"\emph{Status:} %s: %s." % (status_tex(e.status), evidence_status_text(e))))


def escape_reason(reason: str) -> str:
    # Reasons from the display module already carry their math in $...$.
    return reason


def bounds_section(doc: Derivation, certificate) -> None:
    sec = doc.section("Guarantee and potential bounds")
    dps = certificate.dps
    model = certificate.reduced_model
    try:
        saddle = certificate.check("bounds.saddle")
    except KeyError:
        saddle = None
    slack = None
    try:
        slack = certificate.check("svo.slackness")
    except KeyError:
        pass
    sec.add(Paragraph(r"Weak duality gives $G(M) \ge \underline G = \sum_\theta \mu(\theta)\inf_x \lambda(x, \theta)$ "
                      r"and $P(I) \le \overline P = \int_x \max_c \gamma(x, c)\,dx$ (plus the singular terms of "
                      r"density jumps); a saddle point has $\underline G = \overline P$."))
    if slack is not None and slack.values:
        parts = []
        for state, prior in zip(model.states, model.prior):
            value = slack.values.get(f"L[{state.label}]")
            if value is not None:
                parts.append(rf"$L_{{{_state_tex_label(state.label)}}} = {number(value, dps)}$ "
                             rf"(weight $\mu = {latex(prior)}$)")
        if slack.status in (Status.PROVED, Status.CONFIRMED):
            sec.add(Paragraph(r"By \texttt{svo.slackness}, $\inf_x \lambda(x, \theta) = L_\theta$ with "
                              + "; ".join(parts) + "."))
        else:
            # A refuted or inconclusive slackness check establishes no infimum.
            sec.add(Paragraph(r"The declared levels are " + "; ".join(parts) + r", but \texttt{svo.slackness} is "
                              + status_tex(slack.status) + r", so $\inf_x \lambda(x, \theta) = L_\theta$ is not "
                              r"established."))
    if certificate.guarantee_lower is not None:
        sec.add(Paragraph(rf"Guarantee lower bound: $\underline G = {number(certificate.guarantee_lower, dps)}$."))
    else:
        sec.add(Paragraph(r"The guarantee lower bound was not established (see the checks above)."))
    if certificate.potential_upper is not None:
        sec.add(Paragraph(rf"Potential upper bound: $\overline P = {number(certificate.potential_upper, dps)}$."))
    if certificate.potential_limit is not None:
        sec.add(Paragraph(r"The saddle-point claim concerns the limit of the family of information structures; "
                          rf"its potential bound tends to ${number(certificate.potential_limit, dps)}$."))
    if saddle is not None:
        if "gap" in saddle.values:
            sec.add(Paragraph(rf"Gap $\overline P - \underline G = {number(saddle.values['gap'], 3)}$, tolerance "
                              rf"${number(certificate.tolerance, 3)}$ relative."))
        sec.add(Verdict(saddle.status, text_tex(saddle.detail)))


def summary_section(doc: Derivation, certificate) -> None:
    sec = doc.section("Summary")
    verdict = certificate.status.value
    sec.add(Paragraph(
        rf"Verdict: {status_tex(verdict)}. Precision: {certificate.dps} significant digits (relative tolerance "
        rf"$10^{{-{certificate.dps}}}$). A candidate is verified only if no check is refuted or inconclusive and "
        r"the two bounds agree within the tolerance; \emph{proved} means an exact symbolic identity or inequality, "
        r"\emph{confirmed numerically} means agreement at the stated points and precision, which is evidence, "
        r"not a proof."))
    rows = tuple((r"\texttt{%s}" % escape(c.name), status_tex(c.status), text_tex(c.method or ""))
                 for c in certificate.checks)
    sec.add(Table(("check", "status", "method"), rows, r"l l X"))
    for name, reason in certificate.skipped:
        sec.add(Paragraph(r"\texttt{%s} is not part of this certificate: %s." % (escape(name), text_tex(reason))))


def refutation_section(doc: Derivation, certificate, model=None) -> None:
    failing = [c for c in certificate.checks if c.status is Status.REFUTED]
    if not failing:
        return
    candidate = certificate.source
    sec = doc.section("Refutation")
    sec.add(Paragraph("The candidate is \\textbf{not} a saddle point. The failing steps:"))
    for c in failing:
        point = ", ".join(_counterexample_item(k, v) for k, v in (c.counterexample or {}).items())
        residual = f"; residual ${number(c.residual, 8)}$" if c.residual is not None else ""
        sec.add(Paragraph(r"\texttt{%s} is %s. Counterexample: %s%s." % (
            escape(c.name), status_tex(c.status), point, residual)))
        for e in c.evidence:
            if e.status is not Status.REFUTED:
                continue
            where = f"${region_tex(e.claim.region)}$" if e.claim.region else text_tex(e.claim.region_text)
            edges = boundaries_at(e.claim.region, e.witness or {}, certificate.constants, certificate.dps)
            # A witness on a boundary is the region's formula continued to it: say so, since the region on
            # the other side may report the very same point.
            edge = (r" The witness lies on the region's boundary $%s$: the value there is the region's formula "
                    r"continued to its boundary (the limit from inside), so the region on the other side may "
                    r"report the same point." % min(edges, key=latex_width)) if edges else ""
            sec.add(Paragraph(r"\emph{Failing claim:} %s on %s; %s.%s" % (text_tex(e.claim.label), where,
                                                                         evidence_status_text(e), edge)))
            # The readable reduction shows where the claim fails; the verifier's own expression
            # (all definitions substituted) follows in the check's section below.
            counterpart = display_counterpart(c.name, e, model, candidate)
            lhs = _claim_lhs(c.name, e)
            if counterpart is not None:
                reduction = reduce_claim(counterpart, candidate, dict(e.claim.region))
                steps = [Step("", lhs, reduction.steps[0][0])]
                steps += [Step("", None, expr, reason) for expr, reason in reduction.steps[1:]]
                sec.add(Paragraph("In the papers' notation:"), Chain(tuple(steps)))
            else:
                sec.add(Step("", lhs, e.claim.expr, elide=True))


def boundaries_at(region, witness: dict, constants: dict, dps: int) -> list[str]:
    """The surfaces of ``region`` (printed ``a = b``) on which the point ``witness`` lies, to half of ``dps``."""
    if not region or not witness:
        return []
    values = {sp.Symbol(str(k)) if not isinstance(k, sp.Symbol) else k: v for k, v in witness.items()}
    out = []
    with mpmath.workdps(dps + 10):
        for surface, _side in region:
            phi = sp.sympify(surface.phi)
            numbers = {}
            for symbol in phi.free_symbols:
                value = values.get(symbol, constants.get(symbol.name))
                if value is None:
                    break
                numbers[symbol] = sp.Float(mpmath.nstr(mpmath.mpf(value), dps + 10), dps + 10)
            else:
                try:
                    at = abs(complex(phi.xreplace(numbers).evalf(dps + 10)))
                except (TypeError, ValueError):
                    continue
                scale = 1 + max((abs(float(v)) for v in numbers.values()), default=0.0)
                if at <= 10.0 ** (-(dps // 2)) * scale:
                    out.append(relation_tex(phi, 0))
    return list(dict.fromkeys(out))


def _counterexample_item(key, value) -> str:
    if isinstance(value, str):
        return f"{text_tex(key)}: {text_tex(value)}"
    return f"${formula_tex(str(key))} = {number(value, 12)}$"


def certificate_derivation(certificate, short: bool = False) -> Derivation:
    """The derivation (data) of a certificate returned by :func:`irmd.verify.verify`.

    ``short``: the form to paste into a paper -- the checks show the papers'-notation chains and
    the verdicts, and irmd's own steps move to an appendix.
    """
    candidate = certificate.source
    if candidate is None:
        raise InputError("this certificate does not carry its candidate (it was not produced by irmd.verify.verify)")
    params = _params_text(certificate.params)
    doc = Derivation(f"Verification of the candidate \\texttt{{{escape(certificate.candidate)}}}",
                     f"{params} \\quad --- \\quad generated by irmd")
    model = display_model(candidate)
    summary_section(doc, certificate)
    refutation_section(doc, certificate, model)
    if candidate.description:
        # What the candidate is comes first, before the verdict and the table of checks.
        doc.sections[0].items.insert(0, Paragraph("The candidate: " + text_tex(candidate.description) + "."))
    environment_section(doc, candidate)
    candidate_section(doc, candidate, certificate)
    constants_section(doc, candidate, certificate)
    model = objectives_section(doc, candidate, certificate, model)
    doc.section("Checks")
    appendix = [] if short else None
    for result in certificate.checks:
        check_section(doc, result, model, candidate, appendix)
    bounds_section(doc, certificate)
    if appendix:
        sec = doc.section("Appendix: the verifier's own steps")
        sec.add(Paragraph("The claims above as irmd checked them, with the definitions substituted."))
        for title, chain in appendix:
            sec.add(Paragraph(rf"\emph{{{title}.}}"), chain)
    return doc


def candidate_math(candidate) -> list[tuple[str, str]]:
    """(lhs, rhs) LaTeX pairs describing a candidate, for notebooks."""
    rows = []
    env = candidate.environment
    if isinstance(env, SymmetricEnvironment):
        members = {f.symbol: sp.Symbol(f"{f.symbol.name}_i", real=True) for f in env.families}
        rows.append((r"u_i(c, \theta)", latex(env.utility.xreplace(members))))
        for coordinate, expr in candidate.mechanism.outcome:
            rows.append((r"%s_i(x)" % latex(coordinate), latex(expr)))
    else:
        for i, u in enumerate(env.utilities, start=1):
            rows.append((r"u_{%d}(c, \theta)" % i, latex(u)))
        for coordinate, expr in candidate.mechanism.outcome:
            rows.append((r"%s(x)" % latex(coordinate), latex(expr)))
    for d in candidate.functions:
        if d.closed_form is not None:
            rows.append((latex(d.applied), latex(d.closed_form)))
    for label, expr in candidate.information.density:
        rows.append((r"\sigma(x, %s)" % _state_tex_label(label), latex(expr)))
    return rows


__all__ = ["certificate_derivation", "candidate_math"]
_ = (mpmath, OWN, TOTAL)
