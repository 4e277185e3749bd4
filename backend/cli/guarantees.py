"""``roomwright guarantees-sweep``: open a guarantee case, with its compensation, for every service
promise missed by now (run it every few minutes, e.g. from cron; running it twice compensates once)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("guarantees-sweep", help="compensate missed service promises (idempotent)")
    p.set_defaults(handler=cmd_sweep)


def cmd_sweep(args: argparse.Namespace) -> int:
    from backend.db.engine import make_engine, make_sessionmaker
    from backend.services.guarantees import sweep
    from backend.settings import get_settings

    engine = make_engine(get_settings().database_url)
    with make_sessionmaker(engine)() as db:
        opened = sweep(db, datetime.now(UTC))
        db.commit()
        for case in opened:
            paid = f"+{case.compensation_points} points" if case.compensation_points else "refunded"
            print(f"{case.kind:<22} {case.reference:<20} {paid} to {case.customer_id}")
    engine.dispose()
    print(f"{len(opened)} new guarantee case(s).")
    return 0
