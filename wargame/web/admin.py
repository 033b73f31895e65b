"""Django admin for every model: the white cell's back office."""

from django.contrib import admin

from wargame import models


@admin.register(models.Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ("slug", "version", "title", "loaded_at")


@admin.register(models.Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "scenario")


@admin.register(models.ActionDef)
class ActionDefAdmin(admin.ModelAdmin):
    list_display = ("code", "role", "label")
    list_filter = ("role",)


@admin.register(models.RuleDef)
class RuleDefAdmin(admin.ModelAdmin):
    list_display = ("rule_id", "title", "section", "claims")
    list_filter = ("section",)


class TurnInline(admin.TabularInline):
    model = models.Turn
    extra = 0
    fields = ("number", "status", "deadline", "resolved_at", "attempts")
    readonly_fields = fields


@admin.register(models.Game)
class GameAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "scenario", "status", "current_turn", "max_turns", "created_at")
    list_filter = ("status",)
    inlines = [TurnInline]


@admin.register(models.Turn)
class TurnAdmin(admin.ModelAdmin):
    list_display = ("game", "number", "status", "deadline", "resolved_at")
    list_filter = ("status",)


@admin.register(models.Move)
class MoveAdmin(admin.ModelAdmin):
    list_display = ("game", "turn", "role", "action", "target")


@admin.register(models.RoleLock)
class RoleLockAdmin(admin.ModelAdmin):
    list_display = ("turn", "role", "locked_at")


@admin.register(models.Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("game", "turn_number", "sender", "recipients", "created_at")


@admin.register(models.Inject)
class InjectAdmin(admin.ModelAdmin):
    list_display = ("game", "turn", "inject_id", "label")


@admin.register(models.TurnResult)
class TurnResultAdmin(admin.ModelAdmin):
    list_display = ("turn", "state_hash", "created_at")


@admin.register(models.GameEvent)
class GameEventAdmin(admin.ModelAdmin):
    list_display = ("game", "seq", "type", "turn", "audience", "created_at")
    list_filter = ("type",)
