"""One translation state, answered the same way by every command.

:func:`calais_guide.model.translation_state` decides whether a field is
``original``, ``reviewed``, ``draft``, ``stale`` or ``missing`` in a language;
``show --json``, ``translations status``, ``validate`` and ``edition check``
all report its answer. A translation that does not say what it was made from
(no ``from``/``source_hash``) cannot be checked against its source: it is
``stale`` everywhere (it used to be ``draft`` for ``show``, ``STALE`` for
``translations status`` and an error for ``validate``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calais_guide.model import Text, text_hash, translation_state

from .conftest import invoke

FR = "Un abri pour la nuit."
EDITION = """edition: "2023-03"
title:
  fr: Guide de test
  en: Test guide
languages: [fr, en]
verification_window_days: 120
"""
ENTRY = """id: abri
name: Abri
assured_date: 2023-03-01
summary:
  fr: {fr}
  en:
{en}
"""


def _database(tmp_path: Path, en: str) -> Path:
    root = tmp_path / "db"
    root.mkdir()
    (root / "edition.yaml").write_text(EDITION, encoding="utf-8")
    (root / "abri.yaml").write_text(ENTRY.format(fr=FR, en=en), encoding="utf-8")
    return root


def _show_state(root: Path) -> str:
    code, out, err = invoke("show", "abri", "--entries", root, "--json", "--lang", "en")
    assert code == 0, out
    document = json.loads(out)
    assert document["summary"]["text"] == "A shelter for the night."
    state: str = document["translations"]["en"]["summary"]
    return state


def _status_cell(root: Path) -> str:
    code, out, err = invoke("translations", "status", "--entries", root, "--lang", "en")
    assert code == 0, out
    (row,) = [line for line in out.splitlines() if line.strip().startswith("summary ")]
    return row.split()[-1]


def _validate(root: Path, *extra: str) -> tuple[int, list[dict[str, object]]]:
    code, out, err = invoke("validate", "--entries", root, "--format", "json", *extra)
    return code, json.loads(out)["problems"]


def _check(root: Path) -> dict[str, list[dict[str, object]]]:
    code, out, err = invoke("edition", "check", "--entries", root, "--format", "json")
    assert code == 0, out
    return {s["kind"]: s["findings"] for s in json.loads(out)["sections"]}


NO_SOURCE = "    text: A shelter for the night.\n    status: draft"


def test_a_draft_without_its_source_is_stale_everywhere(tmp_path: Path) -> None:
    root = _database(tmp_path, NO_SOURCE)
    assert _show_state(root) == "stale"
    assert _status_cell(root) == "STALE"

    code, problems = _validate(root)
    assert code == 0, problems
    (stale,) = [p for p in problems if p["code"] == "stale-translation"]
    assert (stale["severity"], stale["field"], stale["entry"]) == ("warning", "summary.en", "abri")
    assert stale["message"] == (
        "stale translation: the translation does not say what it was made from "
        "('from' and 'source_hash' are needed)"
    )
    assert f"'from: fr' and 'source_hash: {text_hash(FR)}'" in str(stale["hint"])
    # A stale draft is reported as stale, not a second time as a draft.
    assert not [p for p in problems if p["code"] == "draft-translation"]
    code, _ = _validate(root, "--strict")
    assert code == 1

    sections = _check(root)
    (finding,) = sections["stale-translation"]
    assert (finding["entry"], finding["field"], finding["lang"]) == ("abri", "summary.en", "en")
    assert finding["message"] == stale["message"].removeprefix("stale translation: ")
    assert sections["draft-translation"] == []
    assert sections["invalid"] == []


def test_a_draft_with_its_source_is_a_draft_everywhere(tmp_path: Path) -> None:
    root = _database(tmp_path, f"{NO_SOURCE}\n    from: fr\n    source_hash: {text_hash(FR)}")
    assert _show_state(root) == "draft"
    assert _status_cell(root) == "draft"
    code, problems = _validate(root)
    assert code == 0
    assert [p["code"] for p in problems if p["field"] == "summary"] == ["draft-translation"]
    assert not [p for p in problems if p["code"] == "stale-translation"]
    sections = _check(root)
    assert sections["stale-translation"] == []
    assert [f["lang"] for f in sections["draft-translation"]] == ["en"]


def test_a_changed_source_makes_it_stale_everywhere(tmp_path: Path) -> None:
    old = text_hash("Un abri.")
    root = _database(tmp_path, f"{NO_SOURCE}\n    from: fr\n    source_hash: {old}")
    assert _show_state(root) == "stale"
    assert _status_cell(root) == "STALE"
    _, problems = _validate(root)
    (stale,) = [p for p in problems if p["code"] == "stale-translation"]
    assert stale["message"] == "stale translation: the 'fr' text changed since it was translated"
    (finding,) = _check(root)["stale-translation"]
    assert finding["message"] == "the 'fr' text changed since it was translated"


@pytest.mark.parametrize(
    ("text", "state"),
    [
        (None, "missing"),
        (Text("Shelter."), "original"),
        (Text("Shelter.", "reviewed", "fr", text_hash(FR)), "reviewed"),
        (Text("Shelter.", "draft", "fr", text_hash(FR)), "draft"),
        (Text("Shelter.", "reviewed", "fr", text_hash("old")), "stale"),
        (Text("Shelter.", "reviewed"), "stale"),
        (Text("Shelter.", "draft", "fr"), "stale"),
        (Text("Shelter.", "draft", "de", text_hash(FR)), "stale"),
        (Text("Shelter.", "draft", "en", text_hash(FR)), "stale"),
    ],
)
def test_translation_state(text: Text | None, state: str) -> None:
    texts = {"fr": Text(FR)} | ({"en": text} if text else {})
    assert translation_state(texts, "en") == state
