"""Command line: plan, render, export, make.

    python -m storyboard make story.txt --out board/
    python -m storyboard plan story.fountain --out board/
    python -m storyboard render board/ --scene 2 2A
    python -m storyboard export board/ --pdf --per-page 3 --portrait
    python -m storyboard export board/ --animatic --gif --storyboarder --otio --fcpxml --xml --edl

A problem the user can fix prints one line on stderr and exits 2. What the
project loader had to repair (a recovered copy of project.json, a replaced
scene id) is printed as one `storyboard: warning: …` line per note.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from . import __version__, film
from .errors import StoryboardError
from .progress import ProgressFn


class _StderrWarnings(logging.Handler):
    """The store's warnings as single `storyboard: warning: …` lines on (the current) stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        print(f"storyboard: warning: {message}", file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints usage too)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="storyboard", description="Synopsis or screenplay → storyboard panels, PDF and strips.")
    parser.add_argument("--version", action="version", version=f"storyboard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def llm_options(p: argparse.ArgumentParser) -> None:
        llm = p.add_argument_group("language-model planner (default: the embedded planner)")
        llm.add_argument("--planner", default="embedded", choices=("embedded", "local", "server"),
                         help="embedded (spaCy and rules, any machine), local (a transformers model) or server (an "
                              "OpenAI-compatible endpoint: Ollama, llama.cpp, vLLM, LM Studio); any part the model "
                              "cannot plan falls back to the embedded planner")
        llm.add_argument("--llm-model", dest="llm_model", default="",
                         help="local: a hub id in the Hugging Face cache or a model folder; server: the model's name")
        llm.add_argument("--llm-url", dest="llm_url", default="", help="server: the endpoint, e.g. "
                                                                         "http://127.0.0.1:11434/v1")
        llm.add_argument("--llm-key-env", dest="llm_key_env", default="STORYBOARD_LLM_KEY",
                         help="server: the environment variable holding the API key (never stored)")
        llm.add_argument("--llm-timeout", dest="llm_timeout", type=float, default=120.0,
                         help="server: seconds to wait for each answer")

    def plan_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("input", help="a synopsis (.txt) or screenplay (.fountain, or text with INT./EXT. sluglines)")
        p.add_argument("--out", required=True, help="the project folder to create or update")
        p.add_argument("--title", default="", help="the board's title (default: from the text or file name)")
        llm_options(p)
        p.add_argument("--author", default="", help="author or studio for the cover (default: the script's title page)")
        p.add_argument("--numbering", choices=("letters", "dashes"), default="letters",
                       help="shot numbers: letters (4, 4A, 4B) or dashes (4-1, 4-2); kept in the project")
        p.add_argument("--aspect", default="16:9", help=f"aspect ratio: {', '.join(film.ASPECT_RATIOS)}")
        p.add_argument("--style", default=None, help="style prompt for the whole board")
        p.add_argument(
            "--form",
            choices=("auto", "prose", "screenplay"),
            default="auto",
            help="read the input as prose or screenplay (default: detect)",
        )
        p.add_argument(
            "--coverage",
            choices=("sparse", "normal", "dense"),
            default="normal",
            help="how many shots a scene gets: sparse, normal (what a board artist hands in) or dense",
        )

    def export_options(p: argparse.ArgumentParser) -> None:
        files = p.add_argument_group("what to write (named from the title: <title>-storyboard.pdf …)")
        for kind, text in (
            ("pdf", "the PDF board"),
            ("strip", "a one-row PNG strip"),
            ("grid", "a PNG contact sheet"),
            ("csv", "the shot list (CSV)"),
            ("animatic", "the animatic (MP4, H.264)"),
            ("gif", "the animatic as a GIF"),
            ("storyboarder", "a folder of Storyboarder scenes to draw over"),
            ("otio", "an OpenTimelineIO timeline (DaVinci Resolve, OTIO tools)"),
            ("fcpxml", "a Final Cut Pro X / Resolve timeline (FCPXML)"),
            ("xml", "a Final Cut Pro 7 XML timeline (Premiere Pro, Resolve)"),
            ("edl", "a CMX 3600 EDL (Avid and every editor)"),
            ("zip", "a ZIP of project.json, the panels and the other files written"),
        ):
            files.add_argument(f"--{kind}", action="store_true", help=f"write {text}")
        pdf = p.add_argument_group("PDF")
        pdf.add_argument("--per-page", type=int, default=6, choices=(1, 2, 3, 6, 9), help="panels per PDF page")
        pdf.add_argument("--portrait", action="store_true", help="portrait PDF pages (default landscape)")
        pdf.add_argument("--page-size", dest="page_size", default="A4", choices=("A4", "Letter"), help="paper size")
        pdf.add_argument("--layout", default="auto", choices=("auto", "grid", "beside"),
                         help="caption under each panel (grid), text beside it (beside), or auto: beside for 2 "
                              "or 3 per landscape page")
        pdf.add_argument("--cover", action="store_true",
                         help="a cover page: title, author, date, synopsis, shot count and running time")
        pdf.add_argument("--coherence", action="store_true",
                         help="add the last coherence check (python -m storyboard check) as a PDF page")
        pdf.add_argument(
            "--hide",
            nargs="+",
            default=[],
            choices=film.CAPTION_FIELDS,
            metavar="FIELD",
            help=f"caption fields to leave out of the PDF: {', '.join(film.CAPTION_FIELDS)}",
        )
        movie = p.add_argument_group("animatic and timelines")
        movie.add_argument("--fps", type=int, default=24, choices=(24, 25, 30), help="frames per second")
        movie.add_argument("--width", type=int, default=1280, help="animatic frame width in pixels (1280)")
        movie.add_argument("--audio", default=None, help="a WAV or MP3 laid under the animatic, cut to its length")
        movie.add_argument("--no-captions", dest="captions", action="store_false",
                           help="no burned-in dialogue in the animatic")
        movie.add_argument("--no-overlay", dest="overlay", action="store_false",
                           help="no shot number and timecode in the animatic")
        movie.add_argument("--no-moves", dest="moves", action="store_false",
                           help="every panel holds still in the animatic (no pan, tilt, dolly …)")

    def render_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--backend", default="sketch", choices=("sketch", "diffusion", "auto"),
                       help="sketch (any machine), diffusion (a diffusers model), auto (diffusion when a GPU and "
                            "model are at hand)")
        p.add_argument("--model", default=None, help="diffusion model: hub id, diffusers folder or .safetensors "
                                                     "(default: $STORYBOARD_MODEL, else SD 1.5)")
        p.add_argument("--model-config", dest="model_config", default=None,
                       help="for a single-file model: a diffusers folder or hub id with its configs")
        p.add_argument("--steps", type=int, default=None, help="denoising steps (default 30)")
        p.add_argument("--guidance", type=float, default=None, help="guidance scale (default 7.5)")
        p.add_argument("--scheduler", default=None, help="default, ddim, euler, euler-a, dpm++, unipc, lcm")
        p.add_argument("--controlnet", default=None, help="a ControlNet (hub id or folder) steered by the blueprint")
        p.add_argument("--ip-adapter", dest="ip_adapter", default=None,
                       help="an IP-Adapter .safetensors (image_encoder folder beside it) fed each character's "
                            "first reference image")
        p.add_argument("--size", type=int, default=None, help="panel long side in pixels (sketch 960, diffusion 768)")
        p.add_argument("--offload", default=None, choices=("auto", "none", "model", "sequential"),
                       help="what stays on the GPU: auto (from the memory plan; see doctor), none, model, sequential")

    p = sub.add_parser("plan", help="text → project.json")
    plan_options(p)

    p = sub.add_parser("render", help="draw the panels of a project")
    p.add_argument("project", help="the project folder")
    p.add_argument("--scene", nargs="+", default=None, metavar="N", help="only these scene numbers")
    render_options(p)
    p.add_argument("--force", action="store_true", help="redraw panels that are up to date")
    p.add_argument("--aspect", default=None, help="change the aspect ratio before rendering")

    p = sub.add_parser("export", help="PDF, strip, grid, ZIP, CSV from a rendered project")
    p.add_argument("project", help="the project folder")
    export_options(p)

    p = sub.add_parser("make", help="plan + render + export in one go")
    plan_options(p)
    render_options(p)
    export_options(p)

    p = sub.add_parser("train", help="train a character's LoRA from 3–20 pictures")
    p.add_argument("project", help="the project folder")
    p.add_argument("--character", required=True, help="the character's name, as in the project")
    p.add_argument("--images", nargs="+", required=True, help="3–20 pictures (JPEG, PNG, WebP)")
    p.add_argument("--model", default=None, help="base model (default: $STORYBOARD_MODEL, else SD 1.5)")
    p.add_argument("--steps", type=int, default=None, help="training steps (default: per model family, SD 1.5: 500)")
    p.add_argument("--rank", type=int, default=None, help="LoRA rank, 4–16 (default 8)")
    p.add_argument("--resolution", type=int, default=None, help="training crop size (default: SD 1.5 512)")
    p.add_argument("--class-word", dest="class_word", default="", help="class noun (default: from the description)")
    p.add_argument("--kohya", action="store_true", help="also write a kohya/A1111-compatible copy")
    p.add_argument("--text-encoder", dest="text_encoder", action="store_true",
                   help="also train a text-encoder LoRA (SD 1.5/2)")

    p = sub.add_parser("import-lora", help="give a character a LoRA trained elsewhere (.safetensors only)")
    p.add_argument("project", help="the project folder")
    p.add_argument("--character", required=True)
    p.add_argument("file", help="the LoRA .safetensors file")

    p = sub.add_parser("check", help="identity and style coherence across the board; re-roll what drifts")
    p.add_argument("project", help="the project folder")
    p.add_argument("--threshold", type=float, default=0.28, help="ArcFace cosine below this is flagged (0.28)")
    p.add_argument("--style-threshold", dest="style_threshold", type=float, default=0.6,
                   help="colour similarity to the board below this is flagged (0.6)")
    p.add_argument("--reroll", type=int, default=0, metavar="K",
                   help="try K new seeds per flagged panel, keep the best")
    p.add_argument("--faces-root", dest="faces_root", default=None, help="insightface root folder (models/<pack>)")
    p.add_argument("--faces-pack", dest="faces_pack", default="buffalo_l", help="buffalo_l (default) or antelopev2")
    render_options(p)

    p = sub.add_parser("doctor", help="device, memory, versions, cached models and what rendering will use")
    p.add_argument("--model", default=None, help="the model to check (default: $STORYBOARD_MODEL, else SD 1.5)")
    p.add_argument("--size", type=int, default=None, help="panel long side for the memory plan (default: native)")
    p.add_argument("--controlnet", action="store_true", help="plan memory with a ControlNet")
    p.add_argument("--ip-adapter", dest="ip_adapter", action="store_true", help="plan memory with an IP-Adapter")
    p.add_argument("--offload", default="auto", choices=("auto", "none", "model", "sequential"),
                   help="plan with this offload instead of the one that fits")
    llm_options(p)
    return parser


