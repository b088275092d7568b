"""Torch backends: a causal LM scores each text after a prefix token.

Registered models ship as GGUF files inside a PyPI package. transformers reads GGUF, but takes
about 30 s to dequantise it, so the first use converts it once into the cache folder as
safetensors; later loads map that file and take under a second.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import math
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtcheck.lm.base import ModelUnavailable, Probe, Progress, SentenceScores
from mtcheck.lm.heads import SpanHead, category_logits, head_for, risk, token_features
from mtcheck.lm.registry import ModelSpec
from mtcheck.resources import cache_dir

INSTALL_TORCH = "pip install torch==2.13.0 && pip install 'mtcheck[lm]'"
MAX_TOKENS = 256  # longer texts are scored in windows of this many tokens
BATCH_TOKENS = 512  # padded tokens per forward pass: larger batches gain nothing on a CPU
LN2 = math.log(2)


def _imports(need_transformers: bool = True) -> tuple[Any, Any]:
    try:
        import torch

        transformers: Any = None
        if need_transformers:
            transformers = importlib.import_module("transformers")
    except ImportError as e:
        raise ModelUnavailable(
            f"the language model needs torch and transformers ({e.name} is missing): {INSTALL_TORCH}"
        ) from None
    return torch, transformers


def gguf_path(spec: ModelSpec, assemble: bool = True) -> Path:
    """The weights file inside the model's package, found without importing the package
    (its ``__init__`` imports the ``llm`` CLI, which the weights don't need). Chunked weights
    are joined once into the cache (``assemble=False``: only check that the chunks are there,
    and return the first)."""
    assert spec.package and spec.gguf
    if spec.parts:
        chunks = [_package_file(spec, package, name) for package, name in spec.parts]
        return _joined(spec, chunks) if assemble else chunks[0]
    return _package_file(spec, spec.package, spec.gguf)


def _package_file(spec: ModelSpec, package: str, name: str) -> Path:
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError:
        raise ModelUnavailable(
            f"model {spec.name} is not installed: {spec.install} (or pass --no-lm for rule checks only)"
        ) from None
    for f in dist.files or ():
        if f.name == name:
            return Path(str(dist.locate_file(f)))
    raise ModelUnavailable(f"package {package} has no file {name}: reinstall it with {spec.install}")


def _joined(spec: ModelSpec, chunks: list[Path]) -> Path:
    """The chunks joined into one GGUF file in the cache, checked against its digest once
    (a file of the right size is trusted after that: hashing 250 MB takes a second a run)."""
    import hashlib

    assert spec.gguf
    root = cache_dir() or Path(tempfile.mkdtemp(prefix="mtcheck-model-"))
    size = sum(c.stat().st_size for c in chunks)
    target = root / "models" / f"{spec.name}-v{spec.version}-gguf" / spec.gguf
    if target.is_file() and target.stat().st_size == size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                with chunk.open("rb") as fh:
                    while block := fh.read(1 << 20):
                        digest.update(block)
                        out.write(block)
        if spec.sha256 and digest.hexdigest() != spec.sha256:
            raise ModelUnavailable(f"the chunks of model {spec.name} do not join to its weights: {spec.install}")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def converted_dir(spec: ModelSpec) -> Path:
    """The cache folder holding the converted model, built on first use."""
    src = gguf_path(spec)
    root = cache_dir()
    if root is None:  # caching disabled: a private folder for this process
        root = Path(tempfile.mkdtemp(prefix="mtcheck-model-"))
    st = src.stat()
    target = root / "models" / f"{spec.name}-v{spec.version}-{st.st_size}"
    if (target / "model.safetensors").is_file():
        return target
    _convert(src, target)
    return target


def _convert(src: Path, target: Path) -> None:
    torch, transformers = _imports()
    print(f"mtcheck: preparing language model {src.name} (once, about 30 s)...", file=sys.stderr, flush=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
    try:
        tok = transformers.AutoTokenizer.from_pretrained(str(src.parent), gguf_file=src.name)
        gguf_model = transformers.AutoModelForCausalLM.from_pretrained(
            str(src.parent), gguf_file=src.name, dtype=torch.float32
        )
        # save_pretrained refuses a model loaded from GGUF: rebuild a plain one and copy weights.
        config = gguf_model.config
        # The plain copy is not quantised: a GGUF quantisation entry would make transformers
        # look for the GGUF file again when it loads the copy.
        if hasattr(config, "quantization_config"):
            del config.quantization_config
        model = transformers.AutoModelForCausalLM.from_config(config)
        model.load_state_dict(gguf_model.state_dict())
        model.save_pretrained(str(tmp))
        tok.save_pretrained(str(tmp))
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


Encoded = list[tuple[list[int], list[tuple[int, int]]]]
# (ids, layers) -> (logits, residual streams after those layers): what a learned head reads.
Forward = Callable[[Any, tuple[int, ...]], tuple[Any, list[Any]]]


class TorchScorer:
    """Scores texts with any torch model that maps token ids to next-token logits."""

    def __init__(
        self,
        spec: ModelSpec,
        logits: Callable[[Any], Any],
        encode: Callable[[list[str]], Encoded],
        prefix_id: int,
        forward: Forward | None = None,
        head: SpanHead | None = None,
    ) -> None:
        self.spec = spec
        self.logits = logits
        self.encode = encode
        self.prefix_id = prefix_id
        self.forward = forward
        self.head = head if forward is not None else None
        self.torch, _ = _imports(need_transformers=False)
        # One forward pass at a time: torch already spreads a pass over every core, so passes
        # from concurrent requests (the HTTP service's threads) would only thrash the caches and
        # multiply the activations' memory. Taken per batch, not per text, so that a short
        # article is not held up behind a long one: their batches take turns.
        self._lock = threading.Lock()

    @classmethod
    def load(cls, spec: ModelSpec) -> TorchScorer:
        """Through transformers: any causal LM with a fast tokenizer."""
        torch, transformers = _imports()
        offline = spec.location is not None and not Path(spec.location).is_dir()
        where = str(converted_dir(spec)) if spec.gguf else str(spec.location)
        try:
            tok = transformers.AutoTokenizer.from_pretrained(where, local_files_only=offline or None)
            model = transformers.AutoModelForCausalLM.from_pretrained(
                where, dtype=torch.float32, local_files_only=offline or None
            )
        except (OSError, ValueError) as e:
            hint = " (it must be in the local Hugging Face cache: nothing is downloaded)" if offline else ""
            raise ModelUnavailable(f"cannot load model {spec.name}{hint}: {e}") from None
        if not getattr(tok, "is_fast", False):
            raise ModelUnavailable(f"model {spec.name} has no fast tokenizer: mtcheck needs character offsets")
        model.eval()
        prefix = tok.get_vocab().get(spec.prefix) if spec.prefix else None
        if prefix is None:
            prefix = tok.bos_token_id if tok.bos_token_id is not None else tok.eos_token_id
        if prefix is None:
            raise ModelUnavailable(f"model {spec.name} has no BOS or EOS token to score texts after")

        def encode(texts: list[str]) -> Encoded:
            enc = tok(texts, add_special_tokens=False, return_offsets_mapping=True)
            return [
                (list(i), [tuple(o) for o in offs])
                for i, offs in zip(enc["input_ids"], enc["offset_mapping"], strict=True)
            ]

        return cls(spec, lambda ids: model(input_ids=ids).logits, encode, int(prefix))

    @classmethod
    def load_native(cls, spec: ModelSpec) -> TorchScorer:
        """The registered Llama models, without transformers (see ``mtcheck.lm.llama``)."""
        torch, _ = _imports(need_transformers=False)
        from tokenizers import Tokenizer

        from mtcheck.lm.llama import Llama

        folder = converted_dir(spec)
        tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        model = Llama.from_folder(folder, torch)
        prefix = tok.token_to_id(spec.prefix or "")
        if prefix is None:
            raise ModelUnavailable(f"model {spec.name} has no token {spec.prefix!r}")

        def encode(texts: list[str]) -> Encoded:
            return [(list(e.ids), list(e.offsets)) for e in tok.encode_batch(texts, add_special_tokens=False)]

        return cls(spec, model.logits, encode, prefix, model.forward, head_for(spec.name))

    @property
    def key(self) -> str:
        """What identifies this scorer's results in the cache: the model and its head."""
        return self.spec.key + (f"+{self.head.key}" if self.head else "")

    # -- scoring -------------------------------------------------------------------------------

    def _windows(self, ids: list[int]) -> list[tuple[int, list[int]]]:
        """(first token index, prefix + tokens) for each window of a long text."""
        if not ids:
            return []
        return [(i, [self.prefix_id, *ids[i : i + MAX_TOKENS]]) for i in range(0, len(ids), MAX_TOKENS)]

    def _padded(self, seqs: list[list[int]]) -> Any:
        # Right padding: causal attention keeps real tokens from seeing it, so no mask is needed.
        ids = self.torch.full((len(seqs), max(len(s) for s in seqs)), self.prefix_id, dtype=self.torch.long)
        for r, s in enumerate(seqs):
            ids[r, : len(s)] = self.torch.tensor(s)
        return ids

    def _forward(self, seqs: list[list[int]], wanted: list[list[tuple[int, int]]]) -> _Pass:
        """Log2-probabilities of each sequence's own next tokens, of extra (row, token id)
        pairs asked for in ``wanted``, and the head's error risk per token, in one padded
        forward pass."""
        torch = self.torch
        ids = self._padded(seqs)
        risks: list[list[float]] = []
        cats: list[list[int]] = []
        with torch.inference_mode():
            head = self.head
            if head is not None and self.forward is not None:
                logits, kept = self.forward(ids, head.layers)
            else:
                logits, kept = self.logits(ids), []
            logits = logits.float()
            # log p = logit - logsumexp: no second vocabulary-sized tensor (log_softmax would
            # double the peak memory of a batch, 200 MB at 1,024 tokens).
            norm = torch.logsumexp(logits, dim=-1)
            nxt = ids[:, 1:].unsqueeze(-1)
            own = (logits[:, :-1].gather(-1, nxt).squeeze(-1) - norm[:, :-1]) / LN2
            extra = [
                [float((norm[r, row] - logits[r, row, tok]) / LN2) for row, tok in w] for r, w in enumerate(wanted)
            ]
            if head is not None and kept:
                feats = token_features(torch, ids, logits, norm, kept, [len(s) for s in seqs])
                p = risk(torch, feats, head)
                risks = [p[r, : len(s) - 1].tolist() for r, s in enumerate(seqs)]
                cl = category_logits(torch, feats, head)
                if cl is not None:
                    best = cl.argmax(-1)
                    cats = [best[r, : len(s) - 1].tolist() for r, s in enumerate(seqs)]
        own_bits = [(-own[r, : len(s) - 1]).tolist() for r, s in enumerate(seqs)]
        return _Pass(own_bits, extra, risks, cats)

    def token_features(
        self, texts: Sequence[str], layers: tuple[int, ...], progress: Progress | None = None
    ) -> list[tuple[list[tuple[int, int]], Any]]:
        """For training a head on ``layers``: each text's token offsets and a (tokens, D)
        float16 array of the features ``score`` gives a head, from the same windows and batches."""
        import numpy as np

        if self.forward is None:
            raise ModelUnavailable(f"model {self.spec.name} gives no hidden states for a head")
        encoded = self.encode(list(texts))
        rows = [(t, first, seq) for t, (ids, _) in enumerate(encoded) for first, seq in self._windows(ids)]
        feats: list[list[Any]] = [[] for _ in texts]
        order = sorted(range(len(rows)), key=lambda r: len(rows[r][2]))
        done = 0
        for batch in _batches(order, [len(rows[r][2]) for r in order]):
            seqs = [rows[r][2] for r in batch]
            ids = self._padded(seqs)
            with self._lock, self.torch.inference_mode():
                logits, kept = self.forward(ids, layers)
                logits = logits.float()
                norm = self.torch.logsumexp(logits, dim=-1)
                f = token_features(self.torch, ids, logits, norm, kept, [len(s) for s in seqs])
            for i, r in enumerate(batch):
                t, first, seq = rows[r]
                feats[t].append((first, f[i, : len(seq) - 1].numpy().astype(np.float16)))
            done += len(batch)
            if progress:
                progress(done, len(rows))
        out = []
        for t, (_, offs) in enumerate(encoded):
            parts = [a for _, a in sorted(feats[t], key=lambda x: x[0])]
            width = parts[0].shape[1] if parts else 0
            out.append((list(offs), np.concatenate(parts) if parts else np.zeros((0, width), np.float16)))
        return out

    def score(
        self,
        texts: Sequence[str],
        probes: Sequence[Sequence[Probe]] | None = None,
        progress: Progress | None = None,
    ) -> list[SentenceScores]:
        encoded = self.encode(list(texts))
        # Each window is one row; long texts are rare in news, so windows just restart context.
        rows: list[tuple[int, int, list[int]]] = []  # (text index, first token, sequence)
        for t, (ids, _) in enumerate(encoded):
            rows.extend((t, first, seq) for first, seq in self._windows(ids))
        probe_ids = self._probe_tokens(texts, encoded, probes)
        bits: list[list[float]] = [[0.0] * len(ids) for ids, _ in encoded]
        has_head = self.head is not None
        has_cats = self.head is not None and bool(self.head.categories)
        risks: list[list[float]] = [[0.0] * len(ids) if has_head else [] for ids, _ in encoded]
        cats: list[list[int]] = [[0] * len(ids) if has_cats else [] for ids, _ in encoded]
        probe_bits: list[dict[int, float]] = [{} for _ in texts]
        order = sorted(range(len(rows)), key=lambda r: len(rows[r][2]))
        done = 0
        for batch in _batches(order, [len(rows[r][2]) for r in order]):
            wanted: list[list[tuple[int, int]]] = []
            keys: list[list[int]] = []
            for r in batch:
                t, first, seq = rows[r]
                w, k = [], []
                for pi, (tok_index, alt) in probe_ids[t].items():
                    if first <= tok_index < first + len(seq) - 1:
                        w.append((tok_index - first, alt))  # row predicting the word's first token
                        k.append(pi)
                wanted.append(w)
                keys.append(k)
            with self._lock:
                res = self._forward([rows[r][2] for r in batch], wanted)
            for i, (r, k) in enumerate(zip(batch, keys, strict=True)):
                t, first, _ = rows[r]
                o = res.bits[i]
                bits[t][first : first + len(o)] = o
                probe_bits[t].update(zip(k, res.extra[i], strict=True))
                if res.risks:
                    risks[t][first : first + len(o)] = res.risks[i]
                if res.categories:
                    cats[t][first : first + len(o)] = res.categories[i]
            done += len(batch)
            if progress:
                progress(done, len(rows))
        out = []
        for t, (text, (_, offs)) in enumerate(zip(texts, encoded, strict=True)):
            out.append(
                SentenceScores(text, tuple(offs), tuple(bits[t]), probe_bits[t], tuple(risks[t]), tuple(cats[t]))
            )
        return out

    def _probe_tokens(
        self,
        texts: Sequence[str],
        encoded: list[tuple[list[int], list[tuple[int, int]]]],
        probes: Sequence[Sequence[Probe]] | None,
    ) -> list[dict[int, tuple[int, int]]]:
        """For each probe: (index of the word's first token, first token id of the alternative)."""
        out: list[dict[int, tuple[int, int]]] = [{} for _ in texts]
        if not probes:
            return out
        for t, (text, (ids, offs), ps) in enumerate(zip(texts, encoded, probes, strict=True)):
            alts = [(" " + alt) if pos > 0 and text[pos - 1] == " " else alt for pos, alt in ps]
            alt_ids = [ids for ids, _ in self.encode(alts)] if alts else []
            for pi, ((pos, _), a) in enumerate(zip(ps, alt_ids, strict=True)):
                tok = next((i for i, (s, e) in enumerate(offs) if s <= pos < e), None)
                if tok is not None and a:
                    out[t][pi] = (tok, a[0])
        return out


@dataclass(frozen=True)
class _Pass:
    bits: list[list[float]]
    extra: list[list[float]]
    risks: list[list[float]]  # empty without a head
    categories: list[list[int]]


def _batches(order: list[int], lengths: list[int]) -> list[list[int]]:
    """Consecutive rows (sorted by length) grouped so that padded size stays under budget."""
    out: list[list[int]] = []
    cur: list[int] = []
    for r, n in zip(order, lengths, strict=True):
        if cur and n * (len(cur) + 1) > BATCH_TOKENS:
            out.append(cur)
            cur = []
        cur.append(r)
    if cur:
        out.append(cur)
    return out
