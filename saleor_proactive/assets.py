"""Where the top-level asset folders live, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def asset_dir(name: str) -> Path:
    """Return the folder `manifest`, `webhooks` or `storefront_snippet`.

    A wheel carries them as `saleor_proactive/assets/<name>`; a checkout (editable or not yet
    installed) keeps them at the repository's top level.
    """
    bundled = _PACKAGE_DIR / "assets" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent / name
