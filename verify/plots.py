r"""Pictures of a certificate's residuals, and of a sweep's bounds against its parameters.

:func:`plot_residuals` draws, from a certificate's reduced model (what the
checks examined), the quantities that must vanish or keep a sign:

``svo.png``
    :math:`\lambda(x,\theta) - L_\theta` for each state: zero on the support of
    :math:`\sigma(\cdot,\theta)`, non-negative elsewhere (26).  The part of the
    action space outside the support is hatched (grey on curves).
``ivo.png``
    :math:`\max_c\gamma(x,c) - \gamma(x,c(x))`, zero where :math:`\sigma > 0`
    (25), beside :math:`\max_c\gamma(x,c)` itself (the potential bound's
    integrand off the surfaces).  Where a density jumps across a surface the
    potential has a term on that surface too (bilateral trade's whole potential
    sits on the line :math:`x_1 + x_2 = \bar y`): the surface is drawn on the
    integrand's panel, and a panel of its own gives the term's density along it
    (per unit of :math:`dx_1`; with one variable, the value at the point).
``pde.png``
    the IVO coefficient of every unbounded transfer (the PDE, e.g. (27); zero
    everywhere, or of one sign for a half-bounded one) and the residual of every
    defined function's ODE (such as the auction's :math:`T`).  Written only when
    there is something to draw.

With two agents each panel is a heatmap over :math:`(x_1, x_2)`; otherwise a curve
against :math:`\Sigma x` (one agent: :math:`x_1`; a symmetric model depends on
:math:`\Sigma x` only, so the curve is exact; an explicit model with three or more
agents is drawn along two slices, equal actions and :math:`x_1 = \Sigma x` with
the others at their lower bound).  Colour scales are symmetric about zero, so an
exact zero is white.  Where a check was refuted its counterexample is marked (a
cross, or the line :math:`\Sigma x = y` for a symmetric model).

Values are computed with mpmath at 30 digits and drawn on matplotlib Figures
(Agg canvas, no pyplot, so the global backend is left alone); a point where an
expression cannot be evaluated is left blank.  :func:`plot_sweep` draws both bounds
of a sweep against each swept parameter.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

import mpmath
import numpy as np
import sympy as sp
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from irmd.analytic.constants import mpmath_function
from irmd.errors import InputError

from .jumps import density_jump, singular_maximum
from .regions import surfaces_of

#: Working precision of the plotted values.
PLOT_DPS = 30
#: Points per axis of a heatmap, and along a curve.
HEATMAP_POINTS = 41
CURVE_POINTS = 241


def _figure(width: float, height: float):
    """A matplotlib Figure drawn by the Agg canvas, without pyplot.

    Going through ``matplotlib.figure.Figure`` leaves the global backend alone: a
    notebook keeps its inline plots, and no window ever opens.
    """
    return Figure(figsize=(width, height))


# ---------------------------------------------------------------------- evaluation
class _Evaluator:
    """Evaluate model expressions at points of the plotted domain (floats, NaN where undefined)."""

    def __init__(self, certificate):
        model = certificate.reduced_model
        candidate = certificate.source
        if model is None or candidate is None:
            raise InputError("this certificate carries no model to plot (it was not produced by irmd.verify.verify)")
        self.model = model
        self.candidate = candidate
        self.symmetric = model.kind == "symmetric"
        self.agents = model.agents
        values = dict(certificate.constants)
        self.constants = [c.symbol for c in candidate.constants if c.symbol.name in values]
        with mpmath.workdps(PLOT_DPS):
            self.numbers = [mpmath.mpf(values[c.name]) for c in self.constants]

    def function(self, expr: sp.Expr, variables):
        fn = mpmath_function(expr, list(variables) + self.constants)
        numbers = self.numbers

        def evaluate(*point):
            try:
                with mpmath.workdps(PLOT_DPS):
                    value = fn(*[mpmath.mpf(p) for p in point], *numbers)
                    value = mpmath.mpmathify(value)
                    if isinstance(value, mpmath.mpc):
                        value = value.real if abs(value.imag) <= 1e-20 * (1 + abs(value.real)) else mpmath.nan
                    return float(value)
            except (ZeroDivisionError, ValueError, TypeError, OverflowError, ArithmeticError):
                return math.nan
        return evaluate


class _Domain:
    """Where to draw: a 2-D grid (two agents) or points along Σx (slices)."""

    def __init__(self, evaluator: _Evaluator, box, top: float):
        self.ev = evaluator
        self.box = box
        self.variables = box.variables
        lower = [evaluator.function(sp.sympify(l), ())() for l in box.lower]
        self.lower = [0.0 if math.isnan(v) else v for v in lower]
        self.top = top
        n = evaluator.agents
        self.heatmap = n == 2
        if self.heatmap:
            self.axis = np.linspace(self.lower[0] if not evaluator.symmetric else self.lower[0] / 2, top,
                                    HEATMAP_POINTS)
        else:
            start = self.lower[0] if evaluator.symmetric else sum(self.lower)
            self.axis = np.linspace(start, top, CURVE_POINTS)

    def slices(self) -> list[tuple[str, list]]:
        """(label, [point, ...]) along Σx for curve plots."""
        ev = self.ev
        if ev.symmetric or ev.agents == 1:
            return [("", [(y,) for y in self.axis])]
        n, low = ev.agents, self.lower
        equal = [tuple(max(y / n, l) for l in low) for y in self.axis]
        first = [(max(y - sum(low[1:]), low[0]),) + tuple(low[1:]) for y in self.axis]
        return [("equal actions", equal), ("x_1 = Σx, others at the lower bound", first)]

    def values(self, expr: sp.Expr):
        """Array of ``expr`` on the domain: (HEATMAP_POINTS, HEATMAP_POINTS) or one array per slice."""
        fn = self.ev.function(expr, self.variables)
        if self.heatmap:
            a = self.axis
            if self.ev.symmetric:  # depends on x_1 + x_2 only: evaluate once per distinct sum
                step = a[1] - a[0]
                sums = {}
                out = np.empty((a.size, a.size))
                for i in range(a.size):
                    for j in range(a.size):
                        key = i + j
                        if key not in sums:
                            sums[key] = fn(2 * a[0] + key * step)
                        out[i, j] = sums[key]
                return out
            return np.array([[fn(u, v) for v in a] for u in a])
        return [(label, np.array([fn(*p) for p in points])) for label, points in self.slices()]


def _top(evaluator: _Evaluator, certificate) -> float:
    """Upper end of the plotted actions: a few times the constants' scale, past every counterexample."""
    n = evaluator.agents
    scale = [abs(float(v)) for v in evaluator.numbers if 1e-6 < abs(float(v)) < 1e3]
    top = max([2.0 * max(scale) if scale else 0.0, n + 4 * math.sqrt(n) if n > 1 else 0.0, 3.0])
    for check in certificate.checks:
        for key, value in (check.counterexample or {}).items():
            if key in ("claim", "region") or isinstance(value, str):
                continue
            try:
                v = float(value)
            except (TypeError, ValueError):
                continue
            if math.isfinite(v) and v < 1e4:
                total = v if evaluator.symmetric else v * (n if n > 2 else 1)
                top = max(top, 1.2 * total)
    return top


