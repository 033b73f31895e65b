"""Who may see and do what, cell by cell: every actor x every surface x every phase, through
the real shells (Django's test client for the API and the pages, Channels' communicator for
the socket), against the table below.

Each phase builds one game (turns=2, every seat joined) in which Beijing moves with a
secret rationale, Seoul writes privately to Beijing and the facilitator shows an inject to
Seoul alone; then every cell is asked once. Writes run inside a rolled-back transaction, so
the game stays as built for the next cell.

A cell is the HTTP status and, after a colon, the secrets its answer holds; no colon:
none of them. 200/201 allowed; 302 sent to the join page; 401 no credentials; 403 a seat
here, but not theirs to do; 404 not found (as for a game that does not exist); 409 not in
this phase; for the socket 101 opened, 4404 closed as not found.

  M  the rationale of Beijing's latest move: unresolved in open, locked, review (turn 1)
     and resolved (turn 2); resolved in finished.
  P  Seoul's private message to Beijing.
  I  the label of the inject shown to Seoul alone (in the events, and in the news feed of
     the pages of those who were told: Seoul and the white cell).
  U  the umpire's proposed outcome (its state hash; review phase only).
  S  the dice seed.

Actors: each capital; `other`, a seat of another game; the observer without and
(`observer+`) with the facilitator's grant to read private channels; the facilitator's
seat; `staff`, a staff account with no seat; `teacher`, the teacher account that owns the
game (not staff, no seat); `rival`, another teacher (owner of the other game), to whom
this game does not exist; `anon`, no credentials at all. (The grant,
given after P was written, shows P in the messages and the page; the event stream keeps
each seat's events as they were when written, numbered its own way, policy.sequences.)
"""

from __future__ import annotations

import re

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client

from players.models import Participant, Seat
from players.selectors import TEACHERS
from wargame.asgi import application
from wargame.models import TurnResult
from wargame.services.games import (
    game_create,
    game_force_resolve,
    game_observers_grant,
    game_start,
)
from wargame.services.injects import inject_apply
from wargame.services.messages import message_post
from wargame.services.moves import move_submit, role_lock

pytestmark = pytest.mark.django_db(transaction=True)

EFFECTS = [{"var": "tension", "add": 1}]
PHASES = ("lobby", "open", "locked", "review", "resolved", "finished")
SEED = 424242424242
MOVE = "SECRET-BEIJING-MOVE-T"  # + turn number
PRIVATE = "SECRET-SEOUL-TO-BEIJING"
INJECT = "SECRET-INJECT-FOR-SEOUL"
ACTION = {  # an action each capital has, for the move cells
    "seoul": "invite_xi_apec",
    "beijing": "strategic_communication_pyongyang",
    "pyongyang": "envoy_to_beijing",
    "washington": "raise_tariffs_china",
    "moscow": "military_coop_pyongyang",
}

