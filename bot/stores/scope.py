"""Which servers one bot process serves when the bot runs as several (Discord's shards)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """Which servers' sends this process posts, and what it calls itself in its claims.

    One process serving everything is shard 0 of 1. With shards, a server belongs to shard
    (guild_id >> 22) % count, as Discord assigns it, and only that shard's process walks its
    records and claims its due sends; another takes a send over only once that process's
    claim on it has lapsed (see DeliveryStore.lapsed).
    """

    shard_ids: tuple[int, ...] = (0,)
    shard_count: int = 1

    @property
    def owner(self) -> str:
        if self.shard_count == 1:
            return "main"
        return f"shards {','.join(map(str, self.shard_ids))} of {self.shard_count}"

    def sql(self) -> str:
        """A WHERE clause keeping this scope's servers (all of them for one shard)."""
        if self.shard_count == 1:
            return "1 = 1"
        ids = ", ".join(str(int(i)) for i in self.shard_ids)
        return f"((guild_id >> 22) % {int(self.shard_count)}) IN ({ids})"

    def owns(self, guild_id: int) -> bool:
        return (guild_id >> 22) % self.shard_count in self.shard_ids


ALL = Scope()
