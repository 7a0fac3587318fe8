"""`python -m benchmarks [NAME ...]` (`make benchmark`): every benchmark (or those named) in
turn, each printing its figures.

Each runs in its own process so one's servers and caches do not colour the next one's figures.
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = (
    "webhooks",
    "engine",
    "visitor_api",
    "instructions",
    "snippet",
    "report",
    "chat",
    "reminders",
    "offers",
)


def main() -> int:
    """All benchmarks, or the one named (`python -m benchmarks reminders --backlog 1000`)."""
    chosen = sys.argv[1:2] if sys.argv[1:] and sys.argv[1] in BENCHMARKS else []
    names, extra = (chosen, sys.argv[2:]) if chosen else (list(BENCHMARKS), [])
    failed = []
    for name in names:
        print(f"\n=== benchmarks.{name}", flush=True)
        command = [sys.executable, "-m", f"benchmarks.{name}", *extra]
        if subprocess.run(command, check=False).returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
