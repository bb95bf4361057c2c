"""Translation status, export for translators and import back, on a small fixture."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from typer.testing import CliRunner

from calais_guide.cli import app
from calais_guide.errors import DataError, UnknownValue, UsageError
from calais_guide.load import load_database
from calais_guide.model import Text, text_hash, translation_state
from calais_guide.translations import (
    Change,
    TranslationFileError,
    export,
    import_file,
    status,
    write_texts,
)
from calais_guide.validate import validate

FR_SUMMARY = "Un abri pour la nuit, sans condition."
FR_DESCRIPTION = "Un abri chauffé.\n\nOuvert le soir."
FR_COOKING = "Repas chauds servis le midi."
H = text_hash

EDITION = f"""\
# The edition of the fixture.
edition: "2023-03"
title:
  fr: Le guide
  en:
    text: The guide
    status: reviewed
    from: fr
    source_hash: {H("Le guide")}
languages: [fr, en, ar, ti]
"""

ABRI = f"""\
# Abri: every state of a translation.
id: abri
name: Abri de nuit
summary:
  fr: {FR_SUMMARY}
  en:
    text: A shelter for the night, unconditionally.
    status: reviewed
    from: fr
    source_hash: {H(FR_SUMMARY)}
  ar:
    text: مأوى لليلة، دون شروط.
    status: draft
    from: fr
    source_hash: {H(FR_SUMMARY)}
  ti:
    text: ንለይቲ መዕቆቢ።
    status: draft
    from: fr
    source_hash: 0123456789ab  # made from an older French text

# The booklet text.
description:
  fr: |-
    Un abri chauffé.

    Ouvert le soir.

assured_date: 2023-03-01
"""

CUISINE = f"""\
id: cuisine
name: Cuisine
summary:
  fr: {FR_COOKING}
  en: Hot meals served at lunchtime.
description:
  fr: Des repas.
