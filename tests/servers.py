"""Private real servers for integration tests: Dovecot IMAP, PostgreSQL and an aiosmtpd sink."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import email
import email.policy
import glob
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import warnings
from email.message import EmailMessage
from pathlib import Path
from typing import Any, NamedTuple

from imapclient import IMAPClient

__all__ = [
    "Captured",
    "Dovecot",
    "HoldingSink",
    "LockableDovecot",
    "MisconfiguredRelay",
    "Postgres",
    "SmtpSink",
    "dovecot_available",
    "free_port",
    "postgres_available",
]

LOCALHOST = "127.0.0.1"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no {path.name})"
    return "\n".join(text.splitlines()[-lines:])


def _private_dir(prefix: str) -> Path:
    # Not pytest's tmp_path: that is mode 0700 and the servers' unprivileged users must read it.
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o755)
    return path


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


# --------------------------------------------------------------------------- Dovecot


def _dovecot_binary() -> str | None:
    # /usr/sbin is often missing from a non-login PATH.
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)),
        None,
    )


def dovecot_available() -> str | None:
    """Return None when a private Dovecot can be started here, else the reason why not."""
    if _dovecot_binary() is None:
        return "dovecot binary not found (apt-get install -y dovecot-imapd)"
    if os.geteuid() != 0:
        return "the Dovecot harness must run as root (mail processes switch to nobody)"
    for user in ("nobody", "dovecot", "dovenull"):
        if not _user_exists(user):
            return f"system user {user!r} missing (reinstall dovecot-core)"
    if not _group_exists("nogroup"):
        return "group 'nogroup' missing"
    return None


_DOVECOT_CONF = """\
# Private test instance: nothing here touches the system Dovecot.
instance_name = {instance}
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
info_log_path = {dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl_block}
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{dir}/mail/%u
# Tests never need crash safety; skipping fsync keeps APPEND/MOVE at ~2 ms.
mail_fsync = never
first_valid_uid = 1
# One passwd-file per user: Dovecot re-reads a passwd-file at most once a second, so a single
# shared file would not see a user added moments ago; a new file is read at its first login.
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {dir}/users/%u
}}
userdb {{
  driver = passwd-file
  args = {dir}/users/%u
  default_fields = uid=nobody gid=nogroup home={dir}/mail/%u
}}
# Wrong-password tests should not wait the default 2 s, and a failed login must not delay every
# later login from 127.0.0.1 by seconds: mode 0 on the penalty socket disables the per-IP penalty.
auth_failure_delay = 0
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
namespace inbox {{
  inbox = yes
  separator = {separator}
  mailbox Sent {{
    special_use = \\Sent
  }}
  mailbox Trash {{
    special_use = \\Trash
  }}
  mailbox Junk {{
    special_use = \\Junk
  }}
  mailbox Drafts {{
    special_use = \\Drafts
  }}
}}
protocol imap {{
  # Workers, IDLE watchers and tests open many connections for one user.
  mail_max_userip_connections = 1000
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ssl_port}
  }}
}}
"""


def _make_self_signed_cert(directory: Path) -> tuple[Path, Path] | None:
    """Write cert.pem/key.pem for 127.0.0.1 and localhost; None when openssl is missing."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    # An EC key is generated in a few ms; RSA-2048 would cost ~100 ms per session.
    result = subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    if result.returncode != 0:
        return None
    key.chmod(0o600)
    return cert, key