# fmt: off
TABLE = """
surface    actor        lobby    open     locked   review   resolved finished

# API reads: the game as the caller's seat sees it (own moves only; all for the white cell)
detail     seoul        200      200      200      200      200      200
detail     beijing      200      200:M    200:M    200:M    200:M    200
detail     pyongyang    200      200      200      200      200      200
detail     washington   200      200      200      200      200      200
detail     moscow       200      200      200      200      200      200
detail     other        404      404      404      404      404      404
detail     observer     200      200      200      200      200      200
detail     observer+    200      200      200      200      200      200
detail     facilitator  200      200:M    200:M    200:M    200:M    200
detail     staff        200      200:M    200:M    200:M    200:M    200
detail     teacher      200      200:M    200:M    200:M    200:M    200
detail     rival        404      404      404      404      404      404
detail     anon         401      401      401      401      401      401
events     seoul        200      200:PI   200:PI   200:PI   200:PI   200:PI
events     beijing      200      200:MP   200:MP   200:MP   200:MP   200:MP
events     pyongyang    200      200      200      200      200      200
events     washington   200      200      200      200      200      200
events     moscow       200      200      200      200      200      200
events     other        404      404      404      404      404      404
events     observer     200      200      200      200      200      200
events     observer+    200      200      200      200      200      200
events     facilitator  200      200:MPI  200:MPI  200:MPIU 200:MPI  200:MPI
events     staff        200      200:MPI  200:MPI  200:MPIU 200:MPI  200:MPI
events     teacher      200      200:MPI  200:MPI  200:MPIU 200:MPI  200:MPI
events     rival        404      404      404      404      404      404
events     anon         401      401      401      401      401      401

# the log: resolved turns only; the white cell's at once (403 to a seat before the end)
log        seoul        403      403      403      403      403      200:MPIS
log        beijing      403      403      403      403      403      200:MPIS
log        pyongyang    403      403      403      403      403      200:MPIS
log        washington   403      403      403      403      403      200:MPIS
log        moscow       403      403      403      403      403      200:MPIS
log        other        404      404      404      404      404      404
log        observer     403      403      403      403      403      200:MPIS
log        observer+    403      403      403      403      403      200:MPIS
log        facilitator  200:S    200:S    200:S    200:S    200:PIS  200:MPIS
log        staff        200:S    200:S    200:S    200:S    200:PIS  200:MPIS
log        teacher      200:S    200:S    200:S    200:S    200:PIS  200:MPIS
log        rival        404      404      404      404      404      404
log        anon         401      401      401      401      401      401
messages   seoul        200      200:P    200:P    200:P    200:P    200:P
messages   beijing      200      200:P    200:P    200:P    200:P    200:P
messages   pyongyang    200      200      200      200      200      200
messages   washington   200      200      200      200      200      200
messages   moscow       200      200      200      200      200      200
messages   other        404      404      404      404      404      404
messages   observer     200      200      200      200      200      200
messages   observer+    200      200:P    200:P    200:P    200:P    200:P
messages   facilitator  200      200:P    200:P    200:P    200:P    200:P
messages   staff        200      200:P    200:P    200:P    200:P    200:P
messages   teacher      200      200:P    200:P    200:P    200:P    200:P
messages   rival        404      404      404      404      404      404
messages   anon         401      401      401      401      401      401
history    seoul        200      200      200      200      200      200
history    beijing      200      200      200      200      200      200
history    pyongyang    200      200      200      200      200      200
history    washington   200      200      200      200      200      200
history    moscow       200      200      200      200      200      200
history    other        404      404      404      404      404      404
history    observer     200      200      200      200      200      200
history    observer+    200      200      200      200      200      200
history    facilitator  200      200      200      200      200      200
history    staff        200      200      200      200      200      200
history    teacher      200      200      200      200      200      200
history    rival        404      404      404      404      404      404
history    anon         401      401      401      401      401      401

# pages: the seat's page (302 to join without a seat; staff get the console, no seat written)
page       seoul        200      200:PI   200:PI   200:PI   200:PI   200:PI
page       beijing      200      200:MP   200:MP   200:MP   200:MP   200:P
page       pyongyang    200      200      200      200      200      200
page       washington   200      200      200      200      200      200
page       moscow       200      200      200      200      200      200
page       other        302      302      302      302      302      302
page       observer     200      200      200      200      200      200
page       observer+    200      200:P    200:P    200:P    200:P    200:P
page       facilitator  200      200:MPI  200:MPI  200:MPIU 200:MPI  200:PI
page       staff        200      200:MPI  200:MPI  200:MPIU 200:MPI  200:PI
page       teacher      200      200:MPI  200:MPI  200:MPIU 200:MPI  200:PI
page       rival        404      404      404      404      404      404
page       anon         302      302      302      302      302      302

# review pages: the white cell's, every seat's once finished (403 "opens when the game
# ends" for a seat before then), 404 for anyone else
replay     seoul        403      403      403      403      403      200:MPI
replay     beijing      403      403      403      403      403      200:MPI
replay     pyongyang    403      403      403      403      403      200:MPI
replay     washington   403      403      403      403      403      200:MPI
replay     moscow       403      403      403      403      403      200:MPI
replay     other        404      404      404      404      404      404
replay     observer     403      403      403      403      403      200:MPI
replay     observer+    403      403      403      403      403      200:MPI
replay     facilitator  200      200      200      200      200:PI   200:MPI
replay     staff        200      200      200      200      200:PI   200:MPI
replay     teacher      200      200      200      200      200:PI   200:MPI
replay     rival        404      404      404      404      404      404
replay     anon         404      404      404      404      404      404

# replay ?as=beijing (?as=seoul for Beijing): only that seat's columns are read
replay-as  seoul        403      403      403      403      403      200:MP
replay-as  beijing      403      403      403      403      403      200:PI
replay-as  pyongyang    403      403      403      403      403      200:MP
replay-as  washington   403      403      403      403      403      200:MP
replay-as  moscow       403      403      403      403      403      200:MP
replay-as  other        404      404      404      404      404      404
replay-as  observer     403      403      403      403      403      200:MP
replay-as  observer+    403      403      403      403      403      200:MP
replay-as  facilitator  200      200      200      200      200:P    200:MP
replay-as  staff        200      200      200      200      200:P    200:MP
replay-as  teacher      200      200      200      200      200:P    200:MP
replay-as  rival        404      404      404      404      404      404
replay-as  anon         404      404      404      404      404      404
debrief    seoul        403      403      403      403      403      200:MI
debrief    beijing      403      403      403      403      403      200:MI
debrief    pyongyang    403      403      403      403      403      200:MI
debrief    washington   403      403      403      403      403      200:MI
debrief    moscow       403      403      403      403      403      200:MI
debrief    other        404      404      404      404      404      404
debrief    observer     403      403      403      403      403      200:MI
debrief    observer+    403      403      403      403      403      200:MI
debrief    facilitator  200      200      200      200      200:I    200:MI
debrief    staff        200      200      200      200      200:I    200:MI
debrief    teacher      200      200      200      200      200:I    200:MI
debrief    rival        404      404      404      404      404      404
debrief    anon         404      404      404      404      404      404
export     seoul        403      403      403      403      403      200:MPIS
export     beijing      403      403      403      403      403      200:MPIS
export     pyongyang    403      403      403      403      403      200:MPIS
export     washington   403      403      403      403      403      200:MPIS
export     moscow       403      403      403      403      403      200:MPIS
export     other        404      404      404      404      404      404
export     observer     403      403      403      403      403      200:MPIS
export     observer+    403      403      403      403      403      200:MPIS
export     facilitator  200:S    200:S    200:S    200:S    200:PIS  200:MPIS
export     staff        200:S    200:S    200:S    200:S    200:PIS  200:MPIS
export     teacher      200:S    200:S    200:S    200:S    200:PIS  200:MPIS
export     rival        404      404      404      404      404      404
export     anon         404      404      404      404      404      404

# the socket, catching up from seq 0 (token; staff by session cookie and Origin)
socket     seoul        101      101:PI   101:PI   101:PI   101:PI   101:PI
socket     beijing      101      101:MP   101:MP   101:MP   101:MP   101:MP
socket     pyongyang    101      101      101      101      101      101
socket     washington   101      101      101      101      101      101
socket     moscow       101      101      101      101      101      101
socket     other        4404     4404     4404     4404     4404     4404
socket     observer     101      101      101      101      101      101
socket     observer+    101      101      101      101      101      101
socket     facilitator  101      101:MPI  101:MPI  101:MPIU 101:MPI  101:MPI
socket     staff        101      101:MPI  101:MPI  101:MPIU 101:MPI  101:MPI
socket     teacher      101      101:MPI  101:MPI  101:MPIU 101:MPI  101:MPI
socket     rival        4404     4404     4404     4404     4404     4404
socket     anon         4404     4404     4404     4404     4404     4404

# writes (rolled back): a seat acts for its own capital; only the white cell runs
move       seoul        409      201      201      409      201      409
move       beijing      409      201      409      409      201      409
move       pyongyang    409      201      201      409      201      409
move       washington   409      201      201      409      201      409
move       moscow       409      201      201      409      201      409
move       other        404      404      404      404      404      404
move       observer     403      403      403      403      403      403
move       observer+    403      403      403      403      403      403
move       facilitator  403      403      403      403      403      403
move       staff        403      403      403      403      403      403
move       teacher      403      403      403      403      403      403
move       rival        404      404      404      404      404      404
move       anon         401      401      401      401      401      401
lock       seoul        409      200      200      409      200      409
lock       beijing      409      200      409      409      200      409
lock       pyongyang    409      200      200      409      200      409
lock       washington   409      200      200      409      200      409
lock       moscow       409      200      200      409      200      409
lock       other        404      404      404      404      404      404
lock       observer     403      403      403      403      403      403
lock       observer+    403      403      403      403      403      403
lock       facilitator  403      403      403      403      403      403
lock       staff        403      403      403      403      403      403
lock       teacher      403      403      403      403      403      403
lock       rival        404      404      404      404      404      404
lock       anon         401      401      401      401      401      401
inject     seoul        403      403      403      403      403      403
inject     beijing      403      403      403      403      403      403
inject     pyongyang    403      403      403      403      403      403
inject     washington   403      403      403      403      403      403
inject     moscow       403      403      403      403      403      403
inject     other        404      404      404      404      404      404
inject     observer     403      403      403      403      403      403
inject     observer+    403      403      403      403      403      403
inject     facilitator  409      201      201      409      201      409
inject     staff        409      201      201      409      201      409
inject     teacher      409      201      201      409      201      409
inject     rival        404      404      404      404      404      404
inject     anon         401      401      401      401      401      401
"""
# fmt: on


