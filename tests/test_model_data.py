"""The one serialiser of the model (model.to_data) and the field names it uses."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from calais_guide.load import INVALID, Converter, Document, load_database
from calais_guide.model import (
    Address,
    Entry,
    Location,
    Schedule,
    Text,
    to_data,
    yaml_fields,
)
from calais_guide.paths import builtin_entries


def test_to_data_writes_the_entry_files_names_and_leaves_loader_fields_out() -> None:
    entry = Entry(
        id="salam",
        name="Salam",
        summary={
            "fr": Text("Repas"),
            "en": Text("Meals", "draft", source="fr", source_hash="0123456789ab"),
        },
        locations=[
            Location(
                "fixed",
                address=Address("1 rue X", "62100"),
                schedules=[Schedule(["mo"], dt.time(9, 5), dt.time(12, 0), dt.date(2023, 7, 1))],
            )
        ],
        path=Path("/somewhere/salam.yaml"),
        lines={"id": 1},
    )
    data = to_data(entry)
    assert "path" not in data and "lines" not in data
    assert data["summary"]["en"] == {
        "text": "Meals",
        "status": "draft",
        "from": "fr",  # the YAML name of Text.source
        "source_hash": "0123456789ab",
    }
    slot = data["locations"][0]["schedules"][0]
    assert (slot["opens_at"], slot["closes_at"], slot["valid_from"]) == (
        "09:05",
        "12:00",
        "2023-07-01",
    )
    assert data["locations"][0]["address"] == {
        "street": "1 rue X",
        "postal_code": "62100",
        "city": "Calais",
    }


def test_to_data_keeps_only_the_languages_asked_or_every_text_when_none_is_there() -> None:
    entry = Entry(
        id="a",
        name="A",
        summary={"fr": Text("Repas"), "ar": Text("وجبات"), "en": Text("Meals")},
        description={"ar": Text("نص")},
    )
    data = to_data(entry, keep={"en", "fr"})
    assert sorted(data["summary"]) == ["en", "fr"]
    assert sorted(data["description"]) == ["ar"]  # nothing in en/fr: any text is shown
    assert data["transliterations"] == {}


def test_yaml_fields_are_what_the_loader_reads_back() -> None:
    assert "from" in yaml_fields(Text) and "source" not in yaml_fields(Text)
    assert "path" not in yaml_fields(Entry) and "lines" not in yaml_fields(Entry)
    for entry in load_database(builtin_entries()).entries:
        problems: list = []
        back = Converter(Document(Path("x.yaml"), {}, {}), problems).dataclass(
            to_data(entry), Entry, ""
        )
        assert back is not INVALID and problems == []
        assert back == dataclasses.replace(entry, path=None)
