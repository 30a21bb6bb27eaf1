"""Write and execute ``costly_sale.ipynb``, the notebook version of the README's tutorial.

    python examples/tutorial/build_notebook.py        # from the repository root

The cells are kept here as plain text so that the notebook can be regenerated after
a change (and reviewed as a diff); the notebook is stored executed, with its outputs.
Its code cells assert what the text claims, so ``tests/tutorial`` can re-run it.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

CELLS = [
    ("markdown", r"""
# A costly sale: from the bounding programs to a verified saddle point

This notebook follows the survey's workflow (Sections 3.3–3.6) on a problem that is not in the papers
(the same steps as `the README's tutorial`, with pictures): solve the bounding programs on grids, look at
the solutions, guess a functional form, encode it, watch `verify` refute the first guess and say why,
fix it, verify it, sweep it, and derive the LaTeX.

**The problem.** A seller offers one buyer a good of common value $\theta \in \{0, 1\}$ with
$\mu(1) = \mu_1$. An outcome is an allocation probability $q$ and a transfer $t$; the buyer's utility
is $u = \theta q - t$. The seller pays $c$ per unit sold ($0 \le c < \mu_1$), so the objective is
$w = t - cq$. Nature chooses the buyer's information. With $c = 0$ this is the survey's common-value
auction (Section 3.5) with one bidder, which is what `irmd new` writes.
"""),
    ("code", r"""
import numpy as np
import pandas as pd
import sympy as sp
import matplotlib.pyplot as plt
from IPython.display import Image, display

from irmd.analytic import Environment, Interval, Simplex, State
from irmd.candidate_files import build_from_file
from irmd.verify import verify
from irmd.verify.bounding import compute_bounds
from irmd.verify.plots import plot_residuals

theta = sp.Symbol("theta", real=True)
q, t = sp.symbols("q t", real=True)
mu1, c = sp.Rational(1, 2), sp.Rational(1, 5)
env = Environment(
    agents=1,
    states=(State.make("0", {theta: 0}), State.make("1", {theta: 1})),
    prior=(1 - mu1, mu1),
    factors=(Simplex((q,)), Interval(t)),
    utilities=(theta * q - t,),
    objective=t - c * q,                 # revenue net of the production cost
)
"""),
    ("markdown", r"""
## 1. Solve the bounding programs on grids

The guarantee program (19) gives a lower bound and the potential program (18) an upper bound on the
value, on the grid $X(k^2) = \{0, 1/k, \dots, k\}$; both converge as $k$ grows. Transfers are bounded
by $t_{max} = 3$, comfortably above what the solutions use; `tie_break="smooth"` picks the smoothest
of the guarantee program's many optimal mechanisms.
"""),
    ("code", r"""
results = {k: compute_bounds(env, k, t_max=3.0, tie_break="smooth") for k in (8, 12, 16)}
pd.DataFrame({"k": list(results), "lower (19)": [r.lower for r in results.values()],
              "upper (18)": [r.upper for r in results.values()]}).set_index("k")
"""),
    ("markdown", r"""
## 2. Look at the solution

On the finest grid: the mechanism of the guarantee program, the marginal density $\rho$ of the signal
and the interim value $v(x) = P(\theta = 1 \mid x)$ of the potential program.
"""),
    ("code", r"""
r = results[16]
x = r.grid.axis()
q_lp, t_lp = r.guarantee.outcome["q"], r.guarantee.outcome["t"]
sigma = r.potential.sigma / r.grid.cell
rho = sigma.sum(axis=0)
v = sigma[1] / rho
shown = x <= 4

fig, axes = plt.subplots(1, 4, figsize=(15, 3.2))
axes[0].plot(x[shown], q_lp[shown], ".", ms=3); axes[0].set_title("q(x), guarantee LP")
axes[1].plot(x[shown], t_lp[shown], ".", ms=3); axes[1].set_title("t(x), guarantee LP")
axes[2].plot(x[shown], rho[shown], ".", ms=3, label="LP"); axes[2].plot(x[shown], np.exp(-x[shown]), label="e^-x")
axes[2].set_title("ρ(x), potential LP"); axes[2].legend()
axes[3].plot(x[shown], v[shown], ".", ms=3, label="LP"); axes[3].set_title("v(x) = P(θ=1 | x)")
for ax in axes: ax.set_xlabel("x"); ax.grid(alpha=0.3)
plt.tight_layout()
print("v(0) =", round(v[0], 3), "  v - v' on [0, 1.75]:", np.round((v - np.gradient(v, x))[:29:4], 3))
"""),
    ("markdown", r"""
* the signal's density is close to $e^{-x}$, as with $c = 0$ (the free transfer forces
  $\rho + \rho' = 0$, the PDE (27));
* $q$ rises linearly and reaches 1 near $x = 2.2$; $t$ rises convexly and is flat once $q = 1$;
* $v$ climbs to 1 near the same point, but starts at $v(0) \approx 0.30$, and $v - v' \approx 0.19$
  on the pooling region.

## 3. A first guess, and why it fails