def _render_settings(args: argparse.Namespace) -> dict:
    """Only what the user set: the renderer's own defaults fill in the rest."""
    names = ("model", "model_config", "steps", "guidance", "scheduler", "controlnet", "ip_adapter", "offload")
    return {name: getattr(args, name) for name in names if getattr(args, name) is not None}


def _export_request(args: argparse.Namespace):
    """The exports asked for; `make` always writes the PDF and the strip."""
    from .studio import EXPORT_KINDS, ExportRequest

    kinds = [k for k in EXPORT_KINDS if getattr(args, k)]
    if args.command == "make" or not kinds:
        kinds = ["pdf", "strip"] + [k for k in kinds if k not in ("pdf", "strip")]
    return ExportRequest(
        kinds=kinds,
        per_page=args.per_page,
        orientation="portrait" if args.portrait else "landscape",
        page_size=args.page_size,
        layout=args.layout,
        cover=args.cover,
        coherence_appendix=args.coherence,
        hidden_fields=list(args.hide),
        fps=args.fps,
        width=args.width,
        captions=args.captions,
        overlay=args.overlay,
        moves=args.moves,
        audio=args.audio,
    )


def _model_options(args: argparse.Namespace):
    from .planning.llm.planner import ModelOptions

    return ModelOptions(planner=args.planner, model=args.llm_model, url=args.llm_url, key_env=args.llm_key_env,
                        timeout=args.llm_timeout).checked()


