"""make bench: how the casebook scales to 1,000 and 10,000 records (run with ``python -m benchmarks.scale``).

For each size N the benchmark

1. generates a synthetic project in ``benchmarks/out/corpus-N/`` (the real
   config, pages and registries, and N records recombined from the real ones;
   generation is not timed) — ``corpus``;
2. runs every measured stage in its own fresh Python process (so one stage's
   caches never warm the next, a crash or a timeout costs one figure, and each
   stage's peak RSS is its own) — ``stages``, with the stages themselves in
   ``build``, ``whoosh``, ``cli`` and ``serve`` — and the browser measurements
   in Chromium from file:// with every non-file request blocked — ``browser``;
3. prints a table against the targets and writes ``benchmarks/results.json`` — ``report``.

Network traffic goes to 127.0.0.1 only (``mkdocs serve`` for the incremental
rebuild). Usage::

    .venv/bin/python -m benchmarks.scale              # 1,000 and 10,000 records
    .venv/bin/python -m benchmarks.scale --quick      # 1,000 only
    .venv/bin/python -m benchmarks.scale --sizes 2000 --results /tmp/results.json
"""
