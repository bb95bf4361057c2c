"""``docs/schema.md``: the reference of the entry and edition files, generated
from the model's field docstrings (one source of truth). ``make docs``
regenerates it; a test fails when it is out of date."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import types
import typing
from pathlib import Path

from . import model
from .load import type_name
from .vocabulary import CATEGORIES, WELCOME

CLASSES = [
    model.Entry,
    model.Text,
    model.Location,
    model.Address,
    model.Schedule,
    model.ScheduleException,
    model.Phone,
    model.Email,
    model.SocialLink,
    model.SpokenLanguage,
    model.Closure,
    model.Edition,
    model.EmergencyNumber,
]


def _field_docs(cls: type) -> dict[str, str]:
    """Attribute docstrings (the string literal right under each field)."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for node, following in zip(body, body[1:], strict=False):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            text = " ".join(following.value.value.split())
            # reST roles and literals -> Markdown code.
            text = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", text).replace("``", "`")
            docs[node.target.id] = text
    return docs


def _type(tp: typing.Any) -> str:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _type(inner[0]) + " (optional)"
    if origin is list:
        return f"list of {_type(args[0])}"
    if origin is dict:
        if args[1] is model.Text:
            return "translatable text (language -> Text)"
        return f"mapping of {_type(args[0])} -> {_type(args[1])}"
    if dataclasses.is_dataclass(tp):
        name = typing.cast(type, tp).__name__
        return f"[{name}](#{name.lower()})"
    return type_name(tp)


def render() -> str:
    """The Markdown reference."""
    lines = [
        "# Entry and edition files",
        "",
        "Generated from `calais_guide/model.py` by `make docs`; do not edit by hand.",
        "",
        "An entry file `entries/<id>.yaml` holds one [Entry](#entry); `entries/edition.yaml`",
        "holds the [Edition](#edition). A *translatable text* maps language codes to a",
        "[Text](#text); a plain string is shorthand for an original text:",
        "",
        "```yaml",
        "summary:",
        "  fr: Distribution de repas chauds.",
        "  en:",
        "    text: Hot meals.",
        "    status: draft",
        "    from: fr",
        "    source_hash: 0123456789ab",
        "```",
        "",
    ]
    for cls in CLASSES:
        doc = inspect.getdoc(cls) or ""
        lines += [f"## {cls.__name__}", "", doc.splitlines()[0] if doc else "", ""]
        lines += ["| field | type | required | meaning |", "|---|---|---|---|"]
        docs = _field_docs(cls)
        hints = typing.get_type_hints(cls)
        for name, f in model.yaml_fields(cls).items():
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            meaning = docs.get(f.name, "").replace("|", "\\|")
            lines.append(
                f"| `{name}` | {_type(hints[f.name])} | {'yes' if required else ''} | {meaning} |"
            )
        lines.append("")
    lines += ["## Categories", ""]
    lines += [f"- `{key}`: {label}" for key, label in CATEGORIES.items()]
    lines += ["", "## Who is welcome", ""]
    lines += [f"- `{key}`: {label}" for key, label in WELCOME.items()]
    lines.append("")
    return "\n".join(lines)


def write(path: Path) -> None:
    """Write the reference to ``path``."""
    from .fileio import write_text

    write_text(path, render())


if __name__ == "__main__":
    write(Path(__file__).resolve().parent.parent / "docs" / "schema.md")