def _witness(certificate, names: tuple[str, ...], claim_contains: str = ""):
    """The counterexample of the first refuted check among ``names`` (variable name -> float), if any.

    With ``claim_contains``, only a counterexample whose claim mentions it (such
    as ``theta=0)``, to mark the panel of the state that failed).
    """
    for check in certificate.checks:
        if check.name in names and check.counterexample and str(check.status) == "refuted":
            if claim_contains and claim_contains not in str(check.counterexample.get("claim", "")):
                continue
            out = {}
            for key, value in check.counterexample.items():
                if key in ("claim", "region"):
                    continue
                try:
                    out[str(key)] = float(value)
                except (TypeError, ValueError):
                    continue
            return out or None
    return None


# ---------------------------------------------------------------------- the data
@dataclass(frozen=True)
class Panel:
    """One residual to draw: its values on the plotted domain and what to mark.

    ``kind`` is ``"heatmap"`` (``values`` of shape (n, n) over ``axis`` x ``axis``,
    first index x_1) or ``"curves"`` (``values`` a tuple of (label, array over
    ``axis``) slices).  ``outside`` marks the points outside the support (same
    shapes, booleans) or is None; ``witness`` is a refuted check's counterexample.
    """

    title: str
    kind: str
    axis: np.ndarray
    values: object
    xlabel: str = "Σx"
    outside: object = None
    witness: dict | None = None
    #: Surfaces to draw on the panel: (label, xs, ys) lines of a heatmap, or (label, position) on a curve's axis.
    surfaces: tuple = ()

    @property
    def max_abs(self) -> float:
        """Largest |value| on the domain (NaN points ignored)."""
        if self.kind == "heatmap":
            return _limits(self.values)
        return max((_limits(v) for _, v in self.values), default=0.0)


