"""The service against hostile clients, over real sockets to a real uvicorn process: bodies over
the limit in every framing, requests that never finish, clients that leave, input that used to
get a 500, and the one error shape of every 4xx and 5xx."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from conftest import _free_port

MAX_BYTES = 1_000_000
REQUEST_TIMEOUT_S = 2.0
TEXT = "They met in kyiv . Prices rose."

# How `mtcheck serve` starts uvicorn, with server.uvicorn_options (the request-head deadline).
LAUNCH = """
import sys, uvicorn
from mtcheck.server import ServerSettings, uvicorn_options
uvicorn.run("mtcheck.server:app_from_env", factory=True, host="127.0.0.1", port=int(sys.argv[1]),
            log_level="info", **uvicorn_options(ServerSettings.from_env()))
"""


@dataclass
class Served:
    url: str
    port: int
    pid: int
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serving(tmp: Path, **settings: object) -> Iterator[Served]:
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "MTCHECK_SERVE": json.dumps({"lm": False, **settings})}
    log = tmp / "server.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-c", LAUNCH, str(port)], env=env, stdout=sink, stderr=sink)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None:
                    pytest.fail(f"the server exited with status {proc.returncode}: {log.read_text()[-2000:]}")
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield Served(url, port, proc.pid, log)
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving(
        tmp_path_factory.mktemp("serve"),
        max_bytes=MAX_BYTES,
        request_timeout_s=REQUEST_TIMEOUT_S,
        timeout_s=30,
    ) as s:
        yield s


def _post(url: str, body: bytes, ctype: str = "application/json") -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": ctype}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def _healthy(url: str) -> bool:
    with urllib.request.urlopen(url + "/healthz", timeout=30) as r:
        return bool(json.loads(r.read())["status"] == "ok")


def _read_response(sock: socket.socket, timeout: float = 60) -> bytes:
    """What the server sends until it closes the connection or the head and a body arrive."""
    sock.settimeout(timeout)
    data = b""
    with contextlib.suppress(ConnectionResetError):
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            length = next(
                (int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")), None
            )
            if sep and length is not None and len(body) >= length:
                break
    return data


def _status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0


def _json_body(response: bytes) -> dict[str, object]:
    payload = json.loads(response.partition(b"\r\n\r\n")[2])
    assert isinstance(payload, dict)
    return payload


def _memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


# Body limits.

CHUNKED_HEAD = (
    b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
)


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads the server's memory from /proc")
def test_a_chunked_body_over_the_limit_is_413_and_never_read_whole(served: Served) -> None:
    peak_before = _memory_kb(served.pid, "VmHWM")
    size = 30_000_000  # 30 times the limit; read whole it took 700 MB
    chunk = b"word " * 13_000
    sock = socket.create_connection(("127.0.0.1", served.port))
    answers: list[bytes] = []
    reader = threading.Thread(target=lambda: answers.append(_read_response(sock)))
    reader.start()
    started = time.monotonic()
    head = CHUNKED_HEAD
    with contextlib.suppress(OSError):  # the server may close before all of it is sent
        sock.sendall(head + b'a\r\n{"text": "\r\n')
        for _ in range(size // len(chunk)):
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        sock.sendall(b'2\r\n"}\r\n0\r\n\r\n')
    reader.join(90)
    sock.close()
    assert answers and _status(answers[0]) == 413, answers
    assert "over the limit of 1000000 bytes" in str(_json_body(answers[0])["error"])
    assert time.monotonic() - started < 60
    assert _memory_kb(served.pid, "VmHWM") - peak_before < 100_000  # kB: no copy of the body, not even one
    assert _healthy(served.url)


def test_a_body_declared_over_the_limit_is_413_before_it_is_sent(served: Served) -> None:
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        sock.sendall(
            b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n"
        )
        answer = _read_response(sock, timeout=30)  # no byte of the body was sent
    assert _status(answer) == 413 and "error" in _json_body(answer)


def test_a_body_under_the_limit_in_chunks_is_checked(served: Served) -> None:
    body = json.dumps({"text": TEXT, "lang": "en"}).encode()
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        head = CHUNKED_HEAD
        pieces = [body[i : i + 7] for i in range(0, len(body), 7)]
        sock.sendall(head + b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n")
        answer = _read_response(sock)
    assert _status(answer) == 200
    assert [f["code"] for f in _json_body(answer)["findings"]] == ["MT101", "MT201"]  # type: ignore[union-attr]


# Requests that never finish.


def test_unfinished_requests_are_closed_at_their_deadline(served: Served) -> None:
    """300 connections that never finish their request: half a head, a head and half a body,
    or nothing at all. Each is closed a little after REQUEST_TIMEOUT_S (a 408 where a request had
    begun), and the server answers others all along."""
    kinds = {
        "half a head": b"POST /v1/check HTTP/1.1\r\nHost: x\r\n",
        "half a body": b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"text": ',
        "half a chunked body": b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Transfer-Encoding: chunked\r\n\r\n5\r\n{"tex',
        "nothing": b"",
    }
    socks: list[tuple[str, socket.socket]] = []
    try:
        for i in range(300):
            kind = list(kinds)[i % len(kinds)]
            sock = socket.create_connection(("127.0.0.1", served.port))
            sock.sendall(kinds[kind])
            socks.append((kind, sock))
        assert _healthy(served.url)
        started = time.monotonic()
        responses = [(kind, _read_response(sock, timeout=60)) for kind, sock in socks]
        assert time.monotonic() - started < 60
    finally:
        for _, sock in socks:
            sock.close()
    answers = {(kind, _status(response)) for kind, response in responses}
    assert answers == {("half a head", 408), ("half a body", 408), ("half a chunked body", 408), ("nothing", 0)}
    errors = {str(_json_body(response)["error"]) for _, response in responses if response}
    assert errors == {
        f"the request did not arrive within {REQUEST_TIMEOUT_S:g} s",
        f"the request body did not arrive within {REQUEST_TIMEOUT_S:g} s",
    }
    assert _healthy(served.url)


def test_a_head_sent_a_byte_at_a_time_does_not_move_the_deadline(served: Served) -> None:
    head = b"POST /v1/check HTTP/1.1\r\nHost: x\r\n" + b"X-Padding: " + b"a" * 10_000
    answer = b""
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        sock.settimeout(0.2)
        started = time.monotonic()
        for byte in head:  # 5 bytes a second: the whole head would take over half an hour
            try:
                sock.send(bytes([byte]))
            except OSError:
                break  # closed by the server
            with contextlib.suppress(TimeoutError):
                answer += sock.recv(65536)
            if answer or time.monotonic() - started > 60:
                break
        answer += _read_response(sock, timeout=10)
    assert _status(answer) == 408 and time.monotonic() - started < 60


def test_a_client_leaving_mid_request_is_no_error_in_the_log(served: Served) -> None:
    partial = [
        b'POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"te',
        b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n"
        + b"a" * 100_000,
        b"POST /v2/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n9\r\ntext=abc&\r\n",
        b"POST /v1/fix HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n",
    ]
    logged = len(served.log_text())
    for request in partial:
        with socket.create_connection(("127.0.0.1", served.port)) as sock:
            sock.sendall(request)
            time.sleep(0.3)
    assert _healthy(served.url)
    time.sleep(0.5)
    log = served.log_text()[logged:]
    assert "Traceback" not in log and "Exception in ASGI application" not in log and "ERROR" not in log


# Input that used to get a 500. None may get a 5xx; each 4xx is in the error shape.

DEEP = "[" * 100_000 + "]" * 100_000
J = "application/json"
HOSTILE = {
    "fix-surrogate-text": ("/v1/fix", b'{"text": "caf\\ud800 in kyiv .", "lang": "en"}', J),
    "fix-surrogate-source": (
        "/v1/fix",
        b'{"text": "in kyiv .", "source": "\\udfff", "lang": "en"}',
        J,
    ),
    "render-surrogate-text": ("/v1/render", b'{"text": "in \\ud800 kyiv .", "lang": "en"}', J),
    "render-surrogate-title": ("/v1/render", b'{"text": "in kyiv .", "title": "\\ud800"}', J),
    "check-surrogate-select": ("/v1/check", b'{"text": "x", "select": ["MT\\ud800"]}', J),
    "check-surrogate-lang": ("/v1/check", b'{"text": "x", "lang": "\\ud800"}', J),
    "check-lm-nan": ("/v1/check", b'{"text": "x", "lm": NaN}', J),
    "check-lm-infinity": ("/v1/check", b'{"text": "x", "lm": -Infinity}', J),
    "check-text-nan": ("/v1/check", b'{"text": NaN}', J),
    "check-deep-body": ("/v1/check", ('{"text": ' + DEEP + "}").encode(), J),
    "check-deep-select": (
        "/v1/check",
        ('{"text": "x", "select": ' + "[" * 500 + "]" * 500 + "}").encode(),
        J,
    ),
    "check-body-a-list": ("/v1/check", b'["text"]', J),
    "check-body-null": ("/v1/check", b"null", J),
    "check-huge-int": ("/v1/check", b'{"text": "x", "lm": ' + b"9" * 5000 + b"}", J),
    "check-surrogate-key": ("/v1/check", b'{"text": "x", "\\ud800": 1}', J),
    "v2-annotation-a-string": ("/v2/check", _form(data='{"annotation": "abc"}', language="en-US"), ""),
    "v2-annotation-of-strings": ("/v2/check", _form(data='{"annotation": ["x"]}', language="en-US"), ""),
    "v2-annotation-deep": ("/v2/check", _form(data='{"annotation": ' + DEEP + "}", language="en-US"), ""),
    "v2-annotation-surrogate": ("/v2/check", _form(data='{"annotation": [{"text": "a \\ud800 b"}]}'), ""),
    "v2-annotation-text-a-number": ("/v2/check", _form(data='{"annotation": [{"text": 5}]}'), ""),
    "v2-annotation-markup-null": ("/v2/check", _form(data='{"annotation": [{"markup": null}]}'), ""),
    "v2-annotation-empty-part": ("/v2/check", _form(data='{"annotation": [{}]}'), ""),
    "v2-data-a-list": ("/v2/check", _form(data="[1, 2]"), ""),
    "v2-data-not-json": ("/v2/check", _form(data="{annotation"), ""),
    "v2-data-nan": ("/v2/check", _form(data='{"annotation": NaN}'), ""),
    "v2-text-invalid-utf8": ("/v2/check", b"text=%ED%A0%80%FF&language=en-US", ""),
    "v2-language-surrogate": ("/v2/check", b"text=abc&language=%ED%A0%80", ""),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_gets_no_server_error(served: Served, name: str) -> None:
    path, body, ctype = HOSTILE[name]
    logged = len(served.log_text())
    status, payload = _post(served.url + path, body, ctype or "application/x-www-form-urlencoded")
    assert status < 500, payload[:300]
    if status >= 400:
        error = json.loads(payload)
        assert set(error) <= {"error", "field"} and isinstance(error["error"], str) and len(payload) < 500
    elif path == "/v1/render":
        assert "\ufffd".encode() in payload  # U+FFFD took the surrogate's place
    else:
        json.loads(payload)
    assert "Traceback" not in served.log_text()[logged:]


def test_a_surrogate_becomes_u_fffd_at_its_offset(served: Served) -> None:
    status, payload = _post(served.url + "/v1/fix", b'{"text": "caf\\ud800 met in kyiv .", "lang": "en"}')
    assert status == 200
    assert json.loads(payload)["text"] == "Caf\ufffd met in Kyiv."
    form = _form(data='{"annotation": [{"text": "\\ud800 in kyiv ."}]}', language="en-US")
    status, payload = _post(served.url + "/v2/check", form, "application/x-www-form-urlencoded")
    match = next(m for m in json.loads(payload)["matches"] if m["rule"]["id"] == "MT101")
    assert status == 200 and (match["offset"], match["length"]) == (5, 4)


# The error shape: {"error": "…"} (and sometimes "field"), short, naming what is allowed.

LONG_LANG = "x" * 100_000
ERRORS = {
    # name: (path, body, content type, status, words the message must contain)
    "not-json": ("/v1/check", b"not json", J, 422, "JSON"),
    "invalid-utf8": ("/v1/check", b'{"text": "caf\xe9 \xff"}', J, 422, "UTF-8"),
    "too-deep": ("/v1/check", ('{"text": ' + DEEP + "}").encode(), J, 422, "JSON"),
    "not-an-object": ("/v1/check", b"[1]", J, 422, "JSON object"),
    "no-text": ("/v1/check", b'{"lang": "en"}', J, 422, "text is required"),
    "text-a-number": ("/v1/check", b'{"text": 42}', J, 422, "text must be a string"),
    "lm-nan": ("/v1/check", b'{"text": "x", "lm": NaN}', J, 422, "lm must be true, false"),
    "lm-a-number": ("/v1/check", b'{"text": "x", "lm": 0}', J, 422, "lm must be true, false"),
    "unsafe-a-string": ("/v1/fix", b'{"text": "x", "unsafe": "yes"}', J, 422, "unsafe"),
    "bad-lang": ("/v1/check", b'{"text": "x", "lang": "english!"}', J, 422, "ISO 639-1"),
    "unknown-lang": ("/v1/check", b'{"text": "x", "lang": "zz"}', J, 422, "lang must be"),
    "huge-lang": ("/v1/check", json.dumps({"text": "x", "lang": LONG_LANG}).encode(), J, 422, "lang"),
    "bad-src-lang": ("/v1/check", b'{"text": "x", "src_lang": 7}', J, 422, "src_lang must be"),
    "select-a-string": ("/v1/check", b'{"text": "x", "select": "MT1"}', J, 422, "select must be"),
    "select-empty": ("/v1/check", b'{"text": "x", "select": []}', J, 422, "select must be"),
    "select-a-number": ("/v1/check", b'{"text": "x", "select": [1]}', J, 422, "select[0] must be"),
    "unknown-code": ("/v1/check", b'{"text": "x", "select": ["MT9X"]}', J, 422, "MT9X"),
    "huge-code": (
        "/v1/check",
        json.dumps({"text": "x", "ignore": ["MT" + LONG_LANG]}).encode(),
        J,
        422,
        "ignore",
    ),
    "bad-format": ("/v1/check", b'{"text": "x", "format": "pdf"}', J, 422, "text, markdown, html"),
    "title-a-list": ("/v1/render", b'{"text": "x", "title": []}', J, 422, "title must be"),
    "v2-nothing": ("/v2/check", _form(language="en-US"), "", 422, "text or data"),
    "v2-bad-language": ("/v2/check", _form(text="x", language="xx-YY!"), "", 422, "language must be"),
    "v2-huge-language": ("/v2/check", _form(text="x", language=LONG_LANG), "", 422, "language must be"),
    "v2-bad-data": ("/v2/check", _form(data='{"annotation": "abc"}'), "", 422, "annotation"),
    "too-large": ("/v1/check", json.dumps({"text": "word " * 250_000}).encode(), J, 413, "limit"),
    "not-found": ("/v1/nothing", b"{}", J, 404, "Not Found"),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_every_error_is_one_short_shape(served: Served, name: str) -> None:
    path, body, ctype, expected, words = ERRORS[name]
    status, payload = _post(served.url + path, body, ctype or "application/x-www-form-urlencoded")
    assert status == expected, payload[:300]
    error = json.loads(payload)
    assert set(error) <= {"error", "field"} and isinstance(error["error"], str), error
    assert words in error["error"], error
    assert len(payload) <= 400, payload  # no 2 KB pattern, no echo of a 100 KB input
    assert "aa|ab" not in error["error"] and "x" * 50 not in error["error"]


def test_a_wrong_method_is_405_in_the_error_shape(served: Served) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(served.url + "/v1/check", timeout=30)  # GET
    assert caught.value.code == 405 and caught.value.headers["Allow"] == "POST"
    assert json.loads(caught.value.read()) == {"error": "Method Not Allowed"}


def test_a_malformed_request_is_400_in_the_error_shape(served: Served) -> None:
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        answer = _read_response(sock, timeout=30)
    assert _status(answer) == 400 and "invalid HTTP request" in str(_json_body(answer)["error"])


def test_the_document_promises_the_error_shape(served: Served) -> None:
    doc = json.loads(urllib.request.urlopen(served.url + "/openapi.json", timeout=30).read())
    for path in ("/v1/check", "/v1/fix", "/v1/render", "/v2/check"):
        responses = doc["paths"][path]["post"]["responses"]
        assert {"413", "422", "503"} <= set(responses)
        assert responses["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert doc["components"]["schemas"]["ErrorBody"]["required"] == ["error"]
