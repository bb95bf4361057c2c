"""find, show and list from the command line, on the fixture guide with a fixed clock."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calais_guide import lookup, paths
from calais_guide.cli import app
from calais_guide.lookup import complete_categories, complete_ids, complete_languages, open_guide

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "lookup-db"
MONDAY_MORNING = "2023-03-06 10:30"  # a Monday


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A private cache, a fixed clock, no database chosen by the environment."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv(lookup.ENV_NOW, MONDAY_MORNING)
    monkeypatch.delenv("CALAIS_GUIDE_ENTRIES", raising=False)
    monkeypatch.delenv(paths.ENV_NO_CACHE, raising=False)


def cli(*args: str, now: str = MONDAY_MORNING) -> tuple[int, str]:
    """Run the Typer CLI in-process on the fixture; (exit code, output)."""
    result = CliRunner().invoke(app, [*args, "--entries", str(FIXTURE)], env={lookup.ENV_NOW: now})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m calais_guide`` as a user would, output piped."""
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full.update(PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "calais_guide", *args],
        capture_output=True,
        text=True,
        env=full,
        check=False,
    )


def table_ids(output: str) -> list[str]:
    """First column of the table (up to the first blank line)."""
    found = []
    for line in output.splitlines()[1:]:
        if not line:
            break
        found.append(line.split()[0])
    return found


# -- list and open now -------------------------------------------------------------------


def test_list_shows_every_entry_in_edition_order() -> None:
    code, out = cli("list", "--lang", "en")
    assert code == 0
    assert out.splitlines()[0].split() == ["id", "Name", "Summary"]
    assert table_ids(out) == [
        "accueil-exemple",
        "clinique-exemple",
        "maraude-exemple",
        "maraude-du-soir",
        "refuge-exemple",
        "laverie-exemple",
    ]