def rows_of(table: str) -> list[list[str]]:
    """The table's lines as words, without blank lines and # comments."""
    return [line.split() for line in table.splitlines() if line.strip() and line[0] != "#"]


def parse(table: str) -> dict[tuple[str, str, str], str]:
    lines = rows_of(table)
    header, rows = lines[0], lines[1:]
    assert header[2:] == list(PHASES), header
    return {(s, a, p): cell for s, a, *cells in rows for p, cell in zip(PHASES, cells, strict=True)}


EXPECTED = parse(TABLE)
ACTORS = ("seoul", "beijing", "pyongyang", "washington", "moscow", "other", "observer",
          "observer+", "facilitator", "staff", "teacher", "rival", "anon")  # fmt: skip
SURFACES = ("detail", "events", "log", "messages", "history", "page", "replay", "replay-as",
            "debrief", "export", "socket", "move", "lock", "inject")  # fmt: skip


# --- the games ----------------------------------------------------------------------


class Table:
    """One phase's game, a client (session) and a token per actor, and the secrets."""

    def __init__(self, phase: str):
        self.phase = phase
        teachers, _ = Group.objects.get_or_create(name=TEACHERS)
        users = get_user_model().objects
        teacher = users.create_user(f"teacher-{phase}", password="pw")
        rival = users.create_user(f"rival-{phase}", password="pw")
        teachers.user_set.add(teacher, rival)
        game, codes = game_create(
            seed=SEED, turns=2, umpire_review=phase == "review", created_by=teacher
        )
        self.game = game.pk
        self.clients: dict[str, Client] = {}
        self.tokens: dict[str, str | None] = {}
        for seat in [*ACTION, "facilitator", "observer"]:
            self.clients[seat], self.tokens[seat] = joined(codes[seat], seat)
        self.clients["observer+"], self.tokens["observer+"] = joined(codes["observer"], "obs+")
        _other, other_codes = game_create(seed=1, created_by=rival)
        self.clients["other"], self.tokens["other"] = joined(other_codes["seoul"], "other")
        staff = get_user_model().objects.create_user(f"staff-{phase}", password="pw", is_staff=True)
        self.clients["staff"], self.tokens["staff"] = Client(), None
        self.clients["staff"].force_login(staff)
        for name, account in (("teacher", teacher), ("rival", rival)):
            self.clients[name], self.tokens[name] = Client(), None
            self.clients[name].force_login(account)
        self.clients["anon"], self.tokens["anon"] = Client(), None
        self.latest_move = 0
        self.proposal = None
        self._play()

    def _play(self) -> None:
        if self.phase == "lobby":
            return
        game_start(game_id=self.game)
        self._beijing_moves(1)
        message_post(game_id=self.game, sender="seoul", to="beijing", text=PRIVATE)
        inject_apply(game_id=self.game, label=INJECT, effects=EFFECTS, audience=["seoul"])
        if self.phase == "locked":
            role_lock(game_id=self.game, role="beijing")
        if self.phase in ("review", "resolved", "finished"):
            game_force_resolve(game_id=self.game, turn_number=1)
        if self.phase == "review":
            self.proposal = TurnResult.objects.get(turn__game_id=self.game).state_hash
        if self.phase in ("resolved", "finished"):
            self._beijing_moves(2)
        if self.phase == "finished":
            game_force_resolve(game_id=self.game, turn_number=2)

    def _beijing_moves(self, turn: int) -> None:
        move_submit(
            game_id=self.game,
            role="beijing",
            action="host_summit_pyongyang",
            target="pyongyang",
            rationale=f"{MOVE}{turn}",
        )
        self.latest_move = turn

    def secrets(self, text: str) -> str:
        found = {
            "M": self.latest_move and f"{MOVE}{self.latest_move}" in text,
            "P": PRIVATE in text,
            "I": INJECT in text,
            "U": self.proposal is not None and self.proposal in text,
            "S": str(SEED) in text,
        }
        return "".join(k for k, v in found.items() if v)


