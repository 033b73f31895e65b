"""A teacher's classes: create one, its dashboard and bulk controls, its roster, its join
sheet, and the students' class link.

Who may run a class is `policy.may_run_class` (its teacher, or staff); anyone else is told
the class does not exist (404). The work is `services.classes`; these views parse a form,
call one service and redirect back to the dashboard with what it did.
"""

from __future__ import annotations

import functools

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from players.selectors import is_teacher, remember_in_session
from players.services import JoinRefused
from wargame import policy, selectors, throttle
from wargame.engine import Scenario
from wargame.engine.reasons import reason_of
from wargame.errors import GameError
from wargame.models import Game
from wargame.review import exports
from wargame.review.class_debrief import Run, class_debrief, class_long_table
from wargame.selectors.classes import (
    class_by_id,
    class_dashboard,
    class_logs,
    class_seat_codes,
    classes_of,
    reference_log,
)
from wargame.selectors.reasons import localised
from wargame.selectors.translations import present_log, presented_scenario, value_labels
from wargame.services import classes as service
from wargame.web.access import is_staff
from wargame.web.pages.play import SeatNameForm

CLASS_SESSION_KEY = "lt_classes"  # {class_id: participant_id}: the link brings you back


BOT_POLICY_CHOICES = [
    ("random", gettext_lazy("Random legal moves")),
    ("doctrine", gettext_lazy("Pursues the role's objectives")),
]


class ClassForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Class name"), max_length=160)
    scenario = forms.ChoiceField(label=gettext_lazy("Scenario"))
    tables = forms.IntegerField(label=gettext_lazy("Tables"), min_value=1, max_value=40, initial=5)
    turns = forms.IntegerField(label=gettext_lazy("Turns"), min_value=1, max_value=50, initial=8)
    deadline = forms.IntegerField(
        label=gettext_lazy("Minutes per turn (empty: no clock)"),
        min_value=1,
        max_value=24 * 60,
        required=False,
    )
    bots = forms.BooleanField(
        label=gettext_lazy("Bots play the seats nobody took"), required=False, initial=True
    )
    bot_timeout = forms.IntegerField(
        label=gettext_lazy(
            "Seconds a student may be away before a bot plays for them (empty: never)"
        ),
        min_value=0,
        max_value=3600,
        required=False,
        initial=60,
    )
    review = forms.BooleanField(label=gettext_lazy("Review each outcome before students see it"),
                                required=False)  # fmt: skip
    bot_policy = forms.ChoiceField(
        label=gettext_lazy("How bots play"),
        choices=BOT_POLICY_CHOICES,
        initial="random",
        required=False,  # a form (or script) that does not say: random, as before
    )

    field_order = ["title", "scenario", "tables", "turns", "deadline", "bots", "bot_policy"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = selectors.scenario_choices()
        self.fields["scenario"].initial = selectors.default_choice()
        # The default scenario's capitals, named as the game pages name them. Every version
        # of a scenario keeps its capitals; the service checks them against the one chosen.
        self.capitals = selectors.default_roles()
        for slug, name in self.capitals:
            self.fields[f"policy_{slug}"] = forms.ChoiceField(
                label=name,
                choices=[("", _("As for every capital")), *BOT_POLICY_CHOICES],
                required=False,
            )

    def per_capital(self) -> list:
        """The bound fields of one policy per capital (shown folded under the others)."""
        return [f for f in self if f.name.startswith("policy_")]

    def general(self) -> list:
        return [f for f in self if not f.name.startswith("policy_")]

    def bot_policies(self) -> str | dict[str, str]:
        """One name for every capital, or {role: name} when a capital has its own."""
        everyone = self.cleaned_data["bot_policy"] or "random"
        own = {
            name.removeprefix("policy_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("policy_") and value
        }
        if not own:
            return everyone
        return {slug: own.get(slug, everyone) for slug, _name in self.capitals}


class ClassJoinForm(SeatNameForm):
    """A student's name at the class link (the class code is in the URL)."""


def _runs_classes(request) -> bool:
    return is_staff(request) or is_teacher(request.user)


def _run_class(request, class_id: int):
    """The class if this account runs it, else 404 (also for another teacher's class)."""
    classroom = class_by_id(class_id)
    user = request.user
    account = user.pk if user.is_authenticated else None
    if classroom is None or not policy.may_run_class(
        staff=is_staff(request), account=account, teacher=classroom.teacher_id
    ):
        raise Http404("No such class.")
    return classroom


def class_list(request):
    """A teacher's classes and the form for a new one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _runs_classes(request):
        raise Http404("No such page.")
    form = ClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        slug, _sep, version = form.cleaned_data["scenario"].partition(":")
        minutes = form.cleaned_data["deadline"]
        try:
            classroom = service.class_create(
                teacher=request.user,
                scenario=slug,
                version=int(version) if version else None,
                tables=form.cleaned_data["tables"],
                turns=form.cleaned_data["turns"],
                deadline=minutes * 60 if minutes else None,
                bots=form.cleaned_data["bots"],
                review=form.cleaned_data["review"],
                title=form.cleaned_data["title"],
                bot_timeout=form.cleaned_data["bot_timeout"],
                bot_policies=form.bot_policies(),
            )
        except GameError as exc:
            form.add_error(None, localised(exc.message))
        else:
            return redirect("class", class_id=classroom.pk)
    context = {"form": form, "classes": classes_of(request.user)}
    return render(request, "class_list.html", context, status=400 if form.errors else 200)


def class_link(request, classroom) -> str:
    return request.build_absolute_uri(reverse("class-join", kwargs={"code": classroom.code}))


def role_names(classroom) -> list[tuple[str, str]]:
    return [(r["slug"], r["name"]) for r in presented_scenario(classroom.scenario).roles]


@functools.lru_cache(maxsize=256)
def qr_svg(url: str, scale: int = 5) -> str:
    """The link as an inline SVG QR code (segno), dark on light for a projector or paper."""
    return segno.make(url, error="m").svg_inline(scale=scale, dark="#111", light="#fff")


def class_page(request, class_id: int):
    """The dashboard: every table at a glance, the bulk controls, the class link."""
    classroom = _run_class(request, class_id)
    link = class_link(request, classroom)
    scenario = presented_scenario(classroom.scenario)
    tables = class_dashboard(classroom)
    lobby = [row for row in tables if row["game"].status == Game.Status.LOBBY]
    context = {
        "classroom": classroom,
        "injects": sorted((key, spec.label) for key, spec in scenario.injects.items()),
        "tables": tables,
        # Before their tables start, students can be moved: who, and where to.
        "movable": [
            (pk, name, row["number"], c["label"])
            for row in lobby
            for c in row["capitals"]
            for pk, name in c["people"]
        ],
        "lobby_tables": [row["number"] for row in lobby],
        "roles": [(r["slug"], r["name"]) for r in scenario.roles],
        "link": link,
        "qr": qr_svg(link),
    }
    return render(request, "class_dashboard.html", context)


def class_table(request, class_id: int, game_id: int):
    """One table's card, for the live dashboard to swap in when its socket says the table
    changed."""
    classroom = _run_class(request, class_id)
    rows = class_dashboard(classroom, game_id=game_id)
    if not rows:
        raise Http404("No such table.")
    return render(request, "class_table.html", {"row": rows[0]})


def _tables_chosen(request) -> list[int] | None:
    chosen = [int(t) for t in request.POST.getlist("tables") if t.isdigit()]
    return chosen or None


@require_POST
def class_control(request, class_id: int):
    """A bulk control over every table (or the tables ticked)."""
    classroom = _run_class(request, class_id)
    action = request.POST.get("action", "")
    tables = _tables_chosen(request)
    text = (request.POST.get("text") or "").strip()
    minutes = request.POST.get("minutes") or ""
    try:
        if action == "start":
            result = service.class_start_all(classroom=classroom, tables=tables)
        elif action == "pause":
            result = service.class_pause_all(classroom=classroom, tables=tables)
        elif action == "resume":
            result = service.class_resume_all(classroom=classroom, tables=tables)
        elif action == "resolve":
            result = service.class_resolve_locked(classroom=classroom, tables=tables)
        elif action == "standin":
            played = service.class_bots_stand_in(classroom=classroom, timeout=0, tables=tables)
            result = service.BulkResult(done=sorted(played))
        elif action == "finish":
            result = service.class_finish_all(classroom=classroom, tables=tables)
        elif action in ("clock", "extend") and minutes.isdigit() and int(minutes) > 0:
            call = service.class_clock_all if action == "clock" else service.class_extend_all
            result = call(classroom=classroom, seconds=int(minutes) * 60, tables=tables)
        elif action == "message" and text:
            result = service.class_message_all(classroom=classroom, text=text, tables=tables)
        elif action == "inject" and (text or request.POST.get("inject")):
            chosen = request.POST.get("inject") or None
            result = service.class_inject_all(
                classroom=classroom,
                inject_id=chosen,
                label=text,
                effects=None if chosen else [],
                tables=tables,
            )
        else:
            messages.error(request, _("Choose a control and fill in what it needs."))
            return redirect("class", class_id=classroom.pk)
    except GameError as exc:
        messages.error(request, localised(exc.message))
        return redirect("class", class_id=classroom.pk)
    if result.done:
        messages.success(
            request,
            _("Done at tables %(tables)s.") % {"tables": ", ".join(map(str, result.done))},
        )
    for number, why in result.skipped.items():
        messages.warning(request, _("Table %(n)s: %(why)s") % {"n": number, "why": localised(why)})
    return redirect("class", class_id=classroom.pk)


@require_POST
def class_roster(request, class_id: int):
    """Upload the roster (CSV: name, table, role); a bad row is refused by its line."""
    classroom = _run_class(request, class_id)
    upload = request.FILES.get("roster")
    if upload is None:
        messages.error(request, _("Choose a CSV file: name, table, role on each line."))
        return redirect("class", class_id=classroom.pk)
    raw = upload.read(service.MAX_ROSTER_BYTES + 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        messages.error(request, _("The roster is not UTF-8 text; save it as CSV (UTF-8)."))
        return redirect("class", class_id=classroom.pk)
    try:
        rows = service.class_roster_upload(classroom=classroom, text=text)
    except GameError as exc:
        messages.error(
            request, _("Roster refused, nothing changed: %(why)s") % {"why": localised(exc.message)}
        )
    else:
        messages.success(request, _("Roster saved: %(n)d students.") % {"n": len(rows)})
    return redirect("class", class_id=classroom.pk)


@require_POST
def class_move(request, class_id: int):
    """Seat a student elsewhere before the start (a swap with whoever sat there)."""
    classroom = _run_class(request, class_id)
    try:
        service.class_student_move(
            classroom=classroom,
            participant_id=int(request.POST.get("participant") or 0),
            table=int(request.POST.get("table") or 0),
            role=request.POST.get("role") or "",
        )
    except (GameError, ValueError) as exc:
        messages.error(
            request, localised(getattr(exc, "message", _("Choose a student, a table and a role.")))
        )
    else:
        messages.success(request, _("Student moved."))
    return redirect("class", class_id=classroom.pk)


def class_sheet(request, class_id: int):
    """The printable join sheet: one page per table, its seats' codes, links, QR codes."""
    classroom = _run_class(request, class_id)
    link = class_link(request, classroom)
    pages = []
    labels = dict(role_names(classroom))
    for number, seats in class_seat_codes(classroom):
        cards = []
        for role, code in seats:
            url = request.build_absolute_uri(reverse("join-code", kwargs={"code": code}))
            cards.append({"role": labels.get(role, role), "code": code, "url": url,
                          "qr": qr_svg(url, 3)})  # fmt: skip
        pages.append({"number": number, "seats": cards})
    context = {"classroom": classroom, "pages": pages, "link": link, "qr": qr_svg(link)}
    return render(request, "class_sheet.html", context)


def class_join(request, code: str):
    """The students' class link: a name, then a seat; the same browser gets the same seat."""
    try:  # wrong class codes count as wrong join codes (a class code opens many seats)
        throttle.refuse_if_throttled(request, throttle.JOIN)
    except throttle.Throttled as exc:
        return render(request, "class_join.html", {"error": localised(exc.message)}, status=429)
    classroom = service.class_by_code(code)
    if classroom is None:
        throttle.count_failure(request, throttle.JOIN)
        raise Http404("No such class.")
    known = request.session.get(CLASS_SESSION_KEY, {}).get(str(classroom.pk))
    participant = service.class_participant(classroom=classroom, participant_id=known)
    if participant is not None:
        remember_in_session(request.session, participant)
        return redirect("game", game_id=participant.seat.game_id)
    form = ClassJoinForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            participant = service.class_join(code=code, name=form.cleaned_data["name"])
        except JoinRefused as exc:
            form.add_error(None, localised(reason_of(exc)))
        except GameError as exc:
            form.add_error("name", localised(exc.message))
        else:
            remember_in_session(request.session, participant)
            ids = dict(request.session.get(CLASS_SESSION_KEY, {}))
            ids[str(classroom.pk)] = participant.pk
            request.session[CLASS_SESSION_KEY] = ids
            return redirect("game", game_id=participant.seat.game_id)
    if form.errors:
        status = 400
    context = {"form": form, "classroom": classroom}
    return render(request, "class_join.html", context, status=status)


def _runs(classroom) -> tuple[Scenario, list[Run], Run | None]:
    """The tables' logs and the reference, with their texts in the reader's language
    (the same codes and numbers: the debrief's figures do not change)."""
    row = classroom.scenario
    scenario = presented_scenario(row)
    runs = [
        Run(number=n, label=_("Table %(n)s") % {"n": n}, game=game.pk, log=present_log(log, row))
        for n, game, log in class_logs(classroom)
    ]
    document = reference_log(scenario.slug)
    reference = None
    if document is not None:
        shown = present_log(document, row)
        reference = Run(number=None, label=_("2025 as it happened"), game=None, log=shown)
    return scenario, runs, reference


def class_debrief_page(request, class_id: int):
    """Every table side by side, with the scenario's reference log beside them."""
    classroom = _run_class(request, class_id)
    scenario, runs, reference = _runs(classroom)
    data = class_debrief(scenario, runs, reference, _=_)
    labels = value_labels(classroom.scenario)
    for enum in data["enums"]:
        said = [*enum["values"], enum["reference"]]
        *enum["values"], enum["reference"] = [labels.get(f"{enum['key']}.{v}", v) for v in said]
    names = scenario.role_names()
    context = {
        "classroom": classroom,
        "data": data,
        "roles": [names.get(r, r) for r in scenario.role_slugs],
    }
    return render(request, "class_debrief.html", context)


def class_export(request, class_id: int, name: str):
    """CSV: `class` (one long table for the class) or `table-<n>` (that table's states
    after every turn, one row per turn)."""
    classroom = _run_class(request, class_id)
    scenario, runs, _reference = _runs(classroom)
    if name == "class":
        data = class_long_table(scenario, runs)
    else:
        number = name.removeprefix("table-")
        run = next((r for r in runs if str(r.number) == number), None)
        if run is None:
            raise Http404("No such table.")
        data = exports.states_table(run.log, scenario)
    response = HttpResponse(exports.to_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="class-{classroom.pk}-{name}.csv"'
    return response
