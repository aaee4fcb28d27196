"""The command writer: every write of this process goes through one thread, in batches.

Requests put a job on a queue and await its future. The writer thread takes everything
pending, and for each store opens ONE transaction (the store's lock across processes),
catches its own projection up with what other processes appended, runs each job
(idempotency check, decide, append, use numbers and codes, keep the idempotency record),
then commits once: one fsync for the whole batch (group commit). Only after the commit are
the new events handed to the event loop (read projection, streams, timeouts) and the
futures resolved. A command is refused before it writes anything, so it uses up nothing;
should a step fail after writing, the batch is undone and run again with each step in a
savepoint of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from backend.problems import ApiError, Fault
from core.clock import Clock
from core.errors import ErrorCode, Rejected
from core.events import Event
from core.eventstore.base import EventStore, IdempotencyRecord, StoreBusyError, StoreTransaction
from core.orders import OrderState
from core.projection import Projection

log = logging.getLogger("espresso.writer")


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes


@dataclass(frozen=True, slots=True)
class Idempotency:
    scope: str  # credential + method + path
    key: str
    request_hash: str


@dataclass(slots=True)
class Step:
    """What an action sees: the open transaction and the writer's caught-up projection."""

    tx: StoreTransaction
    state: Projection
    now: datetime
    causation_id: str
    appended: list[Event] = field(default_factory=list)

    def append(self, events: Sequence[Event], *, new: bool = True) -> list[Event]:
        """Append and apply. `new`: events just decided here (fresh ids; see
        `StoreTransaction.append`); a push of events made elsewhere says new=False."""
        stored = self.tx.append(events, new=new) if events else []
        self.state.apply_all(stored)
        self.appended.extend(stored)
        return stored


Action = Callable[[Step], Reply]
Result = Reply | ApiError | Fault
Answer = tuple[asyncio.Future[Result], Result]
# (store, events in seq order, the writer's states of their orders or None: derive them)
OnEvents = Callable[[str, list[Event], Mapping[str, OrderState] | None], None]
Delivery = tuple[str, list[Event], Mapping[str, OrderState] | None]


@dataclass(slots=True)
class _Job:
    store: str
    action: Action | None  # None: only catch up with the log
    causation_id: str
    idempotency: Idempotency | None
    future: asyncio.Future[Result] | None
    target_seq: int = 0  # catch-up jobs: the seq that was announced (0: unknown)


_STOP = object()


class _Undo(Exception):
    """A step was refused after it had written: its batch must be undone."""


