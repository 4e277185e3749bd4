"""The roomwright command: db upgrade, seed-demo (only once), create-user, and the demo accounts work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.main import create_app
from backend.services.demo import DEMO_PASSWORD
from backend.settings import Settings


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backend.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_upgrade_seed_twice_create_user_and_log_in(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "ROOMWRIGHT_DATABASE_URL": url, "ROOMWRIGHT_VAR_DIR": str(tmp_path)}
    upgraded = run(["db", "upgrade"], env)
    assert upgraded.returncode == 0, upgraded.stderr
    first = run(["seed-demo"], env)
    assert first.returncode == 0, first.stderr
    assert "Demo data created." in first.stdout and "factory@demo.roomwright" in first.stdout
    assert DEMO_PASSWORD in first.stdout
    second = run(["seed-demo"], env)
    assert "already there" in second.stdout
    created = run(["create-user", "ops@example.com", "--role", "factory", "--password", "long enough pw"], env)
    assert created.returncode == 0 and "created factory ops@example.com" in created.stdout
    duplicate = run(["create-user", "ops@example.com", "--role", "factory", "--password", "long enough pw"], env)
    assert duplicate.returncode == 2 and "already exists" in duplicate.stdout

    app = create_app(Settings(database_url=url, var_dir=tmp_path, secret_key="k"))
    with TestClient(app) as client:
        for email in ("homeowner@demo.roomwright", "designer.chen@demo.roomwright", "factory@demo.roomwright",
                      "ops@example.com"):
            password = DEMO_PASSWORD if "demo" in email else "long enough pw"
            assert client.post("/api/auth/login", json={"email": email, "password": password}).status_code == 200
        token = client.post("/api/auth/login", json={"email": "homeowner@demo.roomwright",
                                                     "password": DEMO_PASSWORD}).json()["token"]
        designs = client.get("/api/designs", headers={"Authorization": f"Bearer {token}"}).json()
        assert [d["name"] for d in designs] == ["My first kitchen"]
    app.state.engine.dispose()


def test_help_lists_the_commands() -> None:
    result = run(["--help"], dict(os.environ))
    for command in ("serve", "db", "seed-demo", "create-user"):
        assert command in result.stdout



def test_worker_and_cluster_need_a_broker_and_serve_refuses_reload_with_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from backend.cli import main
    from backend.settings import get_settings

    for key in [k for k in os.environ if k.startswith("ROOMWRIGHT_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ROOMWRIGHT_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert main(["worker"]) == 2
        assert main(["cluster", "--apps", "2"]) == 2
        assert capsys.readouterr().out.count("set ROOMWRIGHT_BROKER_URL") == 2
        assert main(["serve", "--workers", "2", "--reload"]) == 2
        assert "--reload and --workers" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()
