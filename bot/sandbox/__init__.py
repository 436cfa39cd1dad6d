"""A Discord-compatible server on 127.0.0.1, and a terminal to try the bot against it."""
