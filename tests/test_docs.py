"""The documentation stays in step with the code: the settings table is the one the settings
generate, and the README's commands and links point at things that exist."""
from __future__ import annotations

import re
from pathlib import Path

from rag.settings import settings_table

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "docs" / "configuration.md"


def test_the_configuration_table_is_generated_from_the_settings():
    text = CONFIG.read_text(encoding="utf-8")
    table = re.search(r"<!-- settings-table.*?-->\n(.*?)\n<!-- /settings-table -->", text, re.S)
    assert table, "docs/configuration.md lost its generated settings table"
    assert table.group(1).strip() == settings_table().strip(), \
        "docs/configuration.md is out of date: regenerate it with `rag settings --markdown`"


def test_every_setting_has_help():
    for line in settings_table().splitlines()[2:]:
        assert line.rstrip(" |").split("|")[-1].strip(), f"a setting without help: {line}"


def test_the_readme_links_to_files_that_exist():
    for doc in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\((?!https?:|#)([^)#]+)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"
