r"""The symmetric guarantee LP with cumulative sums: the same value with far fewer non-zeros.

In :class:`~.symmetry.SymmetricGuarantee2LP` every obedience row of a first-price auction sums the
deviation payoff over all the opponents' bids and states: G has :math:`n^2` rows of :math:`2n`
coefficients (:math:`O(n^3)` non-zeros, 129 million at n = 400) and Gc :math:`n` rows over all
:math:`n^2` orbits.  Here the same rows are written through auxiliary variables that are *linear
images with non-negative coefficients* of the orbit weights x, so that each row has a handful of
non-zeros and the whole matrix :math:`O(n^2)`.

Coarse guarantee (any number of agents).  Agent 0's row a' is
:math:`\sum_{o,\theta} x(o,\theta)\,[\mathrm{own}(o,\theta) - \mathrm{dev}_{a'}(o,\theta)] \ge 0` with
:math:`\mathrm{own}(o) = \sum_{a\in o} U_0(a)` and :math:`\mathrm{dev}_{a'}(o) = \sum_{a\in o} U_0(a', a_{-0})`.
Grouping the members of the orbits by the multiset M of the others' actions,
:math:`\sum_o x(o)\,\mathrm{dev}_{a'}(o) = \sum_{M,\theta} |M|\,U_0(a', M, \theta)\, m(M,\theta)` with the
others' marginal :math:`m(M,\theta) = \sum_b x(o(b, M), \theta)`.  Variables
:math:`e^\pm = \sum x\,\mathrm{own}^\pm` (positive and negative parts of the coefficients) and m;
the row becomes :math:`e^+ - e^- - \sum_{M,\theta} |M| U_0(a', M, \theta)\, m(M,\theta) \ge 0`.

Guarantee, two agents, when the deviation payoff is affine on each side of the diagonal: for every
deviation d and state, :math:`U_0(d, c) = A_L(d) + B_L(d)\,c` for :math:`c < d` and
:math:`A_H(d) + B_H(d)\,c` for :math:`c > d` (first-price: :math:`A_L = \theta - d/n`, the rest 0;
second-price, all-pay and their mixtures too; decided exactly by :func:`affine_sides`).  With the
prefix sums :math:`S_j(b, k, \theta) = \sum_{c<k} c^j\, x(o(b,c),\theta)` (j = 0, 1; defined by the
recursion :math:`S_j(b,k+1) = S_j(b,k) + k^j x(o(b,k))`, three non-zeros per row) and
:math:`e^\pm(b) = \sum_{c,\theta} x(o(b,c),\theta)\,U_0(b,c,\theta)^\pm`, the deviation part of row (b, d) is
exactly

.. math::
    \sum_\theta A_H S_0(b,n{+}1) + B_H S_1(b,n{+}1) + (A_L - A_H) S_0(b,d) + (B_L - B_H) S_1(b,d)
    + (U_0(d,d) - A_H - B_H d)\, x(o(b,d))

(split :math:`U_0(d,c)` into the upper affine function everywhere plus corrections below and on the
diagonal), so the row :math:`e^+(b) - e^-(b) - [\ldots] \ge 0` has at most 12 non-zeros.

Why the value is exactly the same, and the certificate carries over.  Write the original LP as
:math:`\min c\cdot x` s.t. :math:`Ex = \mu`, :math:`Ox \ge 0`, :math:`x \ge 0`, and the compact one as
:math:`\min c\cdot x` s.t. :math:`Ex = \mu`, :math:`O_x x + O_s s \ge 0`, :math:`Rs = Qx`,
:math:`x, s \ge 0`, where R is invertible (identity, or unit lower bidiagonal for the recursion) and
:math:`P = R^{-1}Q \ge 0` entrywise, with :math:`O = O_x + O_s P` (the identity above).  (i) The
definitions force :math:`s = Px`, which is :math:`\ge 0` for every :math:`x \ge 0`, so the feasible
x are the same and so are the values.  (ii) Let :math:`(y, \alpha \ge 0, z)` be dual feasible for the
compact LP: :math:`E^Ty + O_x^T\alpha - Q^Tz \le c` and :math:`O_s^T\alpha + R^Tz \le 0`.  Put
:math:`w = -O_s^T\alpha - R^Tz \ge 0`; then :math:`-Q^Tz = Q^TR^{-T}(O_s^T\alpha + w) = P^TO_s^T\alpha + P^Tw
\ge P^TO_s^T\alpha`, hence :math:`E^Ty + O^T\alpha \le E^Ty + O_x^T\alpha - Q^Tz \le c`: the marginal and
obedience multipliers :math:`(y, \alpha)` alone are dual feasible for the original LP, with the same
objective :math:`\mu\cdot y`.  So an exact certificate of the compact LP, restricted to x and to
(v, α), is one of the symmetric LP, and (:mod:`.symmetry`) of the full LP; tests/finite checks it
in rationals against the unreduced LP.
"""
from __future__ import annotations