class Dovecot:
    """A private Dovecot IMAP server on 127.0.0.1 with passwd-file users and maildirs.

    Hierarchy separator "/" by default (as Gmail and most Dovecot setups); pass separator="."
    to exercise a Maildir++-style server. With ssl=True and openssl present, `ssl_port` is an
    imaps listener with a self-signed certificate (`ssl_context()` trusts it).
    """

    domain = "example.test"

    def __init__(self, *, ssl: bool = True, separator: str = "/", start: bool = True) -> None:
        reason = dovecot_available()
        if reason is not None:
            raise RuntimeError(reason)
        self.binary: str = _dovecot_binary()  # type: ignore[assignment]
        self.dir = _private_dir("mailflow-dovecot-")
        self.host = LOCALHOST
        self.port = free_port()
        self.separator = separator
        self.cert_path: Path | None = None
        self.ssl_port: int | None = None
        if ssl:
            made = _make_self_signed_cert(self.dir)
            if made is not None:
                self.cert_path = made[0]
                self.ssl_port = free_port()
        self.users_dir = self.dir / "users"
        self.users_dir.mkdir(mode=0o755)
        self.mail_dir = self.dir / "mail"
        self.mail_dir.mkdir(mode=0o755)
        # Mail processes run as nobody and refuse uid 0, so they must own the maildirs.
        shutil.chown(self.mail_dir, "nobody", "nogroup")
        self.conf_path = self.dir / "dovecot.conf"
        self.log_path = self.dir / "dovecot.log"
        self.stdout_path = self.dir / "dovecot.stdout"
        self._users: dict[str, str] = {}
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._write_conf()
        atexit.register(self.stop)
        if start:
            self.start()

    # -- lifecycle

    def _write_conf(self) -> None:
        if self.cert_path is not None:
            ssl_block = (
                f"ssl = yes\nssl_cert = <{self.cert_path}\nssl_key = <{self.dir / 'key.pem'}"
            )
        else:
            ssl_block = "ssl = no"
        self.conf_path.write_text(
            _DOVECOT_CONF.format(
                instance=f"mailflow-test-{self.dir.name}",
                dir=self.dir,
                port=self.port,
                ssl_port=self.ssl_port or 0,
                ssl_block=ssl_block,
                separator=self.separator,
            )
        )

    def start(self, timeout: float = 10.0) -> None:
        """Start the server and return once it sends its IMAP greeting."""
        if self.running:
            return
        with open(self.stdout_path, "ab") as out:
            # Own session so stop() can kill master and children as one process group; output goes
            # to a file because captured pipes make the call hang.
            self._proc = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.conf_path)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while True:
            if self._proc.poll() is not None:
                self._proc = None
                raise RuntimeError(
                    f"dovecot exited during start-up\n--- {self.stdout_path}\n"
                    f"{_tail(self.stdout_path)}\n--- {self.log_path}\n{_tail(self.log_path)}"
                )
            if self._greets():
                return
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"dovecot gave no IMAP greeting on {self.host}:{self.port} within {timeout}s\n"
                    f"{_tail(self.log_path)}"
                )
            time.sleep(0.005)

    def _greets(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=1) as sock:
                return sock.makefile("rb").readline().startswith(b"* OK")
        except OSError:
            return False

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        """Kill the whole process group at once: instant, whereas a polite stop takes seconds."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def restart(self) -> None:
        """Stop and start again on the same port and mail dir (drops every connection)."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop and delete the server's files."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Dovecot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- users and mail

    def add_user(self, name: str, password: str = "secret") -> str:
        """Add (or re-add) a user; a bare name gets @example.test. Returns the login name."""
        login = name if "@" in name else f"{name}@{self.domain}"
        if not re.fullmatch(r"[A-Za-z0-9._+@-]+", login) or ":" in password or "\n" in password:
            raise ValueError(f"unsupported user name or password: {login!r}")
        with self._lock:
            if self._users.get(login) == password:
                return login
            if login in self._users:
                # Dovecot keeps a read passwd-file for up to a second: a changed password could
                # be refused right after the change. Tests should use a new user instead.
                raise ValueError(f"{login} already exists with another password")
            self._users[login] = password
            path = self.users_dir / login
            tmp = path.with_name(f".{login}.tmp")
            tmp.write_text(f"{login}:{{PLAIN}}{password}::::::\n")
            tmp.chmod(0o644)  # the auth process runs as the dovecot user
            os.replace(tmp, path)
        return login

    def password(self, user: str) -> str:
        return self._users[self._login(user)]

    def _login(self, user: str) -> str:
        return user if "@" in user else f"{user}@{self.domain}"

    def client(self, user: str, *, ssl: bool = False, timeout: float = 10.0) -> IMAPClient:
        """A logged-in IMAPClient; ssl=True uses the imaps port and trusts the test cert."""
        login = self._login(user)
        if ssl:
            if self.ssl_port is None:
                raise RuntimeError("this Dovecot has no SSL listener (openssl missing?)")
            imap = IMAPClient(
                self.host, port=self.ssl_port, ssl=True, ssl_context=self.ssl_context(),
                timeout=timeout,
            )
        else:
            imap = IMAPClient(self.host, port=self.port, ssl=False, timeout=timeout)
        imap.login(login, self._users[login])
        return imap

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's self-signed certificate."""
        if self.cert_path is None:
            raise RuntimeError("this Dovecot has no certificate")
        return ssl.create_default_context(cafile=str(self.cert_path))

    def append(
        self, user: str, folder: str, raw: bytes, flags: tuple[str, ...] = ()
    ) -> int | None:
        """APPEND one message (creating the folder if needed); returns its UID."""
        with self.client(user) as imap:
            if not imap.folder_exists(folder):
                imap.create_folder(folder)
            response = imap.append(folder, raw, flags=flags)
            imap.logout()
        match = re.search(rb"APPENDUID \d+ (\d+)", response or b"")
        return int(match.group(1)) if match else None

    def reset_user(self, user: str) -> None:
        """Empty a mailbox: delete every folder but INBOX and expunge INBOX, over IMAP.

        Done over IMAP rather than by deleting the maildir, because a worker may still hold a
        connection and Dovecot's index state then stays coherent.
        """
        with self.client(user) as imap:
            folders = [name for _flags, _sep, name in imap.list_folders()]
            folders += [name for _flags, _sep, name in imap.list_sub_folders()]
            # Children before parents; a parent that only exists implicitly is gone once its
            # children are, and deleting it then answers NONEXISTENT, which is fine.
            for name in sorted(set(folders), key=len, reverse=True):
                if name.upper() == "INBOX":
                    continue
                with contextlib.suppress(IMAPClient.Error):
                    imap.unsubscribe_folder(name)
                with contextlib.suppress(IMAPClient.Error):
                    imap.delete_folder(name)
            left = [n for _f, _s, n in imap.list_folders() if n.upper() != "INBOX"]
            if left:
                raise RuntimeError(f"reset_user({user!r}) could not delete {left}")
            imap.select_folder("INBOX")
            uids = imap.search("ALL")
            if uids:
                imap.delete_messages(uids)
                imap.expunge()
            imap.logout()

    def maildir(self, user: str) -> Path:
        return self.mail_dir / self._login(user)


