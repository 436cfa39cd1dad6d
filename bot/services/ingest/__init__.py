"""Ingest: proposing records from the text of a communiqué or news report, offline."""

from bot.services.ingest.extract import Proposal, proposal_json, propose

__all__ = ["Proposal", "proposal_json", "propose"]
