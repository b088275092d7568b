"""`mtcheck serve`: the HTTP service an editorial CMS calls before publishing.

FastAPI on uvicorn. Endpoints: ``POST /v1/check`` (the findings of ``mtcheck check --format json``
plus a publish verdict), ``POST /v1/fix``, ``POST /v1/render`` (the HTML report), ``GET /v1/rules``,
``GET /healthz``, the OpenAPI document at ``/openapi.json``, and a LanguageTool-compatible
``POST /v2/check`` so existing LanguageTool clients and CMS plugins work unchanged. Checks run in
worker threads: a slow request does not block the others; word lists and the model load once per
process.

What no client can do: send a body over ``max_bytes`` in any framing (413, read no further than
the limit), take longer than ``request_timeout_s`` to send its request head or its body (408 and
the connection closed), keep a check running past ``timeout_s`` (503: the check's thread is
stopped), or get anything but ``{"error": "..."}`` (at most a few hundred characters, sometimes
with ``"field"``) with a 4xx or 5xx status. ``uvicorn_options`` gives what ``uvicorn.run`` needs
for the request deadlines.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import json
import logging
import os
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeVar

import anyio
import anyio.to_thread
import h11
from fastapi import FastAPI, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
)
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.config import Config as UvicornConfig
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from mtcheck import __version__
from mtcheck.api import CheckTimeout, Result, check_document, fix_until_stable
from mtcheck.config import Config, ConfigError
from mtcheck.document import LineIndex
from mtcheck.lm import ModelUnavailable
from mtcheck.model import Finding, Severity
from mtcheck.report import FileResult, sentence_dicts, verdict
from mtcheck.report.html import to_html

log = logging.getLogger("uvicorn.error")  # uvicorn's own log: the operator sees one stream

T = TypeVar("T")


@dataclass(frozen=True)
class ServerSettings:
    config: Config = field(default_factory=Config)
    block_at: Severity = Severity.MAJOR  # a finding at or above this blocks publication
    max_bytes: int = 2_000_000  # larger requests get 413
    timeout_s: float = 60.0  # a check running longer gets 503
    threads: int = 2  # checks running at once in a worker; the others queue
    # A client has this long to send its request head, and as long again for its body (408).
    request_timeout_s: float = 10.0

    @classmethod
    def from_env(cls) -> ServerSettings:
        """For uvicorn's worker processes, which import the app by name."""
        raw = json.loads(os.environ.get("MTCHECK_SERVE", "{}"))
        return cls(
            config=Config(lm=bool(raw.get("lm", True)), model=raw.get("model")),
            block_at=Severity.parse(raw.get("block_at", "major")),
            max_bytes=int(raw.get("max_bytes", 2_000_000)),
            timeout_s=float(raw.get("timeout_s", 60.0)),
            threads=max(1, int(raw.get("threads", 2))),
            request_timeout_s=float(raw.get("request_timeout_s", 10.0)),
        )


# The document says exactly which values the server takes, so that a client (and the
# property-based tests) can tell a valid request from an invalid one before sending it.


def _code_prefixes() -> list[str]:
    """Every rule code and prefix of one ("MT", "MT1", "MT10", "MT101"): the values select and
    ignore take, listed in the OpenAPI document so a client knows them before it asks."""
    from mtcheck.checks import all_rules

    return sorted({r.code[:n] for r in all_rules() for n in range(2, len(r.code) + 1)})


