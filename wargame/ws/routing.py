"""WebSocket URL routes."""

from django.urls import path

from wargame.ws.class_consumer import ClassConsumer
from wargame.ws.consumer import GameConsumer
from wargame.ws.lab import SimulationConsumer

websocket_urlpatterns = [
    path("ws/games/<int:game_id>/", GameConsumer.as_asgi()),
    path("ws/classes/<int:class_id>/", ClassConsumer.as_asgi()),
    path("ws/lab/<int:simulation_id>/", SimulationConsumer.as_asgi()),
]
