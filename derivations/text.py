r"""Plain text with formulas in it, typeset as LaTeX text with the formulas in math mode.

irmd's checks describe their claims, steps and results in plain text that
mixes words and formulas written the way the sympy strings and the papers'
ASCII notation write them: ``q_i at x_i = y: q_i >= 0``, ``lambda(x, theta=0)
- L_0``, ``substitute y = u_y + ybar``, ``G_{N+1}(ybar) = mu(0)``,
``tolerance 1e-30 (|gap| = 5.7e-42)``.  :func:`text_tex` finds the formulas
and sets them in math mode in the papers' notation (``$q_i \ge 0$``,
``$\lambda(x, \theta=0) - L_0$``, ``$\bar y$``, ``$10^{-30}$``); the words are
escaped.  It never fails: a word it does not recognise as mathematics stays
text.

The rules, on whitespace-separated words:

* a word is *mathematical* if it contains an operator or a script
  (``_ ^ = < > + * / |``), a call ``f(...)``, is a single letter other than
  the article *a*, a known name (Greek letters, ``ybar``, ``eps``, ``oo``,
  ``exp``, ``max_c``, ``sum_i``, ``supp``, ``div``, ``lim``), a lone operator, a
  number in scientific notation or a signed number; a plain number is
  mathematical only next to an operator (so *62 points* and *Section 3.5* stay
  text, ``= 0`` does not);
* consecutive mathematical words form one formula; brackets left open at its
  start or end, and trailing punctuation, go back to the text;
* inside a formula, identifiers are printed like sympy symbols by
  :func:`irmd.derivations.printer.latex` (subscripts split at ``_``),
  ``exp(u)`` becomes :math:`e^{u}`, ``a^(b)`` becomes :math:`a^{b}`,
  ``>=``/``<=``/``->`` become :math:`\ge`/:math:`\le`/:math:`\to`, ``1e-20``
  becomes :math:`10^{-20}`, and words of more than one letter that are not
  names (``state``, ``value``, ``no trade``) are upright text.
"""
from __future__ import annotations

import re

import sympy as sp

from .document import escape
from .printer import latex
from .printer import plain as _plain

GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
         "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta",
         "Lambda", "Sigma", "Phi", "Psi", "Omega"}
#: Names with a fixed rendering (operators and the papers' abbreviations).
NAMES = {"eps": r"\epsilon", "oo": r"\infty", "supp": r"\operatorname{supp}", "div": r"\operatorname{div}",
         "lim": r"\lim", "max": r"\max", "min": r"\min", "sup": r"\sup", "inf": r"\inf", "sum": r"\sum",
         "log": r"\log", "high": r"\mathrm{high}", "low": r"\mathrm{low}",
         "ybar": r"\bar{y}", "xbar": r"\bar{x}", "qbar": r"\bar{q}", "rhobar": r"\bar{\rho}",
         "nubar": r"\bar{\nu}", "sigmabar": r"\bar{\sigma}", "mu0": r"\mu(0)", "mu1": r"\mu(1)"}
#: Names that are mathematics only next to other mathematics ("sum q_i", but "the sum of").
WEAK_NAMES = {"sum", "max", "min", "lim", "inf", "sup", "log", "div", "supp", "high", "low"}
_OPERATORS = {">=", "<=", "=", "<", ">", "+", "-", "->", "*", "/", "==", "!="}
_SIGNED = re.compile(r"^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$")
_SCI = re.compile(r"\d(\.\d+)?[eE][-+]?\d+")
_PLAIN_NUMBER = re.compile(r"^\d+(\.\d+|\.\.\d+)?$")             # 3.5, 0..4
_EQ_NUMBER = re.compile(r"^\(\d+'?\)([-\u2013]\(\d+'?\))?$")          # (34), (32)-(33)
_HYPHENATED = re.compile(r"^[A-Za-z]{2,}(-[A-Za-z]{2,})+$")            # proportional-price (not h-g)
_NUMBER_RANGE = re.compile(r"^\d+(\.\d+)?-\d+(\.\d+)?$")                 # Sections 3.5-3.6
_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_(?:\{[^{}]*\}|[A-Za-z0-9]+))?'*")


