"""Sub-commands of the ``irmd`` command line, one module per family.

Each module defines ``register(subparsers)``; :mod:`irmd.cli` discovers them (modules
whose names start with ``_`` hold shared helpers).
"""