def _lang_pattern() -> str:
    """ISO 639-1 codes, optionally with a region or script ("en", "en-US", "pt_BR"), as a
    pattern for the OpenAPI document (the server also accepts ISO 639-3 and uppercase)."""
    import pycountry

    codes = sorted(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))
    return rf"^(({'|'.join(codes)})([-_][A-Za-z0-9]{{1,8}})*)?$"


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD. JSON may escape one ("\\ud800"),
    UTF-8 cannot encode one, so it could never be written back out (the fixed text, the HTML
    page, an error message); one code point for one keeps every offset where it was."""
    return _SURROGATE.sub("\ufffd", text)


_Lang = Annotated[str, StringConstraints(pattern=_lang_pattern())]
_Code = Annotated[str, WithJsonSchema({"type": "string", "enum": _code_prefixes()})]
_Text = Annotated[str, AfterValidator(scrub)]


class CheckRequest(BaseModel):
    # Strict: 0 is not false and 1.5 is not a string; a wrong type is a 422, never a guess.
    model_config = ConfigDict(strict=True)

    text: _Text = Field(description="The translated text (plain text, Markdown or HTML).")
    lang: _Lang | None = Field(None, description="Target language (ISO 639-1); detected when absent.")
    source: _Text | None = Field(None, description="The source text, if known.")
    src_lang: _Lang | None = Field(None, description="Source language.")
    select: list[_Code] | None = Field(None, min_length=1, description="Rule codes or prefixes to run (default: all).")
    ignore: list[_Code] | None = Field(None, description="Rule codes or prefixes to skip.")
    lm: bool | None = Field(
        None,
        description="false skips the language model; the default (and true) use it unless the server "
        "runs with --no-lm, which a request cannot override.",
    )
    format: Literal["text", "markdown", "html"] | None = Field(None, description="How to read text (default: sniffed).")


class FixRequest(CheckRequest):
    unsafe: bool = Field(False, description="Also apply unsafe fixes.")


class RenderRequest(CheckRequest):
    title: _Text | None = Field(None, description="The page title (default: the first words of the text).")


# Errors: one shape, {"error": "<what was wrong>"} and sometimes "field", for every 4xx and 5xx.


class ErrorBody(BaseModel):
    error: str = Field(description="What was wrong, in a sentence of at most a few hundred characters.")
    field: str | None = Field(None, description="The request field at fault, when there is one.")


class ApiError(Exception):
    def __init__(
        self, status: int, message: str, headers: dict[str, str] | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers
        self.field = field


MAX_MESSAGE = 300  # characters of an error message: enough to say what is wrong, never an echo of the input


MAX_QUOTE = 40  # characters of any one value a message quotes ("no rule code starts with 'MT…'")
_LONG_WORD = re.compile(rf"\S{{{MAX_QUOTE + 1},}}")


def short(message: str, limit: int = MAX_MESSAGE) -> str:
    """``message`` on one line, encodable, at most ``limit`` characters, and quoting no more than
    ``MAX_QUOTE`` characters of any one value (a 100 KB ``lang`` is not echoed back)."""
    message = scrub(" ".join(message[: limit * 4].split()))
    message = _LONG_WORD.sub(lambda m: m.group()[:MAX_QUOTE] + "…", message)
    return message if len(message) <= limit else message[: limit - 1] + "…"


def error_response(
    status: int, message: str, field: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = {"error": short(message)}
    if field:
        body["field"] = short(field, 60)
    return JSONResponse(body, status_code=status, headers=headers)


_LANG_EXPECTED = "a language code such as en, fr or en-US (ISO 639-1), or null"
# What each field takes, said instead of pydantic's message (which quotes a 2 KB pattern or the
# input itself, and cannot be written out when the input is NaN or a lone surrogate).
_EXPECTED = {
    "text": "a string",
    "source": "a string or null",
    "title": "a string or null",
    "lang": _LANG_EXPECTED,
    "src_lang": _LANG_EXPECTED,
    "select": "a non-empty list of rule codes or prefixes such as MT1 or MT101 (GET /v1/rules lists them), or null",
    "ignore": "a list of rule codes or prefixes such as MT1 or MT101, or null",
    "lm": "true, false or null",
    "unsafe": "true or false",
    "format": "text, markdown, html or null",
    "language": "auto or a language code such as en-US",
    "data": 'a string of LanguageTool annotation JSON, {"annotation": [{"text": "…"}, {"markup": "…"}]}',
}


def validation_message(errors: Sequence[Any]) -> tuple[str, str | None]:
    """The first of pydantic's errors as (message, field), naming what the field takes."""
    if not errors:
        return "the request is not valid", None
    first = errors[0]
    more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
    if first.get("type") == "json_invalid":
        reason = str(first.get("ctx", {}).get("error", "decode error"))
        return f"the body is not valid JSON: {reason}", None
    loc = [p for p in first.get("loc", ()) if p != "body"]
    if not loc or not isinstance(loc[0], str):
        return 'the body must be a JSON object such as {"text": "…"}' + more, None
    name = loc[0] + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[1:])
    if first.get("type") == "missing":
        return f"{name} is required{more}", name
    if loc[0] in ("select", "ignore") and len(loc) > 1:
        return f"{name} must be a rule code or prefix such as MT1 or MT101{more}", name
    expected = _EXPECTED.get(loc[0])
    if expected:
        return f"{name} must be {expected}{more}", name
    return f"{name}: {first.get('msg', 'not valid')}{more}", name