def _limits(values) -> float:
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else 0.0


def _levels(certificate) -> dict:
    try:
        values = certificate.check("svo.slackness").values
    except KeyError:
        return {}
    # Exact to the plotting precision: a level rounded to a double would leave a
    # residual of 1e-17 that the colour scale would show as a failure.
    return {key[2:-1]: sp.Float(mpmath.nstr(v, PLOT_DPS + 5), PLOT_DPS + 5)
            for key, v in values.items() if key.startswith("L[") and not isinstance(v, str)}


def _make(domain: _Domain, title: str, expr: sp.Expr, outside=None, witness=None) -> Panel:
    values = domain.values(expr)
    if domain.heatmap:
        return Panel(title, "heatmap", domain.axis, values, "x_1", outside, witness)
    xlabel = "x_1" if domain.ev.agents == 1 and not domain.ev.symmetric else "Σx"
    return Panel(title, "curves", domain.axis, tuple(values), xlabel, outside, witness)


def _outside(domain: _Domain, density: sp.Expr):
    """Where ``density`` vanishes: a boolean array (heatmap) or one per slice."""
    values = domain.values(density)
    if domain.heatmap:
        return np.isfinite(values) & (np.abs(values) == 0)
    return tuple((label, np.isfinite(v) & (np.abs(v) == 0)) for label, v in values)


def _ode_residuals(candidate) -> list:
    """(label, variable, residual expression) of every defined function given with an ODE and a closed form."""
    out = []
    for f in candidate.functions:
        if f.ode is None or f.closed_form is None:
            continue
        applied = f.function(f.variable)
        closed = f.closed_form
        residual = f.ode.subs(sp.Derivative(applied, f.variable), sp.diff(closed, f.variable)).subs(applied, closed)
        out.append((f"ODE of {f.name}", f.variable, residual))
    return out


def _surface_label(phi: sp.Expr) -> str:
    """``x_1 + x_2 = ȳ`` for the surface phi = 0 (negative terms moved to the right)."""
    terms = sp.Add.make_args(sp.expand(phi))
    left = sp.Add(*[t for t in terms if not t.could_extract_minus_sign()])
    right = -sp.Add(*[t for t in terms if t.could_extract_minus_sign()])
    if left.has(sp.exp) and right.is_positive:  # e^{y} e^{-ybar} = 1 is y = ybar
        logged = sp.expand_log(sp.log(left) - sp.log(right), force=True)
        if not logged.has(sp.exp, sp.log):
            return _surface_label(logged)
    text = f"{sp.sstr(left)} = {sp.sstr(right)}".replace("*", "·")
    return text.replace("ybar", "ȳ").replace("x_1", "x₁").replace("x_2", "x₂")