def test_open_now_on_a_schedule_shows_open_and_mobile_only() -> None:
    code, out = cli("list", "--open-now", "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert "accueil-exemple" in lines[1] and "Open until 12:00" in lines[1]
    assert "maraude-exemple" in lines[2] and "Mobile team: no fixed hours" in lines[2]
    # Closed now (clinic: Tuesdays), temporarily closed (shelter), Saturday (laundry),
    # evening rounds: not listed.
    for absent in ("clinique-exemple", "refuge-exemple", "laverie-exemple", "maraude-du-soir"):
        assert absent not in out
    assert "Not shown (closed or hours unknown): 4" in out
    assert "Hours shown for Mon 6 Mar, 10:30 (Europe/Paris)" in out


def test_a_dated_exception_closes_the_day() -> None:
    _, out = cli("list", "--at", "wed 10:00")  # Wednesday 8 March: team training day
    assert "accueil-exemple" not in out
    _, out = cli("list", "--at", "thu 10:00")
    assert "accueil-exemple" in out


def test_a_temporary_closure_is_never_open() -> None:
    _, out = cli("list", "--at", "tue 15:00", "--lang", "en")
    assert "clinique-exemple" in out and "Open until 18:00" in out
    _, closed_week = cli("list", "--at", "2023-03-14 15:00")  # the clinic's week off
    assert "clinique-exemple" not in closed_week
    _, every_day = cli("list", "--at", "sun 12:00")  # the shelter's hours say open
    assert "refuge-exemple" not in every_day


def test_scheduled_outreach_is_open_during_its_round() -> None:
    _, out = cli("list", "--at", "19:30", "--category", "food", "--lang", "en")
    assert table_ids(out) == ["maraude-du-soir", "maraude-exemple"]  # open ones first
    assert "Open until 21:00" in out


def test_category_by_id_or_word_in_any_language() -> None:
    for word in ("water", "eau", "ماء", "آب", "ማይ"):
        code, out = cli("list", "--category", word)
        assert code == 0 and table_ids(out) == ["accueil-exemple"], word


def test_unknown_category_suggests() -> None:
    code, out = cli("list", "--category", "helth")
    assert code == 2
    assert "unknown category 'helth'" in out and "did you mean: health" in out


def test_open_now_and_at_together_are_refused() -> None:
    code, out = cli("list", "--open-now", "--at", "mon 10:00")
    assert code == 2 and "not both" in out


def test_unreadable_moment_says_what_to_write() -> None:
    code, out = cli("list", "--at", "someday")
    assert code == 2 and "mon 15:00" in out


def test_unknown_language_is_refused() -> None:
    code, out = cli("list", "--lang", "xx")
    assert code == 2 and "unknown language 'xx'" in out and "ckb" in out


# -- show ---------------------------------------------------------------------------------


def test_show_lays_out_the_whole_entry() -> None:
    code, out = cli("show", "accueil-exemple", "--lang", "en")
    assert code == 0
    for expected in (
        "Accueil Exemple",
        "Open until 12:00",
        "Water · Showers · Phone charging",
        "1 rue de l'Exemple, 62100 Calais",
        "▸ Mon 6 Mar   09:00–12:00, 14:00–17:00",
        "Wed 8 Mar   Closed",
        "Formation de l'équipe",
        "Fri 10 Mar  10:00–11:00  Special hours",
        "03 21 00 00 00  Available 24/7",
        "accueil@example.org",
        "https://example.org/accueil",
        "Projects          Laverie Exemple",
        "Last verified     2023-03-01  (tests)",
        "Summary           Original fr · Draft en, ar · Out of date fa · Missing ps, ckb, ti, am",
        "Deuxième paragraphe",
    ):
        assert expected in out, expected


def test_show_a_closed_clinic_gives_the_alert_and_reopening() -> None:
    _, out = cli("show", "clinique-exemple", "--lang", "en", now="2023-03-14 15:00")
    assert "Temporarily closed until Sun 19 Mar" in out
    assert "Alert             Closed for a week's holiday" in out
    assert "A project of" not in out


def test_show_project_names_its_parent_and_mobile_has_no_hours() -> None:
    _, out = cli("show", "laverie-exemple", "--lang", "en")
    assert "A project of Accueil Exemple  accueil-exemple" in out
    _, out = cli("show", "maraude-exemple", "--lang", "en")
    assert "Mobile team: no fixed hours" in out and "Open until" not in out


def test_unknown_id_suggests_and_exits_1() -> None:
    code, out = cli("show", "clinique")
    assert code == 1
    assert "no entry 'clinique'" in out
    assert "did you mean: clinique-exemple" in out


def test_right_to_left_text_on_its_own_line_in_logical_order() -> None:
    _, out = cli("show", "clinique-exemple", "--lang", "ar")
    assert "عيادة تجريبية: أطبـاء وممرضون مرتين في الأسبوع." in out.splitlines()
    _, listed = cli("list", "--lang", "fa")
    lines = listed.splitlines()
    persian = "مرکز روزانهٔ آزمایشی: آب آشامیدنی، دوش و شارژ تلفن همراه."
    assert persian in lines  # alone on its line: no table columns beside it
    assert lines[lines.index(persian) - 1].startswith("accueil-exemple  Accueil Exemple")


def test_fallback_and_draft_are_marked() -> None:
    _, out = cli("show", "maraude-exemple", "--lang", "en")
    assert "[Not yet translated: shown in French]" in out
    _, out = cli("show", "maraude-exemple", "--lang", "fa")
    assert "[هنوز ترجمه نشده: به زبان فرانسوی نشان داده شده]" in out
    _, out = cli("show", "accueil-exemple", "--lang", "en")
    assert "[Translation not yet reviewed]" in out


# -- find ---------------------------------------------------------------------------------


def test_find_ranks_and_says_why() -> None:
    code, out = cli("find", "douche")
    assert code == 0
    assert table_ids(out) == ["accueil-exemple"]
    assert out.splitlines()[0].split() == ["id", "Nom", "Trouvé", "dans", "Résumé"]
    assert "Douches" in out.splitlines()[1]


def test_find_takes_several_words_and_typos() -> None:
    code, out = cli("find", "clinque", "exemple", "--lang", "en")
    assert code == 0 and table_ids(out)[0] == "clinique-exemple"
    assert "Some words matched with a typo allowed" in out


def test_find_nothing_exits_1() -> None:
    code, out = cli("find", "xylophone")
    assert code == 1 and "nothing found for 'xylophone'" in out


# -- JSON ---------------------------------------------------------------------------------


def test_find_json_shape() -> None:
    code, out = cli("find", "eau", "--json", "--lang", "ar")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"version", "query", "lang", "words", "unmatched", "fuzzy", "results"}
    assert doc["version"] == 1 and doc["query"] == "eau" and doc["lang"] == "ar"
    first = doc["results"][0]
    assert set(first) == {"id", "name", "summary", "categories", "status", "score", "matched"}
    assert first["id"] == "accueil-exemple"
    assert first["summary"] == {
        "text": "مركز استقبال نهاري تجريبي: مياه الشرب والاستحمام وشحن الهواتف.",
        "lang": "ar",
        "status": "draft",
        "fallback": False,
    }
    assert first["matched"][0] == "category:water"
    assert isinstance(first["score"], float)


