"""Serve stage: under ``mkdocs serve --dirty``, seconds from saving one record to its new text being served."""

from __future__ import annotations

import random
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

from .common import MKDOCS, OUT, tool_env

SERVE_START_TIMEOUT = 1800    # mkdocs serve's first build, before the edit
INCREMENTAL_TIMEOUT = 300     # from the edit to the new text being served


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 10.0) -> tuple[int, str]:
    """GET from the loopback server, never through a proxy."""
    import urllib.error
    import urllib.request

    assert url.startswith("http://127.0.0.1:"), url
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def stage_incremental(project: Path, n: int) -> dict:
    """mkdocs serve: seconds from writing one record's new summary to the new text being served."""
    import yaml

    rid = f"syn-{n // 2:06d}"
    files = list((project / "cases").glob(f"*/{rid}.yml"))
    if not files:
        raise RuntimeError(f"找不到记录 {rid}")
    path = files[0]
    original = path.read_text(encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/cases/{rid}.html"
    serve_log = OUT / "logs" / f"serve-{n}.log"
    with open(serve_log, "w", encoding="utf-8") as logf:
        proc = subprocess.Popen([str(MKDOCS), "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"], cwd=project,
                                stdout=logf, stderr=subprocess.STDOUT, env=tool_env(), start_new_session=True)
    try:
        t0 = time.perf_counter()
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve 已退出（{proc.returncode}），见 {serve_log}")
            status, body = get(url)
            if status == 200 and rid in body:
                break
            if time.perf_counter() - t0 > SERVE_START_TIMEOUT:
                raise TimeoutError(f"mkdocs serve {SERVE_START_TIMEOUT} 秒内未就绪")
            time.sleep(0.5)
        first_build = time.perf_counter() - t0
        time.sleep(2.0)  # let the watcher settle
        marker = f"基准测试改动标记{random.Random(time.time_ns()).randrange(10**8):08d}"
        if marker in body:
            raise RuntimeError("标记已在页面中")
        data = yaml.safe_load(original)
        data["summary"] = data["summary"][:200] + marker
        new_text = "# 合成记录（已被基准测试修改）\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        t = time.perf_counter()
        path.write_text(new_text, encoding="utf-8")
        took = None
        while time.perf_counter() - t < INCREMENTAL_TIMEOUT:
            status, body = get(url)
            if status == 200 and marker in body:
                took = time.perf_counter() - t
                break
            if proc.poll() is not None:
                raise RuntimeError(f"mkdocs serve 在重建时退出（{proc.returncode}），见 {serve_log}")
            time.sleep(0.1)
        if took is None:
            raise TimeoutError(f"{INCREMENTAL_TIMEOUT} 秒内未看到修改后的内容")
        time.sleep(1.0)  # let mkdocs log the end of the rebuild
        built = re.findall(r"Documentation built in ([0-9.]+) seconds", serve_log.read_text(encoding="utf-8", errors="replace"))
        return {"incremental_s": took, "serve_first_build_s": first_build,
                "serve_rebuild_reported_s": float(built[-1]) if len(built) >= 2 else None}
    finally:
        path.write_text(original, encoding="utf-8")
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # mkdocs serve shuts down cleanly on Ctrl+C
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)
