"""MkDocs hook: keep the built pages offline.

nbconvert's page template (used by mkdocs-jupyter for the tutorial notebooks) carries a script
that imports mermaid.js from a CDN when a notebook contains a mermaid diagram. The tutorials
have none, and the site must not reach out to a CDN, so the loader is dropped from the pages.
"""

from __future__ import annotations

import re
from typing import Any

_MERMAID_LOADER = re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>', re.S)


def on_post_page(output: str, page: Any, config: Any) -> str:
    return _MERMAID_LOADER.sub("", output)
