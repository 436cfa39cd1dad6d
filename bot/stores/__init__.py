"""SQLite through aiosqlite: the only package that holds SQL."""
