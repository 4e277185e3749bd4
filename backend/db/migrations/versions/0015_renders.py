"""renders: photoreal renders get a table of their own (design, revision, view, size, samples, status, file)

Until now a render was an ``uploads`` row owned by the design's owner whose ``filename`` said what it
showed (``render:DESIGN_ID:rREVISION:CAMERA``). Those rows move to ``renders`` keeping their ids (the
addresses already handed out, ``/api/designs/D/renders/upl-….png``, keep working) and their files (the
same file-store key); the number of samples was not recorded then, so it stays empty. Only rows that
the design's owner made, of a design that still exists, are taken (an upload someone named like a
render of another person's design stays an upload). Going back moves the finished renders back into
``uploads`` under the old naming.

Revision ID: 0015_renders
Revises: 0014_portfolios
Create Date: 2026-12-06 20:50:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0015_renders"
down_revision: str | None = "0014_portfolios"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PREFIX = "render:"

uploads = sa.table("uploads", sa.column("id", sa.String), sa.column("owner_id", sa.String),
                   sa.column("sha256", sa.String), sa.column("content_type", sa.String),
                   sa.column("size_bytes", sa.BigInteger), sa.column("width_px", sa.Integer),
                   sa.column("height_px", sa.Integer), sa.column("filename", sa.String),
                   sa.column("storage_key", sa.String), sa.column("created_at", sa.DateTime(timezone=True)))
designs = sa.table("designs", sa.column("id", sa.String), sa.column("owner_id", sa.String))
renders = sa.table("renders", sa.column("id", sa.String), sa.column("design_id", sa.String),
                   sa.column("revision", sa.Integer), sa.column("camera", sa.String),
                   sa.column("width_px", sa.Integer), sa.column("height_px", sa.Integer),
                   sa.column("samples", sa.Integer), sa.column("status", sa.String),
                   sa.column("file_key", sa.String), sa.column("size_bytes", sa.BigInteger),
                   sa.column("created_by", sa.String), sa.column("created_at", sa.DateTime(timezone=True)))


def _old_name(filename: str) -> tuple[str, int, str] | None:
    """``render:DESIGN:rREVISION:CAMERA`` → (design, revision, camera), None for any other name."""
    parts = filename.split(":", 3)
    if len(parts) != 4 or parts[0] + ":" != PREFIX or not parts[2].startswith("r"):
        return None
    try:
        return parts[1], int(parts[2][1:]), parts[3] or "room"
    except ValueError:
        return None


def upgrade() -> None:
    op.create_table(
        "renders",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("design_id", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("camera", sa.String(length=120), nullable=False),
        sa.Column("width_px", sa.Integer(), nullable=False),
        sa.Column("height_px", sa.Integer(), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("file_key", sa.String(length=200), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('running', 'done', 'failed')", name=op.f("ck_renders_status_known")),
        sa.ForeignKeyConstraint(["design_id"], ["designs.id"], name=op.f("fk_renders_design_id_designs"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_renders_created_by_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renders")),
    )
    with op.batch_alter_table("renders", schema=None) as batch_op:
        batch_op.create_index("ix_renders_design_revision", ["design_id", "revision", "created_at"], unique=False)
    _move_uploads_to_renders()


def _move_uploads_to_renders() -> None:
    conn = op.get_bind()
    owners = dict(conn.execute(sa.select(designs.c.id, designs.c.owner_id)).all())
    old = conn.execute(sa.select(uploads).where(uploads.c.filename.like(PREFIX + "%"))).mappings().all()
    moved, ids = [], []
    for row in old:
        named = _old_name(row["filename"])
        if named is None or owners.get(named[0]) != row["owner_id"]:
            continue
        design_id, number, camera = named
        moved.append({"id": row["id"], "design_id": design_id, "revision": number, "camera": camera[:120],
                      "width_px": row["width_px"] or 0, "height_px": row["height_px"] or 0, "samples": None,
                      "status": "done", "file_key": row["storage_key"], "size_bytes": row["size_bytes"],
                      "created_by": row["owner_id"], "created_at": row["created_at"]})
        ids.append(row["id"])
    if moved:
        conn.execute(renders.insert(), moved)
        conn.execute(uploads.delete().where(uploads.c.id.in_(ids)))


def downgrade() -> None:
    conn = op.get_bind()
    owners = dict(conn.execute(sa.select(designs.c.id, designs.c.owner_id)).all())
    done = conn.execute(sa.select(renders).where(renders.c.status == "done",
                                                 renders.c.file_key.is_not(None))).mappings().all()
    back = [{"id": row["id"], "owner_id": owners[row["design_id"]], "sha256": row["file_key"][:64],
             "content_type": "image/png", "size_bytes": row["size_bytes"] or 0, "width_px": row["width_px"],
             "height_px": row["height_px"], "storage_key": row["file_key"],
             "filename": f"{PREFIX}{row['design_id']}:r{row['revision']}:{row['camera']}"[:300],
             "created_at": row["created_at"] or datetime.now(UTC)}
            for row in done if row["design_id"] in owners]
    if back:
        conn.execute(uploads.insert(), back)
    with op.batch_alter_table("renders", schema=None) as batch_op:
        batch_op.drop_index("ix_renders_design_revision")
    op.drop_table("renders")