# --------------------------------------------------------------------------- PostgreSQL


def _pg_version_key(path: str) -> tuple[int, ...]:
    match = re.search(r"/postgresql/(\d+(?:\.\d+)?)/", path)
    return tuple(int(x) for x in match.group(1).split(".")) if match else (0,)


def postgres_bindir() -> Path | None:
    """Find a directory holding initdb, pg_ctl and postgres."""
    candidates: list[str] = []
    if env := os.environ.get("PG_BINDIR"):
        candidates.append(env)
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=False
            )
            candidates.append(out.stdout.strip())
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=_pg_version_key, reverse=True
    )
    if initdb := shutil.which("initdb"):
        candidates.append(str(Path(initdb).resolve().parent))
    for cand in candidates:
        needed = ("initdb", "pg_ctl", "postgres")
        if cand and all(os.access(Path(cand, b), os.X_OK) for b in needed):
            return Path(cand)
    return None


def postgres_available() -> str | None:
    """Return None when a private PostgreSQL cluster can be started here, else the reason."""
    if postgres_bindir() is None:
        return "PostgreSQL binaries initdb/pg_ctl/postgres not found (apt-get install postgresql)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    if os.geteuid() == 0:
        if not _user_exists("postgres"):
            return "running as root but there is no 'postgres' user to run initdb as"
        if shutil.which("runuser") is None:
            return "running as root but runuser is missing"
    return None


