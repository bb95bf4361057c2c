"""Quiet success, loud failure: commands that change entries warn about what
a person would want to know (a closure recorded twice, a verification date
going backwards, translations a change made out of date)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from calais_guide.load import load_database

from .conftest import invoke


def test_close_twice_warns_and_adds_nothing(guide: Path) -> None:
    args = ["close", "salam", "--from", "2023-08-01", "--until", "2023-08-15"]
    code, out, err = invoke(*args, "--reason", "Congés", "--entries", guide)
    assert (code, out, err) == (0, "salam: closed from 2023-08-01 to 2023-08-15\n", "")
    after_first = (guide / "salam.yaml").read_bytes()
    code, out, err = invoke(*args, "--reason", "Congés d'été", "--entries", guide)
    assert (code, out) == (0, "")
    assert err == (
        "warning: salam: the same closure (from 2023-08-01 to 2023-08-15) is already recorded: "
        "nothing added (change its text with 'calais-guide edit salam')\n"
    )
    assert (guide / "salam.yaml").read_bytes() == after_first
    entry = load_database(guide).get("salam")
    assert entry is not None and len(entry.closures) == 1


def test_verify_warns_when_the_date_goes_backwards(guide: Path) -> None:
    code, out, err = invoke(
        "verify", "salam", "--by", "Sam", "--date", "2023-05-01", "--entries", guide
    )
    assert (code, err) == (0, "")
    code, out, err = invoke(
        "verify", "salam", "--by", "Ali", "--date", "2023-04-01", "--entries", guide
    )
    assert code == 0
    assert out == "salam: verified on 2023-04-01 by Ali (salam.yaml)\n"
    assert err == (
        "warning: salam: the date goes backwards: it was last verified on 2023-05-01, "
        "later than 2023-04-01\n"
    )


def _editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-editor"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_edit_says_which_translations_became_stale(
    guide: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = load_database(guide).get("salam")
    assert entry is not None
    old = entry.summary["fr"].text
    translated = sorted(f"summary.{lang}" for lang in entry.summary if lang != "fr")
    assert translated  # the built-in entry has translations of its summary
    new = old.replace("repas", "repas chauds", 1)
    assert new != old
    monkeypatch.setenv("EDITOR", _editor(tmp_path, f"sed -i 's/{old}/{new}/' \"$1\""))
    code, out, err = invoke("edit", "salam", "--entries", guide)
    assert code == 0, err
    assert out == "Saved salam.yaml.\n"
    assert " ".join(err.split()) == (
        f"warning: out of date now (their source text changed): {', '.join(translated)}; "
        "update them, or send them to a translator with "
        f"'calais-guide translations export --lang LANG --entries {guide}'"
    )
    # A change that touches no source text warns about nothing.
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "sed -i 's/^name: Salam$/name: SALAM/' \"$1\""))
    code, out, err = invoke("edit", "salam", "--entries", guide)
    assert (code, out, err) == (0, "Saved salam.yaml.\n", "")
