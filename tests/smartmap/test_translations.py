"""Georgian first: every string the portal shows has a Georgian translation, and this module fails
the moment one does not.

Two kinds of catalogue are checked. locale/ka/ holds the portal's own strings; bin/update-messages
regenerates it from the source, and a string added to the code without a run of it (or left
untranslated, or left fuzzy after a run) fails here by name. locale_thirdparty/ka/ is kept by hand:
the Georgian for Django, DRF and other packages' strings that their own catalogues lack. Both are
compiled to .mo files by `make messages` (.mo files are never committed).

The catalogues are read with a small parser rather than polib, which the project does not install;
GNU gettext's msgfmt, which `make messages` needs anyway, does the format checks.
"""

import ast
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django import forms
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation
from rest_framework import exceptions, serializers

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "locale" / "ka" / "LC_MESSAGES"
THIRD_PARTY = ROOT / "locale_thirdparty" / "ka" / "LC_MESSAGES"
EXPECTED = [PROJECT / "django.po", PROJECT / "djangojs.po", THIRD_PARTY / "django.po", THIRD_PARTY / "djangojs.po"]
CATALOGUES = sorted({*EXPECTED, *PROJECT.glob("*.po"), *THIRD_PARTY.glob("*.po")})

HOW_TO_FIX_PROJECT = (
    "Run bin/update-messages, write the Georgian msgstr of every new entry in locale/ka/LC_MESSAGES/, "
    "delete each '#, fuzzy' flag (and its '#| msgid' lines) once the Georgian is right, then `make messages`."
)
HOW_TO_FIX_THIRD_PARTY = (
    "locale_thirdparty/ is kept by hand (its header says how to find what a package lacks): write the "
    "Georgian msgstr, delete each '#, fuzzy' flag, then `make messages`."
)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _how_to_fix(path: Path) -> str:
    return HOW_TO_FIX_THIRD_PARTY if THIRD_PARTY in path.parents else HOW_TO_FIX_PROJECT


def read_po(path: Path) -> list[dict]:
    """The live entries of a .po file: msgctxt, msgid, msgid_plural, msgstr ({index: text}), flags, line.

    Obsolete entries (#~) are skipped: gettext ignores them too.
    """
    entries, entry, field = [], None, None

    def flush():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                flush()
                entry, field = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid_plural": None, "msgstr": {}, "flags": set(), "line": number}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, field, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            if keyword.startswith("msgctxt") and "msgid" in entry:
                flush()  # a new entry whose comments were not separated by a blank line
                entry = {"msgctxt": None, "msgid_plural": None, "msgstr": {}, "flags": set(), "line": number}
            field = keyword
            _append(entry, field, ast.literal_eval(value), start=True)
    flush()
    return entries


def _append(entry: dict, field: str, text: str, start: bool = False) -> None:
    match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", field)
    if match:
        index = int(match.group(1) or 0)
        entry["msgstr"][index] = ("" if start else entry["msgstr"][index]) + text
    else:
        entry[field] = ("" if start else entry[field]) + text


def _describe(entry: dict) -> str:
    context = f" [context {entry['msgctxt']!r}]" if entry["msgctxt"] else ""
    return f"line {entry['line']}: {entry['msgid']!r}{context}"


@pytest.mark.parametrize("path", EXPECTED, ids=_rel)
def test_it_has_every_georgian_catalogue(path):
    assert path.exists(), f"{_rel(path)} is missing. {_how_to_fix(path)}"


@pytest.mark.parametrize("path", CATALOGUES, ids=_rel)
def test_it_has_no_untranslated_or_fuzzy_georgian_entries(path):
    problems = []
    for entry in read_po(path):
        if entry["msgid"] == "":
            if "fuzzy" in entry["flags"]:
                problems.append('the header entry (msgid "") is marked fuzzy')
        elif "fuzzy" in entry["flags"]:
            problems.append(f"{_describe(entry)} is fuzzy")
        elif not entry["msgstr"] or not all(entry["msgstr"].values()):
            problems.append(f"{_describe(entry)} is untranslated")
    if problems:
        pytest.fail(
            f"{_rel(path)} has {len(problems)} Georgian entr{'y' if len(problems) == 1 else 'ies'} to finish:\n  "
            + "\n  ".join(problems)
            + f"\n{_how_to_fix(path)}",
            pytrace=False,
        )


@pytest.mark.parametrize("path", CATALOGUES, ids=_rel)
def test_it_declares_georgian_in_every_header(path):
    header = next((e["msgstr"].get(0, "") for e in read_po(path) if e["msgid"] == ""), "")
    for field in [
        "Language: ka",
        "Content-Type: text/plain; charset=UTF-8",
        "Plural-Forms: nplurals=2; plural=(n != 1);",
    ]:
        assert f"{field}\n" in header, f"{_rel(path)}: the header needs the line {field!r}"


@pytest.mark.parametrize("path", CATALOGUES, ids=_rel)
def test_it_compiles_every_georgian_catalogue(path):
    # --check: the placeholders of every *-format entry, the header and the domain, as `make messages`.
    result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"msgfmt --check rejects {_rel(path)}:\n{result.stderr}\n{_how_to_fix(path)}", pytrace=False)


PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %(name)s
    r"|%[-#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]"  # %s, %d
    r"|\{[\w.]*(?:![rsa])?(?::[^{}]*)?\}"  # {name}, {0}, {}, {code_point:X}
    r"|</?[a-zA-Z][\w-]*"  # HTML tags
)