class Postgres:
    """A private PostgreSQL cluster on 127.0.0.1, trust auth, superuser postgres."""

    def __init__(self, *, start: bool = True) -> None:
        reason = postgres_available()
        if reason is not None:
            raise RuntimeError(reason)
        self.bindir: Path = postgres_bindir()  # type: ignore[assignment]
        self.dir = _private_dir("mailflow-pg-")
        self.data_dir = self.dir / "data"
        self.log_path = self.dir / "postgres.log"
        self.host = LOCALHOST
        self.port = free_port()
        # initdb refuses root, so the cluster belongs to postgres.
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        self._started = False
        atexit.register(self.stop)
        self._initdb()
        if start:
            self.start()

    def _run(self, *args: str, timeout: float = 60) -> None:
        out_path = self.dir / "commands.out"
        with open(out_path, "ab") as out:
            # Never pipes: pg_ctl leaves a daemon that would inherit them and hang the read.
            result = subprocess.run(
                [*self._as_user, *args],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        if result.returncode != 0:
            raise RuntimeError(
                f"{Path(args[0]).name} failed ({result.returncode})\n{_tail(out_path)}\n"
                f"--- {self.log_path}\n{_tail(self.log_path)}"
            )

    def _initdb(self) -> None:
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data_dir), "-U", "postgres",
            "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8",
            # No fsync: a test cluster is thrown away, and syncing costs most of initdb's time.
            "--no-sync",
        )

    def start(self) -> None:
        if self._started:
            return
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses={self.host} "
            # Durability is pointless for throwaway data and slows CREATE DATABASE and commits.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_path),
            "-w", "-t", "60", "-o", options, "start",
        )
        self._started = True

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run(
                str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate",
                "-w", "stop",
            )

    def close(self) -> None:
        """Stop and delete the cluster's files."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Postgres:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def conninfo(self, db: str = "postgres") -> str:
        return f"host={self.host} port={self.port} user=postgres dbname={db}"

    def url(self, db: str = "postgres") -> str:
        """SQLAlchemy URL for psycopg 3."""
        return f"postgresql+psycopg://postgres@{self.host}:{self.port}/{db}"

    def _admin(self, statement: Any) -> None:
        import psycopg

        # CREATE/DROP DATABASE cannot run inside a transaction block.
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(statement)

    def create_database(self, name: str) -> str:
        """Create an empty database; returns its SQLAlchemy URL."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if conn.info.server_version >= 150000:
                # 15's default WAL_LOG strategy takes ~150 ms for an empty database, FILE_COPY
                # ~35 ms (its checkpoint is cheap with fsync off); this runs once per test.
                statement = sql.SQL("{} STRATEGY FILE_COPY").format(statement)
            conn.execute(statement)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        from psycopg import sql

        # FORCE ends connections a test's engine pool may still hold.
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# --------------------------------------------------------------------------- SMTP sink


