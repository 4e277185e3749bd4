"""message keys: a design revision's system message as a key and parameters, worded for each reader

``design_revisions.message_key`` and ``message_params`` hold what the system wrote about a revision
("renamed" with its name, "change" with the unit …), so the history reads in the reader's language;
``message`` keeps the English text (and a person's own words, which have no key). Rows saved before
keep their text: both new columns stay empty on them.

Revision ID: 0013_message_keys
Revises: 0012_gallery_comments
Create Date: 2026-12-04 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_message_keys"
down_revision: str | None = "0012_gallery_comments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("design_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_key", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column(
            "message_params", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("design_revisions", schema=None) as batch_op:
        batch_op.drop_column("message_params")
        batch_op.drop_column("message_key")