@pytest.mark.parametrize("path", CATALOGUES, ids=_rel)
def test_it_keeps_every_placeholder_and_tag_in_georgian(path):
    # msgfmt checks only the entries flagged *-format; this catches the rest (brace strings, HTML).
    problems = []
    for entry in read_po(path):
        if not entry["msgid"] or "fuzzy" in entry["flags"]:
            continue
        sources = [entry["msgid"], entry["msgid_plural"] or entry["msgid"]]
        for index, text in entry["msgstr"].items():
            source = sources[min(index, 1)]
            expected, found = Counter(PLACEHOLDER.findall(source)), Counter(PLACEHOLDER.findall(text))
            if text and expected != found:
                problems.append(
                    f"{_describe(entry)}: expected {sorted(expected.elements())}, msgstr[{index}] has "
                    f"{sorted(found.elements())}"
                )
    if problems:
        pytest.fail(f"{_rel(path)} loses or adds placeholders or tags:\n  " + "\n  ".join(problems), pytrace=False)


def _copy_source(destination: Path) -> None:
    """The files makemessages reads (.py, .html, .txt, .js), without the catalogues or anything ignored."""
    skipped_dirs = {"var", "tests", "locale", "locale_thirdparty", "__pycache__", "node_modules"}

    def ignore(directory, names):
        relative = Path(directory).relative_to(ROOT)
        return [
            name
            for name in names
            if name.startswith(".")
            or name in skipped_dirs
            or (relative / name).as_posix() == "static/vendor"
            or ((Path(directory) / name).is_file() and Path(name).suffix not in {".py", ".html", ".txt", ".js"})
        ]

    shutil.copytree(ROOT, destination, ignore=ignore, dirs_exist_ok=True)
    shutil.copy2(ROOT / "bin" / "update-messages", destination / "bin" / "update-messages")
    (destination / ".venv").symlink_to(ROOT / ".venv")


def _msgids(path: Path) -> set[tuple[str | None, str]]:
    return {(e["msgctxt"], e["msgid"]) for e in read_po(path) if e["msgid"]}


def _listing(keys) -> str:
    return "\n  ".join(repr(msgid) + (f" [context {ctx!r}]" if ctx else "") for ctx, msgid in sorted(keys, key=str))


def test_it_keeps_the_project_catalogues_in_step_with_the_source(tmp_path):
    # bin/update-messages itself runs on a copy of the source, so the committed catalogues are never touched
    # and the options (ignores, domains) cannot drift from the script's.
    _copy_source(tmp_path)
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(["bash", "bin/update-messages"], cwd=tmp_path, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"bin/update-messages failed on a copy of the source:\n{result.stderr}", pytrace=False)
    failures = []
    for domain in ["django", "djangojs"]:
        fresh, committed = (
            _msgids(tmp_path / "locale/ka/LC_MESSAGES" / f"{domain}.po"),
            _msgids(PROJECT / f"{domain}.po"),
        )
        if missing := fresh - committed:
            failures.append(
                f"locale/ka/LC_MESSAGES/{domain}.po lacks {len(missing)} msgid(s) that the source "
                f"uses:\n  {_listing(missing)}"
            )
        if stale := committed - fresh:
            failures.append(
                f"locale/ka/LC_MESSAGES/{domain}.po still has {len(stale)} msgid(s) that the source "
                f"no longer uses:\n  {_listing(stale)}"
            )
    if failures:
        pytest.fail("\n".join(failures) + f"\n{HOW_TO_FIX_PROJECT}", pytrace=False)


@pytest.mark.parametrize("path", CATALOGUES, ids=_rel)
def test_it_has_compiled_every_georgian_catalogue(path, tmp_path):
    # Django reads the .mo files: one missing or older than its .po serves English (or old Georgian).
    compiled = path.with_suffix(".mo")
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(path)], check=True)
    if not (compiled.exists() and compiled.read_bytes() == fresh.read_bytes()):
        pytest.fail(
            f"{_rel(compiled)} is missing or older than {_rel(path)}: run `make messages` "
            f"(or msgfmt --check -o {_rel(compiled)} {_rel(path)})",
            pytrace=False,
        )


def test_it_renders_the_portal_in_georgian():
    with translation.override("ka"):
        assert translation.gettext("Smart Map Tbilisi") == "თბილისის ჭკვიანი რუკა"
        assert "რუკა" in translation.gettext("Map of Tbilisi")
    assert DjangoTranslation("ka", domain="djangojs").gettext("Show my location") == "ჩემი მდებარეობის ჩვენება"


def test_it_renders_django_rest_framework_in_georgian():
    class Point(serializers.Serializer):
        name = serializers.CharField()

    with translation.override("ka"):
        assert str(exceptions.NotFound().detail) == "ვერ მოიძებნა."
        point = Point(data={})
        assert not point.is_valid()
        assert point.errors["name"] == ["ეს ველი აუცილებელია."]
        assert "წამში" in str(exceptions.Throttled(wait=3).detail)


def test_it_renders_django_form_errors_in_georgian():
    with translation.override("ka"):
        with pytest.raises(forms.ValidationError) as error:
            forms.CharField().clean("")
        # The message is lazy: read it while Georgian is active, not in whatever a previous test left.
        assert error.value.messages == ["ეს ველი აუცილებელია."]