def _unparsable_body(request: Request) -> str:
    """Why FastAPI could not read a body (its own message is "There was an error parsing the body")."""
    if "json" in request.headers.get("content-type", ""):
        return "the body is not valid JSON: it must be UTF-8 and nested at most a few hundred levels deep"
    return "the body could not be read as a form (application/x-www-form-urlencoded or multipart/form-data)"


# The checks.


def _config(base: Config, req: CheckRequest) -> Config:
    try:
        # A request may turn the model off, never on: an operator who started the server with
        # --no-lm has decided it should not load one.
        cfg = base.merged(select=req.select, ignore=req.ignore, lm=base.lm and req.lm is not False)
        from mtcheck.checks import all_rules

        cfg.validate_codes([r.code for r in all_rules()])
        return cfg
    except (ConfigError, ValueError) as e:
        raise ApiError(422, str(e)) from None


def _check(settings: ServerSettings, req: CheckRequest, deadline: float | None = None) -> Result:
    cfg = _config(settings.config, req)
    try:
        return check_document(req.text, req.lang, req.source, req.src_lang, cfg, req.format, deadline=deadline)
    except (ConfigError, ValueError) as e:
        raise ApiError(422, str(e)) from None
    except ModelUnavailable as e:
        raise ApiError(503, str(e)) from None


def _fix(settings: ServerSettings, req: FixRequest, deadline: float) -> tuple[str, list[Finding], Result]:
    """The text fixed until stable, the fixes applied, and the check of the fixed text."""
    cfg = _config(settings.config, req)
    try:
        fixed, applied = fix_until_stable(
            req.text,
            unsafe=req.unsafe,
            lang=req.lang,
            source=req.source,
            src_lang=req.src_lang,
            config=cfg,
            fmt=req.format,
            deadline=deadline,
        )
    except (ConfigError, ValueError) as e:
        raise ApiError(422, str(e)) from None
    except ModelUnavailable as e:
        raise ApiError(503, str(e)) from None
    fixed_req = req.model_copy(update={"text": fixed})
    return fixed, applied, _check(settings, fixed_req, deadline)


def finding_dicts(text: str, findings: list[Finding]) -> list[dict[str, Any]]:
    lines = LineIndex(text)
    return [f.to_dict(*lines(f.start)) for f in findings]


def check_response(settings: ServerSettings, text: str, res: Result) -> dict[str, Any]:
    return {
        "mtcheck_version": __version__,
        "model": res.lm.spec.as_dict() if res.lm else None,
        "lang": res.lang,
        "src_lang": res.src_lang,
        "verdict": verdict(res.findings, settings.block_at),
        # The learned head's expected error tokens in the text (None without a model or head):
        # a score to rank and triage by; the verdict does not use it (it flags human
        # translations nearly as often as MT, see mtcheck/lm/weights/README.md).
        "error_load": res.error_load(),
        "findings": finding_dicts(text, res.findings),
        "sentences": sentence_dicts(res),
        "notes": list(res.notes),
    }


