"""It installs like real software: packaging extras, systemd units, container files, the docs."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mailflow.cli import app
from mailflow.config import KNOWN_KEYS

import support
from servers import Postgres

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
INSTRUCTIONS = {"FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
                "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK",
                "SHELL"}


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=\[ ;]", r, maxsplit=1)[0].lower() for r in requirements}


# ---- packaging ---------------------------------------------------------------------------
def test_the_demo_servers_are_an_extra_the_tests_still_pull_in() -> None:
    project = pyproject()["project"]
    extras = project["optional-dependencies"]
    assert names(extras["demo"]) == {"aiosmtpd", "pymap"}
    assert not names(extras["demo"]) & names(project["dependencies"])
    assert names(extras["demo"]) <= names(extras["test"])
    assert "python-dateutil" not in names(project["dependencies"])
    users = {p.name for p in (ROOT / "mailflow").rglob("*.py")
             if re.search(r"^\s*(from|import) (aiosmtpd|pymap)\b", p.read_text(encoding="utf-8"),
                          re.M)}
    assert users == {"demo.py"}  # nothing a production desk runs imports them


def test_every_package_is_listed_for_setuptools() -> None:
    listed = set(pyproject()["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "mailflow").rglob("__init__.py")}
    assert found == listed


# ---- systemd -----------------------------------------------------------------------------
def units() -> list[Path]:
    return sorted([*DEPLOY.glob("*.service"), *DEPLOY.glob("*.timer")])


def test_the_units_restart_on_failure_and_a_timer_runs_health() -> None:
    worker = (DEPLOY / "mailflow.service").read_text(encoding="utf-8")
    assert "Restart=on-failure" in worker and re.search(r"^ExecStart=\S+/mailflow .*run$",
                                                        worker, re.M)
    health = (DEPLOY / "mailflow-health.service").read_text(encoding="utf-8")
    assert re.search(r"^ExecStart=\S+/mailflow health$", health, re.M)
    assert "OnUnitActiveSec=" in (DEPLOY / "mailflow-health.timer").read_text(encoding="utf-8")
    for unit in units():
        assert "PASSWORD=" not in unit.read_text(encoding="utf-8")  # secrets stay in env files


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if os.environ.get("CI") == "true":
            pytest.fail("systemd-analyze is missing in CI (apt-get install systemd)")
        pytest.skip("systemd-analyze is not installed: the units are not verified")
    # verify checks that ExecStart= exists: point it at this checkout's mailflow.
    mailflow = Path(sys.executable).with_name("mailflow")
    for unit in units():
        text = unit.read_text(encoding="utf-8").replace("/opt/mailflow/.venv/bin/mailflow",
                                                        str(mailflow))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    done = subprocess.run([analyze, "verify", "--man=no", *[u.name for u in units()]],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr


# ---- container ---------------------------------------------------------------------------
def instructions(path: Path) -> list[tuple[str, str]]:
    """A Containerfile as (INSTRUCTION, arguments), continuation lines joined."""
    joined = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    rows = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            rows.append((word, rest.strip()))
    return rows


def test_the_container_file_is_well_formed_and_runs_as_no_root() -> None:
    rows = instructions(DEPLOY / "Containerfile")
    assert rows[0][0] == "FROM"
    assert all(word in INSTRUCTIONS for word, _ in rows), rows
    words = [w for w, _ in rows]
    assert words.index("USER") < words.index("ENTRYPOINT")
    assert dict(rows)["USER"] not in ("root", "0")
    for word, rest in rows:
        if word == "COPY":
            *sources, _dest = shlex.split(rest)
            assert all((ROOT / s).exists() for s in sources), rest
        if word in ("ENV", "ARG"):
            assert not re.search(r"(PASSWORD|SECRET)\w*=", rest), rest
    install = " ".join(rest for word, rest in rows if word == "RUN")
    assert "[postgres]" in install and "demo" not in install
    assert '"mailflow", "health"' in dict(rows)["HEALTHCHECK"]
    assert dict(rows)["ENTRYPOINT"].startswith('["mailflow"')


def test_compose_runs_mailflow_with_postgresql_from_this_repository() -> None:
    compose = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    for needed in ("services:", "  db:", "image: docker.io/library/postgres:",
                   "  mailflow:", "dockerfile: deploy/Containerfile", "context: ..",
                   "condition: service_healthy", "env_file: secrets.env"):
        assert needed in compose, needed
    assert "\t" not in compose  # YAML forbids tabs
    assert "PASSWORD" not in compose.replace("POSTGRES_PASSWORD", "")  # no secret in the file


def example_url() -> str:
    text = (DEPLOY / "secrets.env.example").read_text(encoding="utf-8")
    return re.search(r"^MAILFLOW_DATABASE_URL=(\S+)$", text, re.M).group(1)  # type: ignore[union-attr]


@pytest.mark.integration
def test_the_composed_database_url_is_the_postgresql_path_ci_tests(
        tmp_path: Path, postgres: Postgres, pg_url: str) -> None:
    """The example URL's driver is the suite's; given as url_env, the desk runs on it."""
    assert example_url().split("://")[0] == pg_url.split("://")[0] == "postgresql+psycopg"
    rig = support.write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                               password="p", smtp_port=1, db_url="")
    text = rig.path.read_text(encoding="utf-8").replace('url = ""',
                                                        'url_env = "MAILFLOW_DATABASE_URL"')
    rig.path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(rig.path), "sessions", "--json"],
                                env={**rig.env, "MAILFLOW_DATABASE_URL": pg_url})
    assert result.exit_code == 0, result.output
    assert '"id": "construction"' in result.stdout


# ---- README and docs ---------------------------------------------------------------------
def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_stands_alone_and_its_two_commands_are_the_real_ones() -> None:
    text = readme()
    assert "../shared" not in text and "shared/" not in text
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    first = [line for line in blocks[0].splitlines() if line and not line.startswith("#")]
    assert first == ["python3 -m venv .venv && .venv/bin/pip install -q -e '.[demo]' && "
                     ".venv/bin/mailflow demo", "bash scripts/test"]
    for doc in ("docs/configuration.md", "docs/commands.md", "docs/outgoing-mail.md"):
        assert (ROOT / doc).exists() and doc in text
    assert "pipx install --editable ." in text and "source .venv/bin/activate" in text


def test_every_command_and_exit_code_is_documented() -> None:
    doc = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    help_text = CliRunner().invoke(app, ["--help"]).stdout
    listed = help_text.split("\nCommands:\n", 1)[1].split("\n\n", 1)[0]
    commands = set(re.findall(r"^  (\w[\w-]*) ", listed, re.M))
    assert {"check", "init", "outbox", "health", "poll", "sessions", "export"} <= commands
    for command in commands:
        assert f"`mailflow {command}" in doc, command
    assert "outbox retry" in doc and "--dry-run" in doc
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in doc


def test_every_configuration_key_is_documented() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for section, keys in KNOWN_KEYS.items():
        if not section:
            assert all(f"[{k}]" in doc for k in keys)  # every section has its heading
            continue
        for key in keys:
            assert f"`{key}`" in doc, (section, key)
