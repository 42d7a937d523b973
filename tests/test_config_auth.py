"""[mailbox]/[smtp] auth: password, Microsoft 365 or Google; every mistake names file, key, fix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mailflow.config import ConfigError, Settings, load_settings
from mailflow.token_sources import AuthRejected, LibraryMissing, token_source

ROOT = Path(__file__).resolve().parent.parent
ENV = {"MAILFLOW_IMAP_PASSWORD": "imap-secret", "MAILFLOW_SMTP_PASSWORD": "smtp-secret",
       "MS_SECRET": "ms-secret", "G_SECRET": "g-secret"}
PASSWORD_LINE = 'password_env = "MAILFLOW_IMAP_PASSWORD"\n'
SMTP_AUTH = ('username = "registrations@lupc.example"\n'
             'password_env = "MAILFLOW_SMTP_PASSWORD"\n')


def config(tmp_path: Path, mailbox: str, smtp: str | None = None) -> Path:
    """The shipped config with the mailbox's password lines (and the SMTP's) replaced."""
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    assert PASSWORD_LINE in text and SMTP_AUTH in text
    text = text.replace(PASSWORD_LINE, mailbox)
    if smtp is not None:
        text = text.replace(SMTP_AUTH, smtp)
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, mailbox: str, smtp: str | None = None,
         env: dict[str, str] | None = None) -> Settings:
    return load_settings(config(tmp_path, mailbox, smtp), ENV if env is None else env)


def error(tmp_path: Path, mailbox: str, smtp: str | None = None,
          env: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, mailbox, smtp, env)
    return str(caught.value)


MS_APP = 'auth = "microsoft"\ntenant = "lupc.onmicrosoft.com"\nclient_id = "abc"\n' \
         'client_secret_env = "MS_SECRET"\n'


def test_microsoft_app_only_reads_the_secret_from_the_named_variable(tmp_path: Path) -> None:
    s = load(tmp_path, MS_APP, 'auth = "same-as-mailbox"\n')
    oauth = s.mailbox.oauth
    assert oauth is not None
    assert (oauth.provider, oauth.flow, oauth.user, oauth.tenant, oauth.client_secret) == \
        ("microsoft", "app", "registrations@lupc.example", "lupc.onmicrosoft.com", "ms-secret")
    assert s.mailbox.password == ""
    assert s.smtp.oauth == oauth and s.smtp.username == s.mailbox.username
    assert "ms-secret" not in repr(s)


def test_microsoft_delegated_needs_a_token_cache_relative_to_the_config(tmp_path: Path) -> None:
    base = 'auth = "microsoft"\ntenant = "common"\nclient_id = "abc"\n'
    message = error(tmp_path, base)
    assert "config.toml" in message and "[mailbox]" in message
    assert "token_cache is missing" in message and "client_secret_env" in message
    s = load(tmp_path, base + 'token_cache = "tokens/ms.json"\n')
    assert s.mailbox.oauth is not None and s.mailbox.oauth.flow == "user"
    assert s.mailbox.oauth.token_cache == tmp_path / "tokens" / "ms.json"


def test_microsoft_without_tenant_or_client_id_says_what_to_set(tmp_path: Path) -> None:
    assert "tenant is missing" in error(tmp_path, MS_APP.replace(
        'tenant = "lupc.onmicrosoft.com"\n', ""))
    assert "[mailbox] client_id is missing" in error(tmp_path, MS_APP.replace(
        'client_id = "abc"\n', ""))


def test_an_unset_secret_variable_names_it(tmp_path: Path) -> None:
    message = error(tmp_path, MS_APP, env={"MAILFLOW_SMTP_PASSWORD": "x"})
    assert "client_secret_env names $MS_SECRET" in message and "not set" in message


def test_google_service_account_key_from_a_path_or_the_json_itself(tmp_path: Path) -> None:
    key = json.dumps({"type": "service_account", "client_email": "sa@x.iam.example"})
    key_file = tmp_path / "key.json"
    key_file.write_text(key)
    google = 'auth = "google"\nkey_file_env = "G_KEY"\n'
    for value in (str(key_file), key):
        s = load(tmp_path, google, env={**ENV, "G_KEY": value})
        assert s.mailbox.oauth is not None
        assert (s.mailbox.oauth.flow, s.mailbox.oauth.key_file) == ("app", key)
    message = error(tmp_path, google, env={**ENV, "G_KEY": str(tmp_path / "missing.json")})
    assert "key_file_env" in message and "cannot read the key file" in message


def test_google_installed_app_needs_client_id_secret_and_cache(tmp_path: Path) -> None:
    google = 'auth = "google"\nclient_id = "gid"\ntoken_cache = "g.json"\n'
    assert "client_secret_env is missing" in error(tmp_path, google)
    s = load(tmp_path, google + 'client_secret_env = "G_SECRET"\n')
    assert s.mailbox.oauth is not None
    assert (s.mailbox.oauth.flow, s.mailbox.oauth.client_secret) == ("user", "g-secret")


def test_unknown_auth_and_mismatched_keys_are_refused_with_the_fix(tmp_path: Path) -> None:
    assert 'auth must be "password", "microsoft" or "google", not \'oauth\'' in error(
        tmp_path, 'auth = "oauth"\n' + PASSWORD_LINE)
    message = error(tmp_path, PASSWORD_LINE + 'tenant = "x"\n')
    assert "tenant is not used with auth = \"password\"" in message
    message = error(tmp_path, MS_APP + PASSWORD_LINE)
    assert "password_env is not used with auth = \"microsoft\"" in message
    message = error(tmp_path, MS_APP, 'auth = "same-as-mailbox"\n' + SMTP_AUTH)
    assert "[smtp]" in message and "same-as-mailbox" in message


def test_smtp_may_sign_in_on_its_own(tmp_path: Path) -> None:
    smtp = ('auth = "microsoft"\nusername = "sender@lupc.example"\ntenant = "t"\n'
            'client_id = "other"\nclient_secret_env = "MS_SECRET"\n')
    s = load(tmp_path, PASSWORD_LINE, smtp)
    assert s.mailbox.oauth is None and s.mailbox.password == "imap-secret"
    assert s.smtp.oauth is not None and s.smtp.oauth.user == "sender@lupc.example"
    assert s.smtp.oauth.client_id == "other"


def test_status_commands_need_no_secrets(tmp_path: Path) -> None:
    s = load_settings(config(tmp_path, MS_APP), {}, secrets=False)
    assert s.mailbox.oauth is not None and s.mailbox.oauth.client_secret == ""


# --------------------------------------------------------------------------- sign-in libraries

def cli(path: Path, command: str, *, hide: str = "", pythonpath: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    """`mailflow --config path command` in a fresh interpreter; `hide` makes a module absent."""
    start = (f"import sys; sys.modules[{hide!r}] = None; " if hide else "") + \
        "from mailflow.cli import main; main()"
    env = {"PATH": "/usr/bin:/bin", **ENV}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, "-c", start, "--config", str(path), command],
                          capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.parametrize("command", ["check", "run"])
def test_a_missing_msal_stops_check_and_run_at_once_naming_the_key_and_the_fix(
        tmp_path: Path, command: str) -> None:
    path = config(tmp_path, MS_APP)
    result = cli(path, command, hide="msal")
    assert result.returncode == 2, result.stderr  # no retry loop: `run` never got to a login
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(path) in lines[0] and '[mailbox] auth = "microsoft"' in lines[0]
    assert "msal package, which is not installed" in lines[0]
    assert "pip install 'msal>=" in lines[0] and "pip install -e ." in lines[0]


def test_a_missing_google_auth_names_the_smtp_key_that_chose_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    smtp = ('auth = "google"\nusername = "sender@lupc.example"\nclient_id = "gid"\n'
            'token_cache = "g.json"\nclient_secret_env = "G_SECRET"\n')
    monkeypatch.setitem(sys.modules, "google.oauth2", None)
    message = error(tmp_path, PASSWORD_LINE, smtp)
    assert '[smtp] auth = "google" signs in with the google-auth package' in message
    assert "pip install 'google-auth>=" in message


def test_a_sign_in_library_that_will_not_import_stops_the_worker_at_start_not_retried(
        tmp_path: Path) -> None:
    # Installed (so the configuration loads) but broken: msal's own import fails, as it does
    # when one of its dependencies is missing.
    broken = tmp_path / "site" / "msal"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError(\"No module named 'jwt'\")\n")
    result = cli(config(tmp_path, MS_APP), "run", pythonpath=tmp_path / "site")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert 'auth = "microsoft" signs in with the msal package, which cannot be imported' in \
        lines[0] and "No module named 'jwt'" in lines[0] and "pip install 'msal>=" in lines[0]


def test_a_token_source_whose_library_is_missing_is_a_config_error_not_an_outage(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    oauth = load(tmp_path, MS_APP).mailbox.oauth
    assert oauth is not None
    monkeypatch.setitem(sys.modules, "msal", None)
    with pytest.raises(LibraryMissing) as caught:
        token_source(oauth)
    assert isinstance(caught.value, ConfigError)
    assert not isinstance(caught.value, ConnectionError | AuthRejected)
