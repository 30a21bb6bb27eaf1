"""``irmd new NAME``: write a commented template candidate file that verifies as is."""
from __future__ import annotations

import re
from pathlib import Path

from irmd.candidate_template import render
from irmd.errors import InputError
from irmd.status import EXIT_OK

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def register(subparsers):
    p = subparsers.add_parser(
        "new",
        help="write a template candidate file (environment, mechanism, information, constants) to edit",
        description="Write NAME.py: a commented candidate file that verifies as is (one buyer, common value, "
        "Section 3.5 of the survey \"A Case for (and Against) the Worst Case\" with N = 1), as a starting point "
        "for your own conjecture. "
        "Check it with `irmd verify --file NAME.py`.",
    )
    p.add_argument("name", metavar="NAME", help="candidate name; the file is NAME.py (a path such as models/NAME "
                   "or NAME.py is fine)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(handler=new_command)


def target(name: str) -> tuple[str, Path]:
    """(candidate name, file path) for the user's NAME."""
    path = Path(name)
    if name.endswith(("/", "\\")) or path.is_dir():
        raise InputError(f"NAME {name!r} is a folder; give the file's name, e.g. {Path(name) / 'my_sale'}")
    if path.suffix == ".py":
        stem = path.stem
    elif path.suffix:
        raise InputError(f"NAME {name!r}: a candidate file ends in .py (give NAME or NAME.py)")
    else:
        stem, path = path.name, path.with_name(path.name + ".py")
    if not _NAME.match(stem):
        raise InputError(f"NAME {stem!r}: use letters, digits, '-' and '_', starting with a letter")
    return stem, path


def new_command(args) -> int:
    name, path = target(args.name)
    if path.exists() and not args.force:
        raise InputError(f"{path} exists; use --force to overwrite it")
    if not path.parent.is_dir():
        raise InputError(f"folder {path.parent} does not exist")
    try:
        path.write_text(render(name, str(path)), encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None
    print(f"wrote {path}; check it with: irmd verify --file {path}")
    return EXIT_OK
