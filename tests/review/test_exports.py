"""Exports for analysts (issue "Replay, fork and after-action review"): every table as CSV
and JSON from the export page and the CLI, read back with csv.DictReader and checked
against the game; anonymised downloads hold no participant's name anywhere."""

from __future__ import annotations

import copy
import csv
import html
import io
import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from players.models import Seat
from tests.support.random_games import NAMES, play_random_game
from tests.support.scripted_game import ROLES
from wargame.gamelog import replay
from wargame.models import Message, Move, TurnResult
from wargame.review import exports
from wargame.selectors import game_log

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = ["moves", "messages", "states", "scores", "fired_rules"]


@pytest.fixture
def game():
    """Four turns, every role played by a named person, messages naming people, an inject."""
    return play_random_game(11, turns=4, people=list(ROLES))


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("analyst", password="pw", is_staff=True)
    client.force_login(user)
    return client


def rows_of(body: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """What an analyst's `csv` reader sees (the BOM is read as such with utf-8-sig)."""
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def download(client, game_id: int, name: str, *, anonymise: bool = False):
    url = f"/games/{game_id}/export/{name}" + ("?anonymise=1" if anonymise else "")
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return response


def test_export_page_lists_every_download_with_a_description(staff, game):
    """/games/<id>/export/ links each table as CSV and JSON (plain and anonymised) and the
    log, each with what it holds."""
    response = staff.get(f"/games/{game.pk}/export/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    for name in TABLES:
        for fmt in ("csv", "json"):
            assert f'href="/games/{game.pk}/export/{name}.{fmt}"' in page
            assert f'href="/games/{game.pk}/export/{name}.{fmt}?anonymise=1"' in page
        assert exports.DESCRIPTIONS[name] in page
    assert f'href="/games/{game.pk}/export/log.json"' in page
    assert "byte-order mark" in page
    # Code in a description is shown as code, never as Markdown backticks (issue 10, item 12).
    assert "<code>replay --verify</code> checks it" in page
    assert "`" not in page


def test_moves_csv_reads_back_as_the_games_moves_and_results(staff, game):
    """moves.csv: a header in the documented order, then one row per move, in turn order,
    each with its role, action, target, rationale and the recorded result and reason."""
    response = download(staff, game.pk, "moves.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="game-{game.pk}-moves.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, rows = rows_of(response.content)
    assert header == [
        "turn",
        "role",
        "action",
        "target",
        "rationale",
        "result",
        "reason",
        "rules",
        "claims",
    ]
    moves = list(Move.objects.filter(game=game).order_by("turn__number", "id"))
    assert len(rows) == len(moves) > 0
    results = {r.turn.number: r.outcomes for r in TurnResult.objects.filter(turn__game=game)}
    seen: dict[int, int] = {}
    for row, move in zip(rows, moves, strict=True):
        number = move.turn.number
        index = seen.get(number, 0)
        seen[number] = index + 1
        outcome = results[number][index]
        assert (int(row["turn"]), row["role"], row["action"]) == (number, move.role, move.action)
        assert row["target"] == (move.target or "")
        assert row["rationale"] == move.rationale
        assert (row["result"], row["reason"]) == (outcome["result"], outcome["reason"])
        assert row["rules"].split(";") == outcome["rules"]


def test_states_csv_has_the_start_and_every_turn_with_each_variable_a_column(staff, game):
    """states.csv: turn 0 (the scenario's start) and turns 1-4; tension, each relation and
    the state hash match what was recorded after each turn."""
    _, rows = rows_of(download(staff, game.pk, "states.csv").content)
    assert [int(r["turn"]) for r in rows] == [0, 1, 2, 3, 4]
    assert int(rows[0]["tension"]) == game.start_state["tension"]
    for row in rows[1:]:
        result = TurnResult.objects.get(turn__game=game, turn__number=int(row["turn"]))
        assert int(row["tension"]) == result.state["tension"]
        assert row["ukraine_war"] == result.state["ukraine_war"]
        for pair, value in result.state["relations"].items():
            assert int(row[f"relations.{pair}"]) == value
        assert row["state_hash"] == result.state_hash
    assert "relations.beijing-pyongyang" in rows[0]


def test_scores_and_fired_rules_csv_match_the_record(staff, game):
    """scores.csv: each role at the start and after every turn; fired_rules.csv: every rule
    that fired, in order, with provenance, claims and any dice."""
    _, scores = rows_of(download(staff, game.pk, "scores.csv").content)
    assert len(scores) == 5 * 5
    results = {r.turn.number: r for r in TurnResult.objects.filter(turn__game=game)}
    for row in scores:
        if int(row["turn"]) > 0:
            assert float(row["score"]) == results[int(row["turn"])].scores[row["role"]]
    assert [r["role"] for r in scores[:5]] == ROLES

    _, fired = rows_of(download(staff, game.pk, "fired_rules.csv").content)
    recorded = [(n, r) for n in sorted(results) for r in results[n].fired_rules]
    assert len(fired) == len(recorded) > 0
    for row, (number, rule) in zip(fired, recorded, strict=True):
        assert (int(row["turn"]), row["rule"], row["title"]) == (
            number,
            rule["rule"],
            rule["title"],
        )
        assert row["provenance"] == rule["section"]
        assert row["claims"] == ";".join(rule["claims"])
        assert row["roll"] == ("" if rule["roll"] is None else str(rule["roll"]))
        assert row["chance"] == ("" if rule["chance"] is None else str(rule["chance"]))


def test_messages_csv_and_json_agree_with_the_game(staff, game):
    """messages.csv and messages.json: every message (all of them: reviewers read the
    private channels too), with sender, recipients and text; the JSON is a list of records
    with the same values."""
    _, rows = rows_of(download(staff, game.pk, "messages.csv").content)
    stored = list(Message.objects.filter(game=game).order_by("id"))
    assert len(rows) == len(stored) > 0
    for row, message in zip(rows, stored, strict=True):
        assert (int(row["turn"]), row["from"], row["text"]) == (
            message.turn_number,
            message.sender,
            message.text,
        )
        assert row["to"] == ";".join(message.recipients)
    records = json.loads(download(staff, game.pk, "messages.json").content)
    assert [list(r) for r in records] == [["turn", "from", "to", "text", "at"]] * len(stored)
    assert [r["text"] for r in records] == [m.text for m in stored]


@pytest.mark.parametrize("name", TABLES)
def test_json_tables_are_the_csv_tables_as_records(staff, game, name):
    """Each table's JSON has the same rows and columns as its CSV (numbers as numbers)."""
    header, rows = rows_of(download(staff, game.pk, f"{name}.csv").content)
    response = download(staff, game.pk, f"{name}.json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].endswith(f'filename="game-{game.pk}-{name}.json"')
    records = json.loads(response.content)
    assert len(records) == len(rows)
    for record, row in zip(records, rows, strict=True):
        assert list(record) == header
        for column in header:
            value = record[column]
            text = "" if value is None else str(value)
            assert row[column] == text, (name, column)


def all_downloads(client, game_id: int) -> dict[str, bytes]:
    names = [f"{t}.{f}" for t in TABLES for f in ("csv", "json")] + ["log.json"]
    return {n: download(client, game_id, n, anonymise=True).content for n in names}


def test_anonymised_downloads_contain_no_participant_name(staff, game):
    """?anonymise=1: no player's, facilitator's or observer's name in any table or in the
    log, in any case; names in messages and rationales read as role labels instead."""
    downloads = all_downloads(staff, game.pk)
    for filename, body in downloads.items():
        text = body.decode("utf-8-sig")
        for name in NAMES.values():
            assert name.casefold() not in text.casefold(), (filename, name)
            for part in name.split():
                assert not re.search(rf"\b{re.escape(part)}\b", text, re.I), (filename, part)
    log = json.loads(downloads["log.json"])
    assert {seat["name"] for seat in log["roles"]} == {f"{r.title()} player" for r in ROLES}
    texts = [m["text"] for t in log["turns"] for m in t["messages"]]
    assert any("this is Seoul player" in t or "Seoul player, this is" in t for t in texts)
    assert all("(cc Facilitator)" in t for t in texts)
    assert replay(log)["verified"] is True
    plain = download(staff, game.pk, "messages.csv").content.decode("utf-8-sig")
    assert NAMES["facilitator"] in plain


def test_anonymised_filenames_say_so(staff, game):
    response = download(staff, game.pk, "moves.csv", anonymise=True)
    assert response["Content-Disposition"] == (
        f'attachment; filename="game-{game.pk}-moves-anonymised.csv"'
    )


@pytest.mark.parametrize("name", ["moves.xlsx", "players.csv", "log.csv", "secrets.json"])
def test_unknown_table_or_format_is_404_naming_what_exists(staff, game, name):
    response = staff.get(f"/games/{game.pk}/export/{name}")
    assert response.status_code == 404
    message = response.content.decode()
    assert name in message
    assert "moves, messages, states, scores, fired_rules" in message


def test_exports_follow_the_review_rule(game):
    """Anonymous browsers and seats of other games get 404; a seat of this (finished)
    game may download."""
    anonymous = Client()
    assert anonymous.get(f"/games/{game.pk}/export/").status_code == 404
    assert anonymous.get(f"/games/{game.pk}/export/moves.csv").status_code == 404
    other = play_random_game(12, turns=1, people=["seoul"])
    stranger = Client()
    code = Seat.objects.get(game=other, role="seoul").code
    assert stranger.post("/join/", {"code": code, "name": "Mallory"}).status_code == 302
    assert stranger.get(f"/games/{game.pk}/export/messages.csv").status_code == 404
    player = Client()
    code = Seat.objects.get(game=game, role="moscow").code
    assert player.post("/join/", {"code": code, "name": "Late joiner"}).status_code == 302
    assert player.get(f"/games/{game.pk}/export/messages.csv").status_code == 200


def test_a_running_game_exports_only_to_its_facilitator_and_never_the_open_turn():
    """While a game runs, a player is told the exports open at the end (403); the
    facilitator's export has resolved turns
    only, so moves submitted for the open turn are not in it."""
    from wargame.services.games import game_create, game_start
    from wargame.services.moves import move_submit

    game, codes = game_create(seed=3, turns=3, bots=ROLES[1:])
    player, facilitator = Client(), Client()
    player.post("/join/", {"code": codes["seoul"], "name": "Kwon"})
    facilitator.post("/join/", {"code": codes["facilitator"], "name": "Umpire"})
    game_start(game_id=game.pk)
    move_submit(
        game_id=game.pk,
        role="seoul",
        action="stabilise_leadership",
        target=None,
        rationale="the open turn's secret",
    )
    closed = player.get(f"/games/{game.pk}/export/moves.csv")
    assert closed.status_code == 403
    assert b"open when the game ends" in closed.content
    body = download(facilitator, game.pk, "moves.csv").content.decode("utf-8-sig")
    assert "the open turn's secret" not in body


def test_export_queries_do_not_grow_with_the_game(staff):
    """A 2-turn and a 6-turn game cost the same number of queries per download."""
    short, long = play_random_game(21, turns=2), play_random_game(22, turns=6)
    counts = []
    for game in (short, long):
        with CaptureQueriesContext(connection) as queries:
            download(staff, game.pk, "states.csv", anonymise=True)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_cli_writes_every_table_as_csv(tmp_path, game):
    """export_game ID --tables DIR writes game-ID-<table>.csv for each table; the rows read
    back; --anonymise writes -anonymised files without any name."""
    out = StringIO()
    call_command("export_game", str(game.pk), "--tables", str(tmp_path / "t"), stdout=out)
    for name in TABLES:
        path = tmp_path / "t" / f"game-{game.pk}-{name}.csv"
        assert str(path) in out.getvalue()
        header, rows = rows_of(path.read_bytes())
        assert tuple(header) == exports.table(game_log(game), name).columns
    _, moves = rows_of((tmp_path / "t" / f"game-{game.pk}-moves.csv").read_bytes())
    assert len(moves) == Move.objects.filter(game=game).count()

    call_command(
        "export_game", str(game.pk), "--tables", str(tmp_path / "a"), "--anonymise", stdout=out
    )
    for name in TABLES:
        text = (tmp_path / "a" / f"game-{game.pk}-{name}-anonymised.csv").read_text("utf-8-sig")
        assert not any(n in text for n in NAMES.values()), name


def test_cli_log_export_still_works_and_can_be_anonymised(tmp_path, game):
    """export_game ID -o FILE (unchanged) and with --anonymise."""
    call_command("export_game", str(game.pk), "-o", str(tmp_path / "log.json"), stderr=StringIO())
    assert json.loads((tmp_path / "log.json").read_text()) == game_log(game)
    out = StringIO()
    call_command("export_game", str(game.pk), "--anonymise", stdout=out)
    assert not any(n in out.getvalue() for n in NAMES.values())


def test_cli_refuses_a_missing_game_and_both_outputs(tmp_path, game):
    with pytest.raises(CommandError, match="no game 999999"):
        call_command("export_game", "999999", "--tables", str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError, match="not both"):
        call_command(
            "export_game",
            str(game.pk),
            "-o",
            "x.json",
            "--tables",
            str(tmp_path),
            stdout=StringIO(),
        )


# --- the pure functions -------------------------------------------------------------


SCRIPT = {
    "format": "lips-and-teeth/log",
    "version": 1,
    "scenario": "lips-and-teeth-2025",
    "seed": 7,
    "roles": [{"role": "seoul", "seat": "person", "name": "Al, Bea Cho"}],
    "turns": [
        {
            "number": 1,
            "moves": [
                {
                    "role": "seoul",
                    "action": "stabilise_leadership",
                    "target": None,
                    "rationale": '=HYPERLINK("http://x") said AL to bea cho; Alberta stays',
                }
            ],
            "messages": [{"from": "seoul", "to": ["beijing"], "text": "-1 for Al"}],
        }
    ],
}


def test_csv_defuses_formulas_but_json_keeps_the_text():
    """A cell a spreadsheet would run (=, +, -, @) gets a leading apostrophe in CSV only."""
    moves = exports.moves_table(SCRIPT)
    _, rows = rows_of(exports.to_csv(moves))
    assert rows[0]["rationale"].startswith("'=HYPERLINK")
    assert json.loads(exports.to_json(moves))[0]["rationale"].startswith("=HYPERLINK")
    _, rows = rows_of(exports.to_csv(exports.messages_table(SCRIPT)))
    assert rows[0]["text"] == "'-1 for Al"


def test_anonymise_replaces_whole_names_in_any_case_and_each_member_of_a_team():
    """A seat shared by "Al" and "Bea Cho": both become "Seoul player" wherever they stand
    as words, in any case; "Alberta" is not a name and stays."""
    document = exports.anonymise(SCRIPT, names=[("Dana", "facilitator")])
    assert document["roles"][0]["name"] == "Seoul player"
    rationale = document["turns"][0]["moves"][0]["rationale"]
    assert rationale.endswith("said Seoul player to Seoul player; Alberta stays")
    assert document["turns"][0]["messages"][0]["text"] == "-1 for Seoul player"
    assert SCRIPT["roles"][0]["name"] == "Al, Bea Cho", "the input is not changed"


def test_a_script_without_outcomes_gives_moves_without_results_and_only_the_start_state():
    states = exports.states_table(SCRIPT)
    assert [r["turn"] for r in states.rows] == [0]
    assert exports.moves_table(SCRIPT).rows[0]["result"] is None


def test_anonymise_replaces_a_first_name_used_alone():
    """Seoul is "Kim Ji-woo" and "김지우", Beijing "Wang Fang"; texts that call them
    "Ji-woo", "Fang" or "지우" (with a particle) name nobody once anonymised, while the
    capitals, "Kim Jong-un" and other words stay as written."""
    document = copy.deepcopy(SCRIPT)
    document["roles"] = [
        {"role": "seoul", "seat": "person", "name": "Kim Ji-woo, 김지우"},
        {"role": "beijing", "seat": "person", "name": "Wang Fang"},
        {"role": "pyongyang", "seat": "bot", "name": "pyongyang bot"},
    ]
    move = document["turns"][0]["moves"][0]
    move["rationale"] = (
        "Ji-woo asked Fang; 지우는 동의했다. Seoul watches Pyongyang and Kim Jong-un."
    )
    document["turns"][0]["messages"][0]["text"] = "FANG, call me. (ji-woo) Fang Wang agrees."
    out = exports.anonymise(document, names=[("Dana Lee", "facilitator")])
    rationale = out["turns"][0]["moves"][0]["rationale"]
    assert rationale == (
        "Seoul player asked Beijing player; Seoul player는 동의했다. "
        "Seoul watches Pyongyang and Kim Jong-un."
    )
    assert out["turns"][0]["messages"][0]["text"] == (
        "Beijing player, call me. (Seoul player) Beijing player Beijing player agrees."
    )
