"""Every PDF layout of the example screenplay's board: export time and a contact sheet of the pages.

    python benchmarks/bench_pdf_layouts.py [--sheet docs/pdf-layouts.png] [--story FILE]

Plans and sketches the story (the example screenplay by default), exports the
board in each layout (the cover, grid and beside, landscape and portrait, 1 to 9
per page), prints a table of pages and seconds per layout, and writes one PNG
with the first board page of each (and the cover) side by side, rendered with
pypdfium2 as a reader would see them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw  # noqa: E402

from storyboard import store, studio  # noqa: E402
from storyboard.export import PdfOptions, export_pdf  # noqa: E402
from storyboard.export.fonts import draw_text_with_fallback  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = [  # (label, options)
    ("cover", dict(cover=True)),
    ("6 landscape (grid)", dict(per_page=6)),
    ("2 landscape (auto: beside)", dict(per_page=2)),
    ("3 landscape (auto: beside)", dict(per_page=3)),
    ("9 landscape (grid)", dict(per_page=9)),
    ("1 landscape (beside)", dict(per_page=1, layout="beside")),
    ("3 portrait (grid)", dict(per_page=3, orientation="portrait")),
    ("6 portrait (beside)", dict(per_page=6, orientation="portrait", layout="beside")),
    ("2 portrait (grid)", dict(per_page=2, orientation="portrait")),
]
THUMB = 420  # px: the longer side of each page on the sheet


def page_image(pdf: Path, index: int) -> Image.Image:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[index]
        scale = THUMB / max(page.get_width(), page.get_height())
        return page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()


def sheet(images: list[tuple[str, Image.Image]], out: Path, columns: int = 3) -> None:
    cell_w, cell_h, label_h, pad = THUMB, THUMB, 26, 16
    rows = -(-len(images) // columns)
    canvas = Image.new("RGB", (pad + columns * (cell_w + pad), pad + rows * (cell_h + label_h + pad)), (236, 236, 236))
    draw = ImageDraw.Draw(canvas)
    for i, (label, image) in enumerate(images):
        x = pad + (i % columns) * (cell_w + pad)
        y = pad + (i // columns) * (cell_h + label_h + pad)
        draw_text_with_fallback(draw, (x, y), label, 15, (20, 20, 20), bold=True)
        left, top = x + (cell_w - image.width) // 2, y + label_h + (cell_h - image.height) // 2
        canvas.paste(image, (left, top))
        draw.rectangle((left - 1, top - 1, left + image.width, top + image.height), outline=(150, 150, 150))
    out.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--story", default=str(ROOT / "assets" / "examples" / "last_light.fountain"))
    parser.add_argument("--sheet", default=str(ROOT / "docs" / "pdf-layouts.png"), help="the contact sheet to write")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "board"
        studio.plan_file(args.story, folder)
        studio.render(folder)
        project = store.load(folder)
        print(f"{project.title}: {len(project.scenes)} shots\n")
        print("| layout | pages | seconds |\n|---|---:|---:|")
        images = []
        for label, options in LAYOUTS:
            out = Path(tmp) / f"{len(images)}.pdf"
            start = time.perf_counter()
            export_pdf(project, folder, out, PdfOptions(**options))
            seconds = time.perf_counter() - start
            import pypdfium2 as pdfium

            pages = len(pdfium.PdfDocument(str(out)))
            print(f"| {label} | {pages} | {seconds:.2f} |")
            images.append((label, page_image(out, 0)))
        sheet(images, Path(args.sheet))
    print(f"\ncontact sheet: {args.sheet}")


if __name__ == "__main__":
    main()
