"""The sandbox gateway's shard rules as pure functions: which shard owns a guild, which pairs
IDENTIFY may send, and the fixed guild ids that land on each shard."""

from __future__ import annotations

from typing import Any

import pytest

from bot.sandbox import gateway as gw
from bot.sandbox.world import GUILD_ID, SECOND_GUILD_ID, World, guild_id_on_shard


@pytest.mark.parametrize(("guild_id", "count", "shard"), [
    (GUILD_ID, 1, 0),
    (GUILD_ID, 2, 0),
    (SECOND_GUILD_ID, 2, 1),
    (None, 4, 0),  # a DM's events go to shard 0
    (81384788765712384, 2, (81384788765712384 >> 22) % 2),  # Discord's documented example id
])
def test_a_guild_belongs_to_id_shifted_22_modulo_the_count(guild_id: int | None, count: int,
                                                          shard: int) -> None:
    assert gw.shard_of(guild_id, count) == shard


@pytest.mark.parametrize(("sent", "pair"), [(None, (0, 1)), ([0, 1], (0, 1)), ([1, 2], (1, 2)),
                                            ([15, 16], (15, 16))])
def test_valid_pairs_are_taken_and_missing_means_zero_of_one(sent: Any,
                                                             pair: tuple[int, int]) -> None:
    assert gw.parse_shard(sent) == pair


@pytest.mark.parametrize("sent", [[0, 0], [-1, 2], [2, 2], [0], [0, 1, 2], ["0", "1"],
                                  [False, 1], [0.0, 1], {"id": 0}, "0,1"])
def test_invalid_pairs_are_4010(sent: Any) -> None:
    with pytest.raises(gw.ShardRefused) as refused:
        gw.parse_shard(sent)
    assert refused.value.code == gw.INVALID_SHARD


def test_fewer_shards_than_the_minimum_are_4011_but_a_bad_pair_is_4010_first() -> None:
    with pytest.raises(gw.ShardRefused) as refused:
        gw.parse_shard(None, minimum=2)
    assert refused.value.code == gw.SHARDING_REQUIRED
    with pytest.raises(gw.ShardRefused) as refused:
        gw.parse_shard([3, 2], minimum=4)
    assert refused.value.code == gw.INVALID_SHARD
    assert gw.parse_shard([1, 4], minimum=4) == (1, 4)


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_fixed_guild_ids_land_on_the_shard_asked_and_never_share_their_things(
    count: int,
) -> None:
    worlds = [World(guild_id=guild_id_on_shard(shard, count, nth))
              for shard in range(count) for nth in range(2)]
    assert [gw.shard_of(w.guild_id, count) for w in worlds] == [
        shard for shard in range(count) for _ in range(2)]
    assert guild_id_on_shard(gw.shard_of(GUILD_ID, count), count) == GUILD_ID, "the first is"
    ids = [c.id for w in worlds for c in w.channels] + [r.id for w in worlds for r in w.roles] \
        + [m.id for w in worlds for m in w.members]
    assert len(ids) == len(set(ids)), "channel, role and member ids are unique across guilds"


def test_a_session_owns_the_guilds_of_its_shard_only() -> None:
    session = gw.Session(intents=0, shard=(1, 2))
    assert session.owns(SECOND_GUILD_ID) and not session.owns(GUILD_ID)
    assert not session.owns(None), "DMs go to shard 0"
    with pytest.raises(ValueError):
        guild_id_on_shard(2, 2)


def test_a_guild_whose_channel_ids_collide_is_refused() -> None:
    from bot.sandbox.server import SandboxError, SandboxServer

    with pytest.raises(SandboxError, match="reuses another guild's channel ids"):
        SandboxServer("token", guilds=[World(guild_id=GUILD_ID + 1)])
