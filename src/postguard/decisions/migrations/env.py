"""Alembic environment: migrations run on the connection ``DecisionLog`` hands over."""

from alembic import context

context.configure(
    connection=context.config.attributes["connection"],
    version_table="postguard_alembic_version",  # beside other apps' tables in a shared database
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
