"""Admin for seats and participants."""

from django.contrib import admin

from players.models import Participant, Seat


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    exclude = ("token",)


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ("game", "role", "kind", "code")
    inlines = [ParticipantInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("name", "seat", "joined_at")
    exclude = ("token",)
