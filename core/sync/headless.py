"""Syncing a replica without a screen: catch up, deliver the outbox, report.

    summary = await sync_replica(server, "booth", token, path)

Used by `espresso sync`; scripts can call it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.config import StoreConfig
from core.sync.client import StoreClient
from core.sync.feed import FeedUpdate, Notice
from core.sync.paths import replica_dir


@dataclass(frozen=True, slots=True)
class SyncSummary:
    device: str
    before_seq: int
    last_seq: int
    delivered: int
    waiting: int
    notices: tuple[Notice, ...] = field(default=())

    def describe(self) -> str:
        new = self.last_seq - self.before_seq
        line = (
            f"{self.device}: caught up to event {self.last_seq} ({new} new), "
            f"delivered {self.delivered} waiting command{'s' if self.delivered != 1 else ''}"
        )
        if self.waiting:
            line += f", {self.waiting} still waiting"
        return line


async def sync_replica(
    server: str, store: str, token: str, path: Path, *, config: StoreConfig | None = None
) -> SyncSummary:
    """Sync one replica file once. Raises the API's failures (`Unreachable`, …) and
    `ReplicaError`/`ReplicaInUse` for a file it cannot use."""
    notices: list[Notice] = []

    def collect(update: FeedUpdate) -> None:
        notices.extend(update.notices)

    client = StoreClient(server, store, token, device_name=path.stem, replica_path=path, config=config)
    client.add_listener(collect)
    await client.start(follow=False)
    try:
        before, waiting_before = client.replica.last_seq, client.replica.outbox_count()
        await client.sync_once()
        waiting = client.replica.outbox_count()
        return SyncSummary(
            device=path.stem,
            before_seq=before,
            last_seq=client.replica.last_seq,
            delivered=waiting_before - waiting,
            waiting=waiting,
            notices=tuple(notices),
        )
    finally:
        await client.stop()


def replicas_of(server: str, store: str, base: Path | None = None) -> list[Path]:
    """The replica files this machine keeps for `store` on `server` (one per app/name)."""
    directory = replica_dir(server, store, base)
    return sorted(directory.glob("*.sqlite3")) if directory.is_dir() else []
