"""A private PostgreSQL server for the tests: ``initdb`` a cluster in a temporary folder, start it on
a free loopback port, hand out databases, stop it and remove the folder.

PostgreSQL refuses to run as root; as root (CI here), the server runs as the ``postgres`` user that
Debian's package creates, through ``runuser``. ``ClusterUnavailable`` says why a server cannot start
(no binaries, no user to run it as, initdb or start failed), for the skip message.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from trucewatch.store import Store


class ClusterUnavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def _binary(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)),
                                       None)
    if found is None:
        raise ClusterUnavailable(f"no `{name}` (install Debian's postgresql)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        tail = " ".join((done.stderr or done.stdout).split()[-40:])
        raise ClusterUnavailable(f"{what} failed: {tail}")


@dataclass
class Cluster:
    folder: Path
    port: int
    as_user: list[str]
    pg_ctl: str
    _template: bool = field(default=False)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    @classmethod
    def start(cls) -> Cluster:
        try:
            import psycopg  # noqa: F401  (the driver the store speaks to a server with)
        except ImportError:
            raise ClusterUnavailable("psycopg is not installed (pip install -e .)") from None
        initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
        as_user: list[str] = []
        folder = Path(tempfile.mkdtemp(prefix="trucewatch-pg-"))
        if os.geteuid() == 0:  # initdb and postgres refuse root
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(folder)
                raise ClusterUnavailable("running as root, and no `postgres` user to run the server as") from None
            runuser = shutil.which("runuser")
            if runuser is None:
                shutil.rmtree(folder)
                raise ClusterUnavailable("running as root and there is no `runuser` to start the server as postgres")
            os.chown(folder, user.pw_uid, user.pw_gid)
            as_user = [runuser, "-u", "postgres", "--"]
        try:
            _run([*as_user, initdb, "-D", str(folder / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--no-locale", "--no-sync"], "initdb")
            for attempt in range(3):
                cluster = cls(folder, _free_port(), as_user, pg_ctl)
                options = (f"-p {cluster.port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off "
                           "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
                try:
                    _run([*as_user, pg_ctl, "-D", str(cluster.data), "-w", "-t", "60", "-l",
                          str(folder / "server.log"), "-o", options, "start"], "pg_ctl start")
                    return cluster
                except ClusterUnavailable:
                    if attempt == 2:  # the port may have been taken meanwhile: try another
                        raise
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        raise AssertionError("unreachable")

    def stop(self) -> None:
        subprocess.run([*self.as_user, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, name: str, *, ledger: bool = False) -> str:
        """A new database and its URL: empty, or (``ledger``) copied from a migrated ledger."""
        if ledger and not self._template:
            self._create("ledger_template", None)
            Store(self.url("ledger_template")).close()
            self._template = True
        self._create(name, "ledger_template" if ledger else None)
        return self.url(name)

    def _create(self, name: str, template: str | None) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
