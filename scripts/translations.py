"""The interface's translations: extract, fill, compile and check them.

    update                        lupdate the sources into each .ts, then release
    fill A.json ...               set translations from {context: {source: text}}
    release                       lrelease each .ts into its .qm
    missing [--fill A.json] FILE  what FILE's strings still lack
    check                         exit 1 if anything is out of date or missing

(each as ``python scripts/translations.py COMMAND``)

``resources/i18n/photoseek_<language>.ts`` (Qt Linguist's format: a translator can open it there)
is the source of the translations; the .qm next to it is compiled from it and committed, so a
checkout runs without Qt's tools. Locations are left out of the .ts so that editing code does not
churn it.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)
BIN = Path(sys.executable).parent
Key = tuple[str, str, str]  # context, source, disambiguation comment

PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def ts_path(language: str) -> Path:
    return I18N / f"photoseek_{language}.ts"


def sources() -> list[Path]:
    return sorted((ROOT / "desktop_app").rglob("*.py"))


def _tool(name: str) -> str:
    found = BIN / f"pyside6-{name}"
    return str(found) if found.exists() else shutil.which(f"pyside6-{name}") or name


def lupdate(files: list[Path], ts: Path, language: str) -> None:
    subprocess.run(
        [_tool("lupdate"), "-silent", "-locations", "none", "-no-obsolete",
         "-target-language", language, *map(str, files), "-ts", str(ts)],
        check=True,
    )


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def read(ts: Path) -> ET.ElementTree:
    return ET.parse(ts)


def write(tree: ET.ElementTree, ts: Path) -> None:
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                  encoding="utf-8")


def messages(tree: ET.ElementTree) -> dict[Key, ET.Element]:
    found: dict[Key, ET.Element] = {}
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            found[key] = message
    return found


def load_fills(paths: list[Path]) -> dict[tuple[str, str], str]:
    fills: dict[tuple[str, str], str] = {}
    for path in paths:
        for context, table in json.loads(path.read_text(encoding="utf-8")).items():
            for source, text in table.items():
                fills[(context, source)] = text
    return fills


def fill(tree: ET.ElementTree, fills: dict[tuple[str, str], str]) -> int:
    count = 0
    for (context, source, _comment), message in messages(tree).items():
        text = fills.get((context, source))
        if text is None:
            continue
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.text = text
        translation.attrib.pop("type", None)
        count += 1
    return count


def unfinished(tree: ET.ElementTree) -> list[Key]:
    missing = []
    for key, message in messages(tree).items():
        translation = message.find("translation")
        if translation is None or translation.get("type") == "unfinished" or not (
            translation.text or ""
        ).strip():
            missing.append(key)
    return missing


def mismatched(tree: ET.ElementTree) -> list[str]:
    """Translations whose placeholders or accelerator differ from the source's."""
    problems = []
    for (context, source, _comment), message in messages(tree).items():
        text = message.findtext("translation") or ""
        if not text:
            continue
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            problems.append(f"{context}: placeholders differ: {source!r} -> {text!r}")
        has_key = re.search(r"&[^&\s]", source.replace("&&", "")) is not None
        if has_key != (re.search(r"&[^&\s]", text.replace("&&", "")) is not None):
            problems.append(f"{context}: accelerator differs: {source!r} -> {text!r}")
    return problems


def update() -> None:
    I18N.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        ts = ts_path(language)
        lupdate(sources(), ts, language)
        write(read(ts), ts)
    release()


def release() -> None:
    for language in LANGUAGES:
        ts = ts_path(language)
        lrelease(ts, ts.with_suffix(".qm"))


def check() -> list[str]:
    """Everything that is not in order, one line each (empty when all is well)."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for language in LANGUAGES:
            ts = ts_path(language)
            if not ts.is_file():
                return [f"{ts} is missing: run scripts/translations.py update"]
            fresh = Path(tmp) / ts.name
            shutil.copy(ts, fresh)
            lupdate(sources(), fresh, language)
            committed, current = set(messages(read(ts))), set(messages(read(fresh)))
            problems += [f"{language}: new, not in the .ts: {k}"
                         for k in sorted(current - committed)]
            problems += [f"{language}: gone from the code: {k}"
                         for k in sorted(committed - current)]
            problems += [f"{language}: untranslated: {k}" for k in unfinished(read(ts))]
            problems += [f"{language}: {p}" for p in mismatched(read(ts))]
            qm = Path(tmp) / f"{language}.qm"
            lrelease(ts, qm)
            shipped = ts.with_suffix(".qm")
            if not shipped.is_file() or shipped.read_bytes() != qm.read_bytes():
                problems.append(f"{shipped.name} is older than its .ts: run "
                                "scripts/translations.py release")
    return problems


def missing(files: list[Path], fill_paths: list[Path], language: str = "zh_CN") -> list[Key]:
    with tempfile.TemporaryDirectory() as tmp:
        ts = Path(tmp) / "part.ts"
        lupdate(files, ts, language)
        tree = read(ts)
        if ts_path(language).is_file():
            known = {(c, s): m.findtext("translation") or ""
                     for (c, s, _), m in messages(read(ts_path(language))).items()}
            fill(tree, {k: v for k, v in known.items() if v})
        fill(tree, load_fills(fill_paths))
        return unfinished(tree)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update")
    commands.add_parser("release")
    commands.add_parser("check")
    to_fill = commands.add_parser("fill")
    to_fill.add_argument("json", nargs="+", type=Path)
    lacking = commands.add_parser("missing")
    lacking.add_argument("--fill", action="append", type=Path, default=[])
    lacking.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    if args.command == "update":
        update()
    elif args.command == "release":
        release()
    elif args.command == "fill":
        fills = load_fills(args.json)
        for language in LANGUAGES:
            tree = read(ts_path(language))
            print(f"{language}: {fill(tree, fills)} translations set")
            write(tree, ts_path(language))
        release()
    elif args.command == "missing":
        for context, source, _ in missing(args.files, args.fill):
            print(f"{context}: {source!r}")
    elif args.command == "check":
        problems = check()
        print("\n".join(problems) or "translations are complete and up to date")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
