"""/ingest: a report pasted or attached becomes review cards; records are kept only on Save."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.cogs.base import DeskCog, actor_of, answer_in_time
from bot.domain.fuzzydate import FuzzyDate
from bot.domain.markup import escape_line
from bot.domain.records import Labelled, Participant, Person, Record, RecordType, Signatory
from bot.domain.registry import FieldKind, spec_of
from bot.services.desk import RecordLinks, people_of
from bot.services.ingest.guard import MAX_BYTES
from bot.services.ingest_review import (
    Choice,
    FieldChange,
    IngestReviewService,
    Review,
    ReviewItem,
    SaveResult,
    check_upload,
    dateline_day,
    decode_upload,
    edit_form,
)
from bot.ui.errors import report_error
from bot.ui.render import (
    CHOICE_NAME_LIMIT,
    CONTENT_LIMIT,
    EMBED_TOTAL_LIMIT,
    NO_PINGS,
    clip,
    person_label,
    record_card,
    short_when,
)
from bot.ui.transformers import DateOption
from bot.ui.views import LongTextModal, OwnedView

if TYPE_CHECKING:
    from bot.bot import AttacheBot

EMBEDS_PER_MESSAGE = 10
CARD_DESCRIPTION = 500  # the evidence sentences; the full text stays in the source
OPTIONS_PER_MENU = 25
MENUS = 4  # the fifth row holds the buttons
REVIEW_TIMEOUT = 600


@dataclass
class ProposalLinks(RecordLinks):
    """Links for cards of records not saved yet: a proposed record has no number. `today`
    (the server's) counts a follow-up's deadline down, as its saved card will."""

    today: date | None = None

    def link(self, kind: RecordType, uid: str | None) -> str | None:
        record = self.linked.get((kind, uid)) if uid else None
        if record is None or record.id is not None:
            return super().link(kind, uid)
        return f"{record.heading} (in this proposal)"


FIELD_VALUE_LIMIT = 1024
SHOWN_VALUE = 80  # characters of one stored or reported value on a card


def noun(kind: RecordType) -> str:
    """How a card names its record's type: "meeting", "follow-up"."""
    return spec_of(kind).noun


def review_card(item: ReviewItem, links: RecordLinks) -> discord.Embed:
    # Only a follow-up's card needs the day (its deadline counts down); the others show
    # as /… show would before anything is saved.
    today = getattr(links, "today", None) if item.kind is RecordType.FOLLOWUP else None
    embed = record_card(item.record, links, today)
    if embed.description:
        embed.description = clip(embed.description, CARD_DESCRIPTION)
    kind = noun(item.kind)
    edited = " · Edited" if item.edited else ""
    embed.set_author(name=f"{item.mark.capitalize()} · {kind}{edited}")
    if item.changes:
        embed.add_field(name="Stored → report (✓ saved from the report; Fields to choose)",
                        value=clip(changes_text(item, links), FIELD_VALUE_LIMIT), inline=False)
    embed.set_footer(text=clip(f"{kind.capitalize()} {item.mark} · uid {item.record.uid}", 200))
    return embed


def changes_text(item: ReviewItem, links: RecordLinks) -> str:
    """One line per changed field: before → after, and which the save keeps."""
    lines = []
    for change in item.changes:
        taken = change.name in item.taken
        overridden = (change.default is Choice.TAKE) != taken
        why = "your choice" if overridden else change.why
        mark, verdict = ("✓", "report") if taken else ("·", "keeps stored")
        lines.append(f"{mark} **{change.label}**: {shown_change(item, change, links)} "
                     f"— {verdict}, {why}")
    return "\n".join(lines)


def shown_change(item: ReviewItem, change: FieldChange, links: RecordLinks) -> str:
    before = shown(item, change.name, change.before, links)
    if isinstance(change.before, list):
        added = change.after[len(change.before):]
        return f"{before} → + {shown(item, change.name, added, links)}"
    return f"{before} → {shown(item, change.name, change.after, links)}"


def shown(item: ReviewItem, name: str, value: Any, links: RecordLinks) -> str:
    """A field's value as a card line shows it, escaped and short."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, FuzzyDate):
        text = value.render()
    elif isinstance(value, Labelled):
        text = value.label
    elif isinstance(value, list):
        text = ", ".join(person_label(v.person, links.people)
                         if isinstance(v, Participant | Signatory) else escape_line(str(v))
                         for v in value)
        return clip(text, SHOWN_VALUE)
    else:
        spec = spec_of(item.record).field(name)
        if spec.kind is FieldKind.REF and spec.target is not None:
            text = links.link(spec.target, str(value)) or str(value)
        else:
            text = str(value)
    return escape_line(clip(text, SHOWN_VALUE))


def batches(embeds: list[discord.Embed]) -> list[list[discord.Embed]]:
    """Cards grouped into messages, each within Discord's count and size limits."""
    out: list[list[discord.Embed]] = []
    size = 0
    for embed in embeds:
        if not out or len(out[-1]) >= EMBEDS_PER_MESSAGE or size + len(embed) > EMBED_TOTAL_LIMIT:
            out.append([])
            size = 0
        out[-1].append(embed)
        size += len(embed)
    return out


def header(review: Review) -> str:
    new, matched = review.counts()
    total = len(review.items)
    day = FuzzyDate.day(review.dateline.year, review.dateline.month, review.dateline.day)
    lines = [
        f"**Proposed from this report: {total} records** ({new} new, {matched} matching "
        "records already stored, marked “updates #…” or “same as #…”).",
        f"Dates were read against **{day.render()}**, {review.dateline_origin.value}.",
        "Nothing is saved until you press **Save all** or **Save selected** (untick records "
        "in the menu to leave them out); **Edit** corrects a record first. The people and the "
        "source a kept record names are saved with it.",
    ]
    if review.warnings:
        lines.append("Check:")
        lines += [f"• {w}" for w in review.warnings]
    return clip("\n".join(lines), CONTENT_LIMIT)


def saved_text(result: SaveResult, who: discord.abc.User) -> str:
    counts = result.report.counts
    created = sum(counts.created.values())
    updated = sum(counts.updated.values())
    text = (f"Saved by {who.display_name}: {result.report.total} records ({created} new, "
            f"{updated} updated, {counts.unchanged} unchanged), each citing the source.")
    if result.added:
        names = ", ".join(f"{noun(i.kind)} {i.record.heading}" for i in result.added)
        text += f"\nAlso saved, as the chosen records name them: {names}."
    return clip(discord.utils.escape_mentions(text), CONTENT_LIMIT)


def fit(embeds: list[discord.Embed], index: int) -> list[discord.Embed]:
    """An edited card may have grown: its evidence text gives way so the message still fits."""
    over = sum(len(e) for e in embeds) - EMBED_TOTAL_LIMIT
    card = embeds[index]
    if over > 0 and card.description:
        card.description = clip(card.description, max(1, len(card.description) - over - 1))
    return embeds


def record_option(item: ReviewItem, *, default: bool = False) -> discord.SelectOption:
    return discord.SelectOption(
        label=clip(f"{noun(item.kind).capitalize()}: {item.record.heading}", CHOICE_NAME_LIMIT),
        description=clip(f"{item.mark} · {_when(item.record)}", CHOICE_NAME_LIMIT),
        value=item.key, default=default,
    )


class ReviewView(OwnedView):
    """Save all / Save selected / Edit / Discard under the cards, with menus of records to keep."""

    def __init__(self, cog: IngestCog, owner_id: int, review: Review) -> None:
        super().__init__(owner_id, timeout=REVIEW_TIMEOUT)
        self.cog = cog
        self.review = review
        choosable = review.choosable
        self.chosen = {i.key for i in choosable}
        self.done = False
        # The messages holding the cards, with the keys of the cards each holds, in order.
        self.placed: list[tuple[discord.InteractionMessage | discord.WebhookMessage,
                                list[str]]] = []
        for n in range(min(MENUS, -(-len(choosable) // OPTIONS_PER_MENU))):
            chunk = choosable[n * OPTIONS_PER_MENU:(n + 1) * OPTIONS_PER_MENU]
            self.add_item(KeepMenu(n, chunk))

    def sync_menus(self) -> None:
        for child in self.children:
            if isinstance(child, KeepMenu):
                child.options = [record_option(self.review.item(o.value),
                                               default=o.value in self.chosen)
                                 for o in child.options]

    async def refused_when_done(self, interaction: discord.Interaction) -> bool:
        if self.done:
            await interaction.response.send_message(
                "This proposal was already saved or discarded.", ephemeral=True,
                allowed_mentions=NO_PINGS)
        return self.done

    async def show_edited(self, guild_id: int, item: ReviewItem) -> None:
        """Redraws the message holding the edited card, and the menus naming it."""
        assert self.message is not None
        links = await self.cog.links(guild_id, self.review)
        self.sync_menus()
        for message, keys in self.placed:
            if item.key not in keys:
                continue
            cards = fit([review_card(self.review.item(k), links) for k in keys],
                        keys.index(item.key))
            holds_view = message.id == self.message.id
            await message.edit(embeds=cards, view=self if holds_view else discord.utils.MISSING,
                               allowed_mentions=NO_PINGS)
            if not holds_view:
                await self.message.edit(view=self, allowed_mentions=NO_PINGS)

    async def finish(self, interaction: discord.Interaction, content: str) -> None:
        self.done = True
        self.stop()
        await interaction.response.edit_message(content=content, view=None,
                                                allowed_mentions=NO_PINGS)

    async def save(self, interaction: discord.Interaction, keys: set[str] | None) -> None:
        if await self.refused_when_done(interaction):
            return
        order = None if keys is None else [i.key for i in self.review.items if i.key in keys]
        result = await self.cog.service.save(actor_of(interaction), self.review, order)
        await self.finish(interaction, saved_text(result, interaction.user))

    @discord.ui.button(label="Save all", style=discord.ButtonStyle.success, custom_id="save_all",
                       row=4)
    async def save_all(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self.save(interaction, None)

    @discord.ui.button(label="Save selected", style=discord.ButtonStyle.primary,
                       custom_id="save_selected", row=4)
    async def save_selected(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self.save(interaction, set(self.chosen))

    @discord.ui.button(label="Edit", style=discord.ButtonStyle.secondary, custom_id="edit", row=4)
    async def edit(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        if await self.refused_when_done(interaction):
            return
        picker = EditPicker(self)
        await interaction.response.send_message(
            "Pick the record to correct; a form opens with its main fields. Nothing is saved "
            "until you press Save.", view=picker, ephemeral=True, allowed_mentions=NO_PINGS)
        picker.message = await interaction.original_response()

    @discord.ui.button(label="Fields", style=discord.ButtonStyle.secondary, custom_id="fields",
                       row=4)
    async def fields(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        if await self.refused_when_done(interaction):
            return
        updates = [i for i in self.review.choosable if i.changes]
        if not updates:
            await interaction.response.send_message(
                "No record of this report differs from one already stored: there is nothing "
                "to choose between.", ephemeral=True, allowed_mentions=NO_PINGS)
            return
        picker = FieldsPicker(self, updates)
        await interaction.response.send_message(
            "Pick a stored record the report changes; then tick the fields to take from the "
            "report (the others keep what is stored). Nothing is saved until you press Save.",
            view=picker, ephemeral=True, allowed_mentions=NO_PINGS)

    @discord.ui.button(label="Discard", style=discord.ButtonStyle.secondary, custom_id="discard",
                       row=4)
    async def discard(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self.finish(interaction, "Discarded: nothing from this report was saved.")

    async def on_timeout(self) -> None:
        if self.message is not None and not self.done:
            self.disable_all()
            try:
                await self.message.edit(
                    content="This proposal expired unsaved; run /ingest again to review it.",
                    view=self, allowed_mentions=NO_PINGS,
                )
            except discord.HTTPException:
                pass  # the message was deleted or the token expired: nothing left to update


class KeepMenu(discord.ui.Select["ReviewView"]):
    """One menu of up to 25 records; what is ticked is what Save selected keeps."""

    def __init__(self, index: int, items: list[ReviewItem]) -> None:
        self.keys = {i.key for i in items}
        options = [record_option(i, default=True) for i in items]
        super().__init__(custom_id=f"keep_{index}", placeholder="Records to keep",
                         min_values=0, max_values=len(options), options=options, row=index)

    async def callback(self, interaction: discord.Interaction) -> None:
        view = self.view
        assert view is not None
        view.chosen = (view.chosen - self.keys) | set(self.values)
        view.sync_menus()
        await interaction.response.edit_message(view=view)


class EditPicker(OwnedView):
    """The private list of proposed records; choosing one opens its form."""

    def __init__(self, review_view: ReviewView) -> None:
        super().__init__(review_view.owner_id, timeout=REVIEW_TIMEOUT)
        self.review_view = review_view
        choosable = review_view.review.choosable
        for n in range(min(5, -(-len(choosable) // OPTIONS_PER_MENU))):
            chunk = choosable[n * OPTIONS_PER_MENU:(n + 1) * OPTIONS_PER_MENU]
            self.add_item(EditMenu(n, chunk))


class FieldsPicker(OwnedView):
    """The private list of stored records the report changes; one is then shown field by field."""

    def __init__(self, review_view: ReviewView, items: list[ReviewItem]) -> None:
        super().__init__(review_view.owner_id, timeout=REVIEW_TIMEOUT)
        self.review_view = review_view
        for n in range(min(5, -(-len(items) // OPTIONS_PER_MENU))):
            chunk = items[n * OPTIONS_PER_MENU:(n + 1) * OPTIONS_PER_MENU]
            self.add_item(FieldsRecordMenu(n, chunk))


class FieldsRecordMenu(discord.ui.Select["FieldsPicker"]):
    def __init__(self, index: int, items: list[ReviewItem]) -> None:
        super().__init__(custom_id=f"fields_record_{index}", placeholder="Stored record",
                         options=[record_option(i) for i in items], row=index)

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        review_view = self.view.review_view
        if await review_view.refused_when_done(interaction):
            return
        item = review_view.review.item(self.values[0])
        await interaction.response.edit_message(
            content=fields_prompt(item), view=FieldsChoice(review_view, item),
            allowed_mentions=NO_PINGS)


def fields_prompt(item: ReviewItem) -> str:
    return clip(f"{item.label}: ticked fields take the report's value, the others keep what "
                "is stored. The ticks you see are the defaults, or your last choice.",
                CONTENT_LIMIT)


class FieldsChoice(OwnedView):
    """One stored record's changed fields; what is ticked is taken from the report."""

    def __init__(self, review_view: ReviewView, item: ReviewItem) -> None:
        super().__init__(review_view.owner_id, timeout=REVIEW_TIMEOUT)
        self.review_view = review_view
        self.key = item.key
        self.add_item(FieldsMenu(item))


class FieldsMenu(discord.ui.Select["FieldsChoice"]):
    def __init__(self, item: ReviewItem) -> None:
        options = [
            discord.SelectOption(
                label=clip(f"{c.label}: take the report's", CHOICE_NAME_LIMIT),
                description=clip(f"default: {'report' if c.default is Choice.TAKE else 'stored'}"
                                 f" ({c.why})", CHOICE_NAME_LIMIT),
                value=c.name, default=c.name in item.taken)
            for c in item.changes[:OPTIONS_PER_MENU]
        ]
        super().__init__(custom_id="fields_take", placeholder="Fields to take from the report",
                         min_values=0, max_values=len(options), options=options)

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        review_view = self.view.review_view
        if await review_view.refused_when_done(interaction):
            return
        item = review_view.cog.service.choose(review_view.review, self.view.key, self.values)
        for option in self.options:
            option.default = option.value in item.taken
        await interaction.response.edit_message(
            content=fields_prompt(item) + "\nChosen; the card shows what Save will write.",
            view=self.view, allowed_mentions=NO_PINGS)
        assert interaction.guild_id is not None
        await review_view.show_edited(interaction.guild_id, item)


class EditMenu(discord.ui.Select["EditPicker"]):
    def __init__(self, index: int, items: list[ReviewItem]) -> None:
        super().__init__(custom_id=f"edit_{index}", placeholder="Record to edit",
                         options=[record_option(i) for i in items], row=index)

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        review_view = self.view.review_view
        if await review_view.refused_when_done(interaction):
            return
        item = review_view.review.item(self.values[0])
        await interaction.response.send_modal(EditModal(review_view, item))


class EditModal(discord.ui.Modal):
    """The main fields of one proposed record, prefilled; submitting replaces it in the review."""

    def __init__(self, review_view: ReviewView, item: ReviewItem) -> None:
        super().__init__(title=clip(f"Edit {noun(item.kind)}: {item.record.heading}", 45),
                         timeout=REVIEW_TIMEOUT)
        self.review_view = review_view
        self.key = item.key
        self.inputs: list[discord.ui.TextInput[EditModal]] = []
        for spec, shown in edit_form(item.record):
            text: discord.ui.TextInput[EditModal] = discord.ui.TextInput(
                label=spec.label, custom_id=spec.name, default=shown or None,
                placeholder=clip(spec.hint, 100) or None, required=spec.required,
                max_length=spec.max_length,
                style=discord.TextStyle.paragraph if spec.max_length > 300
                else discord.TextStyle.short,
            )
            self.inputs.append(text)
            self.add_item(text)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        view = self.review_view
        if await view.refused_when_done(interaction):
            return
        values = {text.custom_id: text.value for text in self.inputs}
        item = await view.cog.service.edit(actor_of(interaction), view.review, self.key, values)
        note = ("Edited" if item.edited else "No change to") + f" {noun(item.kind)} "
        await interaction.response.send_message(
            clip(f"{note}“{item.record.heading}”. Nothing is saved until you press Save.",
                 CONTENT_LIMIT), ephemeral=True, allowed_mentions=NO_PINGS)
        if item.edited:
            assert interaction.guild_id is not None
            await view.show_edited(interaction.guild_id, item)

    async def on_error(  # type: ignore[override]  # a Modal's hook has no item argument
        self, interaction: discord.Interaction, error: Exception
    ) -> None:
        await report_error(interaction, error)


def _when(record: Record) -> str:
    """The second line of a menu entry: a date, or what identifies a person."""
    if isinstance(record, Person):
        return ", ".join(x for x in (record.title, record.country) if x) or "person"
    return short_when(getattr(record, "date", None))


class IngestCog(DeskCog):
    @property
    def service(self) -> IngestReviewService:
        return self.bot.services.ingest

    @app_commands.command(
        name="ingest",
        description="Propose meetings, plans and visits from a press release or report (editors)",
    )
    @app_commands.guild_only()
    @app_commands.describe(
        file=f"The report as a .txt or .md file (up to {MAX_BYTES // 1000} KB); without one, "
             "a form opens to paste it",
        dateline="The day the report was issued, if the text does not open with it",
    )
    async def ingest(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment | None = None,
        dateline: DateOption | None = None,
    ) -> None:
        actor = actor_of(interaction)
        day = dateline_day(dateline.date if dateline is not None else None)
        # Refused before the form opens or the file is read, so nobody pastes in vain.
        await self.service.check_editor(actor)
        if file is None:
            async def pasted(submitted: discord.Interaction, text: str) -> None:
                await self.propose(submitted, text, day)

            await interaction.response.send_modal(LongTextModal(
                title="Ingest a report", label="Press release or news report", default="",
                on_text=pasted,
            ))
            return
        check_upload(file.filename, file.size)
        text = decode_upload(file.filename, await file.read())
        await self.propose(interaction, text, day)

    async def propose(
        self, interaction: discord.Interaction, text: str, dateline: date | None
    ) -> None:
        assert interaction.guild_id is not None
        # The report is read in a thread; a long one defers the answer rather than miss
        # Discord's deadline, and every server is answered meanwhile.
        review = await answer_in_time(interaction, self.service.review(
            actor_of(interaction), text, dateline=dateline))
        links = await self.links(interaction.guild_id, review)
        groups = batches([review_card(item, links) for item in review.items])
        view = ReviewView(self, interaction.user.id, review)
        last = len(groups) - 1
        first_view = view if last == 0 else discord.utils.MISSING
        message: discord.InteractionMessage | discord.WebhookMessage
        if interaction.response.is_done():
            message = await interaction.followup.send(
                header(review), embeds=groups[0], view=first_view, allowed_mentions=NO_PINGS,
                wait=True)
        else:
            await interaction.response.send_message(
                header(review), embeds=groups[0], view=first_view, allowed_mentions=NO_PINGS)
            message = await interaction.original_response()
        keys = [i.key for i in review.items]
        view.placed.append((message, keys[:len(groups[0])]))
        start = len(groups[0])
        for n, group in enumerate(groups[1:], start=1):
            message = await interaction.followup.send(
                embeds=group, view=view if n == last else discord.utils.MISSING,
                allowed_mentions=NO_PINGS, wait=True,
            )
            view.placed.append((message, keys[start:start + len(group)]))
            start += len(group)
        view.message = message

    async def links(self, guild_id: int, review: Review) -> RecordLinks:
        """Names for the cards: proposed records by their headings, stored people as stored."""
        settings = await self.desk.settings(guild_id)
        records = [i.record for i in review.items]
        proposed = {(r.TYPE, r.uid): r for r in records}
        people = await self.desk.people(guild_id, people_of(records))
        people.update({r.uid: r for r in records if isinstance(r, Person)})
        return ProposalLinks(zone=settings.timezone, people=people, linked=proposed,
                             today=await self.desk.today(guild_id))


async def setup(bot: AttacheBot) -> None:
    await bot.add_cog(IngestCog(bot))
