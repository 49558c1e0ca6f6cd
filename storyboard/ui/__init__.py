"""The Gradio studio. `build_app()` is imported lazily so that importing this
package costs nothing; gradio itself is imported only when the app is built."""


def build_app(**kwargs):
    from .app import build_app as build

    return build(**kwargs)