def fix_response(
    settings: ServerSettings, text: str, fixed: str, applied: list[Finding], after: Result
) -> dict[str, Any]:
    return {
        "text": fixed,
        "changed": fixed != text,
        "applied": [
            {"code": f.code, "text": f.text, "replacement": f.fix.replacement if f.fix else None} for f in applied
        ],
        "remaining": finding_dicts(fixed, after.findings),
        "verdict": verdict(after.findings, settings.block_at),
    }


def file_result(text: str, res: Result, title: str | None = None) -> FileResult:
    words = text.split()
    name = title or (" ".join(words[:8]) + (" …" if len(words) > 8 else "") if words else "(empty text)")
    return FileResult.of(name, text, res)


def _utf16(text: str) -> list[int]:
    """UTF-16 offset of each code point offset: LanguageTool's offsets are Java string indices."""
    out, n = [], 0
    for ch in text:
        out.append(n)
        n += 2 if ord(ch) > 0xFFFF else 1
    out.append(n)
    return out


def languagetool_response(text: str, res: Result, requested: str) -> dict[str, Any]:
    """The shape of LanguageTool's /v2/check answer (https://languagetool.org/http-api/)."""
    u16 = _utf16(text)
    matches = []
    for f in res.findings:
        sentence_start = text.rfind("\n", 0, f.start) + 1
        sentence_end = text.find("\n", f.end)
        sentence_end = len(text) if sentence_end < 0 else sentence_end
        ctx_start = max(0, f.start - 40)
        context = text[ctx_start : min(len(text), f.end + 40)]
        category = f.category.split("/")[0]
        matches.append(
            {
                "message": f.message,
                "shortMessage": f.rule,
                "replacements": [{"value": s} for s in f.suggestions],
                "offset": u16[f.start],
                "length": u16[f.end] - u16[f.start],
                "context": {"text": context, "offset": f.start - ctx_start, "length": f.end - f.start},
                "sentence": text[sentence_start:sentence_end],
                "type": {"typeName": "Other"},
                "rule": {
                    "id": f.code,
                    "subId": f.rule,
                    "description": f.message,
                    "issueType": "misspelling" if "Spelling" in f.category else "grammar",
                    "category": {"id": category.upper(), "name": f.category},
                },
                "ignoreForIncompleteSentence": False,
                "contextForSureMatch": 0,
            }
        )
    lang = res.lang or "und"
    return {
        "software": {"name": "mtcheck", "version": __version__, "apiVersion": 1, "status": "", "premium": False},
        "warnings": {"incompleteResults": False},
        "language": {
            "name": lang,
            "code": requested if requested != "auto" else lang,
            "detectedLanguage": {"name": lang, "code": lang, "confidence": 1.0},
        },
        "matches": matches,
    }


def _bad_data(why: str) -> ApiError:
    return ApiError(422, f"data is not LanguageTool annotation JSON: {why}", field="data")


def _annotation_part(i: int, part: object) -> str:
    """One element of LanguageTool's annotation: text as it is, markup as what it reads as
    (``interpretAs``), else as spaces of its length, so offsets still point into the document."""
    if not isinstance(part, dict):
        raise _bad_data(f'annotation[{i}] must be an object, {{"text": …}} or {{"markup": …}}')
    key = next((k for k in ("text", "interpretAs", "markup") if k in part), None)
    if key is None:
        raise _bad_data(f"annotation[{i}] has neither text nor markup")
    value = part[key]
    if not isinstance(value, str):
        raise _bad_data(f"annotation[{i}].{key} must be a string")
    return " " * len(value) if key == "markup" else value


def _lt_text(text: str | None, data: str | None) -> str:
    """LanguageTool takes ``text``, or ``data``: {"annotation": [{"text": …} | {"markup": …}]}.
    Every wrong shape of ``data`` is a 422 that says what is wrong, never an exception."""
    if text is not None:
        return scrub(text)
    if data is None:
        raise ApiError(422, "either text or data is required", field="text")
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError):  # RecursionError: "[[[[…" nested beyond the parser's stack
        raise _bad_data("not valid JSON (or nested too deep)") from None
    parts = parsed.get("annotation") if isinstance(parsed, dict) else None
    if not isinstance(parts, list):
        raise _bad_data('it must be an object with a list, {"annotation": [...]}')
    return scrub("".join(_annotation_part(i, p) for i, p in enumerate(parts)))


