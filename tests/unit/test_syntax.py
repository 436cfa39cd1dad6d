"""SyntaxRefusal and pointing_to: one pointer, said once, and only on questions of syntax."""

from __future__ import annotations

import pytest

from bot.domain.errors import NotFoundError, PermissionDeniedError, UserError
from bot.domain.syntax import SyntaxRefusal, Topic, help_pointer, pointing_to, with_pointer
from bot.stores.database import DatabaseBusy


@pytest.mark.parametrize("topic", list(Topic))
def test_the_pointer_names_its_page_once(topic: Topic) -> None:
    message = SyntaxRefusal("Could not read 'x' as a lead time.", topic=topic).message
    assert message == f"Could not read 'x' as a lead time. ({help_pointer(topic)}.)"
    # Read again on its way out (a wrapper, the tree), it is not pointed twice.
    assert with_pointer(message, Topic.DATES) == message


def test_a_plain_refusal_read_inside_becomes_one_of_syntax() -> None:
    with pytest.raises(SyntaxRefusal) as caught, pointing_to(Topic.REMINDERS):
        raise UserError("Could not read 'soon' as a lead time.")
    assert caught.value.topic is Topic.REMINDERS
    assert isinstance(caught.value.__cause__, UserError)


@pytest.mark.parametrize("error", [
    NotFoundError("There is no visit #9 in this server."),
    PermissionDeniedError("Changing settings needs Manage Server."),
    DatabaseBusy("The database is busy; try again in a moment."),
    ValueError("not a user's mistake"),
])
def test_what_is_no_question_of_syntax_keeps_its_own_text(error: Exception) -> None:
    with pytest.raises(type(error)) as caught, pointing_to(Topic.REMINDERS):
        raise error
    assert caught.value is error and "/help" not in str(caught.value)


def test_a_refusal_already_of_syntax_keeps_its_page() -> None:
    with pytest.raises(SyntaxRefusal) as caught, pointing_to(Topic.REMINDERS):
        raise SyntaxRefusal("Could not read the date.", topic=Topic.DATES)
    assert caught.value.topic is Topic.DATES
