"""One exception family for problems the user can fix.

Every `StoryboardError` carries a message meant for a person: the CLI prints it
as one line and exits 2, the app shows it with gr.Error / gr.Warning.
Programming errors are not wrapped and still raise normally.
"""


class StoryboardError(Exception):
    """A problem with the user's input, files or settings."""


class InputError(StoryboardError):
    """The text or file given to plan from cannot be used."""


class ProjectError(StoryboardError):
    """project.json is missing, unreadable or does not validate."""


class RenderError(StoryboardError):
    """A panel could not be rendered (unknown backend, bad settings)."""


class ExportError(StoryboardError):
    """An export option or destination is invalid."""


class Cancelled(StoryboardError):
    """The user cancelled a long-running job."""