# Stopping a check at its deadline.


class _Stop(BaseException):
    """Raised in a check's thread at its deadline. A BaseException, like KeyboardInterrupt, so
    that no ``except Exception`` in a check swallows it; ``with`` and ``finally`` still run."""


def _raise_in_thread(thread_id: int, exc: type[BaseException] | None) -> None:
    """Set (or with None, clear) the exception a thread raises at its next bytecode."""
    target = ctypes.py_object(exc) if exc is not None else None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), target)


class Interruptible:
    """``fn()``, to be run in a worker thread, that ``interrupt()`` stops at its next bytecode.

    The cooperative deadline (``engine.past``) is looked at only between rules and model batches,
    so one slow rule held a thread, and the CPU, far past ``--timeout``. ``interrupt()`` raises
    ``_Stop`` in the thread (``PyThreadState_SetAsyncExc``); it unwinds like any exception, so the
    model's lock is released and an open score-cache transaction rolled back, and ``__call__``
    turns it into ``CheckTimeout``. The lock and the state make sure it lands only while ``fn``
    runs: not before (a job whose deadline passed while it waited raises at once, doing nothing),
    and never once ``fn`` has ended, when the thread is back in the pool serving another request.
    C code (one regular-expression match, one model batch) runs to its end before it lands.
    """

    def __init__(self, fn: Callable[[], Any]) -> None:
        self._fn = fn
        self._lock = threading.Lock()
        self._thread: int | None = None
        self._state: Literal["waiting", "running", "stopped", "done"] = "waiting"

    def __call__(self) -> Any:
        try:
            return self._run()
        except _Stop:
            raise CheckTimeout("the check ran past its deadline") from None

    def _run(self) -> Any:
        with self._lock:
            if self._state == "stopped":
                raise CheckTimeout("the deadline passed before the check started")
            self._thread, self._state = threading.get_ident(), "running"
        try:
            return self._fn()
        finally:
            self._finish()

    def _finish(self) -> None:
        with self._lock:
            stopped = self._state == "stopped"
            self._state = "done"  # from here on interrupt() does nothing
            if stopped and self._thread is not None:
                # Raised, it would have unwound fn; still pending, it must not outlive it.
                _raise_in_thread(self._thread, None)

    def interrupt(self) -> None:
        with self._lock:
            if self._state == "running" and self._thread is not None:
                _raise_in_thread(self._thread, _Stop)
            if self._state in ("waiting", "running"):
                self._state = "stopped"


# Requests that cannot be read: too large, too slow, gone.


class _BodyRefused(Exception):
    """Raised to the app by BodyLimits' receive: the body cannot be read (see ``_Body.failure``)."""


