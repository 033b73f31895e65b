"""Live play in real browsers: Chromium (Playwright) against uvicorn + a celery worker.

Every seat has its own browser context, joins through /join/<code>/, and is checked for
what it must and must not see; every page's console errors and uncaught exceptions fail
the test; screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    DESKTOP,
    ROLES,
    SCREENSHOTS,
    TABLET,
    Network,
    Seat,
    Seats,
    create_game,
    fill_join_form,
    screenshot,
    start_game,
    wait_online,
)
from wargame.gamelog import replay

pytestmark = [
    pytest.mark.fullstack,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NAMES = {r: r.title() for r in ROLES}
RATIONALE = "Rationale (read by the umpire, kept in the log)"
LOCKED = "Your moves are locked for this turn."
NO_RESULTS = "No turn has been resolved yet."
RESULT_TEXT = {"succeeded": "succeeded", "failed": "failed", "no_effect": "no effect"}

# Turn 1: one move per capital (action, target, action label as the mover's page shows it).
TURN_1 = {
    "seoul": ("stabilise_leadership", None, "Stabilise the leadership"),
    "beijing": ("strategic_communication_pyongyang", "pyongyang", "Strategic communication"),
    "pyongyang": ("envoy_to_beijing", "beijing", "Send an envoy to Beijing"),
    "washington": ("raise_tariffs_china", "beijing", "Raise tariffs on China"),
    "moscow": ("military_coop_pyongyang", "pyongyang", "Military cooperation with Pyongyang"),
}


def marker(label: str) -> str:
    """A unique text to search for: nothing else on any page contains it."""
    return f"{label}-{uuid.uuid4().hex[:8]}"


# --- what a player does -----------------------------------------------------------------


def show_tab(page: Page, name: str) -> None:
    """On a phone or tablet (below 900 px) the page shows one tab at a time: open `name`."""
    tab = page.locator("nav.tabbar").get_by_role("tab", name=re.compile(rf"^{name}\b"))
    if tab.is_visible():
        tab.click()


def submit_move(page: Page, action: str, target: str | None, rationale: str) -> None:
    show_tab(page, "Moves")
    page.get_by_label("Action", exact=True).select_option(action)
    if target:
        page.get_by_label("Target", exact=True).select_option(target)
    page.get_by_label(RATIONALE).fill(rationale)
    page.get_by_role("button", name="Submit move").click()
    expect(page.locator("#my-moves")).to_contain_text(rationale)
    expect(page.locator("#move-error")).to_have_text("")


def lock(page: Page) -> None:
    page.get_by_role("button", name="Lock my moves for this turn").click()  # confirm(): yes
    expect(page.locator("#lock-state")).to_have_text(LOCKED)


def channel_tab(page: Page, name: str):
    return page.locator("#channels").get_by_role("tab", name=re.compile(rf"^{name}\b"))


def unread(page: Page, name: str):
    return channel_tab(page, name).locator(".unread")


def send_message(page: Page, to: str, text: str) -> None:
    """Open the channel to `to` (a capital's name or "Everyone") and send `text`."""
    channel_tab(page, to).click()
    expect(channel_tab(page, to)).to_have_attribute("aria-selected", "true")
    page.get_by_label(f"Message to {'everyone' if to == 'Everyone' else to}").fill(text)
    page.locator("#message-form").get_by_role("button", name="Send").click()
    expect(page.locator("#message-list")).to_contain_text(text)


def phase(page: Page):
    return page.locator("#turn-phase")


def turn_label(page: Page):
    return page.locator("#turn-label")


def action_label(action: str) -> str:
    """The label the pages show for an action code (the first role's that has it)."""
    from wargame.engine.loader import load_scenario

    return next(a.label for a in load_scenario().actions.values() if a.code == action)


def outcome(page: Page, action: str):
    """The line of the latest results about `action` (shown by its label, never its code)."""
    return page.locator("#results li.outcome", has_text=action_label(action))


def assert_absent(seat: Seat, *secrets: str) -> None:
    """Neither the page (its HTML, page data included, and its text) nor any WebSocket
    frame it received contains any of `secrets`."""
    html = seat.page.content()
    text = seat.page.locator("body").inner_text()
    frames = seat.received()
    for secret in secrets:
        assert secret not in html, f"{seat.role}'s page HTML shows {secret!r}"
        assert secret not in text, f"{seat.role}'s page text shows {secret!r}"
        assert secret not in frames, f"{seat.role}'s socket received {secret!r}"


# --- (1) a whole exercise ---------------------------------------------------------------


def test_facilitator_and_five_players_play_three_turns(seats: Seats):
    """A facilitator, five players and an observer, each in their own browser, play three
    turns: start, pause/resume, an inject, messages between Seoul and Beijing, umpire
    review with an override on turn 1, accept on turn 2, a forced resolve on turn 3;
    every page is checked for what its seat must and must not see; the exported log
    replays and verifies, with the override and its reason."""
    game, codes = create_game(umpire_review=True, title="Three turns in the browser")
    joined = seats.join_all({"facilitator": codes["facilitator"]} | {r: codes[r] for r in ROLES})
    joined |= seats.join_all({"observer": codes["observer"]})
    console = joined["facilitator"].page
    observer = joined["observer"].page
    players = {r: joined[r].page for r in ROLES}
    audience = [*players.values(), observer]

    # The lobby: players wait; only the console can start.
    for page in audience:
        expect(phase(page)).to_have_text("waiting for the facilitator to start")
    for page in players.values():
        expect(page.get_by_role("button", name="Submit move")).to_be_disabled()
    console.get_by_role("button", name="Start").click()
    for page in [*audience, console]:
        expect(phase(page)).to_have_text("open for moves")
        expect(turn_label(page)).to_have_text("March 2025 (1 / 3)")

    # The clock says what it is: an untimed turn has nothing to extend; a clock is set,
    # then cleared, and every seat's header follows.
    extend = console.get_by_role("button", name="+1 min")
    expect(console.locator("#clock-state")).to_contain_text("No clock")
    expect(extend).to_be_disabled()
    console.get_by_label("Minutes from now").fill("5")
    console.get_by_role("button", name="Set the clock").click()
    expect(extend).to_be_enabled()
    expect(players["seoul"].locator("#clock")).to_contain_text("4:5")
    console.get_by_role("button", name="Clear the clock").click()
    expect(extend).to_be_disabled()
    expect(console.locator("#clock-state")).to_contain_text("No clock")

    # What each seat must and must not see on its page.
    for role, page in players.items():
        expect(page.locator(".seat-badge")).to_have_text(NAMES[role])
        expect(page.get_by_role("heading", name=f"Briefing: {NAMES[role]}")).to_be_visible()
        expect(page.get_by_role("button", name="Submit move")).to_be_enabled()
        for control in ("Start", "Pause", "Resolve now", "Inject"):
            expect(page.get_by_role("button", name=control, exact=True)).to_have_count(0)
        expect(page.locator("#review")).to_have_count(0)
        others = [c for seat, c in codes.items() if seat != role]
        assert_absent(joined[role], *others)  # nobody else's join code, not even the observer's
    expect(observer.locator("#move-form")).to_have_count(0)
    expect(observer.locator("#message-form")).to_have_count(0)
    expect(observer.get_by_role("button", name="Start")).to_have_count(0)
    assert_absent(joined["observer"], *codes.values())
    seat_rows = console.locator("#seats tbody")
    for code in codes.values():
        expect(seat_rows).to_contain_text(code)
    for role in ROLES:  # presence: every capital's person is shown as connected
        expect(seat_rows).to_contain_text(f"{NAMES[role]} tester")

    # Pause: every page says so and players cannot move; resume undoes it.
    console.get_by_role("button", name="Pause").click()
    for page in [*audience, console]:
        expect(phase(page)).to_have_text("paused")
    for page in players.values():
        expect(page.get_by_role("button", name="Submit move")).to_be_disabled()
        expect(page.locator("#news")).to_contain_text("The facilitator paused the game")
    console.get_by_role("button", name="Resume").click()
    for page in [*audience, console]:
        expect(phase(page)).to_have_text("open for moves")
        expect(phase(page)).not_to_contain_text("paused")
    for page in players.values():
        expect(page.get_by_role("button", name="Submit move")).to_be_enabled()
        expect(page.locator("#news")).to_contain_text("The game resumed")

    # An inject from the scenario's list: the console shows what it will do before it is
    # fired, confirms it, and it reaches every news feed (and stays there after a reload).
    console.get_by_label("Scenario event").select_option("border_incident")
    expect(console.locator("#inject-preview")).to_contain_text("Effects when the turn resolves")
    console.get_by_role("button", name="Inject", exact=True).click()
    expect(console.locator("#inject-error")).to_have_text("")
    expect(console.locator("#inject-status")).to_contain_text("Injected: Incident at the DMZ")
    for page in audience:
        expect(page.locator("#news")).to_contain_text("Event: Incident at the DMZ")
    observer.reload()
    expect(observer.locator("#news")).to_contain_text("Event: Incident at the DMZ")

    # Seoul and Beijing talk privately.
    to_beijing, to_seoul = marker("Seoul-to-Beijing"), marker("Beijing-to-Seoul")
    send_message(players["seoul"], "Beijing", to_beijing)
    beijing = players["beijing"]
    expect(unread(beijing, "Seoul")).to_have_text("1")
    expect(unread(beijing, "Seoul")).to_have_attribute("aria-label", "1 unread")
    expect(beijing.locator("#message-list")).not_to_contain_text(to_beijing)  # on "Everyone"
    channel_tab(beijing, "Seoul").click()
    expect(beijing.locator("#message-list")).to_contain_text(to_beijing)
    expect(beijing.locator("#message-list")).to_contain_text("Seoul → Beijing")
    expect(unread(beijing, "Seoul")).to_have_count(0)
    send_message(beijing, "Seoul", to_seoul)
    expect(players["seoul"].locator("#message-list")).to_contain_text(to_seoul)
    channel_tab(console, "Private channels").click()
    expect(console.locator("#message-list")).to_contain_text(to_beijing)
    expect(console.locator("#message-list")).to_contain_text(to_seoul)
    expect(console.locator("#message-list")).to_contain_text("Seoul → Beijing")
    # A public word, seen by every seat; it is also a barrier: each socket delivers in seq
    # order, so a page that shows it has had every earlier event it would ever get.
    hello = marker("Good morning, all")
    send_message(players["washington"], "Everyone", hello)
    for page in [*audience, console]:
        channel_tab(page, "Everyone").click()
        expect(page.locator("#message-list")).to_contain_text(hello)
    for seat in ("seoul", "beijing", "facilitator"):  # the search finds what is there
        assert to_beijing in joined[seat].received() and to_seoul in joined[seat].received()
    for seat in ("pyongyang", "washington", "moscow", "observer"):
        assert_absent(joined[seat], to_beijing, to_seoul)

    # Turn 1: every capital moves; a move's rationale is seen by its mover and the console.
    rationales = {role: marker(f"why-{role}") for role in ROLES}
    for role, (action, target, label) in TURN_1.items():
        submit_move(players[role], action, target, rationales[role])
        expect(players[role].locator("#my-moves")).to_contain_text(label)
    for role in ROLES:
        expect(console.locator("#all-moves")).to_contain_text(rationales[role])
        expect(observer.locator("#who-moved")).to_contain_text(NAMES[role])
    for role, page in players.items():
        expect(page.locator("#who-moved")).to_contain_text(", ".join(NAMES[r] for r in ROLES))
        assert rationales[role] in joined[role].received()  # move.recorded: its own move
        others = [rationales[r] for r in ROLES if r != role]
        assert_absent(joined[role], *others, *(TURN_1[r][0] for r in ROLES if r != role))
    assert_absent(joined["observer"], *rationales.values(), *(m[0] for m in TURN_1.values()))
    screenshot(players["seoul"], "live-player-turn1-moves")
    for page in players.values():
        lock(page)

    # Umpire review: the console sees the proposed outcome; players see no result.
    review = console.locator("#review")
    expect(review).to_be_visible()
    expect(review).to_contain_text("Turn 1 as adjudicated")
    select = console.get_by_label("Result of Stabilise the leadership")
    proposed = select.input_value()
    overridden = "failed" if proposed != "failed" else "succeeded"
    screenshot(console, "live-console-review")
    notice = marker("The umpire is reviewing turn 1")
    console.get_by_label("Message", exact=True).fill(notice)
    console.locator("#broadcast-form").get_by_role("button", name="Send").click()
    for page in audience:  # the broadcast is a barrier (see above)
        expect(page.locator("#message-list")).to_contain_text(notice)
        expect(page.locator("#message-list")).to_contain_text("Facilitator → everyone")
        expect(page.locator("#results")).to_have_text(NO_RESULTS)
        expect(phase(page)).not_to_have_text("open for moves")
    for role in ROLES:
        assert "turn.proposed" not in joined[role].received(), role
    assert "turn.proposed" not in joined["observer"].received()

    # The umpire overrides Seoul's result, with a reason; players then see that.
    reason = marker("The cabinet reshuffle stalls in the Assembly")
    select.select_option(overridden)
    console.get_by_label("Reason for the override").fill(reason)
    console.get_by_role("button", name="Override and publish").click()
    expect(review).to_be_hidden()
    for page in [*audience, console]:
        expect(page.locator("#results")).to_contain_text("Turn 1: March 2025")
        line = outcome(page, "stabilise_leadership")
        expect(line.locator(".result")).to_have_text(RESULT_TEXT[overridden])
        expect(line).to_contain_text(f"Umpire: {reason}")
        expect(turn_label(page)).to_have_text("April 2025 (2 / 3)")
        expect(phase(page)).to_have_text("open for moves")
    for role, (action, _target, _label) in TURN_1.items():  # now every move is public
        expect(outcome(players["pyongyang"], action)).to_contain_text(NAMES[role])
    expect(players["seoul"].locator("#results li.outcome.mine")).to_contain_text(reason)

    # Turn 2: two moves; every capital locks; the umpire accepts the proposal.
    submit_move(players["washington"], "negotiate_ukraine_peace", "moscow", marker("w2"))
    submit_move(players["moscow"], "negotiate_ukraine_peace", "washington", marker("m2"))
    for page in players.values():
        lock(page)
    expect(review).to_contain_text("Turn 2 as adjudicated")
    for page in audience:
        expect(page.locator("#results")).not_to_contain_text("Turn 2")
    console.get_by_role("button", name="Accept as proposed").click()
    for page in [*audience, console]:
        expect(page.locator("#results")).to_contain_text("Turn 2: April 2025")
        expect(turn_label(page)).to_have_text("May 2025 (3 / 3)")

    # Turn 3: review off; two moves; the facilitator resolves without waiting for locks.
    console.get_by_label("Umpire review: show me each outcome before the players").uncheck()
    expect(console.locator("#news")).to_contain_text("Umpire review is off")
    submit_move(players["beijing"], "host_summit_pyongyang", "pyongyang", marker("b3"))
    submit_move(players["pyongyang"], "seek_summit_beijing", "beijing", marker("p3"))
    expect(console.locator("#all-moves")).to_contain_text("Host a summit with Kim")
    console.get_by_role("button", name="Resolve now").click()
    asked = joined["facilitator"].dialogs[-1]  # it asks first, naming who has not moved
    assert asked.startswith("Resolve turn 3 now? This cannot be undone."), asked
    assert "Not moved yet, so they will hold: Seoul, Washington, Moscow." in asked, asked
    for page in [*audience, console]:
        expect(phase(page)).to_have_text("game over")
        expect(page.locator("#results")).to_contain_text("Turn 3: May 2025")
        expect(page.locator("#history .history-turn")).to_have_count(3)
    for page in players.values():
        expect(page.get_by_role("button", name="Submit move")).to_be_disabled()
        expect(page.get_by_role("button", name="Lock my moves for this turn")).to_be_disabled()
        # The review opens to every seat at the end, without a reload.
        expect(page.get_by_role("link", name="Read the debrief (printable, PDF)")).to_be_visible()
        expect(page.get_by_role("link", name="Replay the game turn by turn")).to_be_visible()
    expect(console.get_by_role("button", name="Start")).to_be_disabled()
    expect(console.get_by_role("button", name="Resolve now")).to_be_disabled()

    # To the end, only Seoul, Beijing and the facilitator ever saw their private talk.
    for seat in ("pyongyang", "washington", "moscow", "observer"):
        assert_absent(joined[seat], to_beijing, to_seoul)
    channel_tab(observer, "Private channels").click()
    expect(observer.locator("#message-list")).to_have_text("No messages here yet.")

    for name, page in [("console", console), ("observer", observer), *players.items()]:
        screenshot(page, f"live-end-{name}")

    # The exported log replays, verifies, and keeps the override with its reason.
    response = joined["facilitator"].context.request.get(f"/api/games/{game.pk}/log")
    assert response.ok, response.text()
    log = response.json()
    report = replay(log)
    assert report["verified"] is True, report.get("first_mismatch")
    assert [t["number"] for t in log["turns"]] == [1, 2, 3]
    assert [o["reason"] for o in log["turns"][0]["overrides"]] == [reason]
    assert log["turns"][1]["overrides"] == [] and log["turns"][2]["overrides"] == []
    assert [i["id"] for i in log["turns"][0]["injects"]] == ["border_incident"]
    sent = {m["text"]: (m["from"], m["to"]) for m in log["turns"][0]["messages"]}
    assert sent[to_beijing] == ("seoul", ["beijing"])
    assert sent[to_seoul] == ("beijing", ["seoul"])
    assert sent[hello] == ("washington", "all")
    seoul_line = next(o for o in log["turns"][0]["outcome"]["outcomes"] if o["role"] == "seoul")
    assert seoul_line["result"] == overridden
    assert seoul_line["reason"] == f"Umpire: {reason}"
    seats.assert_no_errors()


# --- (2) secrecy of moves ---------------------------------------------------------------


def test_pyongyang_never_sees_beijings_move_before_resolution(seats: Seats):
    """Neither Pyongyang's page (HTML and text, also after a reload) nor any WebSocket
    frame it receives nor its API calls name Beijing's move or its rationale before the
    turn resolves; the results then show the move."""
    game, codes = create_game()
    start_game(game.pk)
    joined = seats.join_all({r: codes[r] for r in ("pyongyang", "beijing", "facilitator")})
    pyongyang, beijing = joined["pyongyang"], joined["beijing"]
    secret = marker("BEIJING-SECRET-rationale")
    action, label = "host_summit_pyongyang", "Host a summit with Kim"
    # The odds of Pyongyang's summit request name Beijing's matching move by its label
    # ("Needs: Beijing: Host a summit with Kim"), whatever Beijing does: not a secret. A
    # move as Beijing chose it would be "Beijing · Host a summit with Kim".
    hidden = (action, action.replace("_", " "), f"Beijing · {label}", secret)
    assert_absent(pyongyang, *hidden)  # baseline: the scenario itself does not name it

    submit_move(beijing.page, action, "pyongyang", secret)
    expect(beijing.page.locator("#my-moves")).to_contain_text(label)
    expect(joined["facilitator"].page.locator("#all-moves")).to_contain_text(secret)
    assert secret in beijing.received() and action in joined["facilitator"].received()
    expect(pyongyang.page.locator("#who-moved")).to_contain_text("Moved: Beijing")

    lock(beijing.page)  # role.locked comes after Beijing's move in seq: a barrier
    expect(pyongyang.page.locator("#who-moved")).to_contain_text("Locked: Beijing")
    submit_move(pyongyang.page, "envoy_to_beijing", "beijing", marker("p"))
    assert_absent(pyongyang, *hidden)

    # A fresh load draws from the server's page data: still nothing.
    pyongyang.page.reload()
    wait_online(pyongyang.page)
    expect(pyongyang.page.locator("#who-moved")).to_contain_text("Locked: Beijing")
    assert_absent(pyongyang, *hidden)
    for path in ("", "/events?after=0", "/messages", "/history"):
        response = pyongyang.context.request.get(f"/api/games/{game.pk}{path}")
        assert response.ok, (path, response.status)
        for text in hidden:
            assert text not in response.text(), f"GET {path} shows Pyongyang {text!r}"

    joined["facilitator"].page.get_by_role("button", name="Resolve now").click()
    line = outcome(pyongyang.page, action)
    expect(line).to_contain_text(f"Beijing · {label} → Pyongyang")
    expect(line.locator(".result")).not_to_be_empty()
    assert action in pyongyang.received()  # turn.resolved carries it, now public
    assert secret not in pyongyang.received()
    seats.assert_no_errors()


# --- (3) leaving and coming back --------------------------------------------------------


def test_player_who_drops_or_closes_the_tab_finds_everything_that_happened(seats: Seats):
    """A dropped socket shows "connection lost" and recovers by itself, with what it
    missed; a closed tab, reopened after the turn resolved, shows the messages, the
    results and the new turn."""
    game, codes = create_game()
    start_game(game.pk)
    seoul = seats.open("seoul", codes["seoul"])
    network = Network(seoul.new_page())
    fill_join_form(seoul.page, codes["seoul"], "Seoul tester")
    wait_online(seoul.page)
    others = seats.join_all({r: codes[r] for r in ("beijing", "washington", "facilitator")})
    beijing, washington = others["beijing"].page, others["washington"].page
    console = others["facilitator"].page
    page = seoul.page
    submit_move(page, "invite_xi_apec", "beijing", marker("seoul-before-leaving"))

    # The socket drops while the page stays open; others act meanwhile.
    network.drop()
    expect(page.locator("#connection")).to_have_attribute("data-status", "offline")
    expect(page.locator("#connection")).to_have_text("connection lost — reconnecting…")
    while_down = marker("Beijing-while-your-line-was-down")
    send_message(beijing, "Seoul", while_down)
    submit_move(washington, "consult_seoul", "seoul", marker("w1"))
    expect(console.locator("#all-moves")).to_contain_text("Consult Seoul")
    network.restore()
    expect(page.locator("#connection")).to_have_attribute("data-status", "online")
    expect(page.locator("#connection")).to_have_text("live")
    expect(unread(page, "Beijing")).to_have_text("1")
    expect(page.locator("#who-moved")).to_contain_text("Washington")
    channel_tab(page, "Beijing").click()
    expect(page.locator("#message-list")).to_contain_text(while_down)

    # The tab closes mid-turn; the others talk, move, lock, and the turn resolves.
    page.close()
    after_close = [marker("Beijing-after-you-left"), marker("Beijing-again")]
    for text in after_close:
        send_message(beijing, "Seoul", text)
    from_washington = marker("Washington-after-you-left")
    send_message(washington, "Seoul", from_washington)
    submit_move(beijing, "court_seoul", "seoul", marker("b1"))
    lock(beijing)
    lock(washington)
    console.get_by_role("button", name="Resolve now").click()
    expect(console.locator("#results")).to_contain_text("Turn 1: March 2025")
    expect(turn_label(console)).to_have_text("April 2025 (2 / 3)")

    # Back in the same browser (its session keeps the seat), straight to the game.
    page = seoul.new_page()
    page.goto(f"/games/{game.pk}/")
    wait_online(page)
    expect(page.locator(".seat-badge")).to_have_text("Seoul")
    expect(turn_label(page)).to_have_text("April 2025 (2 / 3)")
    expect(phase(page)).to_have_text("open for moves")
    expect(page.locator("#results")).to_contain_text("Turn 1: March 2025")
    for action, role in [("invite_xi_apec", "Seoul"), ("court_seoul", "Beijing")]:
        expect(outcome(page, action)).to_contain_text(role)
    expect(outcome(page, "consult_seoul")).to_contain_text("Washington")
    channel_tab(page, "Beijing").click()
    for text in [while_down, *after_close]:
        expect(page.locator("#message-list")).to_contain_text(text)
    channel_tab(page, "Washington").click()
    expect(page.locator("#message-list")).to_contain_text(from_washington)
    expect(page.get_by_role("button", name="Submit move")).to_be_enabled()
    seats.assert_no_errors()


def test_returning_player_sees_unread_counts_for_messages_missed(seats: Seats):
    """A message that arrived while the tab was closed is marked unread on its channel
    when the player comes back (the main reconnect test checks that it is there)."""
    game, codes = create_game()
    start_game(game.pk)
    joined = seats.join_all({r: codes[r] for r in ("seoul", "beijing")})
    joined["seoul"].page.close()
    text = marker("Beijing-while-you-were-away")
    send_message(joined["beijing"].page, "Seoul", text)
    page = joined["seoul"].new_page()
    page.goto(f"/games/{game.pk}/")
    wait_online(page)
    expect(page.locator("#message-list")).to_contain_text("No messages here yet.")  # Everyone
    expect(unread(page, "Beijing")).to_have_text("1", timeout=5_000)


# --- (4) keyboard and accessible names --------------------------------------------------


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_player_page_works_from_the_keyboard_and_names_every_control(seats: Seats):
    """Tab walks action, target, rationale and submit in that order; Enter on submit
    records the move; every form control of the player page (and the console's, the
    observer's, the join page's) has an accessible name."""
    game, codes = create_game()
    start_game(game.pk)
    seat = seats.open("seoul", codes["seoul"])
    page = seat.new_page()
    fill_join_form(page, codes["seoul"], "Seoul tester")
    wait_online(page)

    for _ in range(60):
        page.keyboard.press("Tab")
        if focused_id(page) == "action":
            break
    assert focused_id(page) == "action", "Tab never reached the action select"
    expect(page.get_by_label("Action", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Target", exact=True)).to_be_focused()
    expect(page.get_by_label("Target", exact=True)).to_have_value("beijing")
    page.keyboard.press("Tab")
    expect(page.get_by_label(RATIONALE)).to_be_focused()
    rationale = marker("typed at the keyboard")
    page.keyboard.type(rationale)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Submit move")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#my-moves")).to_contain_text("Invite Xi to Gyeongju")
    expect(page.locator("#my-moves")).to_contain_text(rationale)
    expect(page.get_by_role("button", name="Withdraw Invite Xi to Gyeongju")).to_be_visible()

    # Accessible names, the labelled ones by their label.
    for label in ("Action", "Target", RATIONALE, "Message to everyone"):
        expect(page.get_by_label(label, exact=True)).to_have_count(1)
    assert_named(page)
    others = seats.join_all({r: codes[r] for r in ("facilitator", "observer")})
    console = others["facilitator"].page
    for label in ("Scenario event", "Reason for the override", "Message"):
        expect(console.get_by_label(label, exact=True)).to_have_count(1)
    console.get_by_text("…or write your own").click()
    console.get_by_role("button", name="Add an effect").click()
    for label in ("Variable", "Change", "Value", "Title", "Description"):
        expect(console.get_by_label(label, exact=True)).to_have_count(1)
    assert_named(console)
    assert_named(others["observer"].page)
    join = seats.open("anonymous", "").new_page()
    join.goto("/join/")
    assert_named(join)
    seats.assert_no_errors()


def assert_named(page: Page) -> None:
    """Every visible form control and button has a non-empty accessible name."""
    controls = page.locator("main").locator(
        "input:not([type=hidden]), select, textarea, button, [role=tab]"
    )
    count = controls.count()
    assert count > 0
    for index in range(count):
        control = controls.nth(index)
        if control.is_visible():
            expect(control).to_have_accessible_name(re.compile(r"\S"))


# --- (5) screenshots --------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_screenshots_of_every_page(seats: Seats):
    """The join page, the player page, the console and the observer page at 1280x900, and
    the player page at 768x1024 (a tablet), after a turn with moves, messages and results;
    the tablet layout fits its width."""
    for old in SCREENSHOTS.glob("page-*.png"):
        old.unlink()
    game, codes = create_game(deadline_seconds=600)
    start_game(game.pk)
    visitor = seats.open("visitor", codes["washington"]).new_page()
    visitor.goto(f"/join/{codes['washington']}/")
    visitor.get_by_label("Your name").fill("Washington tester")
    shots = {"join": visitor}

    joined = seats.join_all({r: codes[r] for r in ("seoul", "beijing", "facilitator")})
    joined |= seats.join_all({"observer": codes["observer"]})
    tablet = seats.join("seoul", codes["seoul"], viewport=TABLET)
    seoul, beijing = joined["seoul"].page, joined["beijing"].page
    console = joined["facilitator"].page
    send_message(beijing, "Seoul", "Shall we meet in Gyeongju?")
    send_message(seoul, "Everyone", "Seoul welcomes every delegation to APEC.")
    submit_move(seoul, "invite_xi_apec", "beijing", "A seat at the table for Xi")
    submit_move(beijing, "court_seoul", "seoul", "Warm words before APEC")
    console.get_by_role("button", name="Resolve now").click()
    for page in (seoul, beijing, console, joined["observer"].page, tablet.page):
        expect(turn_label(page)).to_have_text("April 2025 (2 / 3)")
        expect(page.locator("#results")).to_contain_text("Turn 1: March 2025")
    submit_move(seoul, "stabilise_leadership", None, "Steady the cabinet")
    expect(tablet.page.locator("#my-moves")).to_contain_text("Steady the cabinet")
    for page in (seoul, console, joined["observer"].page, tablet.page):
        expect(page.locator("#clock")).to_have_text(re.compile(r"^\d+:\d\d$"))
    shots |= {"player": seoul, "console": console, "observer": joined["observer"].page}

    # Each page as the screen shows it (exactly the viewport), and the whole page.
    for name, page in [*shots.items(), ("player", tablet.page)]:
        size = page.viewport_size
        stem = f"page-{name}-{size['width']}x{size['height']}"
        seen = screenshot(page, stem, full_page=False).read_bytes()
        whole = screenshot(page, f"{stem}-full").read_bytes()
        assert seen[:8] == whole[:8] == b"\x89PNG\r\n\x1a\n", stem
        assert png_size(seen) == (size["width"], size["height"]), stem
        assert png_size(whole)[0] == size["width"] and png_size(whole)[1] >= size["height"]
        assert len(seen) > 20_000, f"{stem} looks blank"
    assert seoul.viewport_size == DESKTOP and tablet.page.viewport_size == TABLET
    overflow = tablet.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the player page is {overflow}px wider than a 768px tablet"
    seats.assert_no_errors()
