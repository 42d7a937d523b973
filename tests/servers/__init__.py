"""Private real servers for integration tests: Dovecot IMAP, PostgreSQL and aiosmtpd sinks."""

from servers.dovecot import Dovecot, LockableDovecot, dovecot_available
from servers.host import LOCALHOST, free_port, make_self_signed_cert, private_dir
from servers.postgres import Postgres, postgres_available, postgres_bindir
from servers.smtp import Captured, HoldingSink, MisconfiguredRelay, SmtpSink

__all__ = [
    "LOCALHOST",
    "Captured",
    "Dovecot",
    "HoldingSink",
    "LockableDovecot",
    "MisconfiguredRelay",
    "Postgres",
    "SmtpSink",
    "dovecot_available",
    "free_port",
    "make_self_signed_cert",
    "postgres_available",
    "postgres_bindir",
    "private_dir",
]
