"""Where the built-in database, layouts and fonts are, in a checkout or a wheel.

In the repository they sit at the top level (``entries/``, ``layouts/``,
``fonts/``); the wheel maps them into the package (see ``pyproject.toml``).
"""

from __future__ import annotations

import os
from pathlib import Path

from .cli_text import tr

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


def stat_key(st: os.stat_result) -> str:
    """What a file is known by: change time, inode, size, modification time."""
    return f"{st.st_ctime_ns}.{st.st_ino}.{st.st_size}.{st.st_mtime_ns}"


ENV_NO_CACHE = "CALAIS_GUIDE_NO_CACHE"
"""Set to anything but ``0`` (or empty), no cache is read or written."""


def use_cache() -> bool:
    """Whether caches may be used (:data:`ENV_NO_CACHE`)."""
    return os.environ.get(ENV_NO_CACHE, "") in ("", "0")


def program_key() -> str:
    """The program's own code and data, as a key for caches: any change to a
    module of the package or to its data files invalidates them (by size and
    modification time: no file is read)."""
    import sys

    from . import __version__

    parts = [f"{__version__} {sys.version_info[:2]}"]
    for folder, suffix in ((PACKAGE, ".py"), (PACKAGE / "data", ".yaml")):
        with os.scandir(folder) as items:
            for item in items:
                if item.name.endswith(suffix):
                    parts.append(f"{item.name} {stat_key(item.stat())}")
    return "\n".join(sorted(parts))


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/calais-guide`` (default ``~/.cache/calais-guide``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "calais-guide"


def entries_args(root: Path) -> str:
    """`` --entries DIR`` for a command suggested to the user, or "" when
    ``root`` is the database such a command picks by itself (the environment
    or the built-in edition): next-step hints keep the options used."""
    try:
        if root.resolve() == entries_dir().resolve():
            return ""
    except OSError:
        pass
    import shlex

    return f" --entries {shlex.quote(str(root))}"


def inside_package(root: Path) -> bool:
    """True when ``root`` is inside the installed package (``site-packages/calais_guide``).

    In a repository checkout the built-in edition is ``entries/`` beside the
    package, not inside it, so this is False there.
    """
    try:
        return root.resolve().is_relative_to(PACKAGE)
    except OSError:
        return False


def writable_entries(option: Path | None = None) -> Path:
    """The database a writing command may change: :func:`entries_dir`, refused
    (:class:`~calais_guide.errors.UsageError`, exit 2) when it is the built-in
    edition of an installed package: an upgrade would silently undo the
    changes, and another user of the same installation would see them."""
    root = entries_dir(option)
    if inside_package(root):
        from .errors import UsageError

        raise UsageError(
            tr(
                "{root} is the built-in edition inside the installed program: it is not "
                "changed. Start your own guide with 'calais-guide init DIR', then give "
                "--entries DIR (or export {env_entries}=DIR)",
                root=root,
                env_entries=ENV_ENTRIES,
            )
        )
    return root
