"""Storyboard Studio web app: `python app.py [--host H] [--port P] [--share]`."""

from __future__ import annotations

import argparse
import os


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the Storyboard Studio web app.")
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")))
    parser.add_argument("--share", action="store_true", help="create a public gradio.live link")
    args = parser.parse_args()

    from storyboard.ui.app import build_app, launch_options
    from storyboard.ui.policy import is_shared

    # Reachable by strangers (not localhost, a share link, a Space): model boxes take only the host's list.
    app = build_app(shared=is_shared(args.host, args.share)).queue(default_concurrency_limit=8)
    app.launch(server_name=args.host, server_port=args.port, share=args.share, **launch_options())


if __name__ == "__main__":
    main()
