"""Planning with a language model (a local transformers model or an OpenAI-compatible server), checked against one
schema, with the embedded planner as the fallback for any window that fails. See planner.py."""