@contextmanager
def _tqdm() -> Iterator[ProgressFn]:
    from tqdm import tqdm

    bar = tqdm(total=0, unit="panel", disable=None, file=sys.stderr, leave=False)

    def update(done: int, total: int, message: str) -> None:
        if bar.total != total:
            bar.reset(total=total)
        bar.n = done
        bar.set_postfix_str(message, refresh=True)

    try:
        yield update
    finally:
        bar.close()


def _export(folder: str, request, progress: ProgressFn) -> dict:
    """Load the project once, name what is not current (one warning line per kind: stale, missing …), export."""
    from . import store, studio
    from .export.options import panel_warnings
    from .export.service import shows_panels

    project = store.load(folder)
    for line in panel_warnings(project, folder) if shows_panels(request) else []:
        print(f"storyboard: warning: {line}; shown as blank frames (to update: python -m storyboard render "
              f"{folder})", file=sys.stderr)
    return studio.export_project(folder, project, request, progress=progress)


def run(args: argparse.Namespace) -> int:
    from . import store, studio

    plan_kw = {}
    if args.command in ("plan", "make"):
        store.project_path(args.out)  # refuses an existing folder named *.json before any work
        plan_kw = dict(title=args.title, aspect_ratio=args.aspect, style=args.style, form=args.form,
                       coverage=args.coverage, author=args.author, numbering=args.numbering,
                       model=_model_options(args))
    if args.command == "plan":
        with _tqdm() as progress:
            project = studio.plan_file(args.input, args.out, progress=progress, **plan_kw)
        print(
            f"planned {len(project.scenes)} scenes, {len(project.characters)} characters → "
            f"{store.project_path(args.out)}"
        )
    elif args.command == "render":
        with _tqdm() as progress:
            project, drawn = studio.render(
                args.project,
                backend=args.backend,
                numbers=args.scene,
                force=args.force,
                aspect_ratio=args.aspect,
                settings=_render_settings(args),
                long_side=args.size,
                progress=progress,
            )
        print(f"rendered {len(drawn)} of {len(project.scenes)} panels ({len(project.scenes) - len(drawn)} up to date)")
    elif args.command == "export":
        with _tqdm() as progress:
            files = _export(args.project, _export_request(args), progress)
        for path in files.values():
            print(path)
    elif args.command == "make":
        with _tqdm() as progress:
            files = studio.make(
                args.input, args.out, backend=args.backend, settings=_render_settings(args), long_side=args.size,
                request=_export_request(args), progress=progress, **plan_kw,
            )
        for path in files.values():
            print(path)
    elif args.command == "train":
        from .render.models import ModelManager
        from .training.service import train_character

        with _tqdm() as progress:
            done = train_character(
                args.project, args.character, args.images, models=ModelManager(), model=args.model,
                steps=args.steps, rank=args.rank, resolution=args.resolution, class_word=args.class_word,
                kohya=args.kohya, text_encoder=args.text_encoder,
                progress=lambda r: progress(r.step, r.steps, f"loss {r.loss:.4f} · {r.eta_s:.0f} s left"),
            )
        for line in done.prepared.rejected:
            print(f"skipped {line}", file=sys.stderr)
        print(f"trained {done.steps} steps (loss {done.final_loss:.4f}) → {done.adapter}")
        print(f"trigger word: {done.prepared.trigger} · crops: {', '.join(sorted(set(done.prepared.methods)))}")
    elif args.command == "import-lora":
        from .training.service import import_lora

        print(import_lora(args.project, args.character, args.file))
    elif args.command == "check":
        from pathlib import Path

        from . import coherence

        model, note = coherence.identity_model(Path(args.faces_root) if args.faces_root else None, args.faces_pack)
        project = store.load(args.project)
        report = coherence.check(project, args.project, threshold=args.threshold,
                                 style_threshold=args.style_threshold, model=model, note=note)
        if args.reroll and report.flagged():
            with _tqdm() as progress:
                changes = coherence.reroll_flagged(project, args.project, report, tries=args.reroll,
                                                   backend=args.backend, settings=_render_settings(args),
                                                   long_side=args.size, model=model, progress=progress)
            for change in changes:
                kept = "kept the old take" if change["kept_old"] else f"new seed {change['seed']}"
                print(f"scene {change['scene']}: {change['before']:.2f} → {change['after']:.2f} ({kept})")
            report = coherence.check(project, args.project, threshold=args.threshold,
                                     style_threshold=args.style_threshold, model=model, note=note)
        json_path, png_path = coherence.save(report, args.project)
        print(report.summary())
        print(f"{json_path}\n{png_path}")
    elif args.command == "doctor":
        from .doctor import report

        print("\n".join(report(args.model, _model_options(args), size=args.size, controlnet=args.controlnet,
                                ip_adapter=args.ip_adapter, offload=args.offload)))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    warnings = _StderrWarnings(logging.WARNING)
    logs = [logging.getLogger(name) for name in ("storyboard.store", "storyboard.planning")]  # repairs, fallbacks
    for log in logs:
        log.addHandler(warnings)
    try:
        return run(args)
    except StoryboardError as err:
        print(f"storyboard: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        where = f" {err.filename}" if getattr(err, "filename", None) else ""
        print(f"storyboard: error: cannot use{where}: {err.strerror or err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("storyboard: cancelled; finished panels were kept", file=sys.stderr)
        return 130
    finally:
        for log in logs:
            log.removeHandler(warnings)
