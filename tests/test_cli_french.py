"""The command line speaks French under a French locale, English otherwise.

Every ``--help`` and one error of each kind (usage, data, file), ``validate``,
``build`` (refusing and succeeding), ``edition check``, ``edition diff`` and
``add``'s questions are run under ``LANG=fr_FR.UTF-8`` and searched for
English left over; the same commands stay English under ``en_GB`` and ``C``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from calais_guide import cli_click
from calais_guide.catalogs import extract_cli, gaps
from calais_guide.cli import app
from calais_guide.cli_text import cli_language, tr
from calais_guide.i18n import CLI_DOMAIN, LOCALE_DIR, read_catalog

from .conftest import invoke

ROOT = Path(__file__).resolve().parent.parent
BUILD_FIXTURE = Path(__file__).parent / "fixtures" / "build"
EDITIONS = Path(__file__).parent / "fixtures" / "editions"
FRENCH = "fr_FR.UTF-8"

LITERAL = re.compile(
    r"«[^»]*»"  # commands, values and field names, quoted the French way
    r"|'[^']*'|\"[^\"]*\""  # the same quoted by Click, and example values
    r"|--?[A-Za-z][\w-]*"  # option names
    r"|\$?\b[A-Z][A-Z0-9_|]+\b"  # placeholders and variables: DIR, LANG, $EDITOR
    r"|\S*/\S*"  # paths and file names with a folder
    r"|\S+\.(?:yaml|json|pdf|po|pot|xlf|html|md|svg|png|mo)\b"  # file names
    r"|calais-guide(?: [a-z][a-z-]*)*"  # command lines
    r"|\b[a-z]+(?:-[a-z0-9]+)+\b"  # ids and kinds: not-verified, draft-translation
)
"""What may stay as it is in French output: the words a user types or reads in files."""
ENGLISH = re.compile(
    r"\b(?:the|and|of|to|is|not|with|for|from|this|that|then|must|only|each|every|"
    r"default|Default|Usage|Error|Missing|Invalid|Show|Print|Write|Try|No such|"
    r"found|file|files|entries|warning|error)\b"
    r"|\b(?:Options|Commands|Arguments):"
)
"""English that must not be left in French output ("Options" alone is French too)."""


def english_left(text: str) -> list[str]:
    """English words of ``text`` once the literals a user types are set aside."""
    return ENGLISH.findall(LITERAL.sub(" ", text))


@pytest.fixture
def french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", FRENCH)


def _french_invoke(*args: str | Path, input: str | None = None) -> tuple[int, str, str]:
    code, out, err = invoke(*args, input=input)
    return code, out, err


def _commands() -> list[list[str]]:
    return [path.split()[1:] for path, _ in cli_click.walk(get_command(app))]


# -- which language -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_BE"}, "fr"),
        ({"LANG": "fr"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
        ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "C"}, "fr"),
        ({"LC_ALL": "C", "LC_MESSAGES": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "", "LC_MESSAGES": " ", "LANG": "fr_FR.UTF-8"}, "fr"),
    ],
)
def test_the_first_locale_variable_set_decides(environ: dict[str, str], lang: str) -> None:
    assert cli_language(environ) == lang


# -- every --help in French ------------------------------------------------------------


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "calais-guide")
def test_every_help_is_french(french: None, command: list[str]) -> None:
    code, out, err = _french_invoke(*command, "--help")
    assert code == 0, err
    assert out.startswith("Utilisation\u00a0: ")
    assert "Afficher cette aide et quitter." in out
    assert not english_left(out), (english_left(out), out)


def test_help_through_the_entry_point_is_french() -> None:
    """``calais-guide show --help`` goes through quick.py to the Typer app."""
    result = subprocess.run(
        [sys.executable, "-m", "calais_guide", "show", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "LANG": FRENCH, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Afficher une fiche en entier" in result.stdout
    assert "[par défaut\u00a0: fr]" in result.stdout
    assert not english_left(result.stdout)


@pytest.mark.parametrize("lang", ["en_GB.UTF-8", "C", "POSIX"])
def test_help_stays_english_otherwise(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("LANG", lang)
    code, out, _ = invoke("build", "--help")
    assert code == 0
    assert out.startswith("Usage: ") and "build [OPTIONS]" in out.splitlines()[0]
    assert "Options:\n" in out and "Show this message and exit." in out
    assert "The whole print run" in out


def test_lc_all_overrides_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", FRENCH)
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert invoke("validate", "--help").stdout.startswith("Usage: ")
    monkeypatch.setenv("LC_ALL", FRENCH)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert invoke("validate", "--help").stdout.startswith("Utilisation\u00a0: ")


# -- errors: usage (exit 2), data (exit 1), file (exit 1) ----------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["validate", "--nope"], "Erreur\u00a0: option inconnue\u00a0: --nope"),
        (["export"], "Erreur\u00a0: option manquante '--format' / '-f'."),
        (["build", "--jobs", "x"], "n'est pas un entier valide"),
        (["nope"], "Erreur\u00a0: commande inconnue «\u00a0nope\u00a0»."),
        (["show"], "Erreur\u00a0: argument manquant 'ID'."),
        (["validate", "extra"], "Erreur\u00a0: argument(s) en trop\u00a0: extra"),
        (
            ["show", "salam", "--lang"],
            "Erreur\u00a0: l'option «\u00a0--lang\u00a0» demande une valeur.",
        ),
        (["build", "--jobs", "0"], "--jobs doit valoir 1 ou plus"),
        (["show", "salam", "--lang", "xx"], "langue inconnue «\u00a0xx\u00a0»"),
        (["list", "--at", "someday"], "--at\u00a0:"),
        (["verify", "salam", "--by", "Sam", "--date", "2023-13-01"], "n'est pas une date"),
    ],
)
def test_usage_errors_are_french(french: None, args: list[str], expected: str) -> None:
    code, out, err = _french_invoke(*args)
    assert code == 2, (out, err)
    assert expected in err
    assert not english_left(err), (english_left(err), err)


def test_a_usage_error_in_english_is_clicks_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C")
    code, _, err = invoke("validate", "--nope")
    assert code == 2
    assert "Try '" in err and " validate --help' for help." in err
    assert "Error: No such option: --nope" in err


def _broken(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    shutil.copytree(BUILD_FIXTURE, root)
    path = root / "accueil-test.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("categories: [", "categories: [nope, ", 1), encoding="utf-8")
    (root / "vide.yaml").write_text("", encoding="utf-8")
    return root


def test_data_errors_are_french(french: None, tmp_path: Path) -> None:
    root = _broken(tmp_path)
    code, out, err = _french_invoke("validate", "--entries", root)
    assert code == 1
    assert "erreur db/accueil-test.yaml:" in out
    assert "catégorie inconnue «\u00a0nope\u00a0»" in out
    assert "le fichier est vide" in out
    assert "échec\u00a0: 1 fiches, 2 erreur(s)" in out or "échec\u00a0: " in out
    assert not english_left(out), (english_left(out), out)
    # A command that needs valid data says so in French too (exit 1).
    code, out, err = _french_invoke("booklet", "--entries", root, "-o", tmp_path / "b.pdf")
    assert code == 1
    assert "2 erreur(s) dans les données du guide\u00a0: les corriger, puis relancer" in err
    assert not english_left(err), (english_left(err), err)


def test_json_report_keeps_codes_and_keys_language_neutral(french: None, tmp_path: Path) -> None:
    root = _broken(tmp_path)
    code, out, _ = _french_invoke("validate", "--entries", root, "--format", "json")
    assert code == 1
    report = json.loads(out)
    codes = {p["code"] for p in report["problems"]}
    assert {"unknown-category", "not-a-mapping"} <= codes
    assert {p["severity"] for p in report["problems"]} <= {"error", "warning"}
    # The message is the one text that follows the terminal's language.
    assert any("catégorie inconnue" in p["message"] for p in report["problems"])


def test_file_errors_are_french(french: None, tmp_path: Path) -> None:
    code, out, err = _french_invoke("validate", "--entries", tmp_path / "absent")
    assert code == 1
    assert "dossier introuvable" in out + err
    assert not english_left(out + err), (english_left(out + err), out + err)
    code, out, err = _french_invoke("show", "nope", "--entries", BUILD_FIXTURE)
    assert code == 1
    assert "erreur\u00a0: aucune fiche «\u00a0nope\u00a0»" in err
    assert not english_left(err), err
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    code, out, err = _french_invoke(
        "translations", "export", "-l", "ar", "--entries", BUILD_FIXTURE, "-o", blocker / "x.po"
    )
    assert code == 1
    assert f"impossible d'écrire {blocker / 'x.po'}\u00a0: {blocker} est un fichier, pas" in err
    assert not english_left(err), err
    code, out, err = _french_invoke("translations", "import", tmp_path, "--dry-run")
    assert code == 1
    assert "c'est un dossier, pas un fichier de traduction" in err
    assert not english_left(err), err


# -- the coordinator's commands ----------------------------------------------------------


def test_validate_is_french(french: None) -> None:
    code, out, _ = _french_invoke("validate", "--entries", BUILD_FIXTURE)
    assert code == 0
    assert "ok\u00a0: 2 fiches, 0 erreur(s)" in out
    assert not english_left(out), (english_left(out), out)


def test_build_refusing_is_french(french: None, tmp_path: Path) -> None:
    root = tmp_path / "db"
    shutil.copytree(BUILD_FIXTURE, root)
    path = root / "maraude-test.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("assured_date: 2024-05-20", "assured_date: 2023-01-10"), "utf-8")
    code, out, err = _french_invoke("build", "--entries", root, "--output", tmp_path / "out")
    assert code == 1
    assert "impression refusée\u00a0: 1 blocage(s) trouvé(s)" in err
    assert "pas revérifiées avec l'association (1)" in err
    assert "--allow-stale (ces fiches sont alors marquées à l'impression)" in err
    assert not english_left(err), (english_left(err), err)


@pytest.mark.pdf
def test_build_succeeding_is_french(french: None, tmp_path: Path) -> None:
    root = tmp_path / "db"
    shutil.copytree(BUILD_FIXTURE, root)
    code, out, err = _french_invoke(
        "build", "--entries", root, "--output", tmp_path / "out", "-l", "fr"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["langue", "fichier", "pages", "Ko"]
    assert lines[1].split()[:2] == ["fr", "booklet-fr.pdf"] and lines[1].split()[-1] == "rendu"
    assert "rendu" in out
    assert "Ko dans" in out and "manifest.json les liste avec leur sha256" in out
    assert not english_left(out), (english_left(out), out)


@pytest.fixture
def june(tmp_path: Path) -> Path:
    root = tmp_path / "guide"
    shutil.copytree(EDITIONS / "2023-03", root)
    code, _, err = invoke("edition", "new", "2023-06", "--entries", root)
    assert code == 0, err
    for path in (EDITIONS / "2023-06").glob("*.yaml"):
        shutil.copy(path, root / path.name)
    (root / "douches-du-port.yaml").unlink()
    return root


def test_edition_new_check_and_diff_are_french(french: None, tmp_path: Path, june: Path) -> None:
    code, out, err = _french_invoke("edition", "check", "--entries", june)
    assert code in (0, 1), err
    assert out.startswith("Édition 2023-06, impression en ")
    assert "Édition précédente\u00a0: 2023-03" in out
    assert "prêt à imprimer" in out
    assert not english_left(out), (english_left(out), out)

    code, out, err = _french_invoke("edition", "diff", "--entries", june)
    assert code == 0, err
    assert out.startswith("Ce qui a changé : édition 2023-03 → données actuelles")
    assert not english_left(out), (english_left(out), out)

    code, out, err = _french_invoke("edition", "new", "2023-09", "--entries", june)
    assert code == 0, err
    assert "Édition 2023-09 commencée (edition.yaml)." in out
    assert not english_left(out), (english_left(out), out)


def test_edition_diff_in_english_with_lang(french: None, june: Path) -> None:
    code, out, _ = _french_invoke("edition", "diff", "--entries", june, "--lang", "en")
    assert code == 0
    assert out.startswith("What changed: edition 2023-03 → current data")


def test_add_asks_in_french(french: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from calais_guide import cli

    root = tmp_path / "db"
    shutil.copytree(BUILD_FIXTURE, root)
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    answers = ["Cuisine Libre", "x" * 130, "Repas chauds le soir", "nope", "food", "", "", ""]
    code, out, err = _french_invoke(
        "add", "--entries", root, "--by", "Sam", input="\n".join(answers) + "\n"
    )
    assert code == 0, err
    for question in (
        "Catégories (un identifiant, ou un mot qui la désigne",
        "Nom de l'association\u00a0: Cuisine Libre",
        "Résumé d'une ligne en français (120 caractères au plus)\u00a0: ",
        "Catégories, séparées par des virgules\u00a0: ",
        "Site web, https://... (Entrée\u00a0: passer)\u00a0: ",
        "Téléphone, tel que l'association le donne (Entrée\u00a0: passer)\u00a0: ",
        "Où les personnes sont-elles accueillies\u00a0?",
        "cuisine-libre.yaml écrit. Compléter le reste avec\u00a0: calais-guide edit cuisine-libre",
    ):
        assert question in out, (question, out)
    assert "le raccourcir de 10 (réessayer)" in err
    assert "catégorie inconnue «\u00a0nope\u00a0»" in err
    assert not english_left(out), (english_left(out), out)
    assert not english_left(err), (english_left(err), err)


def test_a_question_left_with_ctrl_d_is_abandoned_in_french(
    french: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from calais_guide import cli

    root = tmp_path / "db"
    shutil.copytree(BUILD_FIXTURE, root)
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    code, out, err = _french_invoke("add", "--entries", root, "--by", "Sam", input="")
    assert code == 1
    assert "Abandon." in err
    assert not (root / "cuisine-libre.yaml").exists()


def test_translations_status_is_french(french: None) -> None:
    code, out, _ = _french_invoke("translations", "status", "--entries", BUILD_FIXTURE)
    assert code == 0
    assert out.startswith("orig = original, relu = traduction relue")
    assert not english_left(out), (english_left(out), out)


# -- the catalog ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_template():
    return extract_cli(ROOT)


def test_french_translates_every_command_line_text(cli_template) -> None:
    found = gaps(cli_template, "fr", domain=CLI_DOMAIN)
    assert not found, "\n".join(f"{g.msgid!r}: {g.problem}" for g in found)


def test_the_committed_cli_template_is_up_to_date(cli_template) -> None:
    """cli.pot holds what the sources use (run `make catalogs-update` if not)."""
    pot = LOCALE_DIR / f"{CLI_DOMAIN}.pot"
    committed = read_catalog(pot.read_bytes(), pot)
    assert {m.id for m in committed if m.id} == {m.id for m in cli_template if m.id}


def test_translators_of_every_language_see_the_command_line_texts(cli_template) -> None:
    """Every language of the guide but English has a cli.po with every text of
    the command line: French translated, the six others untranslated and
    marked fuzzy (gettext ignores them: terminal only, never printed)."""
    from calais_guide.languages import registry

    have = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/cli.po"))
    assert have == sorted(code for code in registry() if code != "en")
    wanted = {m.id for m in cli_template if m.id}
    for lang in have:
        if lang == "fr":
            continue
        po = LOCALE_DIR / lang / "LC_MESSAGES" / "cli.po"
        catalog = read_catalog(po.read_bytes(), po)
        messages = [m for m in catalog if m.id]
        assert {m.id for m in messages} == wanted, lang
        assert all(m.fuzzy and not m.string for m in messages if isinstance(m.string, str)), lang
        assert "Terminal only" in po.read_text(encoding="utf-8").split("msgid", 1)[0]
        assert {g.problem for g in gaps(cli_template, lang, domain=CLI_DOMAIN)} == {"untranslated"}


def test_the_readers_catalog_holds_no_command_line_text() -> None:
    pot = LOCALE_DIR / "messages.pot"
    readers = {m.id for m in read_catalog(pot.read_bytes(), pot) if m.id}
    assert not readers & {"Usage: ", "Show this message and exit.", "the file is empty"}


def test_a_new_command_line_text_reaches_every_catalog(tmp_path: Path, cli_template) -> None:
    """catalogs-update: a new text arrives untranslated in French (to do) and
    fuzzy in the six others; running it again changes nothing."""
    from calais_guide.catalogs import update

    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    cli_template.add("a brand new message for {name}", None, [("calais_guide/cli.py", 0)])
    written = update(cli_template, locale, domain=CLI_DOMAIN)
    assert sorted(p.relative_to(locale).as_posix() for p in written) == sorted(
        [f"{lang}/LC_MESSAGES/cli.po" for lang in ("am", "ar", "ckb", "fa", "fr", "ps", "ti")]
        + ["cli.pot"]
    )
    for lang in ("fr", "ar", "ti"):
        po = locale / lang / "LC_MESSAGES" / "cli.po"
        message = read_catalog(po.read_bytes(), po).get("a brand new message for {name}")
        assert message is not None and message.string == ""
        assert message.fuzzy == (lang != "fr")
    assert update(cli_template, locale, domain=CLI_DOMAIN) == []


def test_a_reader_language_terminal_speaks_english(guide: Path) -> None:
    env = {**os.environ, "LANG": "ar_SA.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    done = subprocess.run(
        [sys.executable, "-m", "calais_guide", "validate", "--entries", str(guide / "nowhere")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 1
    assert "no such directory" in done.stdout + done.stderr


def test_french_typography_no_break_space_before_double_punctuation(cli_template) -> None:
    """A no-break space before : ; ? ! and inside « », so that a wrapped line
    never starts with the colon. The words of the edition diff keep the plain
    spaces of its Markdown newsletter (editions/text.py writes its own " : ")."""
    po = LOCALE_DIR / "fr" / "LC_MESSAGES" / "cli.po"
    for message in read_catalog(po.read_bytes(), po):
        newsletter = any(f == "calais_guide/editions/text.py" for f, _ in message.locations)
        if message.id and isinstance(message.string, str) and not newsletter:
            assert not re.search(r" [:;?!](\s|$)", message.string), message.string


def test_tr_fills_fields_and_keeps_english_msgids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C")
    assert tr("Saved {id}.yaml.", id="salam") == "Saved salam.yaml."
    monkeypatch.setenv("LANG", FRENCH)
    assert tr("Saved {id}.yaml.", id="salam") == "salam.yaml enregistré."
    assert tr("A text nobody translated") == "A text nobody translated"
