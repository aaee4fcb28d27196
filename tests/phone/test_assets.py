"""The page's files: small, self-contained, and never building HTML from text."""

from __future__ import annotations

import re
from importlib import resources

from backend.phone.assets import load_assets

FILES = ("order.html", "order.js", "order.css")


def _text(name: str) -> str:
    return resources.files("backend.phone").joinpath(name).read_text(encoding="utf-8")


def test_the_page_is_small_for_a_cheap_phone() -> None:
    total = sum(len(_text(name).encode()) for name in FILES)
    assert total < 30_000, f"the page's files weigh {total} bytes"


def test_the_page_loads_nothing_from_elsewhere() -> None:
    for name in FILES:
        assert not re.search(r"(https?:)?//[a-z0-9]", _text(name).replace("http://www.w3.org", "")), name


def test_the_script_never_turns_text_into_html() -> None:
    script = _text("order.js")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink


def test_the_page_links_its_assets_by_content_hash() -> None:
    page = load_assets()
    html = page.html.decode()
    for asset in page.assets.values():
        assert f'"{asset.url}"' in html
        assert re.fullmatch(r"/order/assets/order\.[0-9a-f]{12}\.(js|css)", asset.url)
        assert page.find(asset.name) == (asset, True)
        assert page.find(f"order.000000000000.{asset.suffix}") == (asset, False)
    assert "{{" not in html
    assert page.find("secrets.000000000000.txt") is None
    assert page.find("order.js") is None