def test_find_json_with_no_result_still_prints_and_exits_1() -> None:
    code, out = cli("find", "xylophone", "--json")
    assert code == 1
    assert json.loads(out)["results"] == [] and json.loads(out)["unmatched"] == ["xylophone"]


def test_list_json_shape() -> None:
    code, out = cli("list", "--at", "tue 15:00", "--json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"version", "lang", "category", "at", "hidden", "entries"}
    assert doc["at"] == "2023-03-07T15:00" and doc["hidden"] == 4
    clinic, outreach = doc["entries"]
    assert set(clinic) == {"id", "name", "summary", "categories", "status", "now"}
    assert clinic["now"] == {
        "state": "open",
        "open": True,
        "until": "2023-03-07T18:00",
        "next_open": None,
        "alert": None,
        "exception": None,
        "place": "Cabinet",
    }
    assert outreach["id"] == "maraude-exemple" and outreach["now"]["state"] == "mobile"
    assert outreach["now"]["open"] is False
    _, plain = cli("list", "--json")
    assert json.loads(plain)["at"] is None and json.loads(plain)["entries"][0]["now"] is None


def test_show_json_shape() -> None:
    code, out = cli("show", "accueil-exemple", "--json")
    assert code == 0
    doc = json.loads(out)
    assert {
        "version", "lang", "at", "id", "name", "alternate_name", "status", "summary",
        "description", "categories", "welcome", "languages", "now", "places", "phones",
        "emails", "websites", "social", "closures", "parent", "projects", "assured_date",
        "assurer", "translations",
    } == set(doc)  # fmt: skip
    assert doc["now"]["state"] == "open" and doc["now"]["until"] == "2023-03-06T12:00"
    place = doc["places"][0]
    assert place["address"] == {
        "street": "1 rue de l'Exemple",
        "postal_code": "62100",
        "city": "Calais",
    }
    assert [d["day"] for d in place["week"]] == ["mo", "tu", "we", "th", "fr", "sa", "su"]
    assert place["week"][0]["hours"][1] == {
        "opens": "14:00",
        "closes": "17:00",
        "note": {
            "text": "douches seulement",
            "lang": "fr",
            "status": "original",
            "fallback": False,
        },
    }
    assert place["week"][2]["hours"] == [] and place["week"][2]["exception"]["text"] == (
        "Formation de l'équipe"
    )
    assert doc["phones"][0] == {
        "number": "+33 3 21 00 00 00",
        "dial": "03 21 00 00 00",
        "type": "voice",
        "available_24_7": True,
        "label": {"text": "Permanence téléphonique", "lang": "fr", "status": "original",
                  "fallback": False},
        "languages": [],
    }  # fmt: skip
    assert doc["projects"] == [{"id": "laverie-exemple", "name": "Laverie Exemple"}]
    assert doc["translations"]["fa"] == {"summary": "stale", "description": "missing"}
    assert doc["translations"]["en"] == {"summary": "draft", "description": "missing"}


# -- terminals: plain when piped, Rich on a terminal ----------------------------------


def test_piped_output_is_plain_text_through_the_fast_path() -> None:
    result = run(
        "list", "--open-now", "--entries", str(FIXTURE), env={lookup.ENV_NOW: MONDAY_MORNING}
    )
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout
    assert "accueil-exemple  Accueil Exemple  Ouvert jusqu'à 12:00" in result.stdout


def test_terminal_output_has_styles_and_no_color_removes_colours() -> None:
    from rich.console import Console

    from calais_guide.lookup_print import list_page, render_rich

    guide = open_guide(FIXTURE)
    listing = lookup.select(guide, None, lookup.moment(None, True))
    page = list_page(guide, listing, "fr")

    def rendered(**options: object) -> str:
        buffer = io.StringIO()
        console = Console(file=buffer, width=100, force_terminal=True, _environ={}, **options)
        render_rich(page, console)
        return buffer.getvalue()

    coloured = rendered(color_system="standard")
    assert "\x1b[1;32mOuvert jusqu'à 12:00" in coloured
    plain_colours = rendered(color_system="standard", no_color=True)
    assert "\x1b[1;32m" not in plain_colours and "Ouvert jusqu'à 12:00" in plain_colours
    # Wrapped to the width, the summary continues under its own column.
    narrow = io.StringIO()
    render_rich(page, Console(file=narrow, width=100, force_terminal=False, _environ={}))
    lines = narrow.getvalue().splitlines()
    assert all(len(line) <= 100 for line in lines)
    column = lines[0].index("Résumé")
    assert lines[2].startswith(" " * column) and lines[2][column] != " "


def test_entry_text_is_never_rich_markup(tmp_path: Path) -> None:
    from rich.console import Console

    from calais_guide.lookup_print import Page, render_rich

    page = Page()
    page.line(("[bold red]not markup[/] :smile:", ""))
    page.para("[link=https://x]x[/link]", indent=2)
    buffer = io.StringIO()
    render_rich(page, Console(file=buffer, width=80, _environ={}))
    assert "[bold red]not markup[/] :smile:" in buffer.getvalue()
    assert "[link=https://x]x[/link]" in buffer.getvalue()


# -- completion ---------------------------------------------------------------------------


def test_completion_callbacks() -> None:
    assert complete_ids(FIXTURE, "maraude") == ["maraude-exemple", "maraude-du-soir"]
    assert complete_ids(FIXTURE, "") == [e.id for e in open_guide(FIXTURE).db.entries]
    assert complete_ids(str(FIXTURE), "clin") == ["clinique-exemple"]  # as Click passes it
    assert complete_ids(Path("/nonexistent/guide"), "a") == []  # never raises
    assert complete_categories("me") == ["mental-health"]
    assert "phone-charging" in complete_categories("")
    assert complete_languages("c") == ["ckb"]
    assert complete_languages("") == ["fr", "en", "ar", "fa", "ps", "ckb", "ti", "am"]


def test_completion_through_the_shell_protocol() -> None:
    result = run(
        "show",
        "mara",
        env={
            "_CALAIS_GUIDE_COMPLETE": "complete_bash",
            "COMP_WORDS": f"calais-guide show --entries {FIXTURE} mara",
            "COMP_CWORD": "4",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["maraude-exemple", "maraude-du-soir"]


def test_completion_of_options_through_typer() -> None:
    from typer.main import get_command

    command = get_command(app)
    ctx = command.make_context("calais-guide", ["list"], resilient_parsing=True)
    list_command = command.get_command(ctx, "list")  # type: ignore[attr-defined]
    params = {p.name: p for p in list_command.params}
    sub = list_command.make_context("list", [], parent=ctx, resilient_parsing=True)
    values = [c.value for c in params["category"].shell_complete(sub, "wa")]
    assert values == ["water"]
    assert [c.value for c in params["lang"].shell_complete(sub, "t")] == ["ti"]