The obvious guess keeps the $c = 0$ forms (exponential signals with $v = \min(e^{x - \bar y}, 1)$,
$q = \min(x/\bar y, 1)$, $t - t' = L_0$ below $\bar y$) and only adds the cost to the objective:
`examples/tutorial/costly_sale_guess.py`.
"""),
    ("code", r"""
guess = verify(build_from_file("examples/tutorial/costly_sale_guess.py"), dps=20)
assert guess.status.value == "refuted"
for check in guess.failing:
    print(f"{check.name}: {check.status.value}\n    {check.detail}\n")
"""),
    ("code", r"""
for path in plot_residuals(guess, "plots/guess")[:2]:
    display(Image(str(path)))
"""),
    ("markdown", r"""
With $\rho = e^{-x}$ the IVO is
$\gamma(x, (q, t)) = t(\rho + \rho') + q(-c\rho - (\rho v)') = q\,\rho\,(v - v' - c)$. The $c = 0$
posterior has $v - v' = 0$, so the coefficient of $q$ is $-c\rho < 0$ (at $x = 1$:
$-0.2\,e^{-1} = -0.0736$, the coefficient irmd reports): selling with probability $q(x) > 0$ is not a
best response, and complementary slackness (25) fails on the whole pooling region (the gap in
`ivo.png`). The information must make the coefficient vanish, $v - v' = c$, i.e. $v = c + B e^x$ —
exactly what the grid shows ($v - v' \approx 0.19$, $v(0) \approx 0.30 = c + B$). With $v(\bar y) = 1$,
$B = (1 - c)e^{-\bar y}$; above $\bar y$ the IVO is $(1 - c)e^{-x} q$, so $q = 1$ there and the potential
is $(1 - c)e^{-\bar y}$; the prior fixes $\bar y$:
$c(1 - e^{-\bar y}) + (1 - c)\bar y e^{-\bar y} + e^{-\bar y} = \mu_1$.

The SVO $\lambda(x, \theta) = t - cq + \theta q' - t'$ must equal $L_\theta$ on the support of
$\sigma(\cdot, \theta)$ (26). The guess has $\lambda(x, 0) - L_0 = -c\,q(x)$ (the ramp in `svo.png`).
Solving $t - t' - cx/\bar y = L_0$ with $t(0) = 0$ gives
$t(x) = (c/\bar y + L_0)(1 - e^x) + cx/\bar y$ below $\bar y$, and $t = L_1 + c$ above; continuity
at $\bar y$ gives $L_0 = -((1 - c)e^{-\bar y} + c)/\bar y$ and $L_1 = L_0 + 1/\bar y$, and then
$\mu_1 L_1 + \mu_0 L_0 = (1 - c)e^{-\bar y}$.

## 4. The fixed candidate
"""),
    ("code", r"""
fixed = verify(build_from_file("examples/tutorial/costly_sale.py"), dps=20)
assert fixed.status.value == "verified"
value = float(fixed.guarantee_lower)
assert results[16].lower <= value <= results[16].upper
print(fixed.summary())
"""),
    ("markdown", r"""
The candidate against the grid solutions: the LP mechanism and posterior (dots) and the verified
closed forms (lines).
"""),
    ("code", r"""
numeric = fixed.source.numeric(dps=20)
xs = np.linspace(0, 4, 161)
outcome = [numeric.outcome([float(s)]) for s in xs]
q_c = [float(o["q"]) for o in outcome]
t_c = [float(o["t"]) for o in outcome]
v_c = [float(numeric.density([s], "1") / (numeric.density([s], "1") + numeric.density([s], "0"))) for s in xs]
fig, axes = plt.subplots(1, 3, figsize=(12, 3.2))
for ax, lp, cand, name in zip(axes, (q_lp, t_lp, v), (q_c, t_c, v_c), ("q(x)", "t(x)", "v(x)")):
    ax.plot(x[shown], lp[shown], ".", ms=3, label="grid, k = 16")
    ax.plot(xs, cand, label="candidate")
    ax.set_title(name); ax.set_xlabel("x"); ax.grid(alpha=0.3); ax.legend()
plt.tight_layout()
"""),
    ("markdown", r"""
## 5. Sweep the parameters

The guarantee as the cost rises, for two priors, verified at every point on a local Dask cluster of two
worker processes (`irmd sweep --file examples/tutorial/costly_sale.py """
     r"""--param c=0..0.4:0.1 --param mu1=0.5,0.7 --jobs 2`).
"""),
    ("code", r"""
from irmd.sweep import FileSpec, parse_axis, run_sweep
from irmd.verify.plots import plot_sweep

sweep = run_sweep(FileSpec.read("examples/tutorial/costly_sale.py"),
                  [parse_axis("c=0..0.4:0.1"), parse_axis("mu1=0.5,0.7")], dps=20, jobs=2)
assert sweep.status == "verified"
display(Image(str(plot_sweep(sweep, "costly.png"))))
sweep.to_frame()[["c", "mu1", "status", "guarantee_lower", "ybar", "seconds"]]
"""),
    ("markdown", r"""
## 6. Derive the LaTeX

The certificate renders here as a table, and `to_latex()` writes the whole derivation in the papers'
notation (for built-ins, `irmd derive NAME -o FILE.tex` does the same from the command line).
"""),
    ("code", r"""
with open("costly_sale.tex", "w") as tex:
    tex.write(fixed.to_latex())
fixed
"""),
]


def build() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, text in CELLS:
        text = text.strip("\n")
        notebook.cells.append(nbformat.v4.new_markdown_cell(text) if kind == "markdown"
                              else nbformat.v4.new_code_cell(text))
    return notebook


def main() -> None:
    notebook = build()
    # Run from the repository root, where examples/ is, as the tutorial's commands are; the
    # files the notebook writes (plots, costly.png, costly_sale.tex) go to a scratch folder.
    scratch = ROOT / "build" / "tutorial"
    scratch.mkdir(parents=True, exist_ok=True)
    link = scratch / "examples"
    if not link.exists():
        link.symlink_to(ROOT / "examples")
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(scratch)}}).execute()
    for cell in notebook.cells:       # ids and timings change on every run; keep the diff to what matters
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(notebook, HERE / "costly_sale.ipynb")
    print(f"wrote {HERE / 'costly_sale.ipynb'}")


if __name__ == "__main__":
    main()
