"""Page scripts share one API helper (static/js/api.js) and take URLs from the templates' data-*
attributes, so a renamed route cannot leave a script calling a dead URL."""

import re
from pathlib import Path

from django.conf import settings

SCRIPTS = Path(settings.BASE_DIR) / "static" / "js"


def scripts():
    return {path.name: path.read_text() for path in sorted(SCRIPTS.glob("*.js"))}


def test_no_script_spells_an_api_url():
    spelled = {name: re.findall(r"[\"'`]/api/[^\"'`]*", text) for name, text in scripts().items()}
    assert not {name: urls for name, urls in spelled.items() if urls}


def test_only_the_api_helper_reads_the_csrf_token():
    readers = [name for name, text in scripts().items() if "X-CSRFToken" in text]
    assert readers == ["api.js"]


def test_every_page_loads_the_api_helper_once_before_its_own_scripts():
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    assert base.count("js/api.js") == 1
    assert base.index("js/api.js") < base.index("{% block content %}")
