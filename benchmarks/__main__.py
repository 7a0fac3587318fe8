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
    "offers",
)


def main() -> int:
    """All benchmarks, or those named: `python -m benchmarks offers`."""
    failed = []
    for name in sys.argv[1:] or BENCHMARKS:
        print(f"\n=== benchmarks.{name}", flush=True)
        if subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], check=False).returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
