"""irmd: informationally robust mechanism design.

Sub-packages
------------
irmd.analytic     candidate saddle points written with sympy (environment, mechanism,
                  information structure, constants) and the built-in library
irmd.verify       checks of a candidate (distribution, feasibility, IVO, SVO, bounds)
irmd.derivations  LaTeX derivations of certificates
"""

__version__ = "0.1.0"
