"""The HTTP service, started for real on a loopback port and called over HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

TEXT = "They met in kyiv . Prices rose."


def _post(url: str, body: bytes, ctype: str = "application/json") -> tuple[int, dict]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": ctype}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def _json(url: str, payload: object) -> tuple[int, dict]:
    return _post(url, json.dumps(payload).encode())


def test_health_rules_and_openapi(server: str) -> None:
    assert json.loads(urllib.request.urlopen(server + "/healthz").read())["status"] == "ok"
    rules = json.loads(urllib.request.urlopen(server + "/v1/rules").read())
    assert {"MT101", "MT801"} <= {r["code"] for r in rules}
    paths = json.loads(urllib.request.urlopen(server + "/openapi.json").read())["paths"]
    assert {"/v1/check", "/v1/fix", "/v1/render", "/v2/check", "/v1/rules", "/healthz"} <= set(paths)


def test_check_matches_the_cli(server: str) -> None:
    status, body = _json(server + "/v1/check", {"text": TEXT, "lang": "en"})
    assert status == 200
    cli = subprocess.run(
        [sys.executable, "-m", "mtcheck.cli", "check", "-", "--lang", "en", "--no-lm", "--format", "json"],
        input=TEXT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert body["findings"] == json.loads(cli.stdout)["files"][0]["findings"]
    assert body["verdict"] == "block"  # MT101 is major
    status, body = _json(server + "/v1/check", {"text": TEXT, "lang": "en", "select": ["MT2"]})
    assert [f["code"] for f in body["findings"]] == ["MT201"] and body["verdict"] == "review"
    status, body = _json(server + "/v1/check", {"text": "Prices rose on Monday.", "lang": "en"})
    assert body["findings"] == [] and body["verdict"] == "pass"


def test_fix(server: str) -> None:
    status, body = _json(server + "/v1/fix", {"text": TEXT, "lang": "en"})
    assert status == 200 and body["text"] == "They met in Kyiv. Prices rose." and body["verdict"] == "pass"
    assert [a["code"] for a in body["applied"]] == ["MT101", "MT201"]


def test_check_and_fix_against_the_source(server: str) -> None:
    text = "The agency reported 6.7% growth at www.example.fr/en/rapport."
    source = "L'agence a annoncé 6,1 % de croissance sur www.example.fr/fr/rapport."
    req = {"text": text, "lang": "en", "source": source, "src_lang": "fr"}
    status, body = _json(server + "/v1/check", req)
    assert status == 200
    codes = {(f["code"], f["text"]) for f in body["findings"] if f["code"].startswith("MT9")}
    assert codes == {("MT901", "6.7%"), ("MT910", "www.example.fr/en/rapport")}
    status, body = _json(server + "/v1/fix", req)
    assert status == 200 and body["text"] == text.replace("/en/", "/fr/")
    alone = _json(server + "/v1/check", {"text": text, "lang": "en"})[1]
    assert not [f for f in alone["findings"] if f["code"].startswith("MT9")]


def test_languagetool_endpoint_by_form(server: str) -> None:
    form = urllib.parse.urlencode({"text": "Ça va 😀 in kyiv .", "language": "en-US"}).encode()
    status, body = _post(server + "/v2/check", form, "application/x-www-form-urlencoded")
    assert status == 200
    m = next(x for x in body["matches"] if x["rule"]["id"] == "MT101")
    # LanguageTool offsets are UTF-16 code units: the emoji counts two.
    assert (m["offset"], m["length"]) == (12, 4) and m["replacements"] == [{"value": "Kyiv"}]


def test_a_real_languagetool_client(server: str) -> None:
    ltp = pytest.importorskip("language_tool_python")
    tool = ltp.LanguageTool("en-US", remote_server=server)
    try:
        found = {m.rule_id: (m.offset, m.error_length, m.replacements[:1]) for m in tool.check(TEXT)}
        assert found["MT101"] == (12, 4, ["Kyiv"])
        assert tool.correct(TEXT) == "They met in Kyiv. Prices rose."
    finally:
        tool.close()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (json.dumps({"text": ""}).encode(), 200),
        (b'{"text": "caf\xe9 \xff"}', 422),
        (b"not json", 422),
        (json.dumps({"text": 42}).encode(), 422),
        (json.dumps({"text": "x", "select": "MT1"}).encode(), 422),
        (json.dumps({"text": "x", "select": ["MT9X"]}).encode(), 422),
        (json.dumps({"text": "x", "lang": "english!"}).encode(), 422),
        (json.dumps({"text": "x", "format": "pdf"}).encode(), 422),
        (json.dumps({"text": "x", "lang": "zz"}).encode(), 422),
    ],
    ids=[
        "empty",
        "invalid-utf8",
        "not-json",
        "wrong-type",
        "select-not-a-list",
        "unknown-code",
        "bad-lang",
        "bad-format",
        "unknown-language",
    ],
)
def test_errors_are_json_with_the_right_status(server: str, body: bytes, status: int) -> None:
    got, payload = _post(server + "/v1/check", body)
    assert got == status and isinstance(payload, dict)


def test_too_large_is_413(server: str) -> None:
    got, payload = _json(server + "/v1/check", {"text": "word " * 2_000_000})
    assert got == 413 and "error" in payload


# About 170,000 words (under the test server's 1 MB limit): seconds of rule checks, where a
# short text takes milliseconds.
LONG = "The minister met reporters in kyiv on Monday and spoke about the talks . " * 12_000


def test_a_slow_request_does_not_block_others(server: str) -> None:
    done: list[int] = []
    slow = threading.Thread(target=lambda: done.append(_json(server + "/v1/check", {"text": LONG})[0]))
    slow.start()
    try:
        for _ in range(3):
            status, body = _json(server + "/v1/check", {"text": TEXT, "lang": "en"})
            assert status == 200 and body["verdict"] == "block"
        assert slow.is_alive(), "the long check ended before the short ones: make LONG longer"
    finally:
        slow.join(120)
    assert done == [200]


def test_a_check_over_the_time_limit_is_503() -> None:
    from conftest import running_server

    with running_server("--timeout", "1") as url:
        req = urllib.request.Request(
            url + "/v1/check", json.dumps({"text": LONG}).encode(), {"Content-Type": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(req, timeout=120)
        assert caught.value.code == 503
        assert caught.value.headers["Retry-After"] == "30"
        assert "longer than 1 s" in json.loads(caught.value.read())["error"]
        # The server is still there: the check was stopped at its deadline, and a short text
        # gets its answer.
        for _ in range(300):
            status, body = _json(url + "/v1/check", {"text": TEXT, "lang": "en"})
            if status == 200:
                break
            time.sleep(0.1)
        assert status == 200 and body["verdict"] == "block"


def test_a_deadline_stops_a_check() -> None:
    from mtcheck.api import CheckTimeout, check_document
    from mtcheck.config import Config

    with pytest.raises(CheckTimeout):
        check_document(TEXT, "en", config=Config(lm=False), deadline=time.monotonic() - 1)
    assert check_document(TEXT, "en", config=Config(lm=False), deadline=time.monotonic() + 60).findings


def test_concurrent_first_requests_load_a_model_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service's threads share one Resources: the model loads once, not once per thread."""
    from mtcheck.lm.registry import REGISTRY, ModelSpec
    from mtcheck.resources import Resources

    loads: list[str] = []

    def slow_loader(spec: ModelSpec) -> object:
        loads.append(spec.name)
        time.sleep(0.3)
        return object()

    monkeypatch.setitem(REGISTRY.backends, "fake", slow_loader)
    spec = ModelSpec(name="fake-model", version="1", backend="fake")
    resources = Resources()
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(resources.scorer(spec))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert loads == ["fake-model"] and len(got) == 8 and all(g is got[0] for g in got)


def test_a_language_without_rules_is_checked_with_a_note(server: str) -> None:
    status, body = _json(server + "/v1/check", {"text": "They met in Tokyo . It rained.", "lang": "ja"})
    assert status == 200 and body["lang"] == "ja"
    assert [f["code"] for f in body["findings"]] == ["MT201"]  # spacing holds in any language
    assert any("no rules written for language 'ja'" in n for n in body["notes"])
