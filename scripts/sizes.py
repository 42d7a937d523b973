"""Signs to split by the house rule: modules past 400 lines, functions past 60."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

FILE_LINES = 400
FUNCTION_LINES = 60


def long_functions(path: Path) -> list[tuple[int, str, int]]:
    """(line, qualified name, length) of each function in `path` longer than FUNCTION_LINES."""
    found: list[tuple[int, str, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    start = min([child.lineno] + [d.lineno for d in child.decorator_list])
                    length = (child.end_lineno or child.lineno) - start + 1
                    if length > FUNCTION_LINES:
                        found.append((child.lineno, name, length))
                visit(child, f"{name}.")

    visit(ast.parse(path.read_text(), str(path)), "")
    return found


def main(root: str = "mailflow") -> int:
    """Print each sign under `root` (python scripts/sizes.py [root]); exit 1 if any."""
    signs = 0
    for path in sorted(Path(root).rglob("*.py")):
        lines = len(path.read_text().splitlines())
        if lines > FILE_LINES:
            print(f"{path}: {lines} lines")
            signs += 1
        for line, name, length in long_functions(path):
            print(f"{path}:{line}: {name} is {length} lines")
            signs += 1
    return 1 if signs else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
