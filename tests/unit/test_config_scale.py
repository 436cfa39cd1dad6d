"""Settings for running at scale: DATABASE_URL (never shown with its password) and the
shards a process serves, each refusal naming the variable and what is accepted."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings

URL = "postgresql://attache:s3cret@db.example.org:5432/attache"


def _load(**env: str):  # type: ignore[no-untyped-def]
    return load_settings(env, env_file=None)


def test_a_postgresql_url_is_the_target_and_its_password_is_never_shown() -> None:
    settings = _load(DATABASE_URL=URL)
    assert settings.database_target == URL
    for shown in (repr(settings), str(settings), settings.database_shown):
        assert "s3cret" not in shown
    assert "attache:***@db.example.org" in settings.database_shown
    assert settings.secrets == ["s3cret"]


def test_without_a_url_the_sqlite_file_is_the_target() -> None:
    settings = _load(DATABASE_PATH="desk.db")
    assert settings.database_target == settings.database_shown == "desk.db"


@pytest.mark.parametrize("url", ["mysql://a:s3cret@h/x", "postgresql:///x", "desk.db"])
def test_a_url_that_is_not_postgresql_is_refused_without_its_password(url: str) -> None:
    with pytest.raises(ConfigError) as refused:
        _load(DATABASE_URL=url)
    assert "DATABASE_URL" in str(refused.value) and "s3cret" not in str(refused.value)


def test_a_socket_folder_counts_as_a_host() -> None:
    assert _load(DATABASE_URL="postgresql:///attache?host=/run/postgresql").database_url


@pytest.mark.parametrize(("count", "ids", "expected"), [
    (None, None, (1, (0,))),
    ("4", None, (4, (0, 1, 2, 3))),
    ("4", "2, 0", (4, (0, 2))),
    ("2", "1", (2, (1,))),
])
def test_shards(count: str | None, ids: str | None, expected: tuple[int, tuple[int, ...]]) -> None:
    env = {"DATABASE_URL": URL}
    if count is not None:
        env["SHARD_COUNT"] = count
    if ids is not None:
        env["SHARD_IDS"] = ids
    settings = _load(**env)
    assert (settings.shard_count, settings.shard_ids) == expected


@pytest.mark.parametrize(("env", "says"), [
    ({"SHARD_COUNT": "0"}, "SHARD_COUNT"),
    ({"SHARD_COUNT": "two"}, "SHARD_COUNT"),
    ({"SHARD_IDS": "0"}, "needs SHARD_COUNT"),
    ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "0 to 1"),
    ({"SHARD_COUNT": "2", "SHARD_IDS": "zero"}, "separated by commas"),
])
def test_bad_shards_are_refused_saying_what_is_accepted(env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        _load(DATABASE_URL=URL, **env)


def test_some_shards_of_many_need_postgresql() -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        _load(SHARD_COUNT="2", SHARD_IDS="0")
    # Every shard in this one process is fine on SQLite.
    assert _load(SHARD_COUNT="2").shard_ids == (0, 1)
