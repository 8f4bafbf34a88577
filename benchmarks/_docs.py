"""Shared by the benchmark scripts: write one section of docs/benchmarks.md."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = "# Benchmarks\n\nFigures from scripts in `benchmarks/`: each script replaces its own section.\n\n"


def write_section(title: str, text: str) -> None:
    """Replace the section headed `## {title}` (or add it), keeping every other section."""
    existing = DOC.read_text() if DOC.exists() else HEADER
    existing = re.sub(rf"## {re.escape(title)}\n.*?(?=\n## |\Z)", "", existing, flags=re.DOTALL).rstrip() + "\n\n"
    DOC.write_text(existing + text.rstrip() + "\n")
