"""pydantic without its plugin discovery, for the terminal apps' start.

When it builds its first model, pydantic looks for plugins among every installed package's
entry points, through `importlib.metadata`, which nothing else on the apps' path imports:
~20 ms of CPU before their first screen. The apps use no pydantic plugin, so their commands
tell pydantic there are none before it looks. The backend keeps the lookup.
"""

from __future__ import annotations

import sys
from types import ModuleType

_LOADER = "pydantic.plugin._loader"  # where pydantic asks for `get_plugins()`


def skip_plugin_discovery() -> None:
    """Before pydantic builds a model; nothing to do once it has looked."""
    if _LOADER in sys.modules:
        return
    loader = ModuleType(_LOADER)
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules[_LOADER] = loader
