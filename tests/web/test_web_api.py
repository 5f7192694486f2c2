"""The REST API over a real ledger (examples + a hostile report): filters, pages, one error shape,
and writes that only the operator's token unlocks."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

Server = Any  # conftest.Server: a running server with its ``url``


def get(server: Server, path: str, **params: Any) -> Any:
    response = httpx.get(server.url + path, params=params, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_web_api_events_page_and_total(server: Server) -> None:
    first = get(server, "/api/events", limit=5)
    second = get(server, "/api/events", limit=5, offset=5)
    assert first["total"] == second["total"] > 10
    assert len(first["items"]) == len(second["items"]) == 5
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    dates = [e["date"] for e in first["items"] + second["items"] if e["date"]]
    assert dates == sorted(dates, reverse=True), "newest first"


@pytest.mark.parametrize(("params", "check"), [
    ({"type": "strike"}, lambda e: e["type"] == "strike"),
    ({"actor": "kataib"}, lambda e: "kataib" in ((e["actor"] or "") + (e["target"] or "")).lower()),
    ({"place": "asad"}, lambda e: "asad" in (e["location"] or "").lower()),
    ({"country": "yemen"}, lambda e: "Yemen" in (e["country"] or "").split("; ")),
    ({"since": "2021", "until": "2021-12"}, lambda e: e["date"] and e["date"][:4] == "2021"),
    ({"background": "true"}, lambda e: e["background"]),
    ({"background": "false"}, lambda e: not e["background"]),
    ({"text": "rockets"}, lambda e: True),
])
def test_web_api_events_filters_keep_only_matches(server: Server, params: dict[str, str], check: Any) -> None:
    everything = get(server, "/api/events", limit=500)
    page = get(server, "/api/events", limit=500, **params)
    assert 0 < page["total"] < everything["total"], f"{params} should keep some events, not all"
    assert all(check(e) for e in page["items"]), params


def test_web_api_text_search_reads_the_evidence(server: Server) -> None:
    page = get(server, "/api/events", text="Qayyarah", limit=50)
    assert page["total"] >= 1
    detail = get(server, f"/api/events/{page['items'][0]['id']}")
    assert any("Qayyarah" in m["evidence"] for m in detail["mentions"])


def test_web_api_event_detail_has_mentions_and_sources(server: Server) -> None:
    first = get(server, "/api/events", limit=1)["items"][0]
    detail = get(server, f"/api/events/{first['id']}")
    assert detail["id"] == first["id"] and detail["type"] == first["type"]
    assert len(detail["mentions"]) == detail["reports"] >= 1
    assert all(m["doc_id"] and m["evidence"] for m in detail["mentions"])
    assert "type" in detail["provenance"]


def test_web_api_documents_and_one_document(server: Server) -> None:
    docs = get(server, "/api/documents", limit=100)
    assert docs["total"] == len(docs["items"]) == 15  # 14 examples and the hostile report
    hostile = get(server, "/api/documents/hostile-1")
    assert hostile["title"].startswith("Rockets hit base <script>")
    assert hostile["events"] and hostile["sentences"]
    assert all(hostile["text"][s["start"]:s["end"]] == s["text"] for s in hostile["sentences"])


def test_web_api_entities_with_spellings(server: Server) -> None:
    page = get(server, "/api/entities", limit=10)
    assert page["total"] > 10 and len(page["items"]) == 10
    counts = [e["mentions"] for e in page["items"]]
    assert counts == sorted(counts, reverse=True)
    top = page["items"][0]
    assert sum(s["count"] for s in top["spellings"]) == top["mentions"]
    assert get(server, "/api/entities", new="true", limit=500)["items"], "the hostile report names unknown places"


def test_web_api_truces_and_one_truce(server: Server) -> None:
    truces = get(server, "/api/truces")
    assert truces, "the examples tell several truces"
    one = get(server, f"/api/truces/{truces[0]['id']}")
    assert one["id"] == truces[0]["id"] and one["status"] and one["history"]
    windows = get(server, "/api/truces/windows")
    assert {b["id"] for b in windows["bands"]} <= {t["id"] for t in truces}
    assert all(b["start"] <= b["end"] for b in windows["bands"])
    assert {s["id"] for s in windows["standing"]} == {t["id"] for t in truces if not t["ended"]}


@pytest.mark.parametrize("unit", ["day", "week", "month"])
def test_web_api_stats_count_every_event_once(server: Server, unit: str) -> None:
    stats = get(server, "/api/stats", unit=unit)
    counted = sum(p["events"] for p in stats["periods"])
    assert counted + stats["coarse"] == stats["totals"]["events"] == get(server, "/api/events")["total"]
    assert sum(stats["totals"]["by_type"].values()) == stats["totals"]["events"]
    if unit == "week":
        import datetime as dt
        assert all(dt.date.fromisoformat(p["period"]).weekday() == 0 for p in stats["periods"]), "weeks by Monday"


def test_web_api_stats_follow_the_filters(server: Server) -> None:
    stats = get(server, "/api/stats", type="attack")
    assert set(stats["totals"]["by_type"]) == {"attack"}
    assert stats["totals"]["events"] == get(server, "/api/events", type="attack")["total"]


def test_web_api_map_points_cover_the_placed_events(server: Server) -> None:
    points = get(server, "/api/map")["points"]
    placed = [p for p in points if p["lat"] is not None]
    assert placed and all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in placed)
    assert all(p["iso"] for p in points if p["lat"] is None), "country-level points carry their outline id"
    strikes = get(server, "/api/map", type="strike")["points"]
    assert strikes and {p["type"] for p in strikes} == {"strike"}


@pytest.mark.parametrize(("path", "status"), [
    ("/api/events/999999", 404),
    ("/api/documents/no-such-report", 404),
    ("/api/truces/no-such-truce", 404),
    ("/api/nothing-here", 404),
    ("/api/events?since=2017-13", 422),
    ("/api/events?until=2021-02-30", 422),
    ("/api/events?type=picnic", 422),
    ("/api/events?limit=0", 422),
    ("/api/events/abc", 422),
    ("/api/stats?unit=year", 422),
    ("/api/truces?as_of=yesterday", 422),
])
def test_web_api_errors_have_one_shape(server: Server, path: str, status: int) -> None:
    response = httpx.get(server.url + path, timeout=120)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status and error["code"] and error["message"]
    assert isinstance(error["details"], list)


def test_web_api_openapi_lists_every_endpoint(server: Server) -> None:
    schema = get(server, "/openapi.json")
    paths = set(schema["paths"])
    assert {"/api/events", "/api/events/{event_id}", "/api/documents", "/api/documents/{doc_id}", "/api/entities",
            "/api/truces", "/api/truces/{truce_id}", "/api/truces/windows", "/api/stats", "/api/map",
            "/api/entities/{entity}/aliases", "/api/entities/merge", "/api/reextract"} <= paths
    assert "ErrorResponse" in schema["components"]["schemas"]
    assert schema["paths"]["/api/documents"]["post"]["security"], "the write endpoints declare the token"


def test_web_api_docs_are_served_from_the_package(server: Server) -> None:
    page = httpx.get(server.url + "/docs", timeout=120).text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert httpx.get(f"{server.url}/static/vendor/swagger-ui/{asset}", timeout=120).status_code == 200


# ---- writes ---------------------------------------------------------------------------------------

REPORT = {"id": "posted-1", "title": "Drone strikes depot in Kirkuk", "outlet": "Test Wire", "published": "2024-05-02",
          "text": "Drone strikes depot in Kirkuk\n\nKIRKUK, Iraq - A drone struck an ammunition depot near Kirkuk on "
                  "Wednesday, killing three guards, police said."}
WRITES = [("post", "/api/documents", REPORT),
          ("post", "/api/entities", {"name": "Kirkuk Watch", "type": "armed group"}),
          ("post", "/api/entities/mosul/aliases", {"aliases": ["Mawsil"]}),
          ("post", "/api/entities/merge", {"source": "provisional-sinjar", "into": "mosul"}),
          ("post", "/api/reextract", None)]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_web_api_writes_refused_without_a_server_token(server: Server, token: str, method: str, path: str,
                                                      body: Any) -> None:
    before = get(server, "/api/documents")["total"]
    response = httpx.request(method, server.url + path, json=body, headers={"Authorization": f"Bearer {token}"},
                             timeout=120)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert get(server, "/api/documents")["total"] == before


@pytest.mark.parametrize("headers", ["none", "wrong", "not-bearer"])
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_web_api_writes_refused_without_the_token(write_server: Server, token: str, method: str, path: str,
                                                  body: Any, headers: str) -> None:
    headers = {"none": {}, "wrong": {"Authorization": "Bearer wrong"}, "not-bearer": {"Authorization": token}}[headers]
    response = httpx.request(method, write_server.url + path, json=body, headers=headers, timeout=120)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"
    assert httpx.get(write_server.url + "/api/documents/posted-1", timeout=120).status_code == 404


def test_web_api_posted_report_is_ingested_with_the_token(write_server: Server, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    response = httpx.post(write_server.url + "/api/documents", json=REPORT, headers=auth, timeout=120)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["documents"] == ["posted-1"] and result["new"] == 1 and result["failed"] == 0
    found = get(write_server, "/api/events", text="ammunition depot")
    assert found["total"] >= 1 and found["items"][0]["date"] == "2024-05-01"
    again = httpx.post(write_server.url + "/api/documents", json=REPORT, headers=auth, timeout=120).json()
    assert again["unchanged"] == 1, "posting the same report twice changes nothing"
    bad = httpx.post(write_server.url + "/api/documents", json={"title": "no text"}, headers=auth, timeout=120)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"


def test_web_api_curation_with_the_token(write_server: Server, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    added = httpx.post(write_server.url + "/api/entities", headers=auth,
                       json={"name": "Kirkuk Watch", "type": "armed group", "aliases": ["KW Brigade"]}, timeout=120)
    assert added.status_code == 201, added.text
    assert added.json()["entity"] == "kirkuk-watch"
    alias = httpx.post(write_server.url + "/api/entities/kirkuk-watch/aliases", headers=auth,
                       json={"aliases": ["Kirkuk Watchers"]}, timeout=120)
    assert alias.status_code == 200 and alias.json()["added"] == ["Kirkuk Watchers"]
    clash = httpx.post(write_server.url + "/api/entities/kirkuk-watch/aliases", headers=auth,
                       json={"aliases": ["Mosul"]}, timeout=120)
    assert clash.status_code == 422, "a spelling of another entity is refused"
    unknown = httpx.post(write_server.url + "/api/entities", headers=auth, json={"name": "X", "type": "picnic"},
                         timeout=120)
    assert unknown.status_code == 422 and "unknown entity type" in unknown.json()["error"]["message"]


def test_web_api_truces_still_building_is_503(ledger_db: Any, serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger too large to build its truce records quickly: the truce endpoints answer 503 with
    Retry-After instead of holding the request, and the overview is sent all the same."""
    from trucewatch.web import create_app
    from trucewatch.web.state import TrucesPending

    app = create_app(ledger_db, warm=False)

    def pending(*_: Any, **__: Any) -> Any:
        raise TrucesPending("the truce records are still being built from the ledger; try again shortly")

    monkeypatch.setattr(app.state.ledger, "truces", pending)
    monkeypatch.setattr(app.state.ledger, "cached_truces", lambda *_: None)
    server = serve(app)
    for path in ("/api/truces", "/api/truces/windows", "/api/truces/x"):
        response = httpx.get(server.url + path, timeout=120)
        assert response.status_code == 503 and response.headers["retry-after"] == "30"
        assert response.json()["error"]["code"] == "unavailable"
    overview = httpx.get(server.url + "/", timeout=120)
    assert overview.status_code == 200 and 'data-state="pending"' in overview.text