def _surface_terms(domain: _Domain, model) -> tuple[tuple, list[Panel]]:
    """Where the densities jump, the potential's term on the surface (the jump's singular IVO maximum).

    Returns the surfaces to draw on the integrand's panel and one panel per
    surface with the term's density: along x_1 (per unit of dx_1, x_2 on the
    surface) for a heatmap, its value at the crossing for a curve.
    """
    variables = model.signal_box.variables
    surfaces, _ = surfaces_of(list(model.density.values()), variables)
    overlays, panels = [], []
    heatmap_of_sum = domain.heatmap and domain.ev.symmetric
    for surface in surfaces:
        const, coefficients = density_jump(model, surface, {})
        term = singular_maximum(model, const, coefficients)
        if term == 0:
            continue
        label = _surface_label(surface.phi)
        if len(variables) == 1:
            # phi(y) = 0 at a point; the term per unit of delta(phi) is F / |phi'| there.
            (v,) = variables
            roots = [r for r in sp.solve(surface.phi, v) if r.is_real is not False]
            if len(roots) != 1:
                continue
            position = domain.ev.function(roots[0], ())()
            density = domain.ev.function(term / sp.Abs(sp.diff(surface.phi, v)), (v,))(position)
            if not abs(density) >= COLOUR_FLOOR:  # sides that differ in form only (1 and A e^y at A e^y = 1)
                continue
            if heatmap_of_sum:  # the line x_1 + x_2 = root, with the same density along x_1
                xs = domain.axis
                overlays.append((label, xs, position - xs))
                panels.append(Panel(f"potential on the line {label}\n(density of the line term, per dx₁)",
                                    "curves", xs, (("", np.where(position - xs >= xs[0], density, np.nan)),),
                                    "x_1"))
            else:
                overlays.append((f"{label}: term {density:.4g} (per unit of δ)", position))
            continue
        if len(variables) != 2:
            continue  # three or more explicit agents: drawn along slices, where a surface is a point
        x1, x2 = variables
        solved = sp.solve(surface.phi, x2)
        if len(solved) != 1:
            continue
        on_line = domain.ev.function(solved[0], (x1,))
        density_fn = domain.ev.function(term / sp.Abs(sp.diff(surface.phi, x2)), (x1, x2))
        xs = domain.axis
        ys = np.array([on_line(v) for v in xs])
        inside = np.isfinite(ys) & (ys >= domain.lower[1]) & (ys <= domain.top)
        density = np.array([density_fn(u, v) if ok else math.nan for u, v, ok in zip(xs, ys, inside)])
        if not _limits(density) >= COLOUR_FLOOR:  # no jump after all: the two sides agree on the surface
            continue
        overlays.append((label, xs[inside], ys[inside]))
        panels.append(Panel(f"potential on the line {label}\n(density of the line term, per dx₁)", "curves", xs,
                            (("", density),), "x_1"))
    return tuple(overlays), panels


def residuals(certificate) -> dict[str, list[Panel]]:
    """The residuals of a certificate on a grid of the action/signal space.

    Returns ``{"svo": [...], "ivo": [...], "pde": [...]}`` (see the module
    docstring for what each panel holds); ``pde`` is empty when the candidate
    has no unbounded transfer and no ODE-defined function.
    """
    ev = _Evaluator(certificate)
    model = ev.model
    top = _top(ev, certificate)
    actions = _Domain(ev, model.action_box, top)
    signals = _Domain(ev, model.signal_box, top)
    levels = _levels(certificate)

    svo = []
    for state in model.states:
        label = state.label
        level = levels.get(label)
        title = f"λ(x, θ={label}) − L_{label}" if level is not None else f"λ(x, θ={label}) (level unknown)"
        svo.append(_make(actions, title, model.svo[label] - (level if level is not None else 0),
                         _outside(actions, model.density[label]),
                         _witness(certificate, ("svo.slackness",), f"theta={label})")))

    outside = _outside(signals, sum(model.density.values(), sp.S.Zero))
    overlays, line_panels = _surface_terms(signals, model)
    title = "max_c γ(x, c): potential integrand" + (" (off the surface)" if overlays else "")
    ivo = [_make(signals, "max_c γ(x, c) − γ(x, c(x))  (25)", model.ivo_max - model.ivo_at_mechanism, outside,
                 _witness(certificate, ("ivo.slackness",))),
           dataclasses.replace(_make(signals, title, model.ivo_max, outside), surfaces=overlays), *line_panels]

    pde = []
    for coordinate, coefficient in model.free_coefficients().items():
        pde.append(_make(signals, f"coefficient of {coordinate} in γ (must vanish)", coefficient, None,
                         _witness(certificate, ("ivo.transfer_pde",), f"of {coordinate} in gamma")))
    for coordinate, signed, _ in model.half_open_coefficients():
        pde.append(_make(signals, f"signed coefficient of {coordinate} in γ (must be ≥ 0)", signed, None,
                         _witness(certificate, ("ivo.transfer_pde",), f"of {coordinate} in gamma")))
    for label, variable, residual in _ode_residuals(ev.candidate):
        axis = np.linspace(0.0, top, CURVE_POINTS)
        fn = ev.function(residual, (variable,))
        pde.append(Panel(label, "curves", axis, (("", np.array([fn(v) for v in axis])),), str(variable)))
    return {"svo": svo, "ivo": ivo, "pde": pde}


