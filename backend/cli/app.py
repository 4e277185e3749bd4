"""Core commands: serve, db upgrade, seed-demo, create-user."""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from backend.enums import ROLES, Role
from backend.settings import get_settings


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser("serve", help="serve the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--reload", action="store_true", help="restart on code changes (development)")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="app processes sharing the port (uvicorn workers); with N > 1 set ROOMWRIGHT_BROKER_URL "
                            "so that jobs are polled from any of them")
    serve.set_defaults(handler=cmd_serve)

    worker = subparsers.add_parser("worker", help="run queued jobs and the scheduled outbox (ROOMWRIGHT_BROKER_URL)")
    worker.add_argument("--threads", type=int, default=None, help="jobs at once (default ROOMWRIGHT_JOB_WORKERS)")
    worker.set_defaults(handler=cmd_worker)

    db = subparsers.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_sub.add_parser("upgrade", help="apply migrations up to the latest (or --revision)")
    upgrade.add_argument("--revision", default="head")
    upgrade.set_defaults(handler=cmd_db_upgrade)

    seed = subparsers.add_parser("seed-demo", help="create demo accounts and data (only once)")
    seed.set_defaults(handler=cmd_seed_demo)

    create = subparsers.add_parser("create-user", help="create an account of any role")
    create.add_argument("email")
    create.add_argument("--role", default=Role.HOMEOWNER.value, choices=list(ROLES))
    create.add_argument("--name", default="")
    create.add_argument("--store", default=None, help="store id for designers and store managers")
    create.add_argument("--password", default=None, help="prompted for when not given")
    create.set_defaults(handler=cmd_create_user)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    # forwarded headers are believed by the app itself, only from ROOMWRIGHT_TRUSTED_PROXIES (backend.web.security)
    if args.workers > 1 and args.reload:
        print("error: --reload and --workers do not go together")
        return 2
    uvicorn.run("backend.asgi:app", host=args.host, port=args.port, reload=args.reload, proxy_headers=False,
                workers=args.workers if args.workers > 1 else None)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import logging

    from backend.db.engine import make_engine, make_sessionmaker
    from backend.jobqueue import run_worker
    from backend.notify import make_sender
    from backend.services.tasks import TASKS
    from backend.storage import LocalFileStore

    settings = get_settings()
    if not settings.broker_url:
        print("error: set ROOMWRIGHT_BROKER_URL (e.g. redis://127.0.0.1:6379/0) to run a worker")
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("roomwright", "dramatiq"):
        logging.getLogger(name).setLevel(logging.INFO)
    threads = args.threads or settings.job_workers
    engine = make_engine(settings.database_url, threads + 4, settings.db_wait_seconds)
    run_worker(settings, make_sessionmaker(engine), LocalFileStore(settings.resolved_upload_dir()), TASKS,
               make_sender(settings), threads)
    engine.dispose()
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from backend.db.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url, args.revision)
    print(f"database at {_safe_url(settings.database_url)} is at {args.revision}")
    return 0


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from backend.db.engine import make_engine, make_sessionmaker
    from backend.services.demo import seed_demo

    settings = get_settings()
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        created, accounts = seed_demo(db)
        db.commit()
    engine.dispose()
    print("Demo data created." if created else "Demo data was already there (nothing changed).")
    print("Demo accounts (email / password / role):")
    for email, password, role in accounts:
        print(f"  {email:<32} {password:<16} {role}")
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    from backend.db.engine import make_engine, make_sessionmaker
    from backend.errors import DomainError
    from backend.services.accounts import create_user

    password = args.password or getpass.getpass("Password: ")
    engine = make_engine(get_settings().database_url)
    with make_sessionmaker(engine)() as db:
        try:
            user = create_user(db, args.email, password, args.role, args.name, args.store)
        except DomainError as exc:
            print(f"error: {exc}")
            return 2
        db.commit()
        print(f"created {user.role} {user.email} ({user.id})")
    engine.dispose()
    return 0
