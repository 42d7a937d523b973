"""OAuth2 logins against real servers: Dovecot's oauth2 passdb and an aiosmtpd XOAUTH2 sink, both
checking tokens at a loopback authority that msal and google-auth really talk to."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import server_unavailable
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from mailflow.config import MailboxSettings, OAuthSettings, SmtpSettings
from mailflow.mailbox import ImapMailbox
from mailflow.oauth import RefreshingProvider, build_provider, imap_login
from mailflow.smtp import LoginRefused, SmtpSender
from mailflow.token_sources import (
    AuthRejected,
    MicrosoftUser,
    Token,
    TokenCacheFile,
    TokenUnavailable,
)

from oauth_servers import (
    APP_CLIENT,
    APP_SECRET,
    GOOGLE_CLIENT,
    GOOGLE_SECRET,
    USER_CLIENT,
    OAuthDovecot,
    OAuthSmtpSink,
    TokenAuthority,
    running_authority,
)
from servers import dovecot_available, free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def authority() -> Iterator[TokenAuthority]:
    yield from running_authority()


@pytest.fixture(autouse=True)
def trust_authority(authority: TokenAuthority, monkeypatch: pytest.MonkeyPatch) -> None:
    # msal and google-auth reach the authority through requests, which honours this variable.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(authority.cert_path))


@pytest.fixture(scope="module")
def oauth_dovecot(authority: TokenAuthority) -> Iterator[OAuthDovecot]:
    missing = dovecot_available()
    if missing:
        server_unavailable("Dovecot IMAP", missing)
    try:
        server = OAuthDovecot(authority.introspection_url, ssl=False)
    except Exception as exc:
        server_unavailable("Dovecot IMAP", f"failed to start: {exc}")
    with server:
        yield server


@pytest.fixture
def mailbox_user(oauth_dovecot: OAuthDovecot) -> str:
    return oauth_dovecot.add_user(f"o{uuid.uuid4().hex[:10]}", uuid.uuid4().hex)


def app_settings(authority: TokenAuthority, user: str, secret: str = APP_SECRET) -> OAuthSettings:
    authority.state.app_mailbox[APP_CLIENT] = user
    return OAuthSettings(provider="microsoft", flow="app", user=user, client_id=APP_CLIENT,
                         client_secret=secret, authority=authority.authority)


def imap_settings(server: OAuthDovecot, oauth: OAuthSettings) -> MailboxSettings:
    return MailboxSettings(host=server.host, port=server.port, ssl=False, starttls=False,
                           username=oauth.user, password="", oauth=oauth)


class Fixed:
    """A token source handing out given tokens in turn (each test says which and why)."""

    def __init__(self, *values: str) -> None:
        self.values = list(values)
        self.forced: list[bool] = []

    def fetch(self, force: bool) -> Token:
        self.forced.append(force)
        return Token(self.values.pop(0), time.time() + 3600)


# --------------------------------------------------------------------------- IMAP


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_imap_login_with_a_valid_token_succeeds(
        oauth_dovecot: OAuthDovecot, authority: TokenAuthority, mailbox_user: str,
        mechanism: str) -> None:
    token, _ = authority.state.issue(mailbox_user, "test")
    with IMAPClient(oauth_dovecot.host, port=oauth_dovecot.port, ssl=False) as client:
        assert imap_login(client, RefreshingProvider(mailbox_user, Fixed(token)),
                          mechanism) == mechanism
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
    assert authority.state.introspections[-1] == (mailbox_user, True)


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_imap_login_with_an_expired_token_is_refused(
        oauth_dovecot: OAuthDovecot, authority: TokenAuthority, mailbox_user: str,
        mechanism: str) -> None:
    expired, _ = authority.state.issue(mailbox_user, "test", lifetime=-1)
    with IMAPClient(oauth_dovecot.host, port=oauth_dovecot.port, ssl=False) as client, \
            pytest.raises(LoginError):
        if mechanism == "XOAUTH2":
            client.oauth2_login(mailbox_user, expired)
        else:
            client.oauthbearer_login(mailbox_user, expired)


def test_a_refused_token_is_refreshed_once_and_the_login_succeeds(
        oauth_dovecot: OAuthDovecot, authority: TokenAuthority, mailbox_user: str) -> None:
    expired, _ = authority.state.issue(mailbox_user, "test", lifetime=-1)
    fresh, _ = authority.state.issue(mailbox_user, "test")
    source = Fixed(expired, fresh)
    with IMAPClient(oauth_dovecot.host, port=oauth_dovecot.port, ssl=False) as client:
        imap_login(client, RefreshingProvider(mailbox_user, source))
    assert source.forced == [False, True]


def test_a_token_for_another_mailbox_is_refused(
        oauth_dovecot: OAuthDovecot, authority: TokenAuthority, mailbox_user: str) -> None:
    other, _ = authority.state.issue("someone-else@example.test", "test")
    source = Fixed(other, other)
    with IMAPClient(oauth_dovecot.host, port=oauth_dovecot.port, ssl=False) as client, \
            pytest.raises(AuthRejected, match="refused"):
        imap_login(client, RefreshingProvider(mailbox_user, source))
    assert source.forced == [False, True]  # refreshed once, then given up: no third try


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_a_token_login_the_server_cannot_check_yet_is_an_outage_not_a_refusal(
        oauth_dovecot: OAuthDovecot, authority: TokenAuthority, mailbox_user: str,
        monkeypatch: pytest.MonkeyPatch, mechanism: str) -> None:
    token, _ = authority.state.issue(mailbox_user, "test")
    monkeypatch.setattr(authority.state, "introspection_down", True)
    asked_before = authority.state.unchecked
    source = Fixed(token, token)
    with IMAPClient(oauth_dovecot.host, port=oauth_dovecot.port, ssl=False) as client, \
            pytest.raises(ConnectionError, match=r"\[UNAVAILABLE\]") as caught:
        imap_login(client, RefreshingProvider(mailbox_user, source), mechanism)
    assert not isinstance(caught.value, AuthRejected)
    assert authority.state.unchecked == asked_before + 1  # Dovecot really asked, and was told 503
    assert source.forced == [False]  # the token was never at fault: no refresh, no second try
    # Through the adapter the worker uses: the same outage, not a refused login.
    oauth = app_settings(authority, mailbox_user)
    with pytest.raises(ConnectionError, match="login unavailable for now"):
        ImapMailbox(imap_settings(oauth_dovecot, oauth),
                    tokens=RefreshingProvider(mailbox_user, Fixed(token)))


def test_msal_client_credentials_log_in_and_refresh_before_expiry(
        oauth_dovecot: OAuthDovecot, authority: TokenAuthority, mailbox_user: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    oauth = app_settings(authority, mailbox_user)
    tokens = build_provider(oauth, margin=1.0)
    before = len(authority.state.grants)
    with ImapMailbox(imap_settings(oauth_dovecot, oauth), tokens=tokens) as box:
        assert box.uidvalidity > 0
    with ImapMailbox(imap_settings(oauth_dovecot, oauth), tokens=tokens):
        pass
    assert len(authority.state.grants) == before + 1  # the second login reused the token
    # Tokens that live 2 s: with a 1 s margin the next login fetches a new one before the
    # old one runs out, and logs in with it.
    monkeypatch.setattr(authority.state, "lifetime", 2.0)
    first = tokens.token(force_refresh=True)
    time.sleep(1.1)
    with ImapMailbox(imap_settings(oauth_dovecot, oauth), tokens=tokens):
        pass
    assert tokens.token() != first
    assert authority.state.tokens[first].expires_at > time.time() - 1  # it had not expired yet
    assert authority.state.introspections[-1] == (mailbox_user, True)


def test_a_revoked_token_is_replaced_by_msal_after_one_refusal(
        oauth_dovecot: OAuthDovecot, authority: TokenAuthority, mailbox_user: str) -> None:
    oauth = app_settings(authority, mailbox_user)
    tokens = build_provider(oauth)
    old = tokens.token()
    authority.state.revoke_all(mailbox_user)
    with ImapMailbox(imap_settings(oauth_dovecot, oauth), tokens=tokens):
        pass
    assert tokens.token() != old
    assert [ok for user, ok in authority.state.introspections if user == mailbox_user][-2:] \
        == [False, True]


def test_a_wrong_client_secret_is_an_auth_rejection_naming_the_error(
        oauth_dovecot: OAuthDovecot, authority: TokenAuthority, mailbox_user: str) -> None:
    oauth = app_settings(authority, mailbox_user, secret="wrong")
    with pytest.raises(AuthRejected, match="invalid_client"):
        ImapMailbox(imap_settings(oauth_dovecot, oauth))


def test_a_wrong_password_is_an_auth_rejection(oauth_dovecot: OAuthDovecot,
                                               mailbox_user: str) -> None:
    settings = MailboxSettings(host=oauth_dovecot.host, port=oauth_dovecot.port, ssl=False,
                               starttls=False, username=mailbox_user, password="wrong")
    with pytest.raises(AuthRejected, match="refused"):
        ImapMailbox(settings)


def test_device_code_sign_in_prints_once_caches_0600_and_logs_in_later(
        oauth_dovecot: OAuthDovecot, authority: TokenAuthority, mailbox_user: str,
        tmp_path: Path) -> None:
    cache = tmp_path / "tokens" / "ms.json"
    oauth = OAuthSettings(provider="microsoft", flow="user", user=mailbox_user,
                          client_id=USER_CLIENT, token_cache=cache, authority=authority.authority)
    shown: list[str] = []

    def echo(message: str) -> None:
        shown.append(message)
        for code in authority.state.device_codes:  # the person signs in in a browser
            authority.state.device_codes[code] = mailbox_user

    assert MicrosoftUser(oauth).login(echo) == mailbox_user
    assert len(shown) == 1 and "ABCD-EFGH" in shown[0] and "devicelogin" in shown[0]
    assert cache.stat().st_mode & 0o777 == 0o600
    assert json.loads(cache.read_text())["RefreshToken"]  # what later runs sign in with
    # A later process has only the cache, and no prompt: the cached access token logs in,
    # and once that is refused or near expiry the cached refresh token buys the next one.
    grants = len(authority.state.grants)
    with ImapMailbox(imap_settings(oauth_dovecot, oauth)):
        pass
    assert authority.state.grants[grants:] == []
    authority.state.revoke_all(mailbox_user)
    with ImapMailbox(imap_settings(oauth_dovecot, oauth)):
        pass
    assert authority.state.grants[grants:] == ["refresh_token"]
    assert cache.stat().st_mode & 0o777 == 0o600


def test_a_token_cache_others_can_read_is_refused(authority: TokenAuthority,
                                                  tmp_path: Path) -> None:
    cache = tmp_path / "ms.json"
    cache.write_text("{}")
    cache.chmod(0o644)
    oauth = OAuthSettings(provider="microsoft", flow="user", user="x@example.test",
                          client_id=USER_CLIENT, token_cache=cache, authority=authority.authority)
    with pytest.raises(AuthRejected, match="chmod 600"):
        build_provider(oauth).token()


def test_device_sign_in_missing_says_run_mailflow_login(authority: TokenAuthority,
                                                        tmp_path: Path) -> None:
    oauth = OAuthSettings(provider="microsoft", flow="user", user="x@example.test",
                          client_id=USER_CLIENT, token_cache=tmp_path / "none.json",
                          authority=authority.authority)
    with pytest.raises(AuthRejected, match="mailflow login"):
        build_provider(oauth).token()


def test_google_service_account_acts_as_the_mailbox(
        oauth_dovecot: OAuthDovecot, authority: TokenAuthority, mailbox_user: str) -> None:
    key = authority.google_service_account(f"sa-{uuid.uuid4().hex[:6]}@test.iam.example")
    oauth = OAuthSettings(provider="google", flow="app", user=mailbox_user, key_file=key,
                          token_uri=authority.google_token_uri)
    with ImapMailbox(imap_settings(oauth_dovecot, oauth)):
        pass
    assert authority.state.introspections[-1] == (mailbox_user, True)
    assert authority.state.grants[-1] == "urn:ietf:params:oauth:grant-type:jwt-bearer"


def test_google_service_account_signed_with_an_unknown_key_is_refused(
        authority: TokenAuthority) -> None:
    key = json.loads(authority.google_service_account("sa-a@test.iam.example"))
    key["client_email"] = "sa-unknown@test.iam.example"
    oauth = OAuthSettings(provider="google", flow="app", user="x@example.test",
                          key_file=json.dumps(key), token_uri=authority.google_token_uri)
    with pytest.raises(AuthRejected, match="invalid_grant"):
        build_provider(oauth).token()


def test_google_installed_app_refresh_token_logs_in(
        oauth_dovecot: OAuthDovecot, authority: TokenAuthority, mailbox_user: str,
        tmp_path: Path) -> None:
    cache = tmp_path / "google.json"
    TokenCacheFile(cache).save(json.dumps({
        "refresh_token": authority.refresh_token_for(mailbox_user), "client_id": GOOGLE_CLIENT}))
    oauth = OAuthSettings(provider="google", flow="user", user=mailbox_user,
                          client_id=GOOGLE_CLIENT, client_secret=GOOGLE_SECRET,
                          token_cache=cache, token_uri=authority.google_token_uri)
    with ImapMailbox(imap_settings(oauth_dovecot, oauth)):
        pass
    assert authority.state.grants[-1] == "refresh_token"
    revoked = OAuthSettings(**{**oauth.__dict__, "client_secret": "wrong"})
    with pytest.raises(AuthRejected, match="invalid_grant"):
        build_provider(revoked).token()


# --------------------------------------------------------------------------- SMTP


@pytest.fixture
def oauth_sink(authority: TokenAuthority) -> Iterator[OAuthSmtpSink]:
    try:
        sink = OAuthSmtpSink(authority)
    except Exception as exc:
        server_unavailable("aiosmtpd SMTP", f"failed to start: {exc}")
    with sink:
        yield sink


def smtp_settings(sink: OAuthSmtpSink, oauth: OAuthSettings) -> SmtpSettings:
    return SmtpSettings(host=sink.host, port=sink.port, ssl=False, starttls=False,
                        from_address="desk@example.test", username=oauth.user, oauth=oauth)


RAW = b"From: desk@example.test\r\nTo: a@example.test\r\nSubject: hi\r\n\r\nhello\r\n"


def test_smtp_auth_xoauth2_sends_with_an_msal_token(authority: TokenAuthority,
                                                    oauth_sink: OAuthSmtpSink) -> None:
    oauth = app_settings(authority, "desk@example.test")
    with SmtpSender(smtp_settings(oauth_sink, oauth)) as sender:
        sender.send("desk@example.test", "a@example.test", RAW)
    assert oauth_sink.wait_for(1)[0].rcpt_tos == ["a@example.test"]
    assert oauth_sink.auth_logins == ["desk@example.test"]


def test_smtp_refreshes_a_revoked_token_once(authority: TokenAuthority,
                                             oauth_sink: OAuthSmtpSink) -> None:
    oauth = app_settings(authority, "desk@example.test")
    tokens = build_provider(oauth)
    tokens.token()
    authority.state.revoke_all("desk@example.test")
    with SmtpSender(smtp_settings(oauth_sink, oauth), tokens=tokens) as sender:
        sender.send("desk@example.test", "a@example.test", RAW)
    assert oauth_sink.xoauth2_attempts == 2
    assert len(oauth_sink.wait_for(1)) == 1


def test_smtp_login_refused_twice_is_login_refused(authority: TokenAuthority,
                                                   oauth_sink: OAuthSmtpSink) -> None:
    oauth = app_settings(authority, "desk@example.test")
    tokens = RefreshingProvider("desk@example.test", Fixed("bad-1", "bad-2"))
    with SmtpSender(smtp_settings(oauth_sink, oauth), tokens=tokens) as sender, \
            pytest.raises(LoginRefused, match="XOAUTH2 login refused"):
        sender.send("desk@example.test", "a@example.test", RAW)
    assert oauth_sink.xoauth2_attempts == 2
    assert oauth_sink.messages == []


# --------------------------------------------------------------------------- provider quirks


def password_settings(server: OAuthDovecot, user: str, **kw: str) -> MailboxSettings:
    return MailboxSettings(host=server.host, port=server.port, ssl=False, starttls=False,
                           username=user, password=server.password(user), **kw)


def test_folders_with_spaces_and_accents_are_created_and_filled_in_modified_utf7(
        oauth_dovecot: OAuthDovecot, mailbox_user: str) -> None:
    uid = oauth_dovecot.append(mailbox_user, "INBOX", RAW)
    assert uid is not None
    folder = "Réponses traitées/Ärger & Co"
    with ImapMailbox(password_settings(oauth_dovecot, mailbox_user)) as box:
        box.move([uid], folder)
    with IMAPClient(oauth_dovecot.host, port=oauth_dovecot.port, ssl=False) as client:
        client.login(mailbox_user, oauth_dovecot.password(mailbox_user))
        assert folder in [name for _f, _s, name in client.list_folders()]
        assert client.select_folder(folder)[b"EXISTS"] == 1
        client.folder_encode = False  # what went over the wire: RFC 3501 modified UTF-7
        names = [name for _f, _s, name in client.list_folders()]
    assert b"R&AOk-ponses trait&AOk-es/&AMQ-rger &- Co" in names


def test_watching_the_all_mail_folder_is_warned_about(
        oauth_dovecot: OAuthDovecot, mailbox_user: str,
        caplog: pytest.LogCaptureFixture) -> None:
    oauth_dovecot.append(mailbox_user, "All Mail", RAW)
    with caplog.at_level("WARNING", logger="mailflow.mailbox"):
        with ImapMailbox(password_settings(oauth_dovecot, mailbox_user)):
            pass
        assert not caplog.records
        with ImapMailbox(password_settings(oauth_dovecot, mailbox_user, folder="All Mail")):
            pass
    assert [r.getMessage() for r in caplog.records] == [
        "[mailbox] folder 'All Mail' is the server's All Mail folder: on Gmail a message moved "
        "out of it stays in it. Watch INBOX (or a label a filter applies) instead."]


def test_an_unreachable_identity_provider_is_a_network_error_not_a_refusal(
        authority: TokenAuthority) -> None:
    closed = f"https://127.0.0.1:{free_port()}"
    ms = OAuthSettings(provider="microsoft", flow="app", user="x@example.test",
                       client_id=APP_CLIENT, client_secret=APP_SECRET,
                       authority=f"{closed}/tenant-1")
    key = authority.google_service_account("sa-net@test.iam.example")
    google = OAuthSettings(provider="google", flow="app", user="x@example.test", key_file=key,
                           token_uri=f"{closed}/token")
    for oauth in (ms, google):
        with pytest.raises(TokenUnavailable) as caught:
            build_provider(oauth).token()
        # An OSError: the worker retries it fast, as it does a mailbox that is down.
        assert isinstance(caught.value, OSError)
