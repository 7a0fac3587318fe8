"""`serve`'s queue worker: `saleor-proactive worker` as a child process with the same
environment, stopped with the server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping

STOP_SECONDS = 10


def start_worker_process(env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "saleor_proactive.cli", "worker"]
    return subprocess.Popen(command, env={**os.environ, **(env or {})})


def stop_worker_process(process: subprocess.Popen[bytes]) -> None:
    """SIGINT: huey finishes the tasks in hand, then exits; SIGKILL if it does not."""
    if process.poll() is not None:
        return
    process.send_signal(2)
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
