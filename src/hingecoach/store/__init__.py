"""Storage: SQLAlchemy 2 records, repositories and Alembic migrations (SQLite or PostgreSQL)."""
