"""A private Dovecot IMAP server for integration tests, and one whose folders can be locked."""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

from imapclient import IMAPClient

from servers.host import (
    LOCALHOST,
    free_port,
    group_exists,
    make_self_signed_cert,
    private_dir,
    tail,
    user_exists,
)


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
        if not user_exists(user):
            return f"system user {user!r} missing (reinstall dovecot-core)"
    if not group_exists("nogroup"):
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
# IDLE learns of new mail through inotify; when the kernel refuses one more inotify instance for
# the mail user (fs.inotify.max_user_instances, 128 by default, shared by every IDLE process of
# every Dovecot the suite runs), Dovecot falls back to looking every mailbox_idle_check_interval,
# 30 s by default, and a test waiting 20 s for a wake-up fails. One second keeps the fallback
# inside every test's patience without changing what the worker is tested for: a wake-up the
# worker loses is not announced again, whichever way Dovecot noticed the mail.
mailbox_idle_check_interval = 1 secs
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
        self.dir = private_dir("mailflow-dovecot-")
        self.host = LOCALHOST
        self.port = free_port()
        self.separator = separator
        self.cert_path: Path | None = None
        self.ssl_port: int | None = None
        if ssl:
            made = make_self_signed_cert(self.dir)
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
                    f"{tail(self.stdout_path)}\n--- {self.log_path}\n{tail(self.log_path)}"
                )
            if self._greets():
                return
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"dovecot gave no IMAP greeting on {self.host}:{self.port} within {timeout}s\n"
                    f"{tail(self.log_path)}"
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
