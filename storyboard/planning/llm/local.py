"""A causal language model run in-process with transformers, its answer held to the plan's JSON schema.

`LocalModel(ref)` takes a Hugging Face hub id (read from the HF cache; downloaded only when the hub is allowed) or a
local folder with config.json, a tokenizer and .safetensors weights. Nothing loads until the first `generate`;
`close()` gives the memory back to diffusion.

Constrained decoding: lm-format-enforcer (`lmformatenforcer.JsonSchemaParser` + `TokenEnforcer`). Chosen over
xgrammar because it is pure Python (no compiled wheel per platform, no triton: xgrammar pulls ~200 MB of triton on
Linux even for CPU-only torch) and its per-token cost is negligible next to a forward pass of a real model. What was
verified (tests/planning/llm/test_local.py, and random walks over the parser): `enum` (strings and numbers), `minItems`,
`maxItems`, `minLength`, `required` and `additionalProperties: false` are honoured. Two defects of lm-format-enforcer
0.11 are worked around here rather than trusted:

- a string's LEADING whitespace is not counted towards `maxLength` (and whitespace-only tokens inside a string skip
  its whitespace limit), so a string could grow without bound. Here no token that starts with whitespace may follow a
  string's opening quote, and no token holds a quote followed by whitespace: strings never start with whitespace;
- tokens with control characters (tab, newline) are accepted inside strings, which is invalid JSON. Here tokens with
  control characters are never allowed: the JSON comes out compact (spaces only).

Its transformers integration module does not import under transformers 5 (it imports `transformers.tokenization_utils`)
so the few lines it holds (the vocabulary table and the `prefix_allowed_tokens_fn`) are written here.
xgrammar 0.2.9 was also tried (random walks, vocabulary with a tab token): it honoured the lengths but let raw tabs
into strings too. Multi-byte characters a vocabulary can only spell in byte pieces are not written (whole-character
tokens, all ASCII and the common accented letters of real vocabularies, are).
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import Cancelled
from ...paths import missing_path_or_hub_id
from ...progress import CancelToken
from .backend import LLMError

log = logging.getLogger(__name__)

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl")
WHITESPACE = " \t\n\r"


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false", "False")


def _download_hint(ref: str) -> str:
    return f"download it once with a network (`hf download {ref}`, or `huggingface-cli download {ref}`)"


@dataclass(frozen=True)
class _Source:
    kind: str  # "folder" or "hub"
    ref: str


def _source(ref: str) -> _Source:
    """Where `ref` points, or LLMError in one line (pickle weights are refused without being opened)."""
    ref = ref.strip()
    path = Path(ref).expanduser()
    if ref.lower().endswith(PICKLE_SUFFIXES):
        raise LLMError(f"{path.name}: only .safetensors language-model weights are loaded (pickle files can run code)")
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise LLMError(f"{path} is not a language-model folder (it has no config.json)")
        if not any(path.glob("*.safetensors")):
            pickles = sorted(p.name for p in path.iterdir() if p.suffix.lower() in PICKLE_SUFFIXES)
            if pickles:
                raise LLMError(f"{path} holds only pickle weights ({', '.join(pickles[:3])}); only .safetensors "
                               "weights are loaded (pickle files can run code): convert them or use another model")
            raise LLMError(f"{path} has no .safetensors weights")
        return _Source("folder", str(path.resolve()))
    kind = missing_path_or_hub_id(ref)
    if kind == "path":
        raise LLMError(f"language-model folder not found: {path}")
    if kind != "hub":
        raise LLMError(f"{ref!r} is neither a language-model folder nor a hub id like owner/name")
    return _Source("hub", ref)


def _cached(repo_id: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(repo_id, "config.json")
    except Exception:  # no cache, or an unreadable one: not there
        return False
    return isinstance(found, str)


# -- the vocabulary as lm-format-enforcer sees it ----------------------------------------------------------------------
@dataclass
class _Vocab:
    data: Any  # lmformatenforcer.TokenEnforcerTokenizerData
    ws_start: frozenset[int]  # tokens whose text starts with whitespace (never right after a string's opening quote)
    eos: list[int]


def _vocab(tokenizer, eos: list[int]) -> _Vocab:
    from lmformatenforcer import TokenEnforcerTokenizerData

    special = set(tokenizer.all_special_ids)
    ids = [i for i in range(len(tokenizer)) if i not in special]
    zero = tokenizer.encode("0", add_special_tokens=False)[-1]
    # "0" + token, first character dropped: keeps the leading space a word-start token (sentencepiece) decodes with
    after_zero = tokenizer.batch_decode([[zero, i] for i in ids], clean_up_tokenization_spaces=False)
    regular, ws_start = [], set()
    for i, text in zip(ids, after_zero):
        text = text[1:]
        if not text or "\ufffd" in text or any(not c.isprintable() and c != " " for c in text) or _quote_space(text):
            continue  # part of a UTF-8 character, control characters (invalid in JSON strings), a quote then whitespace
        if text[0] in WHITESPACE:
            ws_start.add(i)
        regular.append((i, text, False))

    def decode(tokens: list[int]) -> str:
        return tokenizer.decode(tokens, clean_up_tokenization_spaces=False).rstrip("\ufffd")

    data = TokenEnforcerTokenizerData(regular, decode, eos, False, len(tokenizer))
    return _Vocab(data, frozenset(ws_start), eos)


def _quote_space(text: str) -> bool:
    return any(a == '"' and b in WHITESPACE for a, b in zip(text, text[1:]))


class _Constraint:
    """transformers' prefix_allowed_tokens_fn: the tokens the schema allows next (lm-format-enforcer), minus any
    whitespace-led token right after a string's opening quote."""

    def __init__(self, vocab: _Vocab, schema: dict, prompt_len: int, decode) -> None:
        from lmformatenforcer import CharacterLevelParserConfig, JsonSchemaParser, TokenEnforcer

        parser = JsonSchemaParser(schema)
        self.enforcer = TokenEnforcer(vocab.data, parser)
        # TokenEnforcer replaces the parser's config (alphabet: the tokenizer's); one space at most between JSON tokens
        alphabet = vocab.data.tokenizer_alphabet
        parser.config = CharacterLevelParserConfig(alphabet=alphabet, max_consecutive_whitespaces=1)
        self.vocab = vocab
        self.prompt_len = prompt_len
        self.decode = decode
        self._scan = ("", False, False, False)  # text scanned, in a string, after a backslash, at an opening quote

    def __call__(self, batch_id: int, sent) -> list[int]:
        ids = sent.tolist()
        allowed = self.enforcer.get_allowed_tokens(ids).allowed_tokens
        if len(ids) > self.prompt_len and self._at_opening_quote(self.decode(ids[self.prompt_len:])):
            allowed = [t for t in allowed if t not in self.vocab.ws_start]
        return allowed or self.vocab.eos

    def _at_opening_quote(self, text: str) -> bool:
        done, in_string, escaped, opening = self._scan
        if not text.startswith(done):
            done, in_string, escaped, opening = "", False, False, False
        for ch in text[len(done):]:
            opening = False
            if in_string:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = opening = True
        self._scan = (text, in_string, escaped, opening)
        return opening


