"""What every benchmark stage shares: the folders, the log line, the wall and CPU clock, the tools' environment."""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "benchmarks" / "out"
RESULTS = ROOT / "benchmarks" / "results.json"
BIN = Path(sys.executable).parent
MKDOCS = BIN / "mkdocs" if (BIN / "mkdocs").exists() else ROOT / ".venv" / "bin" / "mkdocs"


def log(msg: str) -> None:
    """One time-stamped progress line on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def site_dir(n: int) -> Path:
    """Where the stages build the site of the ``n``-record project (the browser reads it too)."""
    return OUT / f"site-{n}"


def tool_env() -> dict[str, str]:
    """The environment for mkdocs run as a child: a fixed build date (no git asked), no MkDocs 2 banner."""
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0")


def cpu_seconds() -> float:
    """CPU seconds of this process and its reaped children (robust to other load on the machine)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class Clock:
    """Wall-clock (perf_counter) and CPU seconds of a block."""

    def __enter__(self):
        self.wall = self.cpu = None
        self.started = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc):
        wall, cpu = self.started
        self.wall, self.cpu = time.perf_counter() - wall, cpu_seconds() - cpu
        return False