# ---------------------------------------------------------------------- drawing
#: Smallest half-width of a colour scale: residuals below it (rounding at PLOT_DPS
#: digits is near 1e-28) are drawn as zero; the panel title still gives their size.
COLOUR_FLOOR = 1e-12

_SUPTITLES = {
    "svo": "SVO residuals (26): zero on supp σ(·,θ), ≥ 0 elsewhere",
    "ivo": "IVO: zero gap where σ > 0",
    "pde": "PDE and ODE residuals",
}


def _size(m: float) -> str:
    return f"max |value| = {m:.3g}" + (" ≈ 0" if m < COLOUR_FLOOR else "")


def _draw(fig, ax, panel: Panel, symmetric: bool):
    """One residual panel: a heatmap (two agents) or curves along Σx."""
    m = panel.max_abs
    ax.set_title(f"{panel.title}\n{_size(m)}", fontsize=9)
    a = panel.axis
    if panel.kind == "heatmap":
        bound = max(m, COLOUR_FLOOR)
        image = ax.imshow(np.ma.masked_invalid(panel.values).T, origin="lower", extent=[a[0], a[-1], a[0], a[-1]],
                          aspect="auto", cmap="RdBu_r", vmin=-bound, vmax=bound)
        # Every tick labelled in full: an offset label ("1e-12") above the bar would overlap the panel.
        fig.colorbar(image, ax=ax, shrink=0.85, format=FuncFormatter(lambda v, _: f"{v:.2g}"))
        if panel.outside is not None and panel.outside.any():
            ax.contourf(a, a, panel.outside.T.astype(float), levels=[0.5, 1.5], colors="none", hatches=["//"])
        if panel.witness:
            _mark_heatmap(ax, a, panel.witness, symmetric)
        for label, xs, ys in panel.surfaces:
            ax.plot(xs, ys, color="black", lw=2.2, ls="--", label=f"{label}: the potential's line term")
        if panel.surfaces:
            ax.set_xlim(a[0], a[-1])
            ax.set_ylim(a[0], a[-1])
            ax.legend(fontsize=7, loc="upper right")
        ax.set_xlabel("x_1")
        ax.set_ylabel("x_2")
        return
    for (label, values), style in zip(panel.values, ("-", "--")):
        ax.plot(a, values, style, lw=1.4, label=label or None)
    if panel.outside is not None:
        mask = panel.outside[0][1]
        if mask.any():
            ax.fill_between(a, 0, 1, where=mask, transform=ax.get_xaxis_transform(), color="0.88", lw=0,
                            label="outside the support")
    ax.axhline(0.0, color="black", lw=0.6)
    if panel.witness:
        w = panel.witness
        position = w.get("y", w.get("x_1") if len(w) == 1 else sum(w.values()))
        ax.axvline(position, color="red", lw=1, ls=":", label="counterexample")
    for label, position in panel.surfaces:
        ax.axvline(position, color="black", lw=1.6, ls="--", label=f"density jump at {label}")
    if m < COLOUR_FLOOR:  # rounding noise on its own scale would look like a failure
        ax.set_ylim(-COLOUR_FLOOR, COLOUR_FLOOR)
    ax.set_xlabel(panel.xlabel)
    if ax.get_legend_handles_labels()[1]:
        ax.legend(fontsize=7)
    ax.grid(alpha=0.3)


def _mark_heatmap(ax, a, witness: dict, symmetric: bool):
    if symmetric:
        y = witness.get("y")
        if y is not None:  # the counterexample is a value of Σx: mark the whole line
            xs = np.linspace(a[0], a[-1], 2)
            ax.plot(xs, y - xs, color="red", lw=1, ls=":")
            ax.set_xlim(a[0], a[-1])
            ax.set_ylim(a[0], a[-1])
        return
    if "x_1" in witness and "x_2" in witness:
        ax.plot([witness["x_1"]], [witness["x_2"]], marker="x", color="red", ms=10, mew=2)


