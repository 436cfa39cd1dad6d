"""Attaché: a Discord bot that keeps a team's record of diplomatic meetings, plans and visits."""

__version__ = "0.1.0"
