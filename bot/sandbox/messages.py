"""Messages, modals and autocomplete results as Discord builds and checks them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_EMBEDS = 1 << 2
COMPONENTS_V2 = 1 << 15
# The flags a bot may set when it sends; Discord ignores or refuses the others.
SETTABLE_FLAGS = EPHEMERAL | SUPPRESS_EMBEDS | COMPONENTS_V2 | (1 << 12)

ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT = 1, 2, 3, 4
LABEL = 18
LINK_STYLE, PREMIUM_STYLE = 5, 6


class FormError(Exception):
    """A request body Discord would refuse with 400 Invalid Form Body (code 50035)."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))

    def body(self) -> dict[str, Any]:
        errors = {key: {"_errors": [{"code": "BASE_TYPE_INVALID", "message": text}]}
                  for key, text in self.problems.items()}
        return {"code": 50035, "message": "Invalid Form Body", "errors": errors}


def _limit(problems: dict[str, str], key: str, value: Any, most: int, least: int = 0) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        problems[key] = "must be a string"
    elif not least <= len(value) <= most:
        problems[key] = f"must be between {least} and {most} characters long (is {len(value)})"


def _embed_length(embed: dict[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for item in embed.get("fields") or []:
        total += len(item.get("name") or "") + len(item.get("value") or "")
    return total


def check_embeds(embeds: list[dict[str, Any]], problems: dict[str, str]) -> None:
    if len(embeds) > 10:
        problems["embeds"] = "at most 10 embeds"
    total = 0
    for i, embed in enumerate(embeds):
        where = f"embeds.{i}"
        _limit(problems, f"{where}.title", embed.get("title"), 256)
        _limit(problems, f"{where}.description", embed.get("description"), 4096)
        _limit(problems, f"{where}.footer.text", (embed.get("footer") or {}).get("text"), 2048)
        _limit(problems, f"{where}.author.name", (embed.get("author") or {}).get("name"), 256)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            problems[f"{where}.fields"] = "at most 25 fields"
        for j, item in enumerate(fields):
            _limit(problems, f"{where}.fields.{j}.name", item.get("name"), 256, 1)
            _limit(problems, f"{where}.fields.{j}.value", item.get("value"), 1024, 1)
        total += _embed_length(embed)
    if total > 6000:
        problems["embeds"] = f"the embeds hold {total} characters; at most 6000 in all"


def walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every component, rows and labels included, depth first."""
    for component in components:
        yield component
        yield from walk_components(component.get("components") or [])
        if isinstance(component.get("component"), dict):
            yield from walk_components([component["component"]])
        if isinstance(component.get("accessory"), dict):
            yield from walk_components([component["accessory"]])


def check_components(components: list[dict[str, Any]], problems: dict[str, str]) -> None:
    if len(components) > 5 and not any(c.get("type", 0) > 9 for c in components):
        problems["components"] = "at most 5 action rows"
    seen: set[str] = set()
    for i, row in enumerate(components):
        if row.get("type") == ACTION_ROW and not 1 <= len(row.get("components") or []) <= 5:
            problems[f"components.{i}"] = "an action row holds 1 to 5 components"
    for component in walk_components(components):
        custom_id = component.get("custom_id")
        if custom_id is not None:
            _limit(problems, "components.custom_id", custom_id, 100, 1)
            if custom_id in seen:
                problems["components.custom_id"] = f"custom_id {custom_id!r} is used twice"
            seen.add(custom_id)
        if component.get("type") == BUTTON:
            _limit(problems, "components.label", component.get("label"), 80)
            if component.get("style") == LINK_STYLE and not component.get("url"):
                problems["components.url"] = "a link button needs a url"
            if component.get("style") not in (LINK_STYLE, PREMIUM_STYLE) and not custom_id:
                problems["components.custom_id"] = "a button needs a custom_id"


def check_message(data: dict[str, Any], *, files: int = 0, editing: bool = False) -> None:
    """Raises FormError where Discord would refuse this message body."""
    problems: dict[str, str] = {}
    _limit(problems, "content", data.get("content"), 2000)
    embeds = data.get("embeds") or []
    check_embeds(embeds, problems)
    components = data.get("components") or []
    check_components(components, problems)
    if not editing and not (data.get("content") or embeds or components or files
                            or data.get("sticker_ids") or data.get("poll")):
        problems["content"] = "Cannot send an empty message"
    nonce = data.get("nonce")
    if nonce is not None and len(str(nonce)) > 25:
        problems["nonce"] = "at most 25 characters"
    if problems:
        raise FormError(problems)


def check_modal(data: dict[str, Any]) -> None:
    problems: dict[str, str] = {}
    _limit(problems, "title", data.get("title"), 45, 1)
    _limit(problems, "custom_id", data.get("custom_id"), 100, 1)
    rows = data.get("components") or []
    if not 1 <= len(rows) <= 5:
        problems["components"] = "a modal holds 1 to 5 components"
    for field in text_inputs(rows):
        _limit(problems, "components.custom_id", field.get("custom_id"), 100, 1)
        _limit(problems, "components.label", field.get("label"), 45, 1)
        _limit(problems, "components.value", field.get("value"), 4000)
        if not 0 <= int(field.get("max_length") or 4000) <= 4000:
            problems["components.max_length"] = "at most 4000"
    if problems:
        raise FormError(problems)


def text_inputs(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A modal's text inputs, with the label of a wrapping Label component copied in."""
    found = []
    for component in components:
        if component.get("type") == LABEL and isinstance(component.get("component"), dict):
            inner = dict(component["component"])
            inner.setdefault("label", component.get("label"))
            if inner.get("type") == TEXT_INPUT:
                found.append(inner)
        elif component.get("type") == TEXT_INPUT:
            found.append(component)
        else:
            found += text_inputs(component.get("components") or [])
    return found


def check_choices(data: dict[str, Any]) -> None:
    problems: dict[str, str] = {}
    choices = data.get("choices")
    if not isinstance(choices, list):
        problems["choices"] = "required"
    else:
        if len(choices) > 25:
            problems["choices"] = "at most 25 choices"
        for i, choice in enumerate(choices):
            _limit(problems, f"choices.{i}.name", choice.get("name"), 100, 1)
            if isinstance(choice.get("value"), str):
                _limit(problems, f"choices.{i}.value", choice.get("value"), 100)
    if problems:
        raise FormError(problems)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """A message's buttons in reading order."""
    return [c for c in walk_components(message.get("components") or []) if c.get("type") == BUTTON]


def selects(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in walk_components(message.get("components") or [])
            if c.get("type") in (STRING_SELECT, 5, 6, 7, 8)]
