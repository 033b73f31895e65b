"""Browser pages: join, the player's page, the facilitator's console, the observer's view.

Each page renders a skeleton with everything it needs embedded as JSON; the socket keeps
it current from then on (static/js/). Who you are comes from the session, set by joining
with a code or, for staff, by logging in; which page you get is `policy.Actor.role` (staff
without a seat get the console, and opening it writes nothing: a GET never changes who
runs a game).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import ensure_csrf_cookie

from players.models import FACILITATOR, OBSERVER
from players.names import display_name_problem
from players.selectors import remember_in_session
from players.services import JoinRefused, seat_join
from wargame import policy, selectors, throttle
from wargame.engine.reasons import reason_of
from wargame.errors import GameError
from wargame.models import Game
from wargame.selectors.reasons import localised
from wargame.services.games import game_create
from wargame.web.access import actor_for, display_name, is_teacher_account, staff_page


class SeatNameForm(forms.Form):
    """The name a person takes a seat under (by a join code or a class link)."""

    name = forms.CharField(label=_("Your name"), max_length=80)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the name others will see."))
        if problem := display_name_problem(name):
            raise forms.ValidationError(problem)
        return name


class JoinForm(SeatNameForm):
    code = forms.CharField(label=_("Join code"), max_length=32)
    field_order = ["code", "name"]


SEAT_CHOICES = [
    ("", _("A person")),
    ("random", _("A bot: random legal moves")),
    ("doctrine", _("A bot: pursues the role's objectives")),
]


class CreateGameForm(forms.Form):
    """A new game of one scenario version. The scenario is chosen first (a GET form on the
    page, `?scenario=slug:version`) and carried here as a hidden field, so the bots
    field lists that scenario's own roles without JavaScript; a posted bot that is not a
    role of the posted scenario fails validation."""

    scenario = forms.ChoiceField(label=_("Scenario"), widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    turns = forms.IntegerField(label=_("Turns"), min_value=1, max_value=50, initial=10)
    deadline = forms.IntegerField(
        label=_("Seconds per turn (empty: no clock)"), min_value=10, required=False
    )
    # The roles a script posts as bots (`bots=moscow`) play `random`; the page has a
    # select per role instead (`bot_<slug>`, below).
    bots = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)
    umpire_review = forms.BooleanField(
        label=_("Review each outcome before players see it"), required=False
    )

    def __init__(self, *args, scenario_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = selectors.scenario_choices()
        self.fields["scenario"].initial = scenario_key
        self.scenario = selectors.scenario_for_choice(scenario_key)
        roles = self.scenario.roles if self.scenario else ()
        self.fields["bots"].choices = [(r["slug"], r["name"]) for r in roles]
        for role in roles:
            self.fields[f"bot_{role['slug']}"] = forms.ChoiceField(
                label=_("Who plays %(role)s") % {"role": role["name"]},
                choices=SEAT_CHOICES,
                required=False,
            )
        selects = [f"bot_{role['slug']}" for role in roles]
        self.order_fields(["scenario", "title", "turns", "deadline", *selects, "bots"])
        if self.scenario:
            self.fields["turns"].initial = self.scenario.default_turns

    def bot_policies(self) -> dict[str, str]:
        """{role: policy} of the bot seats: posted `bots` play random, a select decides."""
        policies = dict.fromkeys(self.cleaned_data["bots"], "random")
        for name, value in self.cleaned_data.items():
            if name.startswith("bot_") and value:
                policies[name.removeprefix("bot_")] = value
        return policies

    def clean_scenario(self) -> str:
        """A form posted without a scenario (an old bookmark, a script) means the default."""
        return self.cleaned_data["scenario"] or self.fields["scenario"].initial

    def scenario_version(self) -> tuple[str, int]:
        slug, _sep, number = self.cleaned_data["scenario"].partition(":")
        return slug, int(number)


def scenario_key(request) -> str:
    """The scenario version the create-game form is for: posted, asked for, or the default."""
    source = request.POST if request.method == "POST" else request.GET
    key = source.get("scenario") or ""
    known = {k for k, _label in selectors.scenario_choices()}
    if key in known or (key and request.method == "POST"):
        return key  # an unknown posted key fails the form's validation, it is not replaced
    return selectors.default_choice()


def join(request, code: str = ""):
    form = JoinForm(request.POST or None, initial={"code": code})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            throttle.refuse_if_throttled(request, throttle.JOIN)
            participant = seat_join(
                code=form.cleaned_data["code"], name=form.cleaned_data["name"], user=None
            )
        except throttle.Throttled as exc:
            form.add_error(None, localised(exc.message))
            status = 429
        except JoinRefused as exc:
            throttle.count_failure(request, throttle.JOIN)
            form.add_error("code", localised(reason_of(exc)))
        else:
            remember_in_session(request.session, participant)
            return redirect("game", game_id=participant.seat.game_id)
    if form.errors and status == 200:
        status = 400
    return render(request, "join.html", {"form": form}, status=status)


@ensure_csrf_cookie
def game(request, game_id: int):
    actor = actor_for(request, game_id)
    if not policy.may_open(actor) and is_teacher_account(request):
        raise Http404  # another teacher's game: no such game, not "enter your code"
    if not policy.may_open(actor):
        messages.info(request, _("Enter your join code to take your seat in this game."))
        return redirect("join")
    game_row = selectors.game_by_id(game_id)
    if game_row is None:
        raise Http404
    data = selectors.page_data(game_row, actor, display_name(request, game_id))
    template = {FACILITATOR: "console.html", OBSERVER: "observer.html"}.get(
        actor.role, "player.html"
    )
    context = {
        "game": game_row,
        "game_title": selectors.game_title(game_row),  # the header's, in the reader's language
        "data": data,
        "seat": actor,
    }
    return render(request, template, context)


@staff_page
def facilitate(request):
    key = scenario_key(request)
    form = CreateGameForm(request.POST or None, scenario_key=key)
    if request.method == "POST" and form.is_valid():
        slug, version = form.scenario_version()
        try:
            game_row, _codes = game_create(
                scenario_slug=slug,
                scenario_version=version,
                title=form.cleaned_data["title"],
                turns=form.cleaned_data["turns"],
                deadline_seconds=form.cleaned_data["deadline"],
                bots=form.bot_policies(),
                umpire_review=form.cleaned_data["umpire_review"],
                created_by=request.user,
            )
        except GameError as exc:
            form.add_error(None, localised(exc.message))
        else:
            return redirect("game", game_id=game_row.pk)
    games = Game.objects.with_scenario().order_by("-pk")[:50]
    context = {
        "form": form,
        "games": [{"game": game, "name": selectors.game_title(game)} for game in games],
        "choices": selectors.scenario_choices(),
        "chosen": key,
        "chosen_label": dict(selectors.scenario_choices()).get(key, ""),
    }
    return render(request, "facilitate.html", context, status=400 if form.errors else 200)
