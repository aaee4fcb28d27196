"""The keys of the screen on one line, at the bottom: ` ↑↓←→ Move ⏎ Claim space Done …`.

One widget drawing one line, where Textual's Footer mounts a widget per key and composes
them only after the first frame: the board's first screen came without its keys, and the
footer was 1.7 MiB of the terminal's 57. As in the Footer, a click on a key presses it and
the pointer over a key shows its tooltip. No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget


@dataclass(frozen=True, slots=True)
class KeySpot:
    """Where one key sits on the line (cells [start, end)), and what it does."""

    start: int
    end: int
    key: str
    tooltip: str


class KeyBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--hover"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.spots: list[KeySpot] = []
        self._hovered: KeySpot | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> Content:
        parts: list[Content] = []
        spots: list[KeySpot] = []
        width = 0
        key_style = self.get_visual_style("key-bar--key", partial=True)
        hover_style = self.get_visual_style("key-bar--hover", partial=True)
        description_style = self.get_visual_style("key-bar--description", partial=True)

        def add(text: str, style: Style | None = None, binding: Binding | None = None) -> None:
            nonlocal width
            cells = cell_len(text)
            if binding is not None:
                spot = KeySpot(width, width + cells, binding.key, binding.tooltip or binding.description)
                spots.append(spot)
                if spot == self._hovered:
                    style = key_style + hover_style
            parts.append(Content(text) if style is None else Content.styled(text, style))
            width += cells

        for group, bindings in self._shown():
            add(" ")
            for binding in bindings:
                add(self.app.get_key_display(binding), key_style, binding)
            add(" " + (group or bindings[0].description), description_style)
        self.spots = spots
        return Content.assemble(*parts)

    def _shown(self) -> list[tuple[str | None, list[Binding]]]:
        """What the line shows, in the order the bindings were declared: one entry per
        action, or per group (its keys side by side, then its description)."""
        by_action: dict[str, Binding] = {}
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and enabled:
                by_action.setdefault(binding.action, binding)
        shown: list[tuple[str | None, list[Binding]]] = []
        for binding in by_action.values():
            group = binding.group.description if binding.group is not None else None
            if group is not None and shown and shown[-1][0] == group:
                shown[-1][1].append(binding)
            else:
                shown.append((group, [binding]))
        return shown

    def spot_at(self, x: int) -> KeySpot | None:
        return next((spot for spot in self.spots if spot.start <= x < spot.end), None)

    def on_click(self, event: events.Click) -> None:
        if (spot := self.spot_at(event.x)) is not None:
            event.stop()
            self.app.simulate_key(spot.key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self.spot_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hover(None)

    def _hover(self, spot: KeySpot | None) -> None:
        if spot != self._hovered:
            self._hovered = spot
            self.tooltip = spot.tooltip if spot is not None else None
            self.refresh()
