"""Sub-commands of the ``irmd`` command line, one module per family.

Each module defines ``register(subparsers)``; :mod:`irmd.cli` discovers them (modules
whose names start with ``_`` hold shared helpers).
"""

#: The module that registers each sub-command: running one imports only its module, since the
#: others bring in matplotlib, pandas and Dask (tests/cli/test_cli.py keeps this equal to what the
#: modules register).
MODULE_OF_COMMAND = {
    "auction": "finite", "bounds": "bounds", "derive": "derive", "fpa": "finite", "guarantee": "finite",
    "list": "candidates", "new": "new", "potential": "finite", "public-good": "public_good",
    "reduce": "finite", "reproduce": "derive", "sweep": "sweep", "verify": "candidates",
}