def _escape_text(text: str) -> str:
    return escape(text, breaks=False)


# ----------------------------------------------------------------------------- classification
def _core(word: str) -> str:
    """The word without surrounding punctuation and unbalanced brackets."""
    return word.strip(",;:.!?\"'`").strip("()[]")


def _is_math_word(word: str) -> bool:
    core = _core(word)
    if not core:
        return word in _OPERATORS
    if word in _OPERATORS or core in _OPERATORS:
        return True
    if _EQ_NUMBER.match(word.rstrip(",;:.")) or _HYPHENATED.match(core) or _NUMBER_RANGE.match(core) \
            or word.rstrip(",;:.").endswith("(s)") \
            or "--" in word:
        return False
    if _SCI.search(core) or (_SIGNED.match(core) and core[0] in "+-"):
        return True
    if _PLAIN_NUMBER.match(core):
        return False
    if any(ch in core for ch in "_^=<>+*/|") or re.search(r"[A-Za-z0-9]\(", core):
        return True
    if re.search(r"[A-Za-z0-9)]-[A-Za-z0-9(]", core) and not re.fullmatch(r"[A-Za-z0-9]+-[A-Za-z]{3,}", core):
        return True                     # N-1, h-g (hyphenated words were excluded above)
    if len(core) == 1 and core.isalpha():
        return core != "a"
    base = re.sub(r"'+$", "", core)
    return base in GREEK or base in NAMES or base.split("_")[0] in GREEK or base == "sqrt"


def _mark(words: list[str]) -> list[bool]:
    math = [_is_math_word(w) for w in words]
    for k, w in enumerate(words):
        if math[k] and _core(w) in WEAK_NAMES:
            neighbours = [math[j] and _core(words[j]) not in WEAK_NAMES for j in (k - 1, k + 1) if 0 <= j < len(words)]
            math[k] = any(neighbours)
    # A plain number (or a word in parentheses like "(x)") joins the formula next to it when it
    # touches an operator: "= 0", "0 + 1e-5".
    for k, w in enumerate(words):
        if math[k] or not _PLAIN_NUMBER.match(_core(w)) or _EQ_NUMBER.match(w.rstrip(",;:.")):
            continue
        before = k > 0 and math[k - 1] and (words[k - 1] in _OPERATORS or words[k - 1][-1:] in "=<>+-*/(")
        after = k + 1 < len(words) and words[k + 1] in _OPERATORS
        if before or after:
            math[k] = True
    return math


def _split_brackets(formula: str) -> tuple[str, str, str]:
    """(leading text, formula, trailing text): unbalanced brackets and punctuation go to the text."""
    lead, trail = "", ""
    while True:
        changed = False
        while formula and formula[-1] in ",;:.!?\"" and not formula.endswith(".."):
            trail, formula, changed = formula[-1] + trail, formula[:-1], True
        while formula and formula[0] in "\"`":
            lead, formula, changed = lead + formula[0], formula[1:], True
        if formula.endswith("'") and formula.count("'") == 1 and lead.endswith("'"):
            trail, formula, changed = "'" + trail, formula[:-1], True
        opens = formula.count("(") + formula.count("[")
        closes = formula.count(")") + formula.count("]")
        if formula and formula[0] in "([" and opens > closes:
            lead, formula, changed = lead + formula[0], formula[1:], True
        elif formula and formula[-1] in ")]" and closes > opens:
            trail, formula, changed = formula[-1] + trail, formula[:-1], True
        if not changed:
            return lead, formula, trail


