"""`StoreClient`: the `StoreFeed` both terminal apps hold (see feed.py for the contract).

client = StoreClient(server, "booth", token, actor="Ana")
client.add_listener(on_update)
await client.start()          # shows the replica at once, then syncs in the background
result = await client.claim(order_id)
await client.stop()
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from core import commands as c
from core.clock import Clock, SystemClock
from core.config import StoreConfig
from core.events import Event
from core.sync import planning
from core.sync.commanding import run_command
from core.sync.delivery import LeaseKeeper, deliver_outbox, refresh_store_info
from core.sync.engine import SyncEngine
from core.sync.feed import CodeInfo, CommandResult, Notice
from core.sync.follower import LinkSettings, StreamFollower
from core.sync.http_api import BackendApi, OutcomeUnknown, Refused, Unreachable
from core.sync.paths import replica_path as default_replica_path
from core.sync.replica_file import ReplicaError, move_aside
from core.sync.unknown_events import describe as describe_unknown
from core.sync.upkeep import Upkeep
from core.text import clean_text

log = logging.getLogger(__name__)

UPKEEP_EVERY_S = 60.0


class StoreClient(SyncEngine):
    def __init__(
        self,
        server: str,
        store: str,
        token: str,
        *,
        actor: str | None = None,
        device_name: str | None = None,
        replica_path: Path | str | None = None,
        clock: Clock | None = None,
        config: StoreConfig | None = None,
        data_dir: Path | None = None,
        link: LinkSettings | None = None,
        request_timeout_s: float = 5.0,
        lease_size: int = 50,
        lease_low_water: int = 20,
    ) -> None:
        """`actor`: the name on this device's commands (the barista's name). `device_name`:
        names the replica file (defaults to the actor), so the kiosk and each barista on
        one machine keep their own. `config`: the local `[stores.<id>]`, if any (time zone,
        screen timings); the backend's store object overrides what it tells."""
        actor = clean_text(actor) if actor else None  # as the backend will record it
        name = device_name or actor or "device"
        path = Path(replica_path) if replica_path else default_replica_path(server, store, name, data_dir)
        api = BackendApi(server, store, token, timeout_s=request_timeout_s)
        super().__init__(
            api,
            store=store,
            actor=actor or name,
            replica_path=path,
            clock=clock or SystemClock(),
            base_config=config or StoreConfig(name=store),
        )
        self._link_settings = link or LinkSettings()
        leases = LeaseKeeper(self, size=lease_size, low_water=lease_low_water)
        self._upkeep = Upkeep(self, self._link_settings, leases, restart_stream=self._restart_stream)
        self._tasks: list[asyncio.Task[None]] = []
        self._follower: StreamFollower | None = None
        self._refusal_told = False
        api.unknown.on_new_kind = self._on_unknown_kind

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self, *, follow: bool = True, replace_broken: bool = False) -> None:
        """Show the replica (listeners get `initial`), then follow the backend in the
        background. Raises `ReplicaInUse` if another app has the replica open, and
        `ReplicaError` if it is damaged or too new, unless `replace_broken`: then that file
        is moved aside, a fresh replica started, and the user told in a Notice."""
        if self._tasks or self._state is not None:
            return
        try:
            self.open_local()
        except ReplicaError as error:
            if not replace_broken:
                raise
            moved = move_aside(error.path)
            self.open_local(
                Notice(
                    text=f"This device's copy of the orders {error.problem} and was put aside as "
                    f"{moved.name}; the orders come back from the server.",
                    time=self.clock.now(),
                    level="error",
                )
            )
        if follow:
            self.follow()

    def follow(self) -> None:
        if self._tasks or self._replica is None:
            return  # following already, or stopped
        self._follower = StreamFollower(
            self.api,
            self._link_settings,
            cursor=lambda: self.replica.last_seq,
            on_events=self.ingest,
            on_up=self._on_up,
            on_down=self.link_down,
            on_refused=self._on_refused,
        )
        self._tasks = [
            asyncio.create_task(self._follower.run(), name="sync-follow"),
            asyncio.create_task(self._upkeep.run(), name="sync-upkeep"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        for task in self._tasks:
            if task.done() and not task.cancelled():
                task.exception()  # taken, so it is not reported as never retrieved
        self._tasks = []
        await self.api.aclose()
        self.close_local()

    async def _on_up(self) -> None:
        self._refusal_told = False
        self.link_up()
        self._upkeep.wake()

    def _on_refused(self, error: Refused) -> None:
        if self._refusal_told:
            return
        self._refusal_told = True
        text = f"The server refused this device: {error.detail}. Check the token in the config."
        self.notify(notices=[Notice(text=text, time=self.clock.now(), level="error")])

    def _restart_stream(self) -> None:
        if self._follower is not None:
            self._follower.kick()

    def _on_unknown_kind(self, kind: str) -> None:
        """A newer backend's kind of event: left out, and said once (see unknown_events)."""
        self.notify(notices=[Notice(text=describe_unknown(kind), time=self.clock.now(), level="warning")])

    def _link_failed(self) -> None:
        """A request found no backend: say so now, and let the stream find out for sure."""
        self.link_down()
        self._restart_stream()

    # -- reading ------------------------------------------------------------------------

    def timeline(self, order_id: str) -> list[Event]:
        order = self.projection.order(order_id)
        return list(order.events) if order is not None else []

    # -- commands -----------------------------------------------------------------------

    async def _run(self, planned: planning.Planned) -> CommandResult:
        async with self.send_lock:
            if self.link.online and self.replica.outbox_count():
                await deliver_outbox(self)  # keep the outbox's order: older commands first
            was_online = self.link.online
            result = await run_command(self, planned)
            if was_online and not self.link.online:
                self._link_failed()
            elif result.queued_offline and was_online:
                self._restart_stream()  # the answer never came: is the link still there?
        if self.link.online and self.replica.outbox_count():
            self._upkeep.wake()
        if planned.kind == "walk_up" and result.queued_offline:
            self._upkeep.wake()  # top the lease up as soon as we can
        return result

    async def claim(self, order_id: str) -> CommandResult:
        return await self._run(planning.plan_claim(order_id, self.actor))

    async def unclaim(self, order_id: str) -> CommandResult:
        return await self._run(planning.plan_unclaim(order_id, self.actor))

    async def complete(self, order_id: str) -> CommandResult:
        return await self._run(planning.plan_complete(order_id, self.actor))

    async def cancel(self, order_id: str, reason: str | None = None) -> CommandResult:
        return await self._run(planning.plan_cancel(order_id, self.actor, reason))

    async def walk_up(self, customer_name: str, item: str, options: Mapping[str, str]) -> CommandResult:
        store_path = self.api.store_path
        return await self._run(planning.plan_walk_up(store_path, self.actor, customer_name, item, options))

    async def open_store(self) -> CommandResult:
        return await self._run(self._store_command("open", c.OpenStore(), None))

    async def close_store(self) -> CommandResult:
        return await self._run(self._store_command("close", c.CloseStore(), None))

    async def set_item_stock(self, item: str, available: bool) -> CommandResult:
        command = c.SetItemStock(item, available)
        body = {"item": item, "available": available}
        return await self._run(self._store_command("stock", command, body))

    async def set_choice_stock(self, option: str, choice: str, available: bool) -> CommandResult:
        command = c.SetChoiceStock(option, choice, available)
        body = {"option": option, "choice": choice, "available": available}
        return await self._run(self._store_command("stock", command, body))

    def _store_command(
        self, kind: str, command: c.Command, body: dict[str, object] | None
    ) -> planning.Planned:
        return planning.plan_store(self.api.store_path, self.actor, kind, command, body)

    # -- kiosk --------------------------------------------------------------------------

    async def fetch_code(self) -> CodeInfo | None:
        if not (self.link.online or self.link.connecting):
            return None
        try:
            raw = await self.api.code()
            return CodeInfo(
                code=str(raw["code"]),
                url=str(raw["url"]),
                expires_at=datetime.fromisoformat(str(raw["expires_at"]).replace("Z", "+00:00")),
                remaining=int(raw["remaining"]),
                rotation_s=int(self.store_info.limits.get("code_rotation_s", 300)),
            )
        except (Unreachable, OutcomeUnknown, Refused, KeyError, ValueError, TypeError):
            return None

    # -- headless -----------------------------------------------------------------------

    async def sync_once(self) -> bool:
        """Catch up and deliver the outbox once (no stream). True if the outbox is empty.
        Raises `Unreachable`/`OutcomeUnknown`/`Refused` when the backend cannot be used."""
        await self.catch_up()
        self.link_up()
        await refresh_store_info(self)
        async with self.send_lock:
            empty = await deliver_outbox(self)
        await self.catch_up()
        return empty
