"""Documentation stays true: the schema reference matches the model, every
command has help and is named in the README."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from calais_guide import schema
from calais_guide.cli import app

from .conftest import invoke

ROOT = Path(__file__).resolve().parent.parent


def test_schema_reference_is_up_to_date() -> None:
    current = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert current == schema.render(), "docs/schema.md is stale: run 'make docs'"


def test_every_model_field_is_documented() -> None:
    for cls in schema.CLASSES:
        documented = schema._field_docs(cls)
        for name in cls.__dataclass_fields__:
            assert documented.get(name), f"{cls.__name__}.{name} has no docstring"


def _commands(group: typer.Typer, prefix: str = "") -> list[str]:
    names = [prefix + (c.name or c.callback.__name__) for c in group.registered_commands]  # type: ignore[union-attr]
    for sub in group.registered_groups:
        names += _commands(sub.typer_instance, prefix + f"{sub.name} ")  # type: ignore[arg-type]
    return names


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in _commands(app):
        code, out, err = invoke(*name.split(), "--help")
        assert code == 0, out
        assert "Usage" in out
        assert f"calais-guide {name}" in readme, f"README does not show 'calais-guide {name}'"


def test_every_problem_code_is_documented_and_used() -> None:
    from calais_guide.errors import PROBLEM_CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \| (?!always|yes|warning)", readme, re.M))
    assert documented == set(PROBLEM_CODES)
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "calais_guide").rglob("*.py"))
    unused = [c for c in PROBLEM_CODES if source.count(f'"{c}"') < 2]
    assert not unused, f"codes defined but never given to a Problem: {unused}"