# ----------------------------------------------------------------------------- formulas
def _identifier(name: str) -> str:
    primes = len(name) - len(name.rstrip("'"))
    name = name.rstrip("'")
    base, _, sub = name.partition("_")
    if base == "u" and sub in ("y", "x_1", "x_2"):
        return "u" + "'" * primes          # positivity substitutions of sign proofs (as the printer)
    if not sub:
        out = _name(base)
    else:
        if sub.startswith("{") and sub.endswith("}"):
            sub_tex = formula_tex(sub[1:-1])
        else:
            sub_tex = _name(sub) if (sub in NAMES or sub in GREEK or len(sub) == 1 or sub.isdigit()) else \
                r"\mathrm{%s}" % sub
        out = "%s_{%s}" % (_name(base), sub_tex)
    return out + "'" * primes


def _name(name: str) -> str:
    if name in NAMES:
        return NAMES[name]
    if name in GREEK:
        return "\\" + name
    if len(name) == 1 or name.isdigit():
        return name

    if name.endswith("bar") and (name[:-3] in GREEK or len(name[:-3]) == 1):
        return latex(sp.Symbol(name))
    return r"\mathrm{%s}" % name


def _matching(s: str, i: int) -> int:
    """Index of the bracket closing the one at ``s[i]`` (or len(s))."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] in "({":
            depth += 1
        elif s[j] in ")}":
            depth -= 1
            if depth == 0:
                return j
    return len(s)


_TOKENS = re.compile(r"\s+|>=|<=|->|==|!=|\.\.|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z][A-Za-z0-9]*(?:_(?:\{[^{}]*\}|"
                     r"[A-Za-z0-9]+))?'*|.")


#: ``a/b T``: a quotient followed by a juxtaposed factor (one letter, maybe with a subscript or primes).
_QUOTIENT_TIMES = re.compile(r"(\([^()]*\)|[A-Za-z0-9_]+)\s*/\s*(\([^()]*\)|[A-Za-z0-9_]+)"
                             r"(?=\s+[A-Za-z](?:_[A-Za-z0-9]+)?'*(?:\s|$|[-+=*/),;]))")


def formula_tex(formula: str) -> str:
    """One formula in ASCII notation as math-mode LaTeX (without the dollars)."""
    out, i, words = [], 0, []
    # "(N-1)/y T" means ((N-1)/y) T, but printed as is it reads (N-1)/(yT): the quotient is bracketed.
    s = _QUOTIENT_TIMES.sub(r"(\1/\2)", formula)

    def flush_words():
        if words:
            out.append(r"\text{%s}" % _escape_text(" ".join(words)))
            words.clear()

    while i < len(s):
        m = _TOKENS.match(s, i)
        tok = m.group(0)
        j = m.end()
        if tok.isspace():
            i = j
            continue
        if tok == "sqrt":
            flush_words()
            m2 = re.compile(r"\s*(\(|[A-Za-z0-9]+)").match(s, j)
            if m2 and m2.group(1) == "(":
                end = _matching(s, m2.start(1))
                out.append(r"\sqrt{%s}" % formula_tex(s[m2.start(1) + 1:end]))
                i = end + 1
            elif m2:
                out.append(r"\sqrt{%s}" % formula_tex(m2.group(1)))
                i = m2.end()
            else:
                out.append(r"\surd")
                i = j
            continue
        # Multi-letter words that are no names: upright text, consecutive ones kept together.
        if re.fullmatch(r"[A-Za-z]{2,}", tok) and tok not in NAMES and tok not in GREEK and not tok.endswith("bar") \
                and not (j < len(s) and s[j] in "(_"):
            words.append(tok)
            i = j
            continue
        flush_words()
        if tok == "exp" and j < len(s) and s[j] == "(":
            end = _matching(s, j)
            out.append("e^{%s}" % formula_tex(s[j + 1:end]))
            i = end + 1
            continue
        if tok == "^":
            if j < len(s) and s[j] == "(":
                end = _matching(s, j)
                out.append("^{%s}" % formula_tex(s[j + 1:end]))
                i = end + 1
            elif j < len(s) and s[j] == "{":
                end = _matching(s, j)
                out.append("^{%s}" % formula_tex(s[j + 1:end]))
                i = end + 1
            else:
                m2 = re.compile(r"-?[A-Za-z0-9]+").match(s, j)
                exponent = m2.group(0) if m2 else ""
                out.append("^{%s}" % formula_tex(exponent))
                i = j + len(exponent)
            continue
        if tok == "*" and j < len(s) and s[j] == "*":      # python power
            m2 = re.compile(r"\*\*\(").match(s, i)
            if m2:
                end = _matching(s, i + 2)
                out.append("^{%s}" % formula_tex(s[i + 3:end]))
                i = end + 1
                continue
            out.append("^")
            i = j + 1
            continue
        if _SCI.fullmatch(tok):
            mantissa, _, exponent = tok.lower().partition("e")
            power = "10^{%d}" % int(exponent)
            out.append(power if mantissa in ("1", "1.0") else r"%s \cdot %s" % (mantissa, power))
        elif tok[0].isdigit():
            out.append(tok)
        elif tok == "." and out and out[-1] == "(":
            out.append(r"\cdot")           # sigma(., theta)
        elif tok[0].isalpha():
            out.append(_identifier(tok))
        else:
            out.append({">=": r"\ge", "<=": r"\le", "->": r"\to", "==": "=", "!=": r"\ne", "..": r"\dots",
                        "*": r"\,", "|": "|", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                        "$": r"\$", "~": r"\sim", "\\": r"\backslash"}.get(tok, tok))
            if tok == "+" and out[-2:-1] and out[-2] == "0" and (j >= len(s) or s[j] in ")]"):
                out[-1] = "^{+}"        # 0+ : the right limit
        i = j
    flush_words()
    tex = " ".join(out)
    tex = re.sub(r"(\d) \\, (\d)", r"\1 \\cdot \2", tex)
    tex = tex.replace(r"\, \,", r"\,")
    tex = tex.replace(" ^{", "^{").replace("( ", "(").replace(" )", ")").replace(" , ", ", ")
    # A call is written f(x), not f (x).
    return re.sub(r"([A-Za-z0-9}'])\s\(", r"\1(", tex)


# ----------------------------------------------------------------------------- text
def text_tex(text: str) -> str:
    """Plain text with formulas (see the module docstring) as LaTeX text."""
    text = str(text)
    if not text:
        return ""
    words = text.split()
    math = _mark(words)
    pieces, k = [], 0
    while k < len(words):
        if not math[k]:
            pieces.append(_text_word(words[k]))
            k += 1
            continue
        j, depth = k, 0
        while j < len(words) and (math[j] or (0 < depth and j - k < 6)):
            # A parenthesised formula after a complete one is a new formula ("1e-30 (|gap| = 0)").
            if j > k and depth <= 0 and words[j][:1] in "([" and words[j - 1] not in _OPERATORS \
                    and words[j - 1][-1:] not in "=<>+-*/(":
                break
            depth += sum(words[j].count(c) for c in "([{") - sum(words[j].count(c) for c in ")]}")
            j += 1
            # A comma, colon or semicolon outside brackets ends the formula ("x_i = 0: q_i >= 0").
            if depth <= 0 and words[j - 1][-1] in ",;:" and not words[j - 1].endswith("0:0"):
                break
        lead, formula, trail = _split_brackets(" ".join(words[k:j]))
        piece = _text_word(lead) if lead else ""
        if formula:
            piece += "$%s$" % formula_tex(formula)
        piece += _text_word(trail) if trail else ""
        pieces.append(piece)
        k = j
    return " ".join(pieces)


def _text_word(word: str) -> str:
    out = _escape_text(word)
    # Typographic quotes for the quotes of transcribed text.
    out = re.sub(r'"(?=[A-Za-z0-9$])', "``", out)
    out = out.replace('"', "''")
    return re.sub(r"^'(?=[A-Za-z0-9$])", "`", out)


def plain(expr) -> str:
    """A sympy expression as readable plain text (derivatives as primes, no dummy symbols)."""
    return _plain(expr)


__all__ = ["text_tex", "formula_tex", "plain"]