import math

import numpy as np

from ..lp import LPData, RowAssembler
from .symmetry import SymmetricGuarantee2LP, _orbit_of, _orbit_sums, _orbits


def affine_sides(values: np.ndarray) -> tuple[bool, bool] | None:
    """Is ``values[d, c, t]`` (integers or Fractions, exact) affine in c on c < d and on c > d?

    Returns None when it is not, else ``(slopes, upper)``: whether any slope is non-zero (the
    prefix sums weighted by c are needed) and whether any value above the diagonal is (the totals are).
    """
    count = values.shape[0]
    if count >= 3:
        second = values[:, 2:] - 2 * values[:, 1:-1] + values[:, :-2]         # triple (c, c+1, c+2)
        d = np.arange(count)[:, None]
        c = np.arange(count - 2)[None, :]
        checked = (c + 2 < d) | (c > d)                                        # the triple lies on one side
        if np.any((second != 0) & checked[..., None]):
            return None
    A_L, B_L, A_H, B_H = _affine_coefficients(values)
    slopes = bool(np.any(B_L != 0) or np.any(B_H != 0))
    upper = bool(np.any(A_H != 0) or np.any(B_H != 0))
    return slopes, upper


def _affine_coefficients(values: np.ndarray):
    """``(A_L, B_L, A_H, B_H)`` of shape (A, T): values[d, c] = A + B c below and above the diagonal
    (zero where a side is empty); exact for exact tables, and for float tables their float image."""
    count = values.shape[0]
    zero = values[:, 0, :] * 0
    A_L, B_L, A_H, B_H = (zero.copy() for _ in range(4))
    for d in range(count):
        if d >= 1:
            A_L[d] = values[d, 0]
        if d >= 2:
            B_L[d] = values[d, 1] - values[d, 0]
        if d + 2 <= count - 1:
            B_H[d] = values[d, d + 2] - values[d, d + 1]
            A_H[d] = values[d, d + 1] - B_H[d] * (d + 1)
        elif d + 1 <= count - 1:
            A_H[d] = values[d, d + 1]
    return A_L, B_L, A_H, B_H


def _positive_part(array: np.ndarray) -> np.ndarray:
    return np.where(array > 0, array, array * 0)


