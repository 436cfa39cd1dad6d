"""Views: pages with Previous/Next, a confirmation before delete, a form for long text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot.domain.textinput import check_text
from bot.ui.errors import report_error
from bot.ui.render import NO_PINGS

PageLoader = Callable[[int], Awaitable[discord.Embed]]


class OwnedView(discord.ui.View):
    """A view only the member who asked for it can press; others are told why, privately."""

    def __init__(self, owner_id: int, *, timeout: float | None = 180) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.message: discord.InteractionMessage | discord.Message | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who ran the command can use these buttons; run it yourself to get "
            "your own.", ephemeral=True, allowed_mentions=NO_PINGS,
        )
        return False

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item
    ) -> None:
        await report_error(interaction, error)

    def disable_all(self) -> None:
        for child in self.children:
            if isinstance(child, discord.ui.Button | discord.ui.Select):
                child.disabled = True

    async def on_timeout(self) -> None:
        self.disable_all()
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                pass  # the message was deleted or the token expired: nothing left to update


class Paginator(OwnedView):
    """Previous/Next over pages loaded on demand, so a long list costs one query per page."""

    def __init__(self, owner_id: int, pages: int, load: PageLoader, *, timeout: float = 300):
        super().__init__(owner_id, timeout=timeout)
        self.pages = pages
        self.index = 0
        self.load = load
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.index <= 0
        self.next.disabled = self.index >= self.pages - 1

    async def _show(self, interaction: discord.Interaction) -> None:
        self._sync()
        embed = await self.load(self.index)
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary, custom_id="previous")
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        self.index = max(0, self.index - 1)
        await self._show(interaction)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary, custom_id="next")
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        self.index = min(self.pages - 1, self.index + 1)
        await self._show(interaction)


async def send_pages(
    interaction: discord.Interaction, pages: int, load: PageLoader, *, ephemeral: bool = False
) -> None:
    """The first page, with Previous/Next only when there is more than one."""
    first = await load(0)
    if pages <= 1:
        await interaction.response.send_message(
            embed=first, ephemeral=ephemeral, allowed_mentions=NO_PINGS
        )
        return
    view = Paginator(interaction.user.id, pages, load)
    await interaction.response.send_message(
        embed=first, view=view, ephemeral=ephemeral, allowed_mentions=NO_PINGS
    )
    view.message = await interaction.original_response()


class ConfirmView(OwnedView):
    """Two buttons; `confirmed` is True, False, or None when nobody answered in time."""

    def __init__(self, owner_id: int, *, confirm_label: str, timeout: float = 60) -> None:
        super().__init__(owner_id, timeout=timeout)
        self.confirmed: bool | None = None
        self.confirm.label = confirm_label

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger, custom_id="confirm")
    async def confirm(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        self.confirmed = True
        self.interaction = interaction
        self.stop()

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary, custom_id="cancel")
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        self.confirmed = False
        self.interaction = interaction
        self.stop()


TextSubmit = Callable[[discord.Interaction, str], Awaitable[None]]


class LongTextModal(discord.ui.Modal):
    """One paragraph field (up to 4000 characters) for a summary or notes."""

    def __init__(self, *, title: str, label: str, default: str, on_text: TextSubmit,
                 max_length: int = 4000) -> None:
        super().__init__(title=title[:45], timeout=900)
        self.text: discord.ui.TextInput[LongTextModal] = discord.ui.TextInput(
            label=label[:45], style=discord.TextStyle.paragraph, default=default or None,
            required=False, max_length=max_length,
        )
        self.add_item(self.text)
        self._label = label[:45]
        self._on_text = on_text

    async def on_submit(self, interaction: discord.Interaction) -> None:
        value = check_text(self.text.value, self._label, multiline=True,
                           limit=self.text.max_length)
        await self._on_text(interaction, value)

    async def on_error(  # type: ignore[override]  # a Modal's hook has no item argument
        self, interaction: discord.Interaction, error: Exception
    ) -> None:
        await report_error(interaction, error)
