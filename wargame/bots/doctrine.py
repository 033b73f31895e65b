"""`doctrine`: each role pursues its own objectives by a one-step look-ahead.

For every legal option (an action and its target) the bot adjudicates the coming turn
with the pure engine over a few sampled dice, others assumed to hold (a seat never sees
their moves), and keeps the option that raises its role's expected score most; then, with
that move chosen, the best second one, up to the budget, as long as each adds something.
The sampled dice come from the seat's own dice, never the game's: a bot foresees nothing
the rules will roll. The rationale says, in words, what it weighed and why it chose.

The adjudication is `lookahead.Lookahead`: the engine's result for the role's score
without what a score never reads (equal to full adjudications, checked in tests/bots).
An option no rule names cannot add anything, so it is weighed without being played.
"""

from __future__ import annotations

from dataclasses import dataclass

from wargame.engine import Action, Move
from wargame.engine.dice import MAX_INTEGER_SEED

from .base import BotDice, SeatView
from .lookahead import Estimate, Foresight, Lookahead

SAMPLES = 3  # sampled dice per option: enough to see a chance, cheap enough to run often


@dataclass(frozen=True)
class Option:
    action: Action
    target: str | None

    def move(self, role: str, rationale: str = "") -> Move:
        return Move(role, self.action.code, self.target, rationale)


class DoctrinePolicy:
    name = "doctrine"

    def __init__(self, samples: int = SAMPLES, lookahead: type[Foresight] = Lookahead) -> None:
        self.samples = samples
        self.lookahead = lookahead  # FullLookahead: the same choices, slowly (tests)

    def choose(self, view: SeatView, dice: BotDice) -> list[Move]:
        seeds = [dice.between(f"sample:{k}", 0, MAX_INTEGER_SEED) for k in range(self.samples)]
        options = _options(view)
        ahead = self.lookahead(view.scenario, view.state, view.role, seeds)
        # An option no rule names scores exactly as holding it back: it never adds.
        live = [o for o in options if ahead.matters(o.move(view.role))]
        chosen: list[Option] = []
        reasons: list[str] = []
        current = ahead.estimate([])
        holding = current
        while len(chosen) < view.budget:
            best: tuple[Option, Estimate] | None = None
            for option in live:
                if option in chosen:
                    continue
                estimate = ahead.estimate([o.move(view.role) for o in [*chosen, option]])
                if best is None or estimate.score > best[1].score:
                    best = (option, estimate)
            if best is None or best[1].score <= current.score:
                break
            option, estimate = best
            reasons.append(_reason(view, option, estimate, current, first=not chosen))
            chosen.append(option)
            current = estimate
        if not chosen:
            return []
        head = (
            f"Doctrine for {_name(view, view.role)}: weighed {len(options)} options, "
            f"each over {self.samples} sampled dice with the others assumed to hold. "
        )
        tail = (
            f" Expected score {current.score:.1f} of 100, against {holding.score:.1f} "
            f"by holding; it serves best: {_best_objective(view, current, holding)}."
        )
        moves = []
        for i, option in enumerate(chosen):
            moves.append(option.move(view.role, head + reasons[i] + tail))
        return moves


def _options(view: SeatView) -> list[Option]:
    options: list[Option] = []
    for action in view.legal_actions():
        for target in action.targets or (None,):
            options.append(Option(action, target))
    return options


def _reason(view: SeatView, option: Option, estimate: Estimate, before: Estimate, *, first: bool):
    what = option.action.label
    if len(option.action.targets) > 1:  # a single target is in the label already
        what += f" (towards {_name(view, option.target)})"
    gain = estimate.score - before.score
    if first:
        return f"{what} raised the expected score most, by {gain:.1f} points."
    return f"With the first move chosen, {what} adds the most, {gain:.1f} points more."


def _best_objective(view: SeatView, current: Estimate, holding: Estimate) -> str:
    objectives = view.scenario.role(view.role)["objectives"]
    best = max(objectives, key=lambda o: current.objectives[o["id"]] - holding.objectives[o["id"]])
    return f"“{best['label']}”"


def _name(view: SeatView, slug: str) -> str:
    return view.scenario.role_names().get(slug, slug)
