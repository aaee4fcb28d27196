"""Before a terminal app takes over the screen: does the server know the store at all?

A mistyped `--store` would otherwise show an empty, "closed" store forever. Only a clear
answer counts: an unreachable server is not an error here (the apps work offline).

One GET through the sync client's own HTTP client, which the app loads anyway: the standard
library's `urllib.request` (with `http.client` and `email`) cost each app ~14 ms of CPU and
~3 MiB before its first screen, for this one request.
"""

from __future__ import annotations

import asyncio
import sys

from core.errors import ErrorCode
from core.sync.http_api import API, Refused, q, refusal
from core.sync.http_client import ConnectFailed, HttpClient
from core.sync.http_wire import AnswerLost


async def unknown_store(server: str, store: str, timeout_s: float = 3.0) -> str | None:
    """A plain sentence when `server` answers that it has no store `store`, else None."""
    http = HttpClient(server, {}, timeout_s=timeout_s, connect_timeout_s=timeout_s)
    try:
        answer = await http.request("GET", f"{API}/stores/{q(store)}")
    except (ConnectFailed, AnswerLost):
        return None  # not reachable now: the app starts offline and catches up later
    finally:
        await http.aclose()
    said = refusal(answer) if answer.status == 404 else None
    if not isinstance(said, Refused) or said.code is not ErrorCode.NOT_FOUND:
        return None  # found, or not our backend's answer (a proxy's page?): the app finds out
    return (
        f"the server at {server} has no store {store!r}; check --store or `store` in the "
        "config's [client] table"
    )


def said_unknown_store(server: str, store: str, program: str) -> bool:
    """For an app's command, before its App starts: whether the server has no such store,
    said on stderr as `<program>: …` when it has not (the command then exits with 2)."""
    problem = asyncio.run(unknown_store(server, store))
    if problem is not None:
        print(f"{program}: {problem}", file=sys.stderr)
    return problem is not None
