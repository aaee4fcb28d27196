"""Backend tests run real `espresso serve` processes (see tests/support)."""

import importlib.util

# Until the SQLite event store is on main, there is no server to test.
if importlib.util.find_spec("core.eventstore.sqlite") is None:
    collect_ignore_glob = ["test_*.py"]
