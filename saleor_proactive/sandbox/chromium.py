"""Debian's Chromium as the project launches it headless: for the browser tests, the README's
screenshots and the snippet benchmark, so the three never drift apart."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
# Runs as root in CI, hence no sandbox. Without the background-networking flags Chromium keeps
# dialling hosts this closed network refuses; a new profile per launch keeps runs independent.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
