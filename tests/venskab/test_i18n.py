"""Every interface string exists in Ukrainian and Danish, and the catalogues are current."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from venskab import i18n
from venskab.settings import ROOT

LOCALE = ROOT / "venskab" / "locale"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
METHODS = [
    ("venskab/**.py", "python"),
    ("events/**.py", "python"),
    ("booking/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
# Words that are the same in every language (names, codes).
SAME_EVERYWHERE = {"Venskab", "Email", "E-mail", "API", "OK", "Outlook", "Thunderbird", "Google"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%d|\{\{ ?\w+ ?\}\}")


def _catalog(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def _source_msgids() -> set[str]:
    messages = extract_from_dir(
        str(ROOT),
        method_map=METHODS,
        options_map={
            "templates/**.html": {"extensions": "jinja2.ext.i18n"},
            "templates/**.txt": {"extensions": "jinja2.ext.i18n"},
        },
        keywords=KEYWORDS,
    )
    found = {m[0] if isinstance(m, tuple) else m for _, _, m, _, _ in messages}
    return {m for m in found if m}


def test_catalogues_contain_every_string_in_the_source():
    """`make messages` was run after the last new string: nothing is missing."""
    catalog_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog("uk") if m.id}
    missing = sorted(_source_msgids() - catalog_ids)
    assert not missing, f"run `make messages` and translate: {missing[:10]}"


@pytest.mark.parametrize("language", ["uk", "da"])
def test_every_string_is_translated(language):
    untranslated = [
        message.id
        for message in _catalog(language)
        if message.id
        and (
            message.fuzzy
            or not (message.string if isinstance(message.string, str) else all(message.string))
        )
    ]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated[:8]}"


@pytest.mark.parametrize("language", ["uk", "da"])
def test_translations_keep_placeholders(language):
    for message in _catalog(language):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, (message.id, string)


def test_ukrainian_is_not_english_copied():
    copied = [
        message.id
        for message in _catalog("uk")
        if isinstance(message.id, str)
        and message.string == message.id
        and message.id not in SAME_EVERYWHERE
        and len(message.id) > 3
    ]
    assert not copied, copied[:10]


def test_ukrainian_plurals_have_three_forms():
    catalog = _catalog("uk")
    assert catalog.num_plurals == 3
    for message in catalog:
        if message.id and not isinstance(message.id, str):
            assert len(message.string) == 3 and all(message.string), message.id


def test_runtime_translation_follows_the_request_language():
    token = i18n.current_language.set("da")
    try:
        assert i18n.gettext("Programme") == "Program"
    finally:
        i18n.current_language.reset(token)
    token = i18n.current_language.set("uk")
    try:
        assert i18n.gettext("Programme") == "Програма"
    finally:
        i18n.current_language.reset(token)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("uk-UA,uk;q=0.9,en;q=0.8", "uk"),
        ("da-DK,da;q=0.9", "da"),
        ("en-GB", "en"),
        ("de-DE,de;q=0.9", "en"),
        ("ru-RU", "uk"),
        ("", "en"),
        ("garbage;;q=x", "en"),
        ("en;q=0.1,da;q=0.9", "da"),
    ],
)
def test_accept_language_negotiation(header, expected):
    assert i18n.negotiate(header) == expected
