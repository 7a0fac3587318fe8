from __future__ import annotations

from collections.abc import Iterator

import pytest

from saleor_proactive.sandbox.server import SandboxSaleor
from saleor_proactive.sandbox.state import App
from tests.sandbox.recording_app import RecordingApp, start_recording_app, stop_recording_app


@pytest.fixture
def recording_app() -> Iterator[RecordingApp]:
    recorder = start_recording_app()
    yield recorder
    stop_recording_app(recorder)


@pytest.fixture
def recorded_install(sandbox_saleor: SandboxSaleor, recording_app: RecordingApp) -> App:
    """The recording app installed into the sandbox with every permission it asks for."""
    return sandbox_saleor.install_app(recording_app.manifest_url)