class Captured(NamedTuple):
    """One message the sink accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 that keeps every message it accepts.

    require_auth=True demands AUTH PLAIN/LOGIN as SmtpSink.USER / SmtpSink.PASSWORD before MAIL;
    fail_next(n) answers 451 to the next n messages (DATA) to exercise retries.
    """

    USER = "mailer"
    PASSWORD = "mailer-secret"

    def __init__(self, *, require_auth: bool = False, start: bool = True) -> None:
        self.host = LOCALHOST
        self.port = 0
        self.require_auth = require_auth
        self._messages: list[Captured] = []
        self._cond = threading.Condition()
        self._temp_failures = 0
        self.rejected = 0
        self.auth_logins: list[str] = []
        self._controller: Any = None
        if start:
            self.start()

    # aiosmtpd handler hook: runs in the controller's event-loop thread.
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._cond:
            if self._temp_failures > 0:
                self._temp_failures -= 1
                self.rejected += 1
                return "451 4.3.0 Temporary failure (test sink)"
            raw = envelope.original_content or envelope.content
            if isinstance(raw, str):
                raw = raw.encode("utf-8", "surrogateescape")
            self._messages.append(
                Captured(str(envelope.mail_from), [str(r) for r in envelope.rcpt_tos], bytes(raw))
            )
            self._cond.notify_all()
        return "250 2.0.0 OK"

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode("utf-8", "replace")
            password = auth_data.password.decode("utf-8", "replace")
            if login == self.USER and password == self.PASSWORD:
                with self._cond:
                    self.auth_logins.append(login)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        kwargs: dict[str, Any] = {"enable_SMTPUTF8": True}
        if self.require_auth:
            # Plain connections only in tests, so AUTH must not insist on TLS.
            kwargs.update(
                authenticator=self._authenticate, auth_required=True, auth_require_tls=False
            )
        last: Exception | None = None
        for _attempt in range(5):
            port = free_port()
            controller = Controller(self, hostname=self.host, port=port, **kwargs)
            try:
                with warnings.catch_warnings():
                    # The "AUTH without TLS" warning is the point of this test server.
                    warnings.simplefilter("ignore")
                    controller.start()
            except Exception as exc:  # port taken between free_port() and bind: try another
                last = exc
                with contextlib.suppress(Exception):
                    controller.stop()
                continue
            self._controller, self.port = controller, port
            return
        raise RuntimeError(f"SMTP sink could not start: {last!r}")

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def __enter__(self) -> SmtpSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def fail_next(self, count: int) -> None:
        """Answer the next `count` messages with 451 (temporary failure)."""
        with self._cond:
            self._temp_failures = count

    @property
    def messages(self) -> list[Captured]:
        with self._cond:
            return list(self._messages)

    def parsed(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(m.data, policy=email.policy.default)  # type: ignore[misc]
            for m in self.messages
        ]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Captured]:
        """Block until at least `count` messages arrived; raises TimeoutError otherwise."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._messages) >= count, timeout=timeout):
                raise TimeoutError(
                    f"SMTP sink got {len(self._messages)} message(s), expected {count} "
                    f"within {timeout}s"
                )
            return list(self._messages)

    def clear(self) -> None:
        with self._cond:
            self._messages.clear()
            self.auth_logins.clear()
            self.rejected = 0


# --------------------------------------------------------------------------- faulty servers


class HoldingSink(SmtpSink):
    """Holds the first message at DATA (the worker is mid-send) until released; then accepts."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        super().__init__()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if not self.release.is_set():
            self.arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 4.3.0 the client went away"
        return await super().handle_DATA(server, session, envelope)


class MisconfiguredRelay(SmtpSink):
    """Refuses everyone with 554 (at RCPT or at DATA) for a while, then recovers; one
    address is refused for good (550 5.1.1) as a real mailbox that does not exist."""

    def __init__(self, stage: str, outage: float, unknown: str = "") -> None:
        self.stage = stage
        self.unknown = unknown.lower()
        self.until = time.monotonic() + outage
        super().__init__()

    def broken(self) -> bool:
        return time.monotonic() < self.until

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if self.stage == "rcpt" and self.broken():
            return "554 5.7.1 Transaction failed: relay misconfigured"
        if address.lower() == self.unknown:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.stage == "data" and self.broken():
            return "554 5.7.1 Transaction failed: relay misconfigured"
        return await super().handle_DATA(server, session, envelope)


class LockableDovecot(Dovecot):
    """Dovecot whose index and control files live outside the maildirs, so a maildir root can
    be made read-only: INBOX still takes and gives mail, but CREATE is refused ([NOPERM])."""

    def _write_conf(self) -> None:
        super()._write_conf()
        for sub in ("index", "control"):
            path = self.dir / sub
            path.mkdir(exist_ok=True)
            os.chown(path, 65534, 65534)  # nobody: the mail processes' user
        location = f"maildir:{self.dir}/mail/%u"
        text = self.conf_path.read_text().replace(
            f"mail_location = {location}",
            f"mail_location = {location}:INDEX={self.dir}/index/%u:CONTROL={self.dir}/control/%u")
        self.conf_path.write_text(text)

    def refuse_new_folders(self, user: str, refuse: bool) -> None:
        self.maildir(user).chmod(0o555 if refuse else 0o700)
