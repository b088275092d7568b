"""`mtcheck serve`: the HTTP service an editorial CMS calls before publishing.

FastAPI on uvicorn. Endpoints: ``POST /v1/check`` (the findings of ``mtcheck check --format json``
plus a publish verdict), ``POST /v1/fix``, ``POST /v1/render`` (the HTML report), ``GET /v1/rules``,
``GET /healthz``, the OpenAPI document at ``/openapi.json``, and a LanguageTool-compatible
``POST /v2/check`` so existing LanguageTool clients and CMS plugins work unchanged. Checks run in
worker threads: a slow request does not block the others; word lists and the model load once per
process.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import anyio
import anyio.to_thread
from fastapi import FastAPI, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, WithJsonSchema
from starlette.exceptions import HTTPException as StarletteHTTPException

from mtcheck import __version__
from mtcheck.api import CheckTimeout, Result, check_document, fix_until_stable
from mtcheck.config import Config, ConfigError
from mtcheck.document import LineIndex
from mtcheck.lm import ModelUnavailable
from mtcheck.model import Finding, Severity
from mtcheck.report import FileResult, sentence_dicts, verdict
from mtcheck.report.html import to_html

log = logging.getLogger("uvicorn.error")  # uvicorn's own log: the operator sees one stream


@dataclass(frozen=True)
class ServerSettings:
    config: Config = field(default_factory=Config)
    block_at: Severity = Severity.MAJOR  # a finding at or above this blocks publication
    max_bytes: int = 2_000_000  # larger requests get 413
    timeout_s: float = 60.0  # a check running longer gets 503
    threads: int = 2  # checks running at once in a worker; the others queue

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


_Lang = Annotated[str, StringConstraints(pattern=_lang_pattern())]
_Code = Annotated[str, WithJsonSchema({"type": "string", "enum": _code_prefixes()})]


class CheckRequest(BaseModel):
    # Strict: 0 is not false and 1.5 is not a string; a wrong type is a 422, never a guess.
    model_config = ConfigDict(strict=True)

    text: str = Field(description="The translated text (plain text, Markdown or HTML).")
    lang: _Lang | None = Field(None, description="Target language (ISO 639-1); detected when absent.")
    source: str | None = Field(None, description="The source text, if known.")
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
    title: str | None = Field(None, description="The page title (default: the first words of the text).")


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


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
        "findings": finding_dicts(text, res.findings),
        "sentences": sentence_dicts(res),
        "notes": list(res.notes),
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


def _lt_text(text: str | None, data: str | None) -> str:
    """LanguageTool takes ``text``, or ``data``: {"annotation": [{"text": …} | {"markup": …}]};
    markup is kept as spaces of the same length, so offsets still point into the document."""
    if text is not None:
        return text
    if data is None:
        raise ApiError(422, "either text or data is required")
    try:
        parts = json.loads(data)["annotation"]
        return "".join(p["text"] if "text" in p else p.get("interpretAs", " " * len(p["markup"])) for p in parts)
    except (ValueError, KeyError, TypeError) as e:
        raise ApiError(422, f"data is not LanguageTool annotation JSON: {e}") from None


def warm(settings: ServerSettings) -> Result:
    """Check a short text once, so that the word lists and the model load before the first
    request (once per worker process) instead of inside it."""
    return check_document(_WARM_TEXT, "en", config=settings.config)


_WARM_TEXT = "The minister met reporters in Paris on Monday. She said the talks would resume in May."


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

    @app.middleware("http")
    async def limit_size(request: Request, call_next: Any) -> Any:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_bytes:
            # Read the body away unkept: answering mid-upload resets the client's connection
            # before it can read the 413.
            async for _ in request.stream():
                pass
            return JSONResponse({"error": f"request over {settings.max_bytes} bytes"}, status_code=413)
        return await call_next(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # A body that is not JSON (or not UTF-8) is a bad request field like any other: 422.
        status = 422 if exc.status_code == 400 else exc.status_code
        return JSONResponse({"error": str(exc.detail)}, status_code=status)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=exc.headers)

    # Checks are CPU-bound Python: more threads than cores only fight over the GIL (one worker
    # answered 34 requests/s with 40 threads), so a few run at once and the rest wait their turn.
    checks_at_once = anyio.CapacityLimiter(settings.threads)

    async def timed(fn: Any, *args: Any) -> Any:
        """``fn(*args, deadline)`` in a worker thread; past the time limit the answer is 503 and
        the check stops at its next rule or model batch (a request that timed out must not keep
        the CPU from the requests still waiting)."""
        deadline = time.monotonic() + settings.timeout_s
        try:
            call = functools.partial(fn, *args, deadline)
            return await asyncio.wait_for(anyio.to_thread.run_sync(call, limiter=checks_at_once), settings.timeout_s)
        except (TimeoutError, CheckTimeout):
            raise ApiError(503, f"the check took longer than {settings.timeout_s:g} s", {"Retry-After": "30"}) from None

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

    @app.post("/v1/check")
    async def check(req: CheckRequest) -> dict[str, Any]:
        res = await timed(_check, settings, req)
        return check_response(settings, req.text, res)

    @app.post("/v1/render", response_class=HTMLResponse)
    async def render(req: RenderRequest) -> HTMLResponse:
        """The editor's page: the article with every finding highlighted, message and fix on
        hover or click, and a summary with the verdict (``mtcheck check --format html``)."""
        res = await timed(_check, settings, req)
        return HTMLResponse(to_html([file_result(req.text, res, req.title)], settings.block_at))

    @app.post("/v1/fix")
    async def fix(req: FixRequest) -> dict[str, Any]:
        def run(deadline: float) -> tuple[str, list[Finding], Result]:
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

        fixed, applied, after = await timed(run)
        return {
            "text": fixed,
            "changed": fixed != req.text,
            "applied": [
                {"code": f.code, "text": f.text, "replacement": f.fix.replacement if f.fix else None} for f in applied
            ],
            "remaining": finding_dicts(fixed, after.findings),
            "verdict": verdict(after.findings, settings.block_at),
        }

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

    @app.post("/v2/check")
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
            raise ApiError(422, f"language must be auto or a code such as en-US, not {language!r}") from None
        res = await timed(_check, settings, req)
        return languagetool_response(body, res, language)

    return app


def app_from_env() -> FastAPI:
    """The factory uvicorn's workers call (``mtcheck.server:app_from_env``)."""
    return create_app(ServerSettings.from_env())
