"""A child process that writes to a replica as fast as it can until it is killed.

    python -m tests.sync.replica_writer PATH

Each round is one transaction: two events from the backend (cursor moves), one outbox entry
holding a local event, one leased number taken. After each commit it prints the round.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from core.sync.outbox import OutboxEntry
from core.sync.replica import Replica
from tests.sync.factory import History

DAY = date(2026, 11, 27)


def main(path: Path) -> None:
    replica = Replica(path, server="http://backend", store="booth")
    replica.add_lease(DAY, 1, 1_000_000)
    history = History()
    round_ = 0
    while True:
        round_ += 1
        order_id = history.order(round_)
        local = history.add("OrderClaimed", order_id, actor="Ana", data={"barista": "Ana"}, seq=False)
        with replica.transaction():
            replica.add_events(history.events[-3:-1])
            replica.add_events([local])
            replica.add_outbox(
                OutboxEntry(
                    command_id=local.id, kind="push", created_at=local.time, label="claim", events=(local,)
                )
            )
            replica.take_number(DAY)
        print(round_, flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
