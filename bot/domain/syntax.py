"""SyntaxRefusal: a refusal about how something was written, with the one pointer to the
/help page that says how.

Each refusal of this kind names its topic; the pointer's words are made here and nowhere
else, so every "could not read …" ends the same way and a renamed topic changes once. The
topics are /help's own keys (bot/ui/help.py); a test holds the two lists together.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from bot.domain.errors import UserError


class Topic(StrEnum):
    """A /help page, by the key `/help topic:` takes."""

    VISITS = "visits"
    MEETINGS = "meetings"  # meetings, plans, and the people lists both take
    BRIEFING = "briefing"
    REMINDERS = "reminders"  # lead times, and what a preview needs
    FOLLOWUPS = "followups"  # owners and deadlines "before the visit"
    DATES = "dates"
    COUNTRIES = "countries"
    SETTINGS = "settings"


def help_pointer(topic: Topic) -> str:
    """'/help topic:dates shows what is accepted': where the accepted forms are told."""
    return f"/help topic:{topic.value} shows what is accepted"


def with_pointer(message: str, topic: Topic) -> str:
    """`message` ending with the pointer, once: a message that already points to /help (a
    refusal read again on its way out) is left as it is."""
    if "/help" in message:
        return message
    text = message.rstrip()
    return f"{text} ({help_pointer(topic)}.)"


class SyntaxRefusal(UserError):
    """The user's text could not be read as what the option takes."""

    def __init__(self, message: str, *, topic: Topic) -> None:
        super().__init__(with_pointer(message, topic))
        self.topic = topic


@contextmanager
def pointing_to(topic: Topic) -> Iterator[None]:
    """Reading input whose refusals are all about syntax: a plain UserError raised inside
    (by a parser that predates SyntaxRefusal) leaves as a SyntaxRefusal of `topic`.

    Only a plain UserError is turned: a record not found or a permission refused is no
    question of syntax and keeps its own text.
    """
    try:
        yield
    except SyntaxRefusal:
        raise
    except UserError as exc:
        if type(exc) is not UserError:
            raise
        raise SyntaxRefusal(exc.message, topic=topic) from exc
