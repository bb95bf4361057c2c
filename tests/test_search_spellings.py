"""Spellings the guide changed stay findable: `find` with the old or the new
spelling finds the same entries (data/search_words.yaml, `spellings`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calais_guide.load import load_database
from calais_guide.paths import builtin_entries
from calais_guide.search import build_index, load_search_words, search, search_words_path
from calais_guide.translations import units

from .conftest import copy_guide, edit_entry, invoke

FIXTURE = Path(__file__).parent / "fixtures" / "lookup-db"
OLD, NEW = "کاله", "کالێ"  # Calais in Sorani: as printed until 2026-12, as printed now


@pytest.fixture
def sorani_only(tmp_path: Path) -> Path:
    """The lookup fixture with one entry naming Calais in Sorani only (new spelling)."""
    root = copy_guide(FIXTURE, tmp_path)

    def add_ckb(data: dict) -> None:
        data["summary"]["ckb"] = {"text": f"جلشۆرخانە لە {NEW}", "status": "draft"}

    edit_entry(root, "laverie-exemple", add_ckb)
    return root


def find_json(root: Path, query: str) -> dict:
    code, output, errors = invoke("find", query, "--lang", "ckb", "--json", "--entries", root)
    assert code == 0, errors
    return json.loads(output)


@pytest.mark.parametrize("query", [OLD, NEW])
def test_old_and_new_spelling_find_the_entry_exactly(sorani_only: Path, query: str) -> None:
    found = find_json(sorani_only, query)
    results = {r["id"]: r for r in found["results"]}
    assert found["fuzzy"] is False  # an exact match, not a typo tolerated
    assert results["laverie-exemple"]["summary"]["text"] == f"جلشۆرخانە لە {NEW}"
    # (The new spelling folds like Pashto کالي, "clothes": clothes entries come too.)
    assert set(results) - {"laverie-exemple"} <= {
        e.id for e in load_database(sorani_only).entries if "clothes" in e.categories
    }


def test_without_the_spellings_group_the_old_spelling_is_only_a_typo(
    sorani_only: Path, tmp_path: Path
) -> None:
    """The group is what makes the old spelling exact: remove it and the same
    query only finds the entry with a typo allowed (and ranks it lower)."""
    text = search_words_path().read_text(encoding="utf-8")
    assert f"[{NEW}, {OLD}]" in text
    plain = tmp_path / "search_words.yaml"
    other = "  - [placeholder, placeholders]"
    plain.write_text(text.replace(f"  - [{NEW}, {OLD}]", other), "utf-8")
    index = build_index(load_database(sorani_only), load_search_words(plain))
    assert search(index, OLD).fuzzy is True
    index = build_index(load_database(sorani_only), load_search_words())
    result = search(index, OLD)
    assert result.fuzzy is False and [h.id for h in result.hits] == ["laverie-exemple"]


def test_the_builtin_sorani_texts_use_the_new_spelling_and_the_old_finds_them() -> None:
    db = load_database(builtin_entries())
    sorani = [(u.context, u.texts["ckb"].text) for u in units(db) if "ckb" in u.texts]
    assert not [c for c, text in sorani if OLD in text]
    with_calais = {c.split(":")[0] for c, text in sorani if NEW in text}
    assert len(with_calais) >= 12  # the edition and most entries name Calais
    code, output, errors = invoke("find", OLD, "--lang", "ckb", "--json")
    assert code == 0, errors
    found = json.loads(output)
    assert found["fuzzy"] is False
    assert with_calais - {"edition"} <= {r["id"] for r in found["results"]}


@pytest.mark.parametrize(
    ("group", "message"),
    [
        ("kaleh", "each group is a list of words"),
        ("[kaleh]", "two or more single words"),
        ("[kaleh, kaleh]", "two or more single words"),
        ("[kaleh, two words]", "two or more single words"),
    ],
)
def test_a_bad_spellings_group_is_refused_by_name(tmp_path: Path, group: str, message: str) -> None:
    text = search_words_path().read_text(encoding="utf-8")
    bad = tmp_path / "search_words.yaml"
    bad.write_text(text.replace(f"  - [{NEW}, {OLD}]", f"  - {group}"), "utf-8")
    with pytest.raises(ValueError, match=message) as error:
        load_search_words(bad)
    assert "spellings" in str(error.value) and str(bad) in str(error.value)
