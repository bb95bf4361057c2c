"""Where the built-in database, layouts and fonts are, in a checkout or a wheel.

In the repository they sit at the top level (``entries/``, ``layouts/``,
``fonts/``); the wheel maps them into the package (see ``pyproject.toml``).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ENV_ENTRIES = "CALAIS_GUIDE_ENTRIES"
"""Environment variable naming the entries directory (like ``--entries``)."""
EDITION_FILE = "edition.yaml"
"""Name of the edition file in a database directory."""


def is_entry_file(name: str) -> bool:
    """Whether a file of that name in a database directory is an entry file."""
    return name.endswith(".yaml") and name != EDITION_FILE and not name.startswith(".")


def _resource(name: str) -> Path:
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


def builtin_entries() -> Path:
    """The built-in edition (March 2023), shipped with the tool."""
    return _resource("entries")


def layouts_dir() -> Path:
    """Jinja2 templates and CSS of booklets and cards."""
    return _resource("layouts")


def fonts_dir() -> Path:
    """Bundled fonts: the only fonts the renderer may use."""
    return _resource("fonts")


def data_dir() -> Path:
    """Package data: the language registry."""
    return PACKAGE / "data"


def entries_dir(option: Path | None = None) -> Path:
    """The database to use: ``--entries``, else the environment, else built-in."""
    if option is not None:
        return option
    env = os.environ.get(ENV_ENTRIES)
    if env:
        return Path(env)
    return builtin_entries()


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/calais-guide`` (default ``~/.cache/calais-guide``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "calais-guide"
