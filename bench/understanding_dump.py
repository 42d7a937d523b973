"""Every corpus's and the external corpus's readings as JSON lines, to diff across a change.

    PYTHONPATH=$PWD .venv/bin/python bench/understanding_dump.py > /tmp/before.jsonl
    ... change the matching machinery ...
    PYTHONPATH=$PWD .venv/bin/python bench/understanding_dump.py | diff /tmp/before.jsonl -

A change meant to speed reading up, not to alter it, leaves the output byte-identical.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from mailflow.model import Request  # noqa: E402
from mailflow.parse import parse_message  # noqa: E402
from mailflow.understanding import understand  # noqa: E402

from external import CORPUS as EXTERNAL  # noqa: E402
from external import fixtures  # noqa: E402
from series import LABELLED, corpus_cases, desk_options, series_2025  # noqa: E402


def line(corpus: str, name: str, got: Request) -> str:
    """One reading, every field of the Request, keys sorted."""
    fields = dataclasses.asdict(got)
    fields["intent"] = got.intent.value
    return json.dumps({"corpus": corpus, "name": name, **fields}, sort_keys=True)


def main() -> int:
    logging.disable(logging.WARNING)
    events = series_2025()
    options = desk_options()
    for folder in LABELLED:
        label = folder.parent.name if folder.name == "messages" else folder.name
        for case in corpus_cases(folder) if folder.is_dir() else []:
            mail = parse_message(case.raw)
            got = understand(mail, events, case.now, case.context, **options)
            print(line(label, case.name, got))
    if EXTERNAL.is_dir():
        now = series_2025()[0].starts.replace(month=1, day=6)
        for fixture in fixtures():
            path = EXTERNAL / fixture
            got = understand(parse_message(path.read_bytes()), events, now, **options)
            print(line("external", fixture, got))
    return 0


if __name__ == "__main__":
    sys.exit(main())