class _CancelCriteria:
    """The check behind the StoppingCriteria of _generate: stops between steps once the token is cancelled."""

    def __init__(self, cancel: CancelToken | None) -> None:
        self.cancel = cancel
        self.stopped = False

    def __call__(self, input_ids, scores, **kwargs):
        import torch

        self.stopped = self.cancel is not None and self.cancel.cancelled
        return torch.full((input_ids.shape[0],), self.stopped, dtype=torch.bool, device=input_ids.device)


def _out_of_memory(err: BaseException) -> bool:
    try:
        import torch

        if isinstance(err, torch.cuda.OutOfMemoryError):
            return True
    except (ImportError, AttributeError):
        pass
    return isinstance(err, RuntimeError) and "out of memory" in str(err).lower()


def _prompt(tokenizer, messages: list[dict[str, str]]) -> list[int]:
    """The chat template when the tokenizer has one, else "system: …\\nuser: …\\nassistant:" as plain text."""
    if getattr(tokenizer, "chat_template", None):
        text = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        return tokenizer.encode(text, add_special_tokens=False)
    text = "\n".join(f"{m['role']}: {m['content']}" for m in messages) + "\nassistant:"
    return tokenizer.encode(text, add_special_tokens=True)


class LocalModel:
    """The Backend that runs a causal LM in this process (lazily loaded, freed by close())."""

    name = "local"

    def __init__(self, model: str, *, device: str = "auto", dtype: str = "auto",
                 local_files_only: bool | None = None) -> None:
        self.ref = model.strip()
        self.device = device
        self.dtype = dtype
        self.local_files_only = local_files_only
        self.model = None  # the loaded transformers model, None until the first generate and after close()
        self.tokenizer = None
        self.plan = None  # the DevicePlan it runs on
        self._vocab: _Vocab | None = None
        self._lock = threading.RLock()

    # -- Backend ---------------------------------------------------------------------------------------------------
    def check(self) -> str:
        source = _source(self.ref)
        if source.kind == "folder":
            return f"folder {source.ref}"
        if _cached(source.ref):
            return f"{source.ref} in the Hugging Face cache"
        raise LLMError(f"language model {source.ref!r} not found in the Hugging Face cache; "
                       f"{_download_hint(source.ref)}")

    def generate(self, messages: list[dict[str, str]], schema: dict[str, Any], *, max_tokens: int,
                 cancel: CancelToken | None = None) -> str:
        if cancel is not None:
            cancel.check()
        with self._lock:
            self._load()
            if cancel is not None:
                cancel.check()
            try:
                return self._generate(messages, schema, max_tokens, cancel)
            except Cancelled:
                raise
            except Exception as err:
                if _out_of_memory(err):
                    raise LLMError(f"the language model ran out of memory on {self.plan.device} while planning; "
                                   "close other programs, use a smaller model or run it on the CPU") from None
                raise

    def close(self) -> None:
        with self._lock:
            loaded = self.model is not None
            self.model = self.tokenizer = self._vocab = None
            if not loaded:
                return
            gc.collect()
            try:
                import torch

                if torch.cuda.is_available():
                    torch.cuda.empty_cache()
                mps = getattr(torch, "mps", None)
                if mps is not None and torch.backends.mps.is_available():
                    mps.empty_cache()
            except ImportError:
                pass

    def __enter__(self) -> LocalModel:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- inside ----------------------------------------------------------------------------------------------------
    def _load(self) -> None:
        if self.model is not None:
            return
        source = _source(self.ref)
        from ...render.device import detect, plan_device

        try:
            plan = plan_device(detect(), self.device, self.dtype)
        except ValueError as err:
            raise LLMError(f"language model: {err}") from None
        offline = _offline() if self.local_files_only is None else self.local_files_only
        if source.kind == "hub" and offline and not _cached(source.ref):
            raise LLMError(f"language model {source.ref!r} not found in the Hugging Face cache (offline); "
                           f"{_download_hint(source.ref)}")
        import torch
        import transformers
        from packaging.version import Version
        from transformers import AutoModelForCausalLM, AutoTokenizer

        dtype_key = "dtype" if Version(transformers.__version__) >= Version("4.56") else "torch_dtype"
        dtype = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32}[plan.dtype]
        try:
            tokenizer = AutoTokenizer.from_pretrained(source.ref, local_files_only=offline)
            model = AutoModelForCausalLM.from_pretrained(source.ref, local_files_only=offline, use_safetensors=True,
                                                         **{dtype_key: dtype})
            model.to(plan.device)
        except (OSError, ValueError, KeyError) as err:
            log.warning("loading %s failed: %s", source.ref, err)
            if source.kind == "hub":
                raise LLMError(f"language model {source.ref!r} not found or not loadable (.safetensors weights "
                               f"needed); {_download_hint(source.ref)}") from None
            first = str(err).splitlines()[0] if str(err) else err.__class__.__name__
            raise LLMError(f"could not load the language model {source.ref}: {first}") from None
        except Exception as err:
            if _out_of_memory(err):
                raise LLMError(f"the language model {source.ref} does not fit: out of memory on {plan.device}; "
                               "use a smaller model or run it on the CPU") from None
            raise
        model.eval()
        eos = model.generation_config.eos_token_id if model.generation_config is not None else None
        eos = list(eos) if isinstance(eos, (list, tuple)) else [eos] if eos is not None else []
        if tokenizer.eos_token_id is not None and tokenizer.eos_token_id not in eos:
            eos.append(tokenizer.eos_token_id)
        if not eos:
            raise LLMError(f"the language model {source.ref} has no end-of-sequence token")
        self._vocab = _vocab(tokenizer, eos)
        self.model, self.tokenizer, self.plan = model, tokenizer, plan

    def _generate(self, messages, schema, max_tokens: int, cancel: CancelToken | None) -> str:
        import torch
        from transformers import GenerationConfig, StoppingCriteria, StoppingCriteriaList

        tokenizer, vocab = self.tokenizer, self._vocab
        prompt = _prompt(tokenizer, messages)
        input_ids = torch.tensor([prompt], device=self.plan.device)

        def decode(ids: list[int]) -> str:
            return tokenizer.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False)

        constraint = _Constraint(vocab, schema, len(prompt), decode)
        stop = _CancelCriteria(cancel)

        class Criteria(StoppingCriteria):
            def __call__(self, input_ids, scores, **kwargs):
                return stop(input_ids, scores)

        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else vocab.eos[0]
        config = GenerationConfig(max_new_tokens=max_tokens, do_sample=False, num_beams=1,
                                  eos_token_id=vocab.eos, pad_token_id=pad)
        with torch.inference_mode():
            out = self.model.generate(input_ids, attention_mask=torch.ones_like(input_ids), generation_config=config,
                                      prefix_allowed_tokens_fn=constraint,
                                      stopping_criteria=StoppingCriteriaList([Criteria()]))
        if stop.stopped and cancel is not None:
            cancel.check()
        return decode(out[0, len(prompt):].tolist()).strip()