def joined(code: str, name: str) -> tuple[Client, str]:
    client = Client()
    body = {"code": code, "name": name}
    response = client.post("/api/join", body, content_type="application/json")
    assert response.status_code == 200, response.content
    return client, response.json()["token"]


# --- the surfaces -------------------------------------------------------------------


def another_role(actor: str) -> str:
    return "seoul" if actor == "beijing" else "beijing"


READS = {
    "detail": "/api/games/{g}",
    "events": "/api/games/{g}/events?after=0",
    "log": "/api/games/{g}/log",
    "messages": "/api/games/{g}/messages",
    "history": "/api/games/{g}/history",
    "page": "/games/{g}/",
    "replay": "/games/{g}/replay/",
    "replay-as": "/games/{g}/replay/?as={other}",  # Beijing's view; Seoul's for Beijing
    "debrief": "/games/{g}/debrief/",
    "export": "/games/{g}/export/log.json",
}


SEAT_COLUMN = re.compile(
    r'data-perspective="seat">(.*?)</div>\s*(?:<div class="perspective|</div>)', re.S
)


def write(table: Table, surface: str, actor: str) -> tuple[int, str]:
    """A write, rolled back afterwards (its service's events are never published)."""
    client, g = table.clients[actor], table.game
    body = {
        "move": (f"/api/games/{g}/moves", {"action": ACTION.get(actor, "court_seoul")}),
        "lock": (f"/api/games/{g}/lock", {}),
        "inject": (f"/api/games/{g}/injects", {"label": "A flood", "effects": EFFECTS}),
    }[surface]
    with transaction.atomic():
        response = client.post(body[0], body[1], content_type="application/json")
        transaction.set_rollback(True)
    return response.status_code, response.content.decode()


