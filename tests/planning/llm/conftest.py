"""Fixtures for the language-model backends: a tiny random causal LM built and saved locally (nothing downloaded)."""

from __future__ import annotations

import json
import string

import pytest

from storyboard import film
from storyboard.planning.llm.schema import DURATIONS, Limits

TINY_LIMITS = Limits(cast=2, scenes=1, shots=2, lines=1, name=8, text=24)
CHAT_TEMPLATE = ("{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}\n{% endfor %}"
                 "{% if add_generation_prompt %}<|assistant|>{% endif %}")


def _corpus() -> list[str]:
    """Printable ASCII, JSON punctuation and plan-like JSON, so BPE learns multi-character tokens such as '": "'."""
    shot = {"characters": ["MARA"], "action": "Mara checks the engine.",
            "dialogue": [{"character": "MARA", "text": "Not tonight."}], "shot": next(iter(film.SHOT_SIZES)),
            "angle": next(iter(film.ANGLES)), "move": next(iter(film.MOVES)), "duration_s": DURATIONS[3]}
    plan = {"cast": [{"name": "MARA", "description": "a tired pilot"}],
            "scenes": [{"heading": "INT. HANGAR - NIGHT", "interior": "INT", "location": "HANGAR",
                        "time_of_day": "NIGHT", "shots": [shot]}]}
    words = " ".join([*film.SHOT_SIZES, *film.ANGLES, *film.MOVES, *map(str, DURATIONS)])
    return [string.printable, '{}[]:,"\\ ', json.dumps(plan), json.dumps(plan, indent=2), words,
            "The storm rolls in over the harbour. She runs."] * 3


@pytest.fixture(scope="session")
def tiny_llm(tmp_path_factory):
    """A folder with a random 2-layer Llama (safetensors) and a byte-level BPE tokenizer with a chat template."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    folder = tmp_path_factory.mktemp("tiny-llm")
    specials = ["<unk>", "<s>", "</s>", "<pad>"]
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(_corpus(), trainer)
    tokenizer = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", bos_token="<s>",
                                                     eos_token="</s>", pad_token="<pad>",
                                                     clean_up_tokenization_spaces=False)
    tokenizer.chat_template = CHAT_TEMPLATE
    tokenizer.save_pretrained(folder)

    torch.manual_seed(0)
    config = transformers.LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                                      num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                                      max_position_embeddings=4096, bos_token_id=tokenizer.bos_token_id,
                                      eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)
    model = transformers.LlamaForCausalLM(config)
    model.save_pretrained(folder, safe_serialization=True)
    return folder


@pytest.fixture
def one_thread():
    """torch on one thread while a test generates: a tiny model is faster so on a busy 2-core machine."""
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
