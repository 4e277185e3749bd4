"""Run every benchmark suite: ``python -m benchmarks [suite ...] [--option ...]`` (``make bench``).

Each suite is ``benchmarks/<suite>/run.py``; figures are printed as tables and written to
``benchmarks/results/<suite>.json``. PostgreSQL figures are included when
ROOMWRIGHT_BENCH_POSTGRES_URL names an empty database. Options after the suite names go to each
chosen suite, e.g. ``python -m benchmarks soak --users 50 --seconds 600``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def suites() -> list[str]:
    return sorted(p.parent.name for p in HERE.glob("*/run.py"))


def main(argv: list[str]) -> int:
    first_option = next((i for i, arg in enumerate(argv) if arg.startswith("-")), len(argv))
    chosen, options = argv[:first_option] or suites(), argv[first_option:]
    failed = []
    for suite in chosen:
        print(f"\n## {suite}\n", flush=True)
        args = [sys.executable, "-m", f"benchmarks.{suite}.run", *options]
        pg = os.environ.get("ROOMWRIGHT_BENCH_POSTGRES_URL")
        if pg and suite in ("api", "booking") and "--pg" not in options:
            args += ["--pg", pg]
        if subprocess.run(args, check=False).returncode != 0:
            failed.append(suite)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
