"""Storyboard Studio: from a synopsis or screenplay to a printed storyboard.

Importing this package is cheap: no model, torch or spaCy is loaded here.
"""

__version__ = "0.1.0"
