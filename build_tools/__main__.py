"""``python -m build_tools …``: the ``casebook`` command without its installed script."""

from .cli import run

run()
