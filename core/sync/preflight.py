"""Before a terminal app takes over the screen: does the server know the store at all?

A mistyped `--store` would otherwise show an empty, "closed" store forever. Only a clear
answer counts: an unreachable server is not an error here (the apps work offline).

One GET, through the standard library: it runs before the app's event loop does.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from core.sync.http_api import API, q


def unknown_store(server: str, store: str, timeout_s: float = 3.0) -> str | None:
    """A plain sentence when `server` answers that it has no store `store`, else None."""
    url = f"{server.rstrip('/')}{API}/stores/{q(store)}"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s):
            return None
    except urllib.error.HTTPError as answer:
        with answer:
            status, body = answer.code, answer.read()
    except (OSError, ValueError):
        return None  # not reachable now: the app starts offline and catches up later
    if status != 404:
        return None
    try:
        problem = json.loads(body)
    except ValueError:
        problem = None
    if not isinstance(problem, dict) or problem.get("code") != "not_found":
        return None  # not our backend's answer (a proxy's page?): let the app find out
    return (
        f"the server at {server} has no store {store!r}; check --store or `store` in the "
        "config's [client] table"
    )
