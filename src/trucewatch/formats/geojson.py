"""A GeoJSON FeatureCollection (RFC 7946) of the merged events that have coordinates, for GIS tools
(QGIS, kepler.gl, geojson.io): one Point feature per real-world event, ``[longitude, latitude]`` in
WGS 84 as the RFC orders them, its values, sources and contested attributes as properties. Events
without coordinates (no place, or a place the gazetteer cannot locate) have no feature.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from trucewatch.merge.records import MergedEvent

PROPERTIES = ("type", "mode", "date", "actor", "target", "location", "country", "killed", "injured",
              "background", "evidence")


def feature(merged: MergedEvent) -> dict[str, Any] | None:
    """The Point feature of a merged event; None when it has no coordinates."""
    e = merged.event
    if e.lat is None or e.lon is None:
        return None
    properties: dict[str, Any] = {"id": merged.id, **{p: getattr(e, p) for p in PROPERTIES}}
    properties.update(reports=merged.reports, sources=merged.sources,
                      contested=[c.attribute for c in merged.contradictions])
    return {"type": "Feature", "id": merged.id, "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]},
            "properties": properties}


def write(events: Iterable[MergedEvent], out: IO[str]) -> tuple[int, int]:
    """Write the FeatureCollection, one feature per line (a large ledger is streamed, not held);
    returns (features written, events left out for want of coordinates)."""
    written = skipped = 0
    out.write('{"type": "FeatureCollection", "features": [')
    for merged in events:
        found = feature(merged)
        if found is None:
            skipped += 1
            continue
        out.write(("\n" if written == 0 else ",\n") + json.dumps(found, ensure_ascii=False))
        written += 1
    out.write("\n]}\n")
    return written, skipped