def plot_residuals(certificate, folder) -> list[Path]:
    """Write ``svo.png``, ``ivo.png`` and (when there is a PDE or ODE) ``pde.png`` to ``folder``.

    Parameters
    ----------
    certificate : Certificate
        From :func:`irmd.verify.verify` (it carries the candidate and its reduced model).
    folder : str or Path
        Created if missing.

    Returns
    -------
    list of Path
        The files written.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create the plot folder {folder}: {error.strerror or error}") from None
    data = residuals(certificate)
    symmetric = certificate.reduced_model.kind == "symmetric"
    title = f"{certificate.candidate} {' '.join(f'{k}={v}' for k, v in certificate.params.items())}".strip()
    written = []
    for name, panels in data.items():
        if not panels:
            continue
        fig = _figure(4.6 * len(panels), 3.9)
        axes = fig.subplots(1, len(panels), squeeze=False)
        for ax, panel in zip(axes[0], panels):
            _draw(fig, ax, panel, symmetric)
        fig.suptitle(f"{_SUPTITLES[name]} — {title}", fontsize=10)
        fig.tight_layout()
        path = folder / f"{name}.png"
        fig.savefig(path, dpi=110)
        written.append(path)
    return written


# ---------------------------------------------------------------------- sweeps
_MARKERS = {"verified": ("o", None), "refuted": ("x", "tab:red"), "inconclusive": ("^", "tab:orange")}


def plot_sweep(result, path) -> Path:
    """Both bounds against each swept parameter (one panel per parameter with several values).

    ``result`` is a :class:`irmd.sweep.SweepResult`.  Within a panel, one line per
    combination of the other swept parameters (a scatter when there are more
    than eight); refuted points are red crosses, inconclusive ones orange
    triangles, and points that failed to run are left out.
    """
    frame = result.to_frame()
    numeric = [name for name in result.parameters if frame[name].dtype.kind in "biufc"]  # pandas' numeric dtypes
    swept = [name for name in numeric if frame[name].nunique() > 1] or numeric[:1]
    if not swept:
        raise InputError("nothing to plot: the sweep has no numeric parameter")
    fig = _figure(5.2 * len(swept), 4.0)
    axes = fig.subplots(1, len(swept), squeeze=False)
    for ax, name in zip(axes[0], swept):
        others = [p for p in swept if p != name]
        groups = list(frame.groupby(others, sort=True)) if others else [((), frame)]
        lines = len(groups) <= 8
        for key, group in groups:
            group = group.sort_values(name)
            key = key if isinstance(key, tuple) else (key,)
            label = ", ".join(f"{p}={v:g}" for p, v in zip(others, key))
            x = group[name].to_numpy(dtype=float)
            lower = group["guarantee_lower"].to_numpy(dtype=float)
            upper = group["potential_upper"].to_numpy(dtype=float)
            limit = group["potential_upper_limit"].to_numpy(dtype=float)
            upper = np.where(np.isfinite(limit), limit, upper)  # a family's claim is about its limit
            mark = np.where(np.isfinite(lower), lower, upper)   # refuted points may lack a guarantee bound
            if lines:
                base = ax.plot(x, lower, "-", lw=1.2, label=label or None)[0]
                ax.plot(x, upper, "--", lw=1.0, color=base.get_color())
            else:
                ax.scatter(x, lower, s=10)
            for status, (marker, color) in _MARKERS.items():
                chosen = group["status"].to_numpy() == status
                if chosen.any() and (status != "verified" or lines):
                    ax.scatter(x[chosen], mark[chosen], marker=marker, s=28 if status != "verified" else 14,
                               color=color or (base.get_color() if lines else None), zorder=3,
                               label=status if status != "verified" else None)
        # Line styles say which bound; colours say which combination of the other parameters.
        ax.plot([], [], "-", color="0.3", label="guarantee lower bound")
        ax.plot([], [], "--", color="0.3", label="potential upper bound")
        ax.set_xlabel(name)
        ax.set_ylabel("value")
        ax.grid(alpha=0.3)
        handles, labels = ax.get_legend_handles_labels()
        unique = dict(zip(labels, handles))
        if unique:
            ax.legend(unique.values(), unique.keys(), fontsize=7, ncol=2 if len(unique) > 6 else 1)
    fig.suptitle(f"Sweep of {result.candidate}: guarantee lower and potential upper bounds", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return Path(path)
