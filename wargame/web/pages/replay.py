"""Replay viewer, fork, and branch comparison pages.

The viewer renders every step on the server (a long, printable page without
JavaScript); static/js/replay.js turns it into a stepper with buttons, a slider and the
keyboard. Who may open it, fork from it, and which seats' views it shows (`?as=`) is
`wargame.policy` (may_review, may_run, visible_replay_seats).
"""

from __future__ import annotations

from html import escape

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from players.models import FACILITATOR
from players.selectors import participant_from_session, remember_in_session
from players.services import seat_join
from wargame import policy, selectors
from wargame.engine.loader import pinned_scenario
from wargame.errors import GameError
from wargame.models import Game
from wargame.review import charts as svg
from wargame.review import compare as branches
from wargame.review import replay as replay_view
from wargame.selectors.reasons import localised
from wargame.selectors.translations import present_log, presented_scenario, value_labels
from wargame.services.logs import game_fork
from wargame.web.access import actor_for, is_staff, reviewable_game, runs_game


def replay(request, game_id: int):
    game = reviewable_game(request, game_id)
    doc = selectors.game_log(game)
    # Shown in the reader's language; verified as recorded (`doc`).
    shown, scenario = present_log(doc, game.scenario), presented_scenario(game.scenario)
    offered = replay_view.seats(shown, scenario=scenario, _=_)
    visible = policy.visible_replay_seats(
        actor_for(request, game.pk),
        [s["slug"] for s in offered],
        finished=game.status == Game.Status.FINISHED,
    )
    seat_options = [s for s in offered if s["slug"] in visible]
    seat = request.GET.get("as", replay_view.TRUTH)
    if seat not in visible:
        seat = replay_view.TRUTH
    values = value_labels(game.scenario)  # an enumeration's values, in words
    truth = replay_view.steps(shown, scenario=scenario, values=values, _=_)
    seen = (
        replay_view.steps(
            shown,
            seat,
            observers_read_channels=game.observers_read_channels,
            scenario=scenario,
            values=values,
            _=_,
        )
        if seat != replay_view.TRUTH
        else None
    )
    for step in [*truth, *(seen or [])]:
        step["messages_html"] = _messages_html(step["messages"])
    check = replay_view.verification(doc)
    for step in truth:
        step["match"] = check["matches"].get(step["number"])
    pairs = [(t, seen[i] if seen else None) for i, t in enumerate(truth)]
    try:
        current = int(request.GET.get("turn", ""))
    except ValueError:
        current = truth[-1]["number"]
    numbers = [t["number"] for t in truth]
    if current not in numbers:
        current = numbers[-1]
    last_playable = game.max_turns - 1
    return render(
        request,
        "replay.html",
        {
            "game": game,
            "game_title": selectors.game_title(game),
            "doc": doc,
            "pairs": pairs,
            "seat": seat,
            "seat_label": next(s["label"] for s in seat_options if s["slug"] == seat),
            "seat_options": seat_options,
            "current": current,
            "first": numbers[0],
            "last": numbers[-1],
            "check": check,
            "can_fork": runs_game(request, game),
            "last_playable": last_playable,
            "related": branches.related_games(game),
            "bot_roles": [(r["slug"], r["name"]) for r in scenario.roles],
        },
    )


class ForkForm(forms.Form):
    turn = forms.IntegerField(min_value=0)
    title = forms.CharField(max_length=200, required=False)
    bots = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, roles: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bots"].choices = [(role, role) for role in roles]


@require_POST
def fork(request, game_id: int):
    game = reviewable_game(request, game_id)
    if not runs_game(request, game):
        raise Http404("No such game.")
    form = ForkForm(request.POST, roles=pinned_scenario(game.scenario).role_slugs)
    if not form.is_valid():
        messages.error(request, _("Choose the turn to fork from."))
        return redirect("replay", game_id=game.pk)
    try:
        turn = form.cleaned_data["turn"]
        child, codes = game_fork(
            game_id=game.pk,
            turn=turn,
            # Untitled: named as the form's placeholder said, in the reader's language.
            title=form.cleaned_data["title"]
            or _("Fork of game %(id)s at turn %(n)s") % {"id": game.pk, "n": turn},
            bots=form.cleaned_data["bots"],
        )
    except GameError as exc:
        messages.error(request, localised(exc.message))
        replay_url = reverse("replay", kwargs={"game_id": game.pk})
        return redirect(f"{replay_url}?turn={form.cleaned_data['turn']}")
    if not is_staff(request):  # staff run the child as they ran this one: no seat needed
        me = participant_from_session(request.session, game.pk)
        participant = seat_join(code=codes[FACILITATOR], name=me.name if me else "Facilitator")
        remember_in_session(request.session, participant)
    messages.success(
        request,
        _("New game forked from game %(game)s after turn %(turn)s. Share the join codes below.")
        % {"game": game.pk, "turn": form.cleaned_data["turn"]},
    )
    return redirect("game", game_id=child.pk)


def compare(request, game_id: int, other_id: int):
    a = reviewable_game(request, game_id)
    b = reviewable_game(request, other_id)
    titles = {"a_title": selectors.game_title(a), "b_title": selectors.game_title(b)}
    try:
        data = branches.compare(a, b, presented_scenario(a.scenario), _=_)
    except GameError as exc:
        context = {"error": localised(exc.message), "a": a, "b": b, **titles}
        return render(request, "compare.html", context, status=400)
    data.update(titles)
    data["charts"] = _compare_charts(data)
    return render(request, "compare.html", data)


def _compare_charts(data: dict) -> list[dict]:
    """One small chart per variable and relation, A solid and B dashed (server-side SVG),
    with its title to show as the figure's caption."""
    numbers = [row["number"] for row in data["rows"]]
    names = {
        "a": _("A: game %(id)s") % {"id": data["a"].pk},
        "b": _("B: game %(id)s") % {"id": data["b"].pk},
    }
    charts = []
    for name, series in data["series"].items():
        a, b = dict(series["a"]), dict(series["b"])
        relation = name.startswith("relations.")
        lines = [
            svg.Series(names["a"], [a.get(n) for n in numbers]),
            svg.Series(names["b"], [b.get(n) for n in numbers]),
        ]
        charts.append(
            {
                "title": series["label"],
                "svg": mark_safe(  # noqa: S308 - review.charts escapes every text it draws
                    svg.line_chart(
                        chart_id=f"compare-{name}",
                        title=series["label"],
                        series=lines,
                        desc=svg.series_summary(lines, _),  # said in the reader's language
                        x_values=numbers,
                        x_title=_("Turn"),
                        y_range=(-100, 100) if relation else (0, 100),
                        width=420,
                        plot_height=140,
                    )
                ),
            }
        )
    return charts


def _messages_html(messages: list[dict]) -> str:
    """A step's messages as list items, escaped; joined here rather than in a template
    loop because a 1,000-message game renders them twice (seat and truth)."""
    return mark_safe(  # noqa: S308 - every field is escaped just below
        "".join(
            f"<li><strong>{escape(m['from'])}</strong> → {escape(m['to'])}: "
            f'<span class="text">{escape(m["text"])}</span></li>'
            for m in messages
        )
    )
