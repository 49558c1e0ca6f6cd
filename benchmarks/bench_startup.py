"""Time from `python app.py` to the first HTTP 200, beside a bare Gradio "hello world".

    python benchmarks/bench_startup.py [--runs 3]

Prints the median of each and their ratio (goal: the studio at most 1.5× hello world).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELLO = """
import gradio as gr
def greet(name):
    return "Hello " + name
gr.Interface(greet, "text", "text").launch(server_port={port})
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def time_to_200(command: list[str], port: int, env: dict) -> float:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < 120:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{command} did not answer in 120 s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    with tempfile.TemporaryDirectory() as tmp:
        env["STORYBOARD_SESSIONS"] = str(Path(tmp) / "sessions")
        hello_file = Path(tmp) / "hello.py"
        results = {"gradio hello world": [], "python app.py": []}
        for _ in range(args.runs):
            port = free_port()
            hello_file.write_text(HELLO.format(port=port))
            results["gradio hello world"].append(time_to_200([sys.executable, str(hello_file)], port, env))
            port = free_port()
            results["python app.py"].append(time_to_200([sys.executable, "app.py", "--port", str(port)], port, env))
    hello = statistics.median(results["gradio hello world"])
    print("| program | median s to first 200 | runs |")
    print("|---|---:|---|")
    for name, times in results.items():
        print(f"| {name} | {statistics.median(times):.2f} | {', '.join(f'{t:.2f}' for t in times)} |")
    print(f"| ratio (app / hello) | {statistics.median(results['python app.py']) / hello:.2f}× | goal ≤ 1.5× |")


if __name__ == "__main__":
    main()
