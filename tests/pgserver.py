"""A throwaway PostgreSQL cluster for one test session (initdb + pg_ctl, no daemon left behind).

The server listens on a private unix socket (trust, for the fixtures' fresh databases) and on
127.0.0.1 at a free high port with scram-sha-256 (for the password tests). Running as root,
initdb refuses to start, so the cluster is run as the ``postgres`` user (Debian's package creates
it) or ``nobody``. Binaries: ``CSMCTL_PG_BIN`` (only that directory when set), else ``pg_ctl``
on PATH, then Debian's ``/usr/lib/postgresql/*/bin`` (newest first).
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PASSWORD_USER = "csm_pw"
PASSWORD = "S3cret-Pw!9"
SUPERUSER = "postgres"


def find_bin_dir() -> Path | None:
    if os.environ.get("CSMCTL_PG_BIN"):  # explicit: that directory or nothing
        chosen = Path(os.environ["CSMCTL_PG_BIN"])
        return chosen if (chosen / "initdb").exists() and (chosen / "pg_ctl").exists() else None
    candidates: list[Path] = []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)

    def version(path: str) -> tuple[int, ...]:
        match = re.search(r"/postgresql/([\d.]+)/bin", path)
        return tuple(int(part) for part in match.group(1).split(".")) if match else (0,)

    import glob

    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)]
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        # Short and world-traversable: the server (maybe another user) needs it, and a unix
        # socket path must stay under ~100 characters whatever TMPDIR is.
        self.base = Path(tempfile.mkdtemp(prefix="csmctl-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
        os.chmod(self.base, 0o755)
        self.data = self.base / "data"
        self.sockets = self.base / "sockets"
        self.log = self.base / "server.log"
        self.port = 0
        self.run_as: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    self.run_as = pwd.getpwnam(name)
                    break
                except KeyError:
                    continue
            if self.run_as is None:
                raise RuntimeError("running as root and no postgres/nobody user to run the test cluster as")
        self._names = itertools.count(1)
        self._shared: str | None = None

    # -- process control --------------------------------------------------------------------------
    def _run(self, *args: str) -> subprocess.CompletedProcess:
        kwargs: dict = {}
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        if self.run_as is not None:
            kwargs.update(user=self.run_as.pw_uid, group=self.run_as.pw_gid, extra_groups=[])
            env["HOME"] = str(self.base)
        result = subprocess.run(args, capture_output=True, text=True, env=env, cwd=self.base, **kwargs)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}\n{log}"
            )
        return result

    def start(self) -> Cluster:
        for path in (self.data, self.sockets):
            path.mkdir(mode=0o700 if path == self.data else 0o755)
        self.log.touch()
        if self.run_as is not None:
            for path in (self.data, self.sockets, self.log):
                os.chown(path, self.run_as.pw_uid, self.run_as.pw_gid)
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
        )
        last: Exception | None = None
        for _attempt in range(3):  # a free port can be taken between the probe and the start
            self.port = _free_port()
            options = (
                f"-k {self.sockets} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
            )
            try:
                self._run(
                    str(self.bin_dir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    options,
                    "start",
                )
                break
            except RuntimeError as error:
                last = error
        else:
            raise RuntimeError(f"could not start the test PostgreSQL server: {last}")
        with self.admin() as conn:
            conn.execute(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'")
        return self

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    # -- databases --------------------------------------------------------------------------------
    def admin(self, dbname: str = "postgres"):
        import psycopg

        return psycopg.connect(
            host=str(self.sockets), port=self.port, user=SUPERUSER, dbname=dbname, autocommit=True
        )

    def url(self, dbname: str) -> str:
        """A URL over the unix socket (trust): what the fixtures hand to csmctl."""
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.sockets}&port={self.port}"

    def tcp_url(self, dbname: str, *, user: str = PASSWORD_USER, password: str | None = PASSWORD) -> str:
        auth = f"{user}:{password}" if password is not None else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, owner: str = SUPERUSER, template: str = "template0") -> str:
        """A new database: empty, or a copy of ``template`` (which must have no open connection)."""
        name = f"csm_{os.getpid()}_{next(self._names)}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} OWNER {owner} TEMPLATE {template}")
        return name

    def create_schema(self) -> str:
        """A fresh schema in the shared test database: much cheaper than CREATE DATABASE."""
        if self._shared is None:
            self._shared = self.create_database()
        name = f"book_{next(self._names)}"
        with self.admin(self._shared) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return name

    def schema_url(self, schema: str) -> str:
        """A URL whose search_path is ``schema``: csmctl sees only that schema's tables."""
        return f"{self.url(self._shared)}&options=-csearch_path%3D{schema}"

    def drop_schema(self, name: str) -> None:
        with self.admin(self._shared) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