async def socket(table: Table, actor: str) -> tuple[int, str]:
    """Connect (token for seats, session cookie and an allowed Origin for browsers) and
    catch up from seq 0: the status, and everything the socket sent."""
    token = table.tokens[actor]
    client = table.clients[actor]
    path = f"/ws/games/{table.game}/?last_seq=0" + (f"&token={token}" if token else "")
    headers = []
    if token is None and "sessionid" in client.cookies:
        session = client.cookies["sessionid"].value
        headers = [
            (b"origin", b"http://localhost"),
            (b"host", b"localhost"),  # the page's own origin: scheme, host and port
            (b"cookie", f"sessionid={session}".encode()),
        ]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect()
    if not connected:
        return code, ""
    # A ping is answered after the connect's catch-up (a consumer handles one message at
    # a time): everything before the pong is what the socket sent, however slow the host.
    await communicator.send_json_to({"type": "ping"})
    heard = []
    while '"type": "pong"' not in (frame := await communicator.receive_from(timeout=30)):
        heard.append(frame)
    await communicator.disconnect()
    return 101, "\n".join(heard)


def ask(table: Table, surface: str, actor: str) -> str:
    if surface in READS:
        path = READS[surface].format(g=table.game, other=another_role(actor))
        response = table.clients[actor].get(path)
        status, text = response.status_code, response.content.decode()
        if surface == "replay-as":  # only the seat's columns, not the truth beside them
            text = "\n".join(SEAT_COLUMN.findall(text))
    elif surface == "socket":
        status, text = async_to_sync(socket)(table, actor)
    else:
        status, text = write(table, surface, actor)
    found = table.secrets(text) if status in (101, 200, 201) else ""
    return f"{status}:{found}" if found else str(status)


def test_the_table_has_one_cell_for_every_actor_surface_and_phase():
    """No cell forgotten, none twice: the table is the whole specification."""
    rows = [tuple(words[:2]) for words in rows_of(TABLE)[1:]]
    assert sorted(rows) == sorted((s, a) for s in SURFACES for a in ACTORS)


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    yield
    async_to_sync(get_channel_layer().flush)()


@pytest.mark.parametrize("phase", PHASES)
def test_every_actor_on_every_surface_gets_what_the_table_says(phase):
    """Every cell of this phase's column, through the real shells; the failure lists each
    cell that differs, and no GET or socket wrote a seat or a participant."""
    table = Table(phase)
    seats_before = (Seat.objects.count(), Participant.objects.count())
    wrong = []
    for actor in ACTORS:
        grant = actor == "observer+"
        if grant:
            game_observers_grant(game_id=table.game, on=True)
        for surface in SURFACES:
            expected = EXPECTED.get((surface, actor, phase))
            got = ask(table, surface, actor)
            if got != expected:
                wrong.append(f"{surface:<10} {actor:<12} {phase}: expected {expected}, got {got}")
        if grant:
            game_observers_grant(game_id=table.game, on=False)
    assert (Seat.objects.count(), Participant.objects.count()) == seats_before
    assert wrong == [], "\n" + "\n".join(wrong)
