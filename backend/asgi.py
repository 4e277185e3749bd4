"""ASGI entry point for servers: ``uvicorn backend.asgi:app``."""

from backend.main import create_app

app = create_app()
