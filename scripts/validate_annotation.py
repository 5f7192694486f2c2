#!/usr/bin/env python3
"""Check one annotation batch folder: python3 validate.py FOLDER

docs.jsonl and gold.jsonl parse, same ids in the same order, every EVENT has exactly the schema's keys with
values of the right kind, and every evidence is an exact substring of its report's text. For real batches
(an input.jsonl beside them), docs.jsonl must equal the input byte for byte in content (same ids, same text)."""
import json
import re
import sys
from pathlib import Path

TYPES = {"attack", "strike", "ceasefire", "ceasefire_end", "demand", "threat", "troop_change"}
MODES = {"rocket", "drone", "missile", "ied", "mortar", "gunfire", "airstrike", "raid", "unknown"}
KEYS = ["type", "mode", "actor", "target", "location", "country", "date", "killed", "injured",
        "conditions", "mediators", "background", "evidence"]
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

def main(folder: Path) -> int:
    problems = []
    docs = [json.loads(line) for line in open(folder / "docs.jsonl", encoding="utf-8") if line.strip()]
    gold = [json.loads(line) for line in open(folder / "gold.jsonl", encoding="utf-8") if line.strip()]
    if [d["id"] for d in docs] != [g["id"] for g in gold]:
        problems.append("docs.jsonl and gold.jsonl do not list the same ids in the same order")
    inp = folder / "input.jsonl"
    if inp.exists():
        given = [json.loads(line) for line in open(inp, encoding="utf-8") if line.strip()]
        if [(d["id"], d["text"]) for d in docs] != [(d["id"], d["text"]) for d in given]:
            problems.append("docs.jsonl differs from input.jsonl (ids or texts changed)")
    for d in docs:
        for k in ("id", "url", "outlet", "published", "title", "text"):
            if k not in d:
                problems.append(f"{d.get('id')}: doc lacks key {k}")
    texts = {d["id"]: d["text"] for d in docs}
    n = 0
    for g in gold:
        for e in g["events"]:
            n += 1
            where = f"{g['id']} event {g['events'].index(e) + 1}"
            if sorted(e) != sorted(KEYS):
                problems.append(f"{where}: keys {sorted(set(e) ^ set(KEYS))} wrong")
                continue
            if e["type"] not in TYPES:
                problems.append(f"{where}: type {e['type']!r}")
            if e["type"] in ("attack", "strike"):
                if e["mode"] not in MODES:
                    problems.append(f"{where}: mode {e['mode']!r} (attack/strike need one of {sorted(MODES)})")
            elif e["mode"] is not None:
                problems.append(f"{where}: mode must be null for {e['type']}")
            if e["date"] is not None and not DATE.match(str(e["date"])):
                problems.append(f"{where}: date {e['date']!r}")
            for k in ("killed", "injured"):
                if e[k] is not None and not isinstance(e[k], int):
                    problems.append(f"{where}: {k} must be an integer or null")
            if e["type"] == "ceasefire":
                if not isinstance(e["conditions"], list) or not isinstance(e["mediators"], list):
                    problems.append(f"{where}: ceasefire needs conditions and mediators lists")
            if not isinstance(e["background"], bool):
                problems.append(f"{where}: background must be true/false")
            if not e["evidence"] or e["evidence"] not in texts.get(g["id"], ""):
                problems.append(f"{where}: evidence is not an exact substring of the text")
            for k in ("actor", "target", "location", "country"):
                if e[k] is not None and (not isinstance(e[k], str) or not e[k].strip()):
                    problems.append(f"{where}: {k} must be a non-empty string or null")
    for p in problems:
        print(p)
    print(f"{folder}: {len(docs)} reports, {n} events, {len(problems)} problem(s)")
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
