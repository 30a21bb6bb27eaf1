"""LaTeX derivations of certificates (see irmd.derivations.latex)."""
