"""`espresso events` and `espresso sync --once` against a real backend, as operators run them."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from core.orders import OrderStatus
from tests.support.api import place_order
from tests.support.proxy import TcpProxy
from tests.support.server import REPO_ROOT, BackendServer
from tests.sync.backend_view import backend_orders
from tests.sync.conftest import ClientFactory
from tests.sync.waiting import until


async def espresso(*args: str, data_dir: Path | None = None) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESPRESSO_")}
    if data_dir is not None:
        env["ESPRESSO_DATA_DIR"] = str(data_dir)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "espresso",
        *args,
        cwd=REPO_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode(), err.decode()


async def test_events_prints_one_readable_line_per_event(backend_server: BackendServer) -> None:
    order, _ = place_order(backend_server, "Ada", "latte")
    code, out, _ = await espresso(
        "events", "--server", backend_server.url, "--config", str(backend_server.config_path)
    )
    assert code == 0
    placed = next(line for line in out.splitlines() if "OrderPlaced" in line)
    assert f"#{order['number']}" in placed and "latte" in placed and "←" in placed
    started = next(line for line in out.splitlines() if "OrderStarted" in line)
    assert "Ada" in started
    code, later, _ = await espresso(
        "events",
        "--server",
        backend_server.url,
        "--config",
        str(backend_server.config_path),
        "--after",
        "100000",
    )
    assert code == 0 and later == ""


async def test_events_and_sync_exit_non_zero_when_the_backend_is_unreachable(
    dead_server: str, tmp_path: Path
) -> None:
    code, _, err = await espresso("events", "--server", dead_server)
    assert code == 1 and "cannot reach" in err
    code, out, _ = await espresso("sync", "--once", "--server", dead_server, data_dir=tmp_path)
    assert code == 1 and "unreachable" in out


async def test_sync_once_delivers_what_a_closed_terminal_left_waiting(
    backend_server: BackendServer, make_client: ClientFactory, data_dir: Path
) -> None:
    proxy = await TcpProxy(backend_server.port).start()
    try:
        ana = make_client(proxy.url, backend_server.barista_token, "Ana", device_name="barista-Ana")
        await ana.start()
        order, _ = place_order(backend_server)
        await until(lambda: ana.projection.order(order["id"]) is not None, 10)
        await proxy.cut()
        await until(lambda: not ana.status.online, 5)
        result = await ana.claim(order["id"])
        assert result.ok and result.queued_offline
        await ana.stop()  # the terminal is closed with one action waiting

        await proxy.heal()
        config = str(backend_server.config_path)
        code, out, _ = await espresso(
            "sync", "--once", "--server", proxy.url, "--config", config, data_dir=data_dir
        )
        assert code == 0, out
        assert "barista-Ana: caught up" in out and "delivered 1 waiting command" in out
        assert backend_orders(backend_server)[order["id"]]["barista"] == "Ana"

        again = make_client(proxy.url, backend_server.barista_token, "Ana", device_name="barista-Ana")
        await again.start()
        assert again.status.waiting == 0
        shown = again.projection.order(order["id"])
        assert shown is not None and shown.status is OrderStatus.MAKING
    finally:
        await proxy.close()
