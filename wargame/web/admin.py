"""Django admin for every model: the white cell's back office, for reading.

Everything here is read-only. What a game produced (turns, moves, locks, messages,
injects, results, overrides, events) and the game itself each have one write path, its
service, which also appends its event: an edit in the admin would change history without
one. A scenario row is the document games are pinned to; changing it would change the
rules of games already played (a new version is uploaded on /scenarios/ instead).
"""

from django.contrib import admin

from players.models import Participant, Seat
from wargame import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: no add, change or delete, whoever asks (superusers too)."""

    actions = None

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ("slug", "version", "title", "loaded_at")


@admin.register(models.Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ("slug", "name", "scenario")


@admin.register(models.ActionDef)
class ActionDefAdmin(ReadOnlyAdmin):
    list_display = ("code", "role", "label")
    list_filter = ("role",)


@admin.register(models.RuleDef)
class RuleDefAdmin(ReadOnlyAdmin):
    list_display = ("rule_id", "title", "section", "claims")
    list_filter = ("section",)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown inside another's page: view only, like ReadOnlyAdmin."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class TurnInline(ReadOnlyInline):
    model = models.Turn
    fields = ("number", "status", "deadline", "resolved_at", "attempts")
    readonly_fields = fields


@admin.register(models.Game)
class GameAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "scenario", "status", "current_turn", "max_turns", "created_at")
    list_filter = ("status",)
    inlines = [TurnInline]


@admin.register(models.Turn)
class TurnAdmin(ReadOnlyAdmin):
    list_display = ("game", "number", "status", "deadline", "resolved_at")
    list_filter = ("status",)


@admin.register(models.Move)
class MoveAdmin(ReadOnlyAdmin):
    list_display = ("game", "turn", "role", "action", "target")


@admin.register(models.RoleLock)
class RoleLockAdmin(ReadOnlyAdmin):
    list_display = ("turn", "role", "locked_at")


@admin.register(models.Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("game", "turn_number", "sender", "recipients", "created_at")


@admin.register(models.Inject)
class InjectAdmin(ReadOnlyAdmin):
    list_display = ("game", "turn", "inject_id", "label")


@admin.register(models.TurnResult)
class TurnResultAdmin(ReadOnlyAdmin):
    list_display = ("turn", "state_hash", "created_at")


@admin.register(models.GameEvent)
class GameEventAdmin(ReadOnlyAdmin):
    list_display = ("game", "seq", "type", "turn", "audience", "created_at")
    list_filter = ("type",)


@admin.register(models.Override)
class OverrideAdmin(ReadOnlyAdmin):
    list_display = ("turn", "reason", "created_at")


class ParticipantInline(ReadOnlyInline):
    model = Participant
    exclude = ("token",)


@admin.register(Seat)
class SeatAdmin(ReadOnlyAdmin):
    """Seats are made by `game_create` and taken by `seat_join`, which tells the table."""

    list_display = ("game", "role", "kind", "code")
    inlines = [ParticipantInline]


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ("name", "seat", "joined_at")
    exclude = ("token",)
