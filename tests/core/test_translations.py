"""The shipped languages are complete: no template text outside the translation framework, no string
of the code without its German, no empty or fuzzy German, and compiled catalogues (.mo, committed so
that a checkout runs without gettext) that say what the .po files say.

When one fails: `.venv/bin/python manage.py makemessages -l de` and `makemessages -d djangojs -l de`
(README "Languages" has the full commands), translate what is new in locale/de/LC_MESSAGES/*.po,
then `.venv/bin/python manage.py compilemessages -l de`.
"""

import gettext
import re

import pytest
from django.conf import settings

from tests.core import po
from tests.core.msgids import catalogue_path, javascript_msgids, python_msgids, template_msgids
from tests.core.untranslated import template_files, untranslated

SHIPPED = [code for code, _name in settings.LANGUAGES if code != "en"]  # English is the source text
DOMAINS = ["django", "djangojs"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_every_visible_template_string_goes_through_the_translation_framework():
    problems = [problem for path in template_files() for problem in untranslated(path)]
    assert not problems, "text outside {% translate %} / {% blocktranslate %}:\n" + "\n".join(problems)


def test_the_checker_finds_text_attributes_and_english_filters_left_untranslated(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        "{% load i18n %}<h1>{% translate \"Fine\" %}</h1>\n<p title=\"Hover text\">{{ n }} photo{{ n|pluralize }}</p>\n"
        "<script>const words = 'code, not text';</script><img alt=\"{{ photo.name }}\">\n"
        "{# a comment #}{% blocktranslate %}Also fine {{ n }}{% endblocktranslate %}\n{{ x|default:\"never\" }}"
    )
    problems = untranslated(template.resolve())
    found = {tuple(p.split(":", 2)[1:]) for p in problems}
    assert found == {
        ("2", " text '{…} photo{…}'"),
        ("2", " text 'Hover text'"),
        ("2", " filter '|pluralize' writes English"),
        ("5", " filter '|default:\"never\"' writes English"),
    }


@pytest.mark.parametrize("language", SHIPPED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalogues_have_no_empty_or_fuzzy_translation_and_keep_the_placeholders(language, domain):
    problems = []
    for entry in po.read(catalogue_path(language, domain)):
        where = f"{domain}.po:{entry.line} {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        if not entry.msgstr or not all(entry.msgstr):
            problems.append(f"{where}: not translated")
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in entry.msgstr:
            if text and set(PLACEHOLDER.findall(text)) - wanted:
                problems.append(f"{where}: placeholders {sorted(set(PLACEHOLDER.findall(text)))} not in {sorted(wanted)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", SHIPPED)
def test_every_string_of_the_code_is_in_the_catalogues(language):
    catalogued = {domain: {entry.key for entry in po.read(catalogue_path(language, domain))} for domain in DOMAINS}
    used = [("django", template_msgids()), ("django", python_msgids()), ("djangojs", javascript_msgids())]
    missing = [f"{where}: {key!r} (not in {language}/{domain}.po)"
               for domain, found in used for key, where in sorted(found.items()) if key not in catalogued[domain]]
    assert not missing, "run makemessages and translate:\n" + "\n".join(missing)


@pytest.mark.parametrize("language", SHIPPED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogues_say_what_the_po_files_say(language, domain):
    source = catalogue_path(language, domain)
    with source.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    expected = {}
    for entry in po.read(source):
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            expected.update({(entry.key, n): text for n, text in enumerate(entry.msgstr)})
    compiled_entries = {key: text for key, text in catalogue.items() if key != ""}  # "" is the header
    assert compiled_entries == expected, f"run: manage.py compilemessages -l {language}"


@pytest.mark.django_db
def test_every_page_renders_in_german_with_german_words(client, superuser, tmp_path):
    from tests.factories import UserFactory
    from tests.ui.pages import page_urls, seed

    urls, _unknown = page_urls(seed(tmp_path / "library", superuser, UserFactory(username="bob")))
    client.force_login(superuser)
    pages = 0
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9", HTTP_ACCEPT="text/html")
        assert response.status_code < 500, url
        if response.streaming or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        if "<html" in html and not url.startswith("/api/"):
            pages += 1
            assert '<html lang="de"' in html, url
            assert ">Fotos</a>" in html and ">Photos</a>" not in html, url
    assert pages > 30