class _Body:
    """The request body as the app reads it: counted as it arrives, in any framing (Content-Length
    or chunked), and with a deadline, so that no client gets more than ``max_bytes`` read or keeps
    a request open past ``deadline`` (the event loop's clock)."""

    def __init__(self, receive: Receive, max_bytes: int, deadline: float, timeout_s: float) -> None:
        self._receive = receive
        self._max_bytes = max_bytes
        self._deadline = deadline
        self._timeout_s = timeout_s
        self._seen = 0
        self._complete = False
        # Why reading stopped: (status, message), or "gone" when the client left.
        self.failure: tuple[int, str] | Literal["gone"] | None = None

    async def __call__(self) -> Message:
        if self.failure is not None:
            raise _BodyRefused
        if self._complete:  # after the body, the app may wait for a disconnect: no deadline
            return await self._receive()
        try:
            async with asyncio.timeout_at(self._deadline):
                message = await self._receive()
        except TimeoutError:
            self.failure = (408, f"the request body did not arrive within {self._timeout_s:g} s")
            raise _BodyRefused from None
        if message["type"] == "http.disconnect":
            self.failure = "gone"
            raise _BodyRefused
        self._seen += len(message.get("body", b""))
        self._complete = not message.get("more_body", False)
        if self._seen > self._max_bytes:
            self.failure = (413, too_large(self._max_bytes))
            raise _BodyRefused
        return message

    async def drain(self) -> None:
        """Read the rest of the body away unkept, until it ends, the client leaves or the deadline
        passes. Closing a connection with unread bytes resets it, and a client still sending (or
        one that sends all before it reads, as urllib does) would lose the answer already sent."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout_at(self._deadline):
                while not self._complete:
                    message = await self._receive()
                    self._complete = message["type"] != "http.request" or not message.get("more_body", False)


def too_large(max_bytes: int) -> str:
    return f"the request body is over the limit of {max_bytes} bytes"


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((value for key, value in scope.get("headers", ()) if key == name), None)


def _declared_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    return int(value) if value is not None and value.isdigit() else None


class BodyLimits:
    """Pure ASGI middleware: the request body's limits, enforced while the body is read.

    A body declared over ``max_bytes`` is refused before a byte of it is read; one that grows past
    it (chunked, or uvicorn's pieces of a declared one) is refused at the piece that crosses it,
    so the app never holds more than the limit. The 413 goes out at once; then the rest of the
    body is read away unkept (never held: each piece is dropped as it comes) until it ends or the
    request's deadline passes, and the connection closes. A body still incomplete ``timeout_s``
    after the request's head gets 408 and the connection closed; a client that leaves mid-body
    ends the request quietly, with one line in the log and no traceback.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.timeout_s
        body = _Body(receive, self.max_bytes, deadline, self.timeout_s)
        declared = _declared_length(scope)
        started = False
        if declared is not None and declared > self.max_bytes:
            body.failure = (413, too_large(self.max_bytes))
        else:
            started = await self._app(scope, body, send)
        if body.failure is not None and not started:
            await self._refuse(scope, send, body)

    async def _app(self, scope: Scope, body: _Body, send: Send) -> bool:
        """The app, reading the counted body; whether it started an answer of its own."""
        started = False

        async def send_unless_refused(message: Message) -> None:
            nonlocal started
            if body.failure is None:  # else the app is answering the exception it got: ours replaces it
                started = True
                await send(message)

        try:
            await self.app(scope, body, send_unless_refused)
        except Exception:
            if body.failure is None:
                raise
        return started

    async def _refuse(self, scope: Scope, send: Send, body: _Body) -> None:
        if not isinstance(body.failure, tuple):  # the client left: nobody to answer, nothing went wrong here
            log.info("mtcheck: %s %s: the client left before sending its whole request", scope["method"], scope["path"])
            return
        status, message = body.failure
        response = error_response(status, message, headers={"Connection": "close"})
        await send({"type": "http.response.start", "status": status, "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body, "more_body": True})
        # A client that asked to wait for "100 Continue" before sending the body never got one.
        if status == 413 and (_header(scope, b"expect") or b"").lower() != b"100-continue":
            await body.drain()
        await send({"type": "http.response.body", "body": b""})


class CatchAll:
    """Pure ASGI middleware: an exception no handler took becomes a 500 in the documented shape,
    logged once with its traceback (Starlette's own handler answers in plain text and re-raises,
    so uvicorn logged the same traceback a second time)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("mtcheck: unexpected error answering %s %s", scope["method"], scope["path"])
            if not started:
                message = "internal error: the server failed to answer this request (the error is logged)"
                await error_response(500, message)(scope, receive, tracked)


# The connection: deadlines for the request head (uvicorn has none).


class TimedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, with a deadline for each request's head to arrive.

    uvicorn times out only idle keep-alive connections, and any byte received cancels even that,
    so a client sending half a request head, or one byte a second, held its connection forever
    (300 such clients, 300 connections). Here a connection has ``request_timeout_s`` from when it
    opens, and again from each response, to deliver a complete request head; the deadline does
    not move as bytes trickle in. Past it the connection is closed, after a 408 if a request had
    begun. While the app has a request, the app's deadlines apply instead (``BodyLimits`` for the
    body, ``--timeout`` for the check). Malformed requests get uvicorn's 400 in the JSON shape.
    """

    def __init__(
        self,
        config: UvicornConfig,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        request_timeout_s: float = 10.0,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.request_timeout_s = request_timeout_s
        self._head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(self.request_timeout_s, self._expire)

    def _disarm(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _expire(self) -> None:
        self._head_deadline = None
        if self.transport.is_closing() or (self.cycle is not None and not self.cycle.response_complete):
            return  # gone already, or the app has the request: its own deadlines apply
        # Half a request head: say why before closing (the bytes are raw: h11 cannot answer a
        # request it has not parsed). Otherwise the connection was idle, or a body that followed an
        # early answer (a 413) is still arriving: just close.
        if self.conn.our_state is h11.IDLE and self.conn.trailing_data[0]:
            self.transport.write(
                _raw_json_response(408, f"the request did not arrive within {self.request_timeout_s:g} s")
            )
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        # uvicorn's own answers in text/plain; this one in the documented shape.
        self.transport.write(_raw_json_response(400, "invalid HTTP request (a malformed or too long request head)"))
        self.transport.close()


def _raw_json_response(status: int, message: str) -> bytes:
    """A whole HTTP/1.1 response in the error shape, for a connection about to close."""
    body = json.dumps({"error": short(message)}).encode()
    reason = {400: "Bad Request", 408: "Request Timeout"}.get(status, "Error")
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def uvicorn_options(settings: ServerSettings) -> dict[str, Any]:
    """The keyword arguments that ``uvicorn.run`` (or ``uvicorn.Config``) needs beside the app
    to serve with ``settings``: the protocol with the request-head deadline. A partial of a
    module-level class, so that it pickles into ``--workers`` processes."""
    return {"http": functools.partial(TimedH11Protocol, request_timeout_s=settings.request_timeout_s)}


# The application.


def warm(settings: ServerSettings) -> Result:
    """Check a short text once, so that the word lists and the model load before the first
    request (once per worker process) instead of inside it."""
    return check_document(_WARM_TEXT, "en", config=settings.config)


_WARM_TEXT = "The minister met reporters in Paris on Monday. She said the talks would resume in May."

# What the OpenAPI document says about errors (FastAPI would promise {"detail": [...]} for 422).
_ERROR_STATUSES = {
    408: "The request body did not arrive in time.",
    413: "The request body is over the server's --max-bytes.",
    422: "A field is missing, of the wrong type or not allowed, or the body is not JSON in UTF-8.",
    500: "An unexpected error (logged on the server).",
    503: "The check took longer than the server's --timeout (see Retry-After), or the model is missing.",
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in _ERROR_STATUSES.items()
}
# /v1/render answers text/html, and FastAPI files a model's responses under the route's type.
_JSON_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
_RENDER_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": _JSON_ERROR} for status, text in _ERROR_STATUSES.items()
}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # a body FastAPI could not parse is a bad field like any other: 422
            return error_response(422, _unparsable_body(request))
        return error_response(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        message, name = validation_message(exc.errors())
        return error_response(422, message, name)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.field, exc.headers)


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or ServerSettings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        res = await run_in_threadpool(warm, settings)
        for note in res.notes:
            log.warning("mtcheck: note: %s", note)
        log.info("mtcheck: ready (%s)", f"model {res.lm.spec.name}" if res.lm else "rules only")
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="mtcheck",
        version=__version__,
        description="Machine-translation artefacts in news articles: findings, fixes, a publish verdict.",
    )
    # The last added runs first: CatchAll around everything, then the body limits.
    app.add_middleware(BodyLimits, max_bytes=settings.max_bytes, timeout_s=settings.request_timeout_s)
    app.add_middleware(CatchAll)
    _install_error_handlers(app)
    timed = _timer(settings)

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "version": __version__}

    @app.get("/v1/rules")
    async def rules() -> list[dict[str, Any]]:
        from mtcheck.checks import all_rules

        return [
            {
                "code": r.code,
                "slug": r.slug,
                "severity": str(r.severity),
                "category": r.category,
                "languages": list(r.languages),
                "summary": r.summary,
            }
            for r in all_rules()
        ]

    @app.post("/v1/check", responses=_ERRORS)
    async def check(req: CheckRequest) -> dict[str, Any]:
        res = await timed(_check, settings, req)
        return check_response(settings, req.text, res)

    @app.post("/v1/render", response_class=HTMLResponse, responses=_RENDER_ERRORS)
    async def render(req: RenderRequest) -> HTMLResponse:
        """The editor's page: the article with every finding highlighted, message and fix on
        hover or click, and a summary with the verdict (``mtcheck check --format html``)."""
        res = await timed(_check, settings, req)
        return HTMLResponse(to_html([file_result(req.text, res, req.title)], settings.block_at))

    @app.post("/v1/fix", responses=_ERRORS)
    async def fix(req: FixRequest) -> dict[str, Any]:
        fixed, applied, after = await timed(_fix, settings, req)
        return fix_response(settings, req.text, fixed, applied, after)

    _add_languagetool_routes(app, settings, timed)
    return app


def _timer(settings: ServerSettings) -> Callable[..., Any]:
    # Checks are CPU-bound Python: more threads than cores only fight over the GIL (one worker
    # answered 34 requests/s with 40 threads), so a few run at once and the rest wait their turn.
    checks_at_once = anyio.CapacityLimiter(settings.threads)

    async def timed(fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args, deadline)`` in a worker thread; past the time limit the answer is 503 and
        the thread is stopped (a request that timed out must not keep the CPU from the requests
        still waiting). The time spent waiting for a thread counts."""
        deadline = time.monotonic() + settings.timeout_s
        job = Interruptible(functools.partial(fn, *args, deadline))
        alarm = asyncio.get_running_loop().call_later(settings.timeout_s, job.interrupt)
        try:
            result: T = await anyio.to_thread.run_sync(job, limiter=checks_at_once)
            return result
        except CheckTimeout:
            raise ApiError(503, f"the check took longer than {settings.timeout_s:g} s", {"Retry-After": "30"}) from None
        finally:
            alarm.cancel()

    return timed


def _add_languagetool_routes(app: FastAPI, settings: ServerSettings, timed: Callable[..., Any]) -> None:
    @app.get("/v2/languages")
    async def languagetool_languages() -> list[dict[str, str]]:
        """LanguageTool clients ask which languages the server knows before the first check."""
        names = {"en": "English", "fr": "French", "de": "German", "es": "Spanish"}
        out = []
        for code, name in names.items():
            out.append({"name": name, "code": code, "longCode": code})
        for long_code in ("en-US", "en-GB", "fr-FR", "de-DE", "es-ES"):
            out.append({"name": names[long_code[:2]], "code": long_code[:2], "longCode": long_code})
        return out

    @app.post("/v2/check", responses=_ERRORS)
    async def languagetool_check(
        text: str | None = Form(None),
        data: str | None = Form(None),
        language: str = Form("auto"),
    ) -> dict[str, Any]:
        body = _lt_text(text, data)
        lang = None if language == "auto" else language
        try:
            req = CheckRequest.model_validate({"text": body, "lang": lang})
        except ValidationError:
            raise ApiError(422, f"language must be {_EXPECTED['language']}", field="language") from None
        res = await timed(_check, settings, req)
        return languagetool_response(body, res, language)


def app_from_env() -> FastAPI:
    """The factory uvicorn's workers call (``mtcheck.server:app_from_env``)."""
    return create_app(ServerSettings.from_env())
