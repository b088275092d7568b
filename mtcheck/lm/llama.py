"""A Llama-architecture causal LM in plain torch, for the registered default models.

Why not transformers: importing its model code takes 3-4 s on this class of machine, twice the
cost of torch itself, and a check of one article should not wait for it. This module needs only
torch, ``tokenizers`` and ``safetensors``, and gives the same log-probabilities as transformers'
``LlamaForCausalLM`` (a test compares them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class Llama:
    def __init__(self, config: dict[str, Any], weights: dict[str, Any], torch: Any) -> None:
        self.torch = torch
        self.F = torch.nn.functional
        self.w = weights
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.kv_heads = int(config.get("num_key_value_heads") or self.heads)
        self.head_dim = int(config.get("head_dim") or config["hidden_size"] // self.heads)
        self.eps = float(config.get("rms_norm_eps", 1e-6))
        rope = config.get("rope_parameters") or {}
        theta = float(rope.get("rope_theta") or config.get("rope_theta") or 10000.0)
        if (rope.get("rope_type") or "default") != "default" or config.get("rope_scaling"):
            raise ValueError("only plain RoPE is supported")
        if config.get("attention_bias") or config.get("mlp_bias") or config.get("hidden_act", "silu") != "silu":
            raise ValueError("unsupported Llama variant")
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.float32) / self.head_dim))
        self.head = weights.get("lm_head.weight", weights["model.embed_tokens.weight"])

    @classmethod
    def from_folder(cls, folder: Path, torch: Any) -> Llama:
        from safetensors.torch import load_file

        config = json.loads((folder / "config.json").read_text())
        if config.get("model_type") != "llama":
            raise ValueError(f"not a Llama model: {config.get('model_type')}")
        return cls(config, load_file(str(folder / "model.safetensors")), torch)

    def _rms(self, x: Any, weight: Any) -> Any:
        var = x.pow(2).mean(-1, keepdim=True)
        return weight * (x * self.torch.rsqrt(var + self.eps))

    def _rope(self, x: Any, cos: Any, sin: Any) -> Any:
        half = x.shape[-1] // 2
        rotated = self.torch.cat((-x[..., half:], x[..., :half]), dim=-1)
        return x * cos + rotated * sin

    def logits(self, ids: Any) -> Any:
        """Next-token logits for a (batch, length) tensor of right-padded token ids. Right
        padding needs no mask: with causal attention, real tokens never see the padding."""
        return self.forward(ids)[0]

    def forward(self, ids: Any, layers: tuple[int, ...] = ()) -> tuple[Any, list[Any]]:
        """Logits, and the residual stream after each layer in ``layers`` (1-based; the last
        layer's comes after the final norm, as the LM head reads it) for a learned head."""
        torch, F, w = self.torch, self.F, self.w
        kept: list[Any] = []
        batch, length = ids.shape
        freqs = torch.outer(torch.arange(length, dtype=torch.float32), self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos(), emb.sin()
        x = F.embedding(ids, w["model.embed_tokens.weight"])
        group = self.heads // self.kv_heads
        for i in range(self.layers):
            p = f"model.layers.{i}."
            h = self._rms(x, w[p + "input_layernorm.weight"])
            q = F.linear(h, w[p + "self_attn.q_proj.weight"]).view(batch, length, self.heads, self.head_dim)
            k = F.linear(h, w[p + "self_attn.k_proj.weight"]).view(batch, length, self.kv_heads, self.head_dim)
            v = F.linear(h, w[p + "self_attn.v_proj.weight"]).view(batch, length, self.kv_heads, self.head_dim)
            q = self._rope(q.transpose(1, 2), cos, sin)
            k = self._rope(k.transpose(1, 2), cos, sin).repeat_interleave(group, dim=1)
            v = v.transpose(1, 2).repeat_interleave(group, dim=1)
            a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            x = x + F.linear(a.transpose(1, 2).reshape(batch, length, -1), w[p + "self_attn.o_proj.weight"])
            h = self._rms(x, w[p + "post_attention_layernorm.weight"])
            gate = F.silu(F.linear(h, w[p + "mlp.gate_proj.weight"]))
            x = x + F.linear(gate * F.linear(h, w[p + "mlp.up_proj.weight"]), w[p + "mlp.down_proj.weight"])
            if i + 1 in layers and i + 1 < self.layers:
                kept.append(x)
        final = self._rms(x, w["model.norm.weight"])
        if self.layers in layers:
            kept.append(final)
        return F.linear(final, self.head), kept
