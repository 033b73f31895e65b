"""create_class --teacher USERNAME --tables N [--scenario SLUG] [--scenario-version N]
[--turns N] [--deadline S] [--no-bots] [--bot-timeout S] [--bot-policy P | ROLE=P,...]
[--review] [--title T] --json"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from players.selectors import TEACHERS
from wargame.services.classes import class_create

from ._common import fail, print_json, run_service


class Command(BaseCommand):
    help = "Create a teacher's class of tables and print its code and every table's codes."

    def add_arguments(self, parser):
        parser.add_argument("--teacher", required=True, help="the teacher's user name")
        parser.add_argument("--tables", type=int, required=True, help="1 to 40")
        parser.add_argument("--scenario", default="lips-and-teeth-2025")
        parser.add_argument("--scenario-version", type=int)
        parser.add_argument("--turns", type=int)
        parser.add_argument("--deadline", type=int, help="seconds per turn")
        parser.add_argument(
            "--no-bots", action="store_true", help="leave empty seats empty at the start"
        )
        parser.add_argument("--review", action="store_true", help="umpire review on")
        parser.add_argument(
            "--bot-timeout",
            type=int,
            help="seconds a student may be away before a bot plays their seat (default: never)",
        )
        parser.add_argument(
            "--bot-policy",
            default="",
            help="how bots play: random or doctrine for every capital, or per capital as "
            "seoul=doctrine,moscow=random (capitals not named play random)",
        )
        parser.add_argument("--title", default="")
        parser.add_argument(
            "--make-teacher",
            action="store_true",
            help="add the account to the teachers' group first",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        user = get_user_model().objects.filter(username=opts["teacher"]).first()
        if user is None:
            fail(f"no account named {opts['teacher']!r}")
        if opts["make_teacher"]:
            Group.objects.get_or_create(name=TEACHERS)[0].user_set.add(user)
        classroom = run_service(
            lambda: class_create(
                teacher=user,
                scenario=opts["scenario"],
                version=opts["scenario_version"],
                tables=opts["tables"],
                turns=opts["turns"],
                deadline=opts["deadline"],
                bots=not opts["no_bots"],
                review=opts["review"],
                title=opts["title"],
                bot_timeout=opts["bot_timeout"],
                bot_policies=_policies(opts["bot_policy"]),
            )
        )
        tables = [
            {
                "table": t.number,
                "game": t.game_id,
                "codes": {s.role: s.code for s in t.game.seats.all()},
            }
            for t in classroom.tables.select_related("game").prefetch_related("game__seats")
        ]
        if opts["json"]:
            print_json(self, {"class": classroom.pk, "code": classroom.code, "tables": tables})
            return
        self.stdout.write(
            f"Class {classroom.pk} created: {len(tables)} tables, class code {classroom.code}."
        )
        for table in tables:
            self.stdout.write(f"  table {table['table']}: game {table['game']}")


def _policies(text: str) -> str | dict[str, str]:
    """`doctrine` (every capital) or `seoul=doctrine,moscow=random`; the service checks
    the names and capitals."""
    text = text.strip()
    if "=" not in text:
        return text
    policies: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        role, sep, name = part.partition("=")
        if not sep or not role.strip() or role.strip() in policies:
            fail(f"--bot-policy: {part!r} is not ROLE=POLICY once per capital")
        policies[role.strip()] = name.strip()
    return policies
