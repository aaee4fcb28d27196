"""The page's static files, read once: content-hashed names, gzip copies, the page itself.

The JS and CSS are served under names that carry a hash of their content, so browsers may
cache them for a year; the HTML is small and always revalidated, so a new release is picked
up on the next load.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from importlib import resources

ASSET_PREFIX = "/order/assets/"
MEDIA_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}


@dataclass(frozen=True, slots=True)
class Asset:
    """One static file: its bytes, a gzip copy and the hashed name it is served under."""

    stem: str
    suffix: str
    body: bytes
    gzipped: bytes
    digest: str

    @property
    def name(self) -> str:
        return f"{self.stem}.{self.digest}.{self.suffix}"

    @property
    def url(self) -> str:
        return ASSET_PREFIX + self.name

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.suffix]


def _read(filename: str) -> bytes:
    return resources.files(__package__).joinpath(filename).read_bytes()


def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=9, mtime=0)


def _asset(filename: str) -> Asset:
    stem, _, suffix = filename.rpartition(".")
    body = _read(filename)
    return Asset(
        stem=stem,
        suffix=suffix,
        body=body,
        gzipped=_gzip(body),
        digest=hashlib.sha256(body).hexdigest()[:12],
    )


@dataclass(frozen=True, slots=True)
class PageAssets:
    """The page with its asset URLs filled in (and a gzip copy), the assets by stem and suffix."""

    html: bytes
    html_gzipped: bytes
    assets: dict[tuple[str, str], Asset]

    def find(self, name: str) -> tuple[Asset, bool] | None:
        """The asset a requested name refers to, and whether the name's hash is current.

        Any hash is accepted (a page from an older release still gets working files), but
        only the current one may be cached for long.
        """
        parts = name.split(".")
        if len(parts) != 3:
            return None
        stem, digest, suffix = parts
        asset = self.assets.get((stem, suffix))
        if asset is None:
            return None
        return asset, digest == asset.digest


def load_assets() -> PageAssets:
    js, css = _asset("order.js"), _asset("order.css")
    html = _read("order.html").decode("utf-8")
    html = html.replace("{{order.js}}", js.url).replace("{{order.css}}", css.url)
    body = html.encode("utf-8")
    return PageAssets(body, _gzip(body), {("order", "js"): js, ("order", "css"): css})
