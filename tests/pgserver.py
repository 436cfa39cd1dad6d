"""A throwaway PostgreSQL cluster for tests: found, started on a free loopback port, stopped."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

# Tests run on a scratch cluster, so durability is traded for speed.
_FAST = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
         " -c max_connections=200 -c shared_buffers=128MB")


def find_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, or Debian's versioned folder."""
    for name in ("pg_ctl",):
        found = shutil.which(name)
        if found and shutil.which("initdb"):
            return Path(found).resolve().parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    folder: Path
    port: int
    user: str
    bin: Path
    as_user: list[str]

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"),
                        "-m", "immediate", "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    @contextlib.asynccontextmanager
    async def empty_database(self) -> AsyncIterator[str]:
        """The address of a fresh database no migration has touched, dropped afterwards."""
        import asyncpg  # only the PostgreSQL half of the suite needs it

        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = await asyncpg.connect(self.url())
        try:
            await admin.execute(f"CREATE DATABASE {name}")
            yield self.url(name)
            await admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        finally:
            await admin.close()


def start() -> Cluster:
    """initdb + pg_ctl start in a temporary folder. As root, PostgreSQL refuses to run, so
    the cluster belongs to the `postgres` system user (Debian's package creates it)."""
    bin_dir = find_bin()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL's initdb and pg_ctl were not found")
    folder = Path(tempfile.mkdtemp(prefix="attache-pg-"))
    as_user: list[str] = []
    user = os.environ.get("USER") or "postgres"
    if os.geteuid() == 0:
        user = "postgres"
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, user="postgres")
    else:
        import getpass
        user = getpass.getuser()
    data = folder / "data"
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", user,
                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                   capture_output=True, check=True)
    port = _free_port()
    log = folder / "server.log"
    subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                    "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 {_FAST}",
                    "start"], capture_output=True, check=True)
    return Cluster(folder, port, user, bin_dir, as_user)