assured_date: 2023-03-01
"""


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    root = tmp_path / "guide"
    root.mkdir()
    (root / "edition.yaml").write_text(EDITION, encoding="utf-8")
    (root / "abri.yaml").write_text(ABRI, encoding="utf-8")
    (root / "cuisine.yaml").write_text(CUISINE, encoding="utf-8")
    return root


def run(*args: str):
    return CliRunner().invoke(app, list(args))


# -- status ----------------------------------------------------------------------------


def test_the_fixture_is_a_valid_guide(guide):
    report = validate(guide)
    assert report.errors == []
    stale = [p for p in report.warnings if "stale" in p.message]
    assert [(p.field, p.line) for p in stale] == [("summary.ti", 16)]


def test_status_matrix_names_each_state(guide):
    report = status(load_database(guide))
    assert report.languages == ["fr", "en", "ar", "ti"]
    rows = {unit.context: states for unit, states in report.rows}
    assert rows["abri:summary"] == {
        "fr": "original",
        "en": "reviewed",
        "ar": "draft",
        "ti": "stale",
    }
    assert rows["abri:description"] == {
        "fr": "original",
        "en": "missing",
        "ar": "missing",
        "ti": "missing",
    }
    assert rows["cuisine:summary"] == {
        "fr": "original",
        "en": "original",
        "ar": "missing",
        "ti": "missing",
    }
    assert rows["edition:title"]["en"] == "reviewed"
    assert report.counts("ar") == {"draft": 1, "missing": 4}


def test_print_needs_every_summary_and_the_title(guide):
    report = status(load_database(guide))
    assert sorted((u.context, lang) for u, lang in report.missing_for_print()) == [
        ("cuisine:summary", "ar"),
        ("cuisine:summary", "ti"),
        ("edition:title", "ar"),
        ("edition:title", "ti"),
    ]


def test_status_command_shows_the_matrix(guide):
    result = run("translations", "status", "--entries", str(guide))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    summary = next(line for line in lines if line.strip().startswith("summary"))
    assert summary.split() == ["summary", "orig", "rev", "draft", "STALE"]
    assert "abri" in result.output and "cuisine" in result.output
    assert "ar: 1 draft, 4 missing" in result.output
    assert "missing for print in ar (2): edition:title, cuisine:summary" in result.output


def test_status_strict_fails_when_print_lacks_a_text(guide):
    assert run("translations", "status", "--entries", str(guide), "--strict").exit_code == 1
    only_en = run("translations", "status", "--entries", str(guide), "--strict", "--lang", "en")
    assert only_en.exit_code == 0
    assert only_en.output.splitlines()[1].split() == ["field", "en"]


def test_status_of_an_unknown_language_is_a_clear_error(guide):
    result = run("translations", "status", "--entries", str(guide), "--lang", "xx")
    assert result.exit_code == 2
    assert "unknown language 'xx'" in result.output


def test_a_changed_original_makes_its_translations_stale(guide):
    path = guide / "abri.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(FR_SUMMARY, "Un abri pour la nuit, fermé."),
        encoding="utf-8",
    )
    db = load_database(guide)
    abri = db.get("abri")
    assert abri is not None
    assert [translation_state(abri.summary, lang) for lang in ("fr", "en", "ar", "ti")] == [
        "original",
        "stale",
        "stale",
        "stale",
    ]
    warnings = [p for p in validate(guide).warnings if "stale" in p.message]
    assert {p.field for p in warnings} == {"summary.en", "summary.ar", "summary.ti"}
    assert "the 'fr' text changed since it was translated" in warnings[0].message


def test_rewrapping_the_original_does_not_make_it_stale():
    assert text_hash("Un abri\n  pour la nuit.") == text_hash("Un abri pour la nuit.")


# -- export ----------------------------------------------------------------------------


def po_of(data: bytes):
    return {m.context: m for m in read_po(io.BytesIO(data)) if m.id}


def test_po_export_puts_the_source_beside_the_translation(guide):
    data = export(load_database(guide), "ti")
    messages = po_of(data)
    assert set(messages) == {
        "edition:title",
        "abri:summary",
        "abri:description",
        "cuisine:summary",
        "cuisine:description",
    }
    summary = messages["abri:summary"]
    assert summary.id == FR_SUMMARY
    assert summary.string == "ንለይቲ መዕቆቢ።"
    assert summary.fuzzy  # stale: a suggestion to check
    assert any("changed since this was translated" in c for c in summary.auto_comments)
    assert "English: A shelter for the night, unconditionally." in summary.auto_comments
    assert summary.locations == [("guide/abri.yaml", 4)]  # the "summary:" line
    assert messages["abri:description"].id == FR_DESCRIPTION
    assert messages["cuisine:summary"].string == ""
    text = data.decode()
    assert "X-Source-Language: fr" in text
    assert "Language: ti" in text


def test_po_export_marks_drafts_fuzzy_and_reviewed_not(guide):
    db = load_database(guide)
    assert po_of(export(db, "ar"))["abri:summary"].fuzzy
    en = po_of(export(db, "en"))
    assert not en["abri:summary"].fuzzy
    assert en["abri:summary"].string == "A shelter for the night, unconditionally."
    assert "cuisine:summary" not in en  # an English original: nothing to translate


def test_export_from_english(guide):
    messages = po_of(export(load_database(guide), "ar", source="en"))
    assert messages["abri:summary"].id == "A shelter for the night, unconditionally."
    assert messages["cuisine:summary"].id == "Hot meals served at lunchtime."
    assert "abri:description" not in messages  # no English text to translate from


def test_xliff_export(guide):
    data = export(load_database(guide), "ar", "xliff")
    root = ET.fromstring(data)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    file = root.find("x:file", ns)
    assert file is not None
    assert (file.get("source-language"), file.get("target-language")) == ("fr", "ar")
    units = {u.get("id"): u for u in root.iterfind(".//x:trans-unit", ns)}
    summary = units["abri:summary"]
    assert summary.findtext("x:source", namespaces=ns) == FR_SUMMARY
    target = summary.find("x:target", ns)
    assert target is not None and target.text == "مأوى لليلة، دون شروط."
    assert target.get("state") == "needs-review-translation"
    assert summary.get("approved") == "no"
    assert units["abri:description"].findtext("x:source", namespaces=ns) == FR_DESCRIPTION
    assert units["abri:description"].find("x:target", ns) is None


def test_export_refuses_bad_options(guide):
    db = load_database(guide)
    with pytest.raises(UsageError, match="source language"):
        export(db, "fr")
    with pytest.raises(UsageError, match="po, xliff"):
        export(db, "ar", "docx")
    with pytest.raises(UsageError, match="fr or en"):
        export(db, "ar", source="ti")
    with pytest.raises(UnknownValue, match="unknown language"):
        export(db, "xx")


def test_export_command_writes_a_file(guide, tmp_path):
    out = tmp_path / "ar.po"
    result = run("translations", "export", "--lang", "ar", "-o", str(out), "--entries", str(guide))
    assert result.exit_code == 0, result.output
    assert f"calais-guide translations import {out}" in result.output
    assert "abri:summary" in out.read_text(encoding="utf-8")
    result = run("translations", "export", "--lang", "ar", "-o", "-", "--entries", str(guide))
    assert 'msgctxt "abri:summary"' in result.output


# -- import ----------------------------------------------------------------------------


def edit_po(data: bytes, edits: dict[str, tuple[str, bool]]) -> bytes:
    """What a translator does in Poedit: set msgstrs, (un)tick "Needs work".

    Plain Babel drops unknown headers (X-Source-Language) as some tools do:
    the import then finds the source language by matching the text.
    """
    catalog = read_po(io.BytesIO(data))
    for message in catalog:
        if message.context in edits:
            message.string, fuzzy = edits[message.context]
            if fuzzy:
                message.flags.add("fuzzy")
            else:
                message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    return buffer.getvalue()


def test_import_writes_reviewed_and_draft_translations(guide, tmp_path):
    db = load_database(guide)
    po = tmp_path / "ar.po"
    po.write_bytes(
        edit_po(
            export(db, "ar"),
            {
                "abri:summary": ("مأوى لليلة، بلا شروط.", False),  # corrected and confirmed
                "cuisine:summary": ("وجبات ساخنة عند الظهر.", True),  # still fuzzy
                "abri:description": ("مأوى مدفأ.\n\nمفتوح مساءً.", False),
            },
        )
    )
    result = import_file(db, po)
    assert result.refused == []
    assert (result.reviewed, result.drafts, result.empty) == (2, 1, 2)
    abri = load_database(guide).get("abri")
    cuisine = load_database(guide).get("cuisine")
    assert abri is not None and cuisine is not None
    assert abri.summary["ar"] == Text("مأوى لليلة، بلا شروط.", "reviewed", "fr", H(FR_SUMMARY))
    assert abri.description["ar"] == Text(
        "مأوى مدفأ.\n\nمفتوح مساءً.", "reviewed", "fr", H(FR_DESCRIPTION)
    )
    assert cuisine.summary["ar"] == Text("وجبات ساخنة عند الظهر.", "draft", "fr", H(FR_COOKING))
    assert validate(guide).errors == []
    # The same file again: nothing left to do.
    before = {p.name: p.read_bytes() for p in guide.iterdir()}
    again = import_file(load_database(guide), po)
    assert again.changes == [] and again.unchanged == 3
    assert {p.name: p.read_bytes() for p in guide.iterdir()} == before


def test_import_keeps_the_yaml_byte_identical_except_the_changed_values(guide, tmp_path):
    before = {p.name: p.read_text(encoding="utf-8") for p in guide.iterdir()}
    db = load_database(guide)
    po = tmp_path / "ar.po"
    po.write_bytes(edit_po(export(db, "ar"), {"abri:summary": ("مأوى لليلة.", False)}))
    import_file(db, po)
    after = {p.name: p.read_text(encoding="utf-8") for p in guide.iterdir()}
    assert after["cuisine.yaml"] == before["cuisine.yaml"]
    assert after["edition.yaml"] == before["edition.yaml"]
    expected = before["abri.yaml"].replace(
        "    text: مأوى لليلة، دون شروط.\n    status: draft",
        "    text: مأوى لليلة.\n    status: reviewed",
    )
    assert after["abri.yaml"] == expected


def test_a_new_language_block_goes_after_the_last_and_keeps_the_blank_line(guide, tmp_path):
    db = load_database(guide)
    po = tmp_path / "ti.po"
    po.write_bytes(edit_po(export(db, "ti"), {"abri:description": ("መዕቆቢ።\n\nምሸት ክፉት።", False)}))
    import_file(db, po)
    text = (guide / "abri.yaml").read_text(encoding="utf-8")
    assert text == ABRI.replace(
        "    Ouvert le soir.\n\nassured_date",
        "    Ouvert le soir.\n"
        "  ti:\n"
        "    text: |-\n"
        "      መዕቆቢ።\n"
        "\n"
        "      ምሸት ክፉት።\n"
        "    status: reviewed\n"
        "    from: fr\n"
        f"    source_hash: {H(FR_DESCRIPTION)}\n"
        "\nassured_date",
    )


def test_a_confirmed_stale_translation_becomes_current(guide, tmp_path):
    db = load_database(guide)
    po = tmp_path / "ti.po"
    po.write_bytes(edit_po(export(db, "ti"), {"abri:summary": ("ንለይቲ መዕቆቢ።", False)}))
    result = import_file(db, po)
    assert result.reviewed == 1
    text = (guide / "abri.yaml").read_text(encoding="utf-8")
    assert f"source_hash: {H(FR_SUMMARY)}  # made from an older French text" in text
    abri = load_database(guide).get("abri")
    assert abri is not None and translation_state(abri.summary, "ti") == "reviewed"


def test_an_untouched_suggestion_changes_nothing(guide, tmp_path):
    before = {p.name: p.read_bytes() for p in guide.iterdir()}
    db = load_database(guide)
    po = tmp_path / "ti.po"
    po.write_bytes(export(db, "ti"))  # opened and saved without changes
    result = import_file(db, po)
    assert result.changes == [] and result.files == [] and result.refused == []
    assert result.unchanged == 1
    assert {p.name: p.read_bytes() for p in guide.iterdir()} == before


def test_import_refuses_a_string_whose_source_changed(guide, tmp_path):
    db = load_database(guide)
    po = tmp_path / "ar.po"
    po.write_bytes(
        edit_po(
            export(db, "ar"),
            {
                "abri:summary": ("مأوى لليلة، بلا شروط.", False),
                "cuisine:summary": ("وجبات ساخنة عند الظهر.", False),
            },
        )
    )
    path = guide / "abri.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(FR_SUMMARY, "Un abri, fermé en mars."),
        encoding="utf-8",
    )
    result = run("translations", "import", str(po), "--entries", str(guide))
    assert result.exit_code == 1
    assert "refused abri summary (ar)" in result.output
    assert "changed since" in result.output
    assert "translations export --lang ar" in result.output
    assert "imported 1 as reviewed" in result.output
    db = load_database(guide)
    abri, cuisine = db.get("abri"), db.get("cuisine")
    assert abri is not None and cuisine is not None
    assert abri.summary["ar"].text == "مأوى لليلة، دون شروط."  # untouched
    assert cuisine.summary["ar"].status == "reviewed"


def test_import_with_declared_source_names_the_language(guide, tmp_path):
    db = load_database(guide)
    po = tmp_path / "ar.po"
    data = export(db, "ar").decode()
    data = data.replace('msgstr "مأوى لليلة، دون شروط."', 'msgstr "مأوى."')
    po.write_text(data.replace("#, fuzzy\n", ""), encoding="utf-8")
    path = guide / "abri.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(FR_SUMMARY, "Autre texte."), encoding="utf-8"
    )
    result = import_file(load_database(guide), po)
    (refusal,) = result.refused
    assert refusal.context == "abri:summary"
    assert "the French text changed since this file was exported" in refusal.message


def test_xliff_round_trip(guide, tmp_path):
    db = load_database(guide)
    data = export(db, "ar", "xliff").decode()
    data = data.replace(
        '<target xml:lang="ar" state="needs-review-translation">مأوى لليلة، دون شروط.</target>',
        '<target xml:lang="ar" state="translated">مأوى للّيل.</target>',
    )
    assert "مأوى للّيل" in data
    path = tmp_path / "ar.xlf"
    path.write_text(data, encoding="utf-8")
    result = import_file(db, path)
    assert (result.reviewed, result.drafts, len(result.refused)) == (1, 0, 0)
    abri = load_database(guide).get("abri")
    assert abri is not None and abri.summary["ar"].text == "مأوى للّيل."


DTD_XLIFF = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file source-language="fr" target-language="ar" original="x" datatype="plaintext"><body>
<trans-unit id="abri:summary"><source>&lol2;</source><target>x</target></trans-unit>
</body></file></xliff>
"""