class Writer:
    def __init__(
        self,
        event_store: EventStore,
        projections: dict[str, Projection],
        clock: Clock,
        on_events: OnEvents,
        loop: asyncio.AbstractEventLoop,
        make_projection: Callable[[str], Projection],
    ) -> None:
        self._store = event_store
        self._state = projections  # owned by the writer thread once started
        self._clock = clock
        self._on_events = on_events
        self._loop = loop
        self._make_projection = make_projection
        self._published = {store: p.last_seq for store, p in projections.items()}
        self._stale: set[str] = set()  # stores whose projection must be rebuilt from the log
        self._touched = False  # did the current store's transaction append anything
        self._committing = False  # has the current batch's transaction reached its commit
        self._queue: queue.SimpleQueue[_Job | object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="espresso-writer", daemon=True)
        self.batches = 0
        self.jobs = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=30)

    def submit(
        self, store: str, action: Action, causation_id: str, idempotency: Idempotency | None = None
    ) -> asyncio.Future[Result]:
        """Queue a job (call on the event loop); the future resolves after the commit."""
        future: asyncio.Future[Result] = self._loop.create_future()
        self._queue.put(_Job(store, action, causation_id, idempotency, future))
        return future

    def catch_up(self, store: str, seq: int = 0) -> None:
        """Read what other processes appended, up to `seq` at least (0: whatever is there).
        Thread-safe; coalesced within a batch, and skipped when the writer is there already."""
        self._queue.put(_Job(store, None, "", None, None, seq))

    # -- the writer thread ----------------------------------------------------------

    def _run(self) -> None:
        while True:
            batch: list[_Job] = []
            item = self._queue.get()
            stopping = item is _STOP
            if isinstance(item, _Job):
                batch.append(item)
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                elif isinstance(item, _Job):
                    batch.append(item)
            if batch:
                self._process(batch)
            if stopping:
                return

    def _process(self, batch: list[_Job]) -> None:
        by_store: dict[str, list[_Job]] = {}
        for job in batch:
            by_store.setdefault(job.store, []).append(job)
        self.batches += 1
        self.jobs += len(batch)
        for store, jobs in by_store.items():
            results: list[Answer] = []
            self._touched = False
            states: Mapping[str, OrderState] | None = None
            try:
                events = self._run_store(store, jobs, results)
                if store not in self._stale:  # the projection is the log up to these events
                    states = self._state[store].states_of(events)
            except Exception:
                log.exception("writing to store %s failed", store)
                if self._touched:  # uncommitted events may be in our projection
                    self._stale.add(store)
                events = self._after_failure(store)
                for job in jobs:
                    if job.future is not None:
                        results.append((job.future, Fault()))
            delivered: list[Delivery] = []
            if events:
                self._published[store] = events[-1].seq or self._published[store]
                delivered.append((store, events, states))
            # Each store's commit is handed over as soon as it is made, not after the other
            # stores of the batch: their callers (and streams) need not wait for those.
            if delivered or results:
                with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
                    self._loop.call_soon_threadsafe(self._deliver, delivered, results)

    def _run_store(self, store: str, jobs: list[_Job], results: list[Answer]) -> list[Event]:
        if store in self._stale:
            self._reload(store)  # raises while the database is still unreachable
        state = self._state[store]
        if all(job.action is None for job in jobs):
            if all(0 < job.target_seq <= state.last_seq for job in jobs):
                return []  # our own commit, announced back to us
            caught_up = self._store.read(store, after=state.last_seq)
            state.apply_all(caught_up)
            return caught_up
        try:
            return self._run_batch(store, jobs, results, careful=False)
        except StoreBusyError:
            raise  # (waiting for the lock again would double the wait)
        except Exception:
            if self._committing:
                raise  # a failed commit is answered as a failure (it may have been made)
            # A step failed after it had written, or a write failed (on PostgreSQL its error
            # may come at a later step): nothing of the batch was kept. Again, each step in a
            # savepoint of its own, which keeps the others' work.
            log.debug("a batch of %s failed; running it again step by step", store, exc_info=True)
            self._stale.add(store)  # our projection holds the undone batch's events
            missed = self._after_failure(store)  # reloads; and what others committed meanwhile
            if store in self._stale:
                raise  # the log cannot be read: answered as a failure
            return missed + self._run_batch(store, jobs, results, careful=True)

    def _run_batch(
        self,
        store: str,
        jobs: list[_Job],
        results: list[Answer],
        careful: bool,
    ) -> list[Event]:
        """One transaction for the jobs. Not `careful`: no savepoints (two statements per
        step, and on PostgreSQL a round trip); a step refused before it wrote anything has
        nothing to undo, and any other failure raises, undoing the whole batch."""
        state = self._state[store]
        mine: list[Answer] = []
        events: list[Event] = []
        dirty = False
        self._committing = False
        keys = [(job.idempotency.scope, job.idempotency.key) for job in jobs if job.idempotency is not None]
        with self._store.transaction(store) as tx:
            caught_up, kept = tx.start_batch(state.last_seq, keys)
            state.apply_all(caught_up)
            events.extend(caught_up)
            for job in jobs:
                if job.action is None:
                    continue
                result, appended, broken = self._run_job(tx, state, job, careful, kept)
                self._touched = self._touched or broken or bool(appended)
                dirty = dirty or broken
                events.extend(appended)
                if job.future is not None:
                    mine.append((job.future, result))
            self._committing = True
        results.extend(mine)
        if dirty:  # a step that failed after applying its events: rebuild from the log
            self._stale.add(store)
            self._after_failure(store)
        return events

    def _run_job(
        self,
        tx: StoreTransaction,
        state: Projection,
        job: _Job,
        careful: bool,
        kept: dict[tuple[str, str], IdempotencyRecord],
    ) -> tuple[Result, list[Event], bool]:
        """One step. `kept`: the batch's idempotency records, read at its start and added to
        as its steps keep theirs (a retry may come in the same batch as its first try)."""
        assert job.action is not None
        step = Step(tx, state, self._clock.now(), job.causation_id)
        idem = job.idempotency
        writes = tx.writes
        record: IdempotencyRecord | None = None  # this step's own, once it has one
        try:
            with tx.savepoint() if careful else contextlib.nullcontext():
                if idem is not None and (earlier := kept.get((idem.scope, idem.key))) is not None:
                    if earlier.request_hash != idem.request_hash:
                        raise Rejected(
                            ErrorCode.IDEMPOTENCY_MISMATCH,
                            "this Idempotency-Key was used with another request",
                        )
                    return Reply(earlier.status, earlier.body), [], False
                reply = job.action(step)
                if idem is not None and 200 <= reply.status < 300:
                    record = IdempotencyRecord(idem.request_hash, reply.status, reply.body, step.now)
                    tx.put_idempotent(idem.scope, idem.key, record)
            if idem is not None and record is not None:  # once its step has held (savepoint)
                kept[idem.scope, idem.key] = record
        except (Rejected, ApiError) as error:
            if not careful and tx.writes != writes:
                raise _Undo from error  # refused after writing: only a savepoint undoes that
            refusal = ApiError.of(error) if isinstance(error, Rejected) else error
            return refusal, [], bool(step.appended)
        except Exception:
            if not careful:
                raise
            log.exception("a %s job failed", job.store)
            return Fault(), [], bool(step.appended)
        return reply, step.appended, False

    def _reload(self, store: str) -> None:
        """Rebuild the writer's projection from the log (it may hold uncommitted events)."""
        fresh = self._make_projection(store)
        fresh.apply_all(self._store.iter_all(store))
        self._state[store] = fresh
        self._stale.discard(store)

    def _after_failure(self, store: str) -> list[Event]:
        """Committed events not yet handed to the loop (a commit may have succeeded though it
        reported failure, and what we caught up with is real). While the database cannot be
        read, the store stays marked for a reload before its next decision."""
        try:
            if store in self._stale:
                self._reload(store)
            return self._store.read(store, after=self._published[store])
        except Exception:
            log.exception("cannot reload store %s; will retry before its next write", store)
            return []

    def _deliver(self, delivered: list[Delivery], results: list[Answer]) -> None:
        """On the event loop: first the read side sees the events, then callers get answers."""
        for store, events, states in delivered:
            try:
                self._on_events(store, events, states)
            except Exception:
                log.exception("publishing events of %s failed", store)
        for future, result in results:
            if not future.done():
                future.set_result(result)
