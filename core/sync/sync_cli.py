"""`espresso sync [--once]`: sync this machine's replicas with the backend, headless.

With `--once`: catch up, deliver every waiting command, print a summary per replica, and
exit 1 if the backend cannot be reached (0 otherwise). Without: keep every replica synced
(following the stream) and print status changes and notices until Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

from core.config import Settings
from core.sync.client import StoreClient
from core.sync.feed import FeedUpdate, Listener
from core.sync.headless import replicas_of, sync_replica
from core.sync.http_api import BackendApi, OutcomeUnknown, Refused, Unreachable
from core.sync.replica_file import ReplicaError, ReplicaInUse


def run(settings: Settings, server: str | None, store: str | None, once: bool) -> int:
    server = (server or settings.client.server).rstrip("/")
    store = store or settings.client.store
    try:
        if once:
            return asyncio.run(_once(settings, server, store))
        return asyncio.run(_forever(settings, server, store))
    except KeyboardInterrupt:
        return 0


async def _once(settings: Settings, server: str, store: str) -> int:
    token = settings.auth.barista_token
    paths = replicas_of(server, store)
    if not paths:
        api = BackendApi(server, store, token)
        try:
            reachable = await api.healthy(5.0)
        finally:
            await api.aclose()
        print(f"No replica of {store!r} on this machine; the backend is {_reach(reachable)}.")
        return 0 if reachable else 1
    for path in paths:
        try:
            summary = await sync_replica(server, store, token, path, config=settings.store(store))
        except (ReplicaInUse, ReplicaError) as error:
            print(f"{path.stem}: {error}", file=sys.stderr)
            continue
        except (Unreachable, OutcomeUnknown) as error:
            print(f"espresso sync: cannot reach {server}: {error}", file=sys.stderr)
            return 1
        except Refused as error:
            print(f"espresso sync: {server} refused: {error.detail}", file=sys.stderr)
            return 1
        print(summary.describe())
        for notice in summary.notices:
            print(f"  ! {notice.text}")
    return 0


def _reach(reachable: bool) -> str:
    return "reachable" if reachable else "unreachable"


async def _forever(settings: Settings, server: str, store: str) -> int:
    token = settings.auth.barista_token
    clients: list[StoreClient] = []
    # Every replica of this machine; a fresh one named "sync" when there is none yet.
    targets: list[tuple[str, Path | None]] = [(p.stem, p) for p in replicas_of(server, store)]
    for name, path in targets or [("sync", None)]:
        client = StoreClient(
            server, store, token, device_name=name, replica_path=path, config=settings.store(store)
        )
        client.add_listener(_printer(name))
        try:
            await client.start()
        except (ReplicaInUse, ReplicaError) as error:
            print(f"{name}: {error}", file=sys.stderr)
            continue
        clients.append(client)
    if not clients:
        return 1
    try:
        await asyncio.Event().wait()  # until Ctrl-C
    finally:
        for client in clients:
            with contextlib.suppress(Exception):
                await client.stop()
    return 0


def _printer(name: str) -> Listener:
    def show(update: FeedUpdate) -> None:
        if update.status is not None:
            s = update.status
            state = "online" if s.online else "connecting" if s.connecting else "OFFLINE"
            print(f"{name}: {state}, {s.waiting} waiting, at event {s.last_seq}", flush=True)
        for notice in update.notices:
            print(f"{name}: ! {notice.text}", flush=True)

    return show
