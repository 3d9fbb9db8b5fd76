"""MkDocs hooks that `engine.build_site` adds to every build (MkDocs' documented
`hooks:` option, which ProperDocs keeps): nothing here changes a page.

`on_env` gives the theme's Jinja environment the template bytecode cache
(bytecode.py). MkDocs makes a new environment for every build, so without it a
worker that builds forty villages parses and compiles Material's templates forty
times (about a tenth of a village's build); with it, once, or not at all when an
earlier run compiled them. Jinja checks each template's source against the
cached code, so an edited theme is compiled afresh.
"""

from __future__ import annotations

from typing import Any

from cunwu.site.bytecode import TEMPLATE_CACHE


def on_env(env: Any, config: Any, files: Any) -> Any:
    env.bytecode_cache = TEMPLATE_CACHE
    return env
