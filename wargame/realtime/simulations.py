"""Progress of Monte Carlo jobs on the WebSocket: the group, the message, the publish.

A job's page joins `simulation.<id>` (staff only, wargame/ws/lab.py). Each committed
chunk sends one `simulation.progress` message whose `chunks` count only grows, so a page
can drop a late one; nothing is stored but the job's row, which the page reads first.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, channel_layers, get_channel_layer

from . import publish

log = logging.getLogger(__name__)

SIMULATION_PROGRESS = "simulation.progress"


def simulation_group(simulation_id: int) -> str:
    return f"simulation.{simulation_id}"


def progress_message(data: dict[str, Any]) -> dict[str, Any]:
    """The channel-layer message (handled by the consumer's `simulation_progress`)."""
    return {"type": SIMULATION_PROGRESS, "data": data}


def publish_progress(simulation_id: int, data: dict[str, Any]) -> None:
    """Send one progress message; never raises (the page also reads the row)."""
    group, message = simulation_group(simulation_id), progress_message(data)
    try:
        shared = get_channel_layer()
        if shared is None:
            return
        if isinstance(shared, InMemoryChannelLayer):
            async_to_sync(shared.group_send)(group, message)
            return
        sender = publish._publisher()  # the process's long-lived loop (see publish)

        async def send() -> None:
            if sender.layer is None:
                sender.layer = channel_layers.make_backend("default")
            await sender.layer.group_send(group, message)

        future = asyncio.run_coroutine_threadsafe(send(), sender.loop)
        future.result(timeout=publish.PUBLISH_TIMEOUT_SECONDS)
    except Exception:  # noqa: BLE001 - a lost progress message only delays the bar
        log.warning("simulation %s: progress not published", simulation_id, exc_info=True)