class CompactSymmetricGuarantee2LP(SymmetricGuarantee2LP):
    """Payoff tables of a *symmetric* mechanism -> the compact LP of G (two agents, affine sides) or Gc.

    ``structure`` is what :func:`affine_sides` returned on the exact tables (G only; ignored for Gc):
    the caller decides it exactly, so that the float and the exact program have the same rows and
    columns.  :meth:`invert` returns σ, v and α as :class:`~.symmetry.SymmetricGuarantee2LP` does.
    """

    def __init__(self, coarse: bool = False, structure: tuple[bool, bool] | None = None):
        super().__init__(coarse)
        if not coarse and structure is None:
            raise ValueError("the compact guarantee LP needs the affine structure of the deviation payoffs")
        self.structure = structure

    def apply(self, tables, exact: bool = False):
        U, W, mu = tables.U, tables.W, tables.mu
        counts = tables.action_counts
        agents, count, n_states = len(counts), counts[0], len(mu)
        if not self.coarse and agents != 2:
            raise ValueError("the compact guarantee LP (not coarse) is written for two agents")
        reps, sizes, codes = _orbits(count, agents)
        n_x = len(reps) * n_states
        index = np.arange(n_x, dtype=np.int64).reshape(len(reps), n_states)
        others, multiplicity, _ = _orbits(count, agents - 1)
        # columns[b, M, t]: the orbit of (b, M) in state t
        columns = np.empty((count, len(others), n_states), dtype=np.int64)
        for b in range(count):
            profiles = np.concatenate([np.full((len(others), 1), b), others], axis=1)
            columns[b] = index[_orbit_of(profiles, count, codes)]
        values = U[0][(slice(None),) + tuple(others[:, k] for k in range(agents - 1))]   # U_0(b, M, t)
        if self.coarse:
            lp, blocks = self._coarse(U[0], W, mu, reps, sizes, index, columns, values, multiplicity, exact)
        else:
            lp, blocks = self._guarantee(W, mu, reps, sizes, index, columns, values, exact)
        profiles = np.indices(counts).reshape(agents, -1).T
        inverse = {"shape": W.shape, "count": count, "agents": agents, "coarse": self.coarse,
                   "orbit_of": _orbit_of(profiles, count, codes), "n_x": n_x, "aux": blocks}
        return lp, inverse

    def _start(self, n_cols, mu, reps, sizes, index, exact):
        n_states = len(mu)
        rows = RowAssembler(n_cols, exact)
        size_values = sizes.astype(object) if exact else sizes.astype(float)
        rows.add("marginal", np.broadcast_to(size_values[None, :], (n_states, len(reps))), index.T, mu)
        return rows

    def _coarse(self, U0, W, mu, reps, sizes, index, columns, values, multiplicity, exact):
        count, n_others, n_states = columns.shape
        n_x = index.size
        e_plus, e_minus, m0 = n_x, n_x + 1, n_x + 2                   # e+, e-, then m(M, t)
        n_cols = m0 + n_others * n_states
        m_index = (m0 + np.arange(n_others * n_states)).reshape(n_others, n_states)
        rows = self._start(n_cols, mu, reps, sizes, index, exact)
        one = 1 if exact else 1.0
        own = _orbit_sums(U0, reps, sizes).reshape(-1)                # (orbits * T), matches index
        all_x = index.reshape(-1)
        for name, column, part in (("e+", e_plus, _positive_part(own)), ("e-", e_minus, _positive_part(-own))):
            coefficients = np.concatenate([[one], -part]).reshape(1, -1)
            rows.add(f"definition[{name}]", coefficients, np.concatenate([[column], all_x]).reshape(1, -1), 0)
        # m(M, t) - sum_b x(o(b, M), t) = 0
        member = np.moveaxis(columns, 0, -1).reshape(n_others * n_states, count)      # (M t, b)
        coefficients = np.concatenate([np.full((len(member), 1), one, dtype=object if exact else float),
                                       np.full(member.shape, -one, dtype=object if exact else float)], axis=1)
        rows.add("definition[m]", coefficients,
                 np.concatenate([m_index.reshape(-1, 1), member], axis=1), 0)
        # row a': e+ - e- - sum_{M, t} |M| U_0(a', M, t) m(M, t) >= 0
        weight = multiplicity.astype(object) if exact else multiplicity.astype(float)
        deviation = (values * weight[None, :, None]).reshape(count, -1)
        head = np.empty((count, 2), dtype=deviation.dtype)
        head[:, 0], head[:, 1] = one, -one
        rows.add("obedience[0]", np.concatenate([head, -deviation], axis=1),
                 np.concatenate([[e_plus, e_minus], m_index.reshape(-1)]).reshape(1, -1), 0)
        cost = np.zeros(n_cols, dtype=object if exact else float)
        cost[:n_x] = _orbit_sums(W, reps, sizes).reshape(-1)
        lp = rows.finish(cost, self._equalities(rows), sense=1,
                         col_blocks={"x": (0, n_x), "e": (n_x, n_x + 2), "m": (m0, n_cols)})
        return lp, {"e": (n_x, n_x + 2), "m": (m0, n_cols)}

    def _guarantee(self, W, mu, reps, sizes, index, columns, values, exact):
        count, _, n_states = columns.shape
        n_x = index.size
        slopes, _ = self.structure
        dtype = object if exact else float
        one = 1 if exact else 1.0
        # columns after x: e+(b), e-(b), then S_j(b, k, t) for k = 1..count, j = 0 (and 1 with slopes)
        e_plus = n_x + np.arange(count)
        e_minus = n_x + count + np.arange(count)
        sums = [n_x + 2 * count + np.arange(count * count * n_states).reshape(count, count, n_states)]
        if slopes:
            sums.append(sums[0] + count * count * n_states)
        n_cols = n_x + 2 * count + len(sums) * count * count * n_states
        rows = self._start(n_cols, mu, reps, sizes, index, exact)
        flat_columns = columns.reshape(count, -1)                     # x(o(b, c), t) at (b, c t)
        flat_values = values.reshape(count, -1)
        for name, column, part in (("e+", e_plus, _positive_part(flat_values)),
                                   ("e-", e_minus, _positive_part(-flat_values))):
            coefficients = np.concatenate([np.full((count, 1), one, dtype=dtype), -part.astype(dtype)], axis=1)
            rows.add(f"definition[{name}]", coefficients, np.concatenate([column[:, None], flat_columns], axis=1), 0)
        # S_j(b, k+1, t) - S_j(b, k, t) - k^j x(o(b, k), t) = 0 for k = 0..count-1 (S_j(b, 0) = 0 is left out)
        k = np.arange(count)
        for j, S in enumerate(sums):
            weight = (k ** j).astype(object) if exact else (k ** j).astype(float)
            b_, k_, t_ = (axis.reshape(-1) for axis in np.indices((count, count, n_states)))
            previous = np.where(k_ >= 1, S[b_, np.maximum(k_ - 1, 0), t_], S[b_, k_, t_])
            coefficients = np.empty((len(b_), 3), dtype=dtype)
            coefficients[:, 0] = one
            coefficients[:, 1] = np.where(k_ >= 1, -one, 0 * one)
            coefficients[:, 2] = -weight[k_]
            cols = np.stack([S[b_, k_, t_], previous, columns[b_, k_, t_]], axis=1)
            # S_j(b, k+1) sits at S[b, k]: the prefix over c < k+1
            rows.add(f"definition[S{j}]", coefficients, cols, 0)
        A_L, B_L, A_H, B_H = _affine_coefficients(values[:, :, :])     # (count, T) each
        if not slopes:
            B_L, B_H = B_L * 0, B_H * 0
        d = np.arange(count)
        diagonal = values[d, d] - A_H - B_H * d[:, None]                # (count, T)
        # row (b, d): e+(b) - e-(b) - sum_t [A_H S_0(b, n+1) + B_H S_1(b, n+1) + (A_L - A_H) S_0(b, d)
        #             + (B_L - B_H) S_1(b, d) + diagonal x(o(b, d))] >= 0;  S_j(b, d) sits at S[b, d-1]
        b_all, d_all = (axis.reshape(-1) for axis in np.indices((count, count)))
        keep = b_all != d_all
        b_all, d_all = b_all[keep], d_all[keep]
        low = np.maximum(d_all - 1, 0)
        has_low = (d_all >= 1)[:, None]
        parts_coefficients = [np.full((len(b_all), 1), one, dtype=dtype), np.full((len(b_all), 1), -one, dtype=dtype)]
        parts_columns = [e_plus[b_all][:, None], e_minus[b_all][:, None]]
        terms = [(A_H, sums[0][:, count - 1], None), ((A_L - A_H), sums[0], low)]
        if slopes:
            terms += [(B_H, sums[1][:, count - 1], None), ((B_L - B_H), sums[1], low)]
        for coefficient, S, at in terms:
            c = -coefficient[d_all].astype(dtype)
            if at is None:
                parts_columns.append(S[b_all])
            else:
                parts_columns.append(S[b_all, at])
                c = np.where(has_low, c, 0 * c)
            parts_coefficients.append(c)
        parts_coefficients.append(-diagonal[d_all].astype(dtype))
        parts_columns.append(columns[b_all, d_all])
        rows.add("obedience[0]", np.concatenate(parts_coefficients, axis=1), np.concatenate(parts_columns, axis=1), 0)
        cost = np.zeros(n_cols, dtype=dtype)
        cost[:n_x] = _orbit_sums(W, reps, sizes).reshape(-1)
        blocks = {"e": (n_x, n_x + 2 * count), "S": (n_x + 2 * count, n_cols)}
        lp = rows.finish(cost, self._equalities(rows), sense=1, col_blocks={"x": (0, n_x), **blocks})
        return lp, blocks

    @staticmethod
    def _equalities(rows: RowAssembler) -> int:
        """Marginals and definitions come first: every row before the obedience block is an equality."""
        return rows.blocks["obedience[0]"][0]

    def invert(self, x, y, inverse: dict, lp: LPData) -> dict:
        """σ, v and α from the compact LP's solution: the auxiliary columns and rows are dropped."""
        return super().invert(np.asarray(x)[:inverse["n_x"]], y, inverse, lp)


def compact_sizes(count: int, agents: int, states: int, coarse: bool) -> dict:
    """Columns, rows and an upper bound on the non-zeros of the compact LP, from the shapes alone
    (G: two agents, with the slope sums, which the first-price auction does not need)."""
    orbits = math.comb(count + agents - 1, agents)
    others = math.comb(count + agents - 2, agents - 1)
    x = orbits * states
    if coarse:
        columns = x + 2 + others * states
        rows = states + 2 + others * states + count
        nonzeros = x + 2 * (1 + x) + others * states * (1 + count) + count * (2 + others * states)
    else:
        sums = 2 * count * count * states
        columns = x + 2 * count + sums
        rows = states + 2 * count + sums + count * (count - 1)
        nonzeros = x + 2 * count * (1 + count * states) + 3 * sums + count * (count - 1) * (2 + 5 * states)
    return {"columns": columns, "rows": rows, "nonzeros": nonzeros}
