"""Slash-command cogs: each transforms its input, makes one service call and renders."""
