"""First names for greetings: the first word of a display name that is not an honorific."""

from __future__ import annotations

# Titles people put before their name; "Dr Amara Okafor" is greeted as Amara, not Dr.
HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "sir",
                        "dame", "revd", "rev", "lord", "lady"})


def given_name(name: str, fallback: str) -> str:
    """The first word of `name` that is not an honorific ("Dr." too); `fallback` if none."""
    words = name.split()
    for word in words:
        if word.rstrip(".").lower() not in HONORIFICS:
            return word
    return words[-1] if words else fallback
