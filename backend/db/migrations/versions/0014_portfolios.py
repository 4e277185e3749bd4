"""portfolios: a published design's customer consents (or not) to its designers' portfolios

``gallery_items.portfolio_consent``: the customer who published the design lets the designers who worked on
it show it in their public portfolio; set when publishing or later, and revocable. Rows published before
stay out of every portfolio (false).

Revision ID: 0014_portfolios
Revises: 0013_message_keys
Create Date: 2026-12-06 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_portfolios"
down_revision: str | None = "0013_message_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("gallery_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("portfolio_consent", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("gallery_items", schema=None) as batch_op:
        batch_op.drop_column("portfolio_consent")