def test_xliff_with_a_dtd_is_refused(guide, tmp_path):
    path = tmp_path / "evil.xlf"
    path.write_text(DTD_XLIFF, encoding="utf-8")
    with pytest.raises(TranslationFileError, match="DTD or entities"):
        import_file(load_database(guide), path)
    external = DTD_XLIFF.replace(
        '[<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]',
        'SYSTEM "file:///etc/passwd"',
    )
    path.write_text(external, encoding="utf-8")
    with pytest.raises(TranslationFileError, match="DTD"):
        import_file(load_database(guide), path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.xlf", "<xliff version='1.2'><file>", "not valid XML"),
        ("v2.xlf", "<xliff version='2.0'/>", "not an XLIFF 1.2 file"),
        (
            "nolang.po",
            'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n',
            "does not say its language",
        ),
        ("broken.po", 'msgid "a"\nmsgstr "b"\nthis is not po\n', "not a valid .po file"),
        (
            "de.po",
            'msgid ""\nmsgstr "Language: de\\n"\n\nmsgid "a"\nmsgstr "b"\n',
            "'de', which the guide does not print",
        ),
    ],
)
def test_unusable_files_are_clear_errors(guide, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run("translations", "import", str(path), "--entries", str(guide))
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_strings_breaking_rules_are_refused_one_by_one(guide, tmp_path):
    db = load_database(guide)
    po = tmp_path / "ar.po"
    data = edit_po(
        export(db, "ar"),
        {
            "abri:summary": ("ط" * 121, False),
            "cuisine:summary": ("وجبات 🙂", False),
            "abri:description": ("مأوى مدفأ.", False),
        },
    )
    data = data.replace(b'msgctxt "edition:title"', b'msgctxt "gone:summary"')
    po.write_bytes(data)
    result = import_file(db, po)
    messages = {r.context: r.message for r in result.refused}
    assert "121 characters, over the 120" in messages["abri:summary"]
    assert "U+1F642" in messages["cuisine:summary"]
    assert "no such field" in messages["gone:summary"]
    assert result.reviewed == 1  # the description went in


def test_an_original_is_never_overwritten(guide, tmp_path):
    db = load_database(guide)
    data = export(db, "ar").decode()
    po = tmp_path / "en.po"
    # A file claiming to be English, carrying cuisine's (English original) summary.
    po.write_text(
        data.replace("Language: ar", "Language: en").replace(
            'msgctxt "cuisine:summary"\nmsgid "Repas chauds servis le midi."\nmsgstr ""',
            'msgctxt "cuisine:summary"\nmsgid "Repas chauds servis le midi."\nmsgstr "Lunch."',
        ),
        encoding="utf-8",
    )
    result = import_file(db, po)
    (refusal,) = [r for r in result.refused if r.context == "cuisine:summary"]
    assert "is an original, not a translation" in refusal.message
    assert "Hot meals served at lunchtime." in (guide / "cuisine.yaml").read_text(encoding="utf-8")


def test_dry_run_writes_nothing(guide, tmp_path):
    before = {p.name: p.read_bytes() for p in guide.iterdir()}
    db = load_database(guide)
    po = tmp_path / "ar.po"
    po.write_bytes(edit_po(export(db, "ar"), {"abri:summary": ("مأوى.", False)}))
    result = run("translations", "import", str(po), "--dry-run", "--entries", str(guide))
    assert result.exit_code == 0
    assert "would import 1 as reviewed" in result.output
    assert {p.name: p.read_bytes() for p in guide.iterdir()} == before


def test_nothing_is_written_when_the_result_would_be_invalid(guide):
    before = {p.name: p.read_bytes() for p in guide.iterdir()}
    changes = [
        Change("cuisine", "summary", "ar", Text("وجبات.", "draft", "fr", H(FR_COOKING))),
        Change("abri", "summary", "ar", Text("مأوى.\nليلة.", "draft", "fr", H(FR_SUMMARY))),
    ]
    with pytest.raises(DataError) as info:
        write_texts(guide, changes)
    assert [(p.code, p.field) for p in info.value.problems] == [("summary-multiline", "summary.ar")]
    assert {p.name: p.read_bytes() for p in guide.iterdir()} == before


def test_unwritable_places_are_clear_errors(guide, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    result = run(
        "translations",
        "export",
        "--lang",
        "ar",
        "-o",
        str(blocker / "ar.po"),
        "--entries",
        str(guide),
    )
    assert result.exit_code == 1
    assert "cannot write" in result.output and "Traceback" not in result.output

    db = load_database(guide)
    po = tmp_path / "ar.po"
    po.write_bytes(edit_po(export(db, "ar"), {"cuisine:summary": ("وجبات.", False)}))
    before = (guide / "cuisine.yaml").read_bytes()

    def refuse(source, target):
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr("calais_guide.fileio.os.replace", refuse)
    result = run("translations", "import", str(po), "--entries", str(guide))
    assert result.exit_code == 1
    assert "cannot write" in result.output and "Permission denied" in result.output
    assert "Traceback" not in result.output
    assert (guide / "cuisine.yaml").read_bytes() == before


def test_import_warns_about_numbers_not_in_latin_digits(guide, tmp_path):
    """The file asks for Latin digits; a number in Persian digits is imported
    (it is the translator's text) but named in a warning with its Latin form."""
    db = load_database(guide)
    po = tmp_path / "ar.po"
    po.write_bytes(
        edit_po(export(db, "ar"), {"abri:description": ("مأوى منذ ۲۰۰۲، ٣ أسرّة.", False)})
    )
    result = run("translations", "import", str(po), "--entries", str(guide))
    assert result.exit_code == 0, result.output
    assert "warning: abri description (ar): ۲۰۰۲, ٣ not in Latin digits" in result.output
    assert "write 2002, 3 in the file" in result.output
    abri = load_database(guide).get("abri")
    assert abri is not None and abri.description["ar"].text == "مأوى منذ ۲۰۰۲، ٣ أسرّة."
    # Latin digits: no warning.
    po.write_bytes(edit_po(export(db, "ar"), {"abri:description": ("مأوى منذ 2002.", False)}))
    result = run("translations", "import", str(po), "--entries", str(guide))
    assert result.exit_code == 0 and "warning" not in result.output
