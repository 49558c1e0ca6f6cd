"""Character training: a few reference images → a DreamBooth-style LoRA per character."""
