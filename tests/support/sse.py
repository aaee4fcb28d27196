"""A Server-Sent Events reader for tests: reads a stream in a thread, hands messages over a
queue, and waits for what a test expects with a deadline (never a fixed sleep).

    with SseReader(url, headers=...) as stream:
        stream.wait_for(lambda m: m.event == "OrderCompleted")
"""

from __future__ import annotations

import contextlib
import json
import queue
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class SseMessage:
    id: str | None
    event: str | None
    data: str
    comment: str | None = None  # set for a comment line (": keep-alive")

    def json(self) -> Any:
        return json.loads(self.data)


class SseReader:
    def __init__(
        self, url: str, headers: Mapping[str, str] | None = None, params: Mapping[str, Any] | None = None
    ) -> None:
        self.url = url
        self.headers = dict(headers or {})
        self.params = dict(params or {})
        self.messages: queue.Queue[SseMessage | BaseException | None] = queue.Queue()
        self.seen: list[SseMessage] = []
        self.status: int | None = None
        self._socket: socket.socket | None = None
        self._opened = threading.Event()
        self._stop = threading.Event()
        self._client = httpx.Client(timeout=httpx.Timeout(10.0, read=None))
        self._thread = threading.Thread(target=self._read, daemon=True)

    def __enter__(self) -> SseReader:
        self._thread.start()
        if not self._opened.wait(10):
            raise TimeoutError(f"no response from {self.url}")
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        if self._socket is not None:  # unblock the reading thread now, not at the next message
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)
        self._client.close()

    def _read(self) -> None:
        try:
            with self._client.stream("GET", self.url, headers=self.headers, params=self.params) as response:
                self.status = response.status_code
                stream = response.extensions.get("network_stream")
                self._socket = stream.get_extra_info("socket") if stream is not None else None
                self._opened.set()
                fields: dict[str, str] = {}
                data: list[str] = []
                for line in response.iter_lines():
                    if self._stop.is_set():
                        return
                    if line.startswith(":"):
                        self.messages.put(SseMessage(None, None, "", comment=line[1:].strip()))
                    elif line == "":
                        if data or fields:
                            self.messages.put(
                                SseMessage(fields.get("id"), fields.get("event"), "\n".join(data))
                            )
                        fields, data = {}, []
                    else:
                        name, _, value = line.partition(":")
                        value = value.removeprefix(" ")
                        if name == "data":
                            data.append(value)
                        else:
                            fields[name] = value
            self.messages.put(None)  # the server ended the stream
        except BaseException as error:
            self._opened.set()
            if not self._stop.is_set():
                self.messages.put(error)

    def next(self, timeout: float = 10.0, comments: bool = False) -> SseMessage | None:
        """The next message (None when the stream ended); TimeoutError after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no message from {self.url} within {timeout} s")
            try:
                item = self.messages.get(timeout=remaining)
            except queue.Empty:
                continue
            if isinstance(item, BaseException):
                raise item
            if item is None:
                return None
            if item.comment is not None and not comments:
                continue
            self.seen.append(item)
            return item

    def wait_for(
        self, predicate: Callable[[SseMessage], bool], timeout: float = 10.0, comments: bool = False
    ) -> SseMessage:
        """Read until a message matches `predicate`; TimeoutError if none does in time."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.next(max(0.0, deadline - time.monotonic()) or 0.001, comments=comments)
            if message is None:
                raise EOFError(f"the stream {self.url} ended before the expected message")
            if predicate(message):
                return message

    def events(self, count: int, timeout: float = 10.0) -> list[SseMessage]:
        """The next `count` event messages."""
        found = []
        deadline = time.monotonic() + timeout
        while len(found) < count:
            message = self.next(max(0.001, deadline - time.monotonic()))
            if message is None:
                raise EOFError("the stream ended")
            found.append(message)
        return found
