"""discord.py adapters shared by the cogs: rendering, views, modals, transformers."""
