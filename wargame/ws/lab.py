"""A Monte Carlo job's progress on a socket: staff only, one group per job.

Sync consumer; it sends the job's row on connect (what happened before it joined), then
each `simulation.progress` the chunks publish (wargame.realtime.simulations). With Redis
out of reach it opens all the same, sends the row and closes (1012): the page opens it
again two seconds later (static/js/lab.js), and so follows the job from its row until
Redis is back and the socket stays open, live.

Each message goes out with `status_label`, the status in this socket's language (the
page's, `ws.language.scope_language`), beside the `status` code: the chunks publish one
message to every reader of the job, whatever their language.
"""

from __future__ import annotations

import contextlib
from typing import Any

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer
from django.utils import translation

from wargame.cache_backend import REDIS_OUT_OF_REACH
from wargame.realtime.simulations import SIMULATION_PROGRESS, simulation_group
from wargame.ws.consumer import CLOSE_LINK_BACK
from wargame.ws.language import scope_language

NO_LAYER = "lt-no-layer"  # a channel-layer alias no setting names: a consumer without one


def _snapshot(simulation_id: int) -> dict | None:
    from wargame.models import Simulation
    from wargame.services.simulations import progress_data

    job = Simulation.objects.filter(pk=simulation_id).first()
    return None if job is None else progress_data(job, chunks_done=job.results.count())


def labelled(data: dict[str, Any], language: str) -> dict[str, Any]:
    """The progress data with its status's label in `language` (as it is if it names no
    status: the page then keeps the label it shows)."""
    from wargame.models import Simulation

    status = data.get("status")
    if status not in Simulation.Status.values:
        return data
    with translation.override(language):
        return {**data, "status_label": str(Simulation.Status(status).label)}


class SimulationConsumer(JsonWebsocketConsumer):
    async def __call__(self, scope, receive, send) -> None:
        """Channels subscribes the socket to Redis before anything else (pub/sub layer):
        out of reach, the socket is served without a channel layer (`connect`)."""
        try:
            await super().__call__(scope, receive, send)
        except REDIS_OUT_OF_REACH:
            if hasattr(self, "base_send"):  # it failed later, once open: the page reconnects
                raise
            self.channel_layer_alias = NO_LAYER
            await super().__call__(scope, receive, send)

    def connect(self) -> None:
        user = self.scope.get("user")
        self.simulation_id = int(self.scope["url_route"]["kwargs"]["simulation_id"])
        snapshot = _snapshot(self.simulation_id) if user and user.is_staff else None
        if snapshot is None:
            self.close(code=4404)  # not staff, or no such job: the same answer
            return
        self.language = scope_language(self.scope)
        self.group = None
        if self.channel_layer is not None:
            with contextlib.suppress(REDIS_OUT_OF_REACH):
                group = simulation_group(self.simulation_id)
                async_to_sync(self.channel_layer.group_add)(group, self.channel_name)
                self.group = group
        self.accept()
        self.send_progress(snapshot)
        if self.group is None:  # no live progress: the page asks again by reconnecting
            self.close(code=CLOSE_LINK_BACK)

    def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            with contextlib.suppress(REDIS_OUT_OF_REACH):
                async_to_sync(self.channel_layer.group_discard)(self.group, self.channel_name)

    def receive_json(self, content, **kwargs) -> None:
        """Nothing to say to a job; a ping gets the job's row again."""
        snapshot = _snapshot(self.simulation_id)
        if snapshot is not None:
            self.send_progress(snapshot)

    def simulation_progress(self, message: dict) -> None:
        self.send_progress(message["data"])

    def send_progress(self, data: dict[str, Any]) -> None:
        self.send_json({"type": SIMULATION_PROGRESS, "data": labelled(data, self.language)})
