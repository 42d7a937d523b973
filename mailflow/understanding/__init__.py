"""Read a member's mail as a careful coordinator would: what, for which sessions, for whom."""

from mailflow.understanding.combine import understand

__all__ = ["understand"]
