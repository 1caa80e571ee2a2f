"""The environment `make` installs is exactly the committed lock."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", LOCK.read_text(encoding="utf-8"), re.M)
    return {_norm(n): v for n, v in pins}


def test_lock_pins_every_package_with_hashes():
    text = LOCK.read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    pins = [b for b in blocks if "==" in b.split("\n", 1)[0]]
    assert len(pins) == len(locked()) > 20
    assert all("--hash=sha256:" in b for b in pins)
    for need in ("mkdocs", "mkdocs-material", "jieba", "whoosh-reloaded", "pyyaml", "pydantic", "jinja2",
                 "python-docx", "openpyxl", "playwright", "pytest", "setuptools"):
        assert need in locked(), need


def test_installed_packages_are_exactly_the_lock():
    out = subprocess.run([sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
                         capture_output=True, text=True, check=True).stdout
    installed = {_norm(n): v for n, v in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", out, re.M)}
    installed.pop("pip", None)  # the installer itself comes with the venv
    assert installed == locked()
