"""The only package that holds SQL: SQLite through aiosqlite, PostgreSQL through asyncpg."""
