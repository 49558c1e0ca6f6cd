"""LocalModel through the real path: a tiny random Llama saved locally, lm-format-enforcer holding it to the schema."""

from __future__ import annotations

import pytest

from storyboard.errors import Cancelled
from storyboard.planning.llm.backend import LLMError
from storyboard.planning.llm.local import LocalModel, _Constraint, _prompt
from storyboard.planning.llm.schema import Limits, parse_plan, plan_schema
from storyboard.progress import CancelToken

from .conftest import TINY_LIMITS

pytest.importorskip("transformers")
pytest.importorskip("lmformatenforcer")

MAX_TOKENS = 600  # the tiny model's plans for TINY_LIMITS take ~240 tokens


def messages(story: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": "Plan the storyboard as JSON."}, {"role": "user", "content": story}]


@pytest.fixture(scope="module")
def llm(tiny_llm):
    with LocalModel(str(tiny_llm)) as model:
        yield model


@pytest.mark.parametrize("story", ["A storm rolls in.", "MARA runs to the hangar and shouts at the crew: go!",
                                   'Quotes " and \\ backslashes { } [ ] : ,'])
def test_output_always_parses_and_is_deterministic(llm, one_thread, story):
    text = llm.generate(messages(story), plan_schema(TINY_LIMITS), max_tokens=MAX_TOKENS)
    plan = parse_plan(text, TINY_LIMITS)
    assert plan["scenes"] and len(plan["scenes"]) <= TINY_LIMITS.scenes
    assert "\t" not in text and "\n" not in text
    if story.startswith("A storm"):
        assert llm.generate(messages(story), plan_schema(TINY_LIMITS), max_tokens=MAX_TOKENS) == text


def test_other_limits_still_parse(llm, one_thread):
    limits = Limits(cast=1, scenes=1, shots=1, lines=1, name=5, text=12)
    text = llm.generate(messages("Night."), plan_schema(limits), max_tokens=MAX_TOKENS)
    parse_plan(text, limits)


def test_strings_never_start_with_whitespace(llm):
    """lm-format-enforcer does not count a string's leading whitespace towards maxLength: such tokens are held back."""
    import torch

    tok = llm.tokenizer
    prompt = _prompt(tok, messages("x"))
    constraint = _Constraint(llm._vocab, {"type": "string", "maxLength": 3}, len(prompt), tok.decode)
    ids = list(prompt)
    constraint(0, torch.tensor(ids))
    ids.append(tok.convert_tokens_to_ids('"'))
    allowed = constraint(0, torch.tensor(ids))
    assert allowed and not any(tok.decode([t])[:1].isspace() for t in allowed)


def test_running_out_of_tokens_returns_what_there_is(llm, one_thread):
    text = llm.generate(messages("A storm."), plan_schema(TINY_LIMITS), max_tokens=8)
    assert text.startswith("{") and len(llm.tokenizer.encode(text, add_special_tokens=False)) <= 8


def test_cancel_before_start_and_while_generating(llm, one_thread):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        llm.generate(messages("A storm."), plan_schema(TINY_LIMITS), max_tokens=MAX_TOKENS, cancel=token)

    class CancelAfter(CancelToken):  # cancelled from the stopping criterion once a few steps ran
        def __init__(self):
            super().__init__()
            self.asked = 0

        @property
        def cancelled(self):
            self.asked += 1
            if self.asked >= 3:
                self.cancel()
            return super().cancelled

    token = CancelAfter()
    with pytest.raises(Cancelled):
        llm.generate(messages("A storm."), plan_schema(TINY_LIMITS), max_tokens=MAX_TOKENS, cancel=token)
    assert 3 <= token.asked < 10


def test_close_frees_and_generate_reloads(tiny_llm, one_thread):
    model = LocalModel(str(tiny_llm))
    assert model.model is None  # nothing loaded in __init__
    model.generate(messages("a"), plan_schema(TINY_LIMITS), max_tokens=4)
    assert model.model is not None and model.plan.device == "cpu" and model.plan.dtype == "float32"
    model.close()
    assert model.model is None and model.tokenizer is None
    assert model.generate(messages("a"), plan_schema(TINY_LIMITS), max_tokens=4).startswith("{")
    model.close()


def test_pickle_only_folder_is_refused(tmp_path, tiny_llm):
    (tmp_path / "config.json").write_text((tiny_llm / "config.json").read_text())
    (tmp_path / "pytorch_model.bin").write_bytes(b"not even a pickle")  # never opened
    with pytest.raises(LLMError, match="only .safetensors") as err:
        LocalModel(str(tmp_path)).generate(messages("a"), plan_schema(TINY_LIMITS), max_tokens=4)
    assert "\n" not in str(err.value)
    with pytest.raises(LLMError, match="pickle"):
        LocalModel(str(tmp_path)).check()


def test_missing_hub_id_fails_in_one_line(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "cache"))
    model = LocalModel("nobody-here/no-such-model-7b")
    for call in (model.check, lambda: model.generate(messages("a"), plan_schema(TINY_LIMITS), max_tokens=4)):
        with pytest.raises(LLMError) as err:
            call()
        text = str(err.value)
        assert "nobody-here/no-such-model-7b" in text and "not found" in text and "download" in text
        assert "\n" not in text


def test_missing_hub_id_with_local_files_only(monkeypatch, tmp_path):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "cache"))
    with pytest.raises(LLMError, match="no-such-model"):
        LocalModel("nobody-here/no-such-model", local_files_only=True).generate(
            messages("a"), plan_schema(TINY_LIMITS), max_tokens=4)


def test_check_says_where(tiny_llm):
    assert LocalModel(str(tiny_llm)).check() == f"folder {tiny_llm.resolve()}"
    with pytest.raises(LLMError, match="not a language-model folder|not found"):
        LocalModel(str(tiny_llm / "nope")).check()


def test_prompt_without_chat_template(tiny_llm):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_llm)
    tok.chat_template = None
    text = tok.decode(_prompt(tok, messages("A storm.")), skip_special_tokens=True)
    assert text == "system: Plan the storyboard as JSON.\nuser: A storm.\nassistant:"
    tok = AutoTokenizer.from_pretrained(tiny_llm)
    assert "<|assistant|>" in tok.decode(_prompt(tok, messages("A storm.")))
