"""Reference images in: each one checked, EXIF-rotated and made plain 8-bit RGB.

A bad file gets an error naming the file and the reason, and the others are
kept. Accepted: JPEG, PNG and WebP stills from 128 px to 40 megapixels. CMYK,
16-bit and transparent images are converted (transparency onto white).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

FORMATS = {"JPEG", "PNG", "WEBP"}
MIN_SIDE = 128
MAX_PIXELS = 40_000_000
MAX_BYTES = 50 * 1024 * 1024
MIN_IMAGES, MAX_IMAGES = 3, 20


@dataclass
class Reference:
    path: Path
    image: object  # PIL.Image.Image, RGB
    sha256: str
    note: str = ""  # what was converted, if anything


@dataclass
class Intake:
    accepted: list[Reference] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # "name: reason"


def load_reference(path: str | Path) -> Reference:
    """One image, or InputError("<file>: <reason>")."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    path = Path(path)
    name = path.name

    def bad(reason: str) -> InputError:
        return InputError(f"{name}: {reason}")

    if not path.is_file():
        raise bad("file not found")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise bad(f"file is {size / 2**20:.0f} MB; at most {MAX_BYTES // 2**20} MB")
    data = path.read_bytes()
    try:
        with Image.open(path) as probe:
            kind, (width, height) = probe.format, probe.size
            frames = getattr(probe, "n_frames", 1)
    except Image.DecompressionBombError as err:
        raise bad(f"too large ({_claimed_size(err)}; at most {MAX_PIXELS // 1_000_000} megapixels)") from None
    except UnidentifiedImageError:
        raise bad("not an image file (use JPEG, PNG or WebP)") from None
    except (OSError, SyntaxError, ValueError) as err:
        raise bad(f"damaged image ({err})") from None
    if kind not in FORMATS:
        animated = "an animated image" if frames > 1 else "an image"
        raise bad(f"is {animated} in {kind} format; use JPEG, PNG or WebP")
    if frames > 1:
        raise bad(f"animated {kind} images are not accepted; export one frame")
    if width * height > MAX_PIXELS:
        raise bad(f"too large ({width}×{height} pixels; at most {MAX_PIXELS // 1_000_000} megapixels)")
    if min(width, height) < MIN_SIDE:
        raise bad(f"too small ({width}×{height} pixels; at least {MIN_SIDE} on the short side)")
    try:
        with Image.open(path) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image, note = _to_rgb(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as err:
        reason = "the file is truncated" if "truncated" in str(err) else f"damaged image ({err})"
        raise bad(reason) from None
    return Reference(path, image, hashlib.sha256(data).hexdigest(), note)


def _claimed_size(err: Exception) -> str:
    """PIL's decompression-bomb message carries the size the header claims."""
    import re

    match = re.search(r"\((\d+) pixels\)", str(err))
    if match:
        pixels = int(match.group(1))
        side = int(pixels ** 0.5)
        return f"{side}×{side} pixels" if side * side == pixels else f"{pixels} pixels"
    return "far too many pixels"


def _to_rgb(image):
    """8-bit RGB, and a note of what was converted."""
    from PIL import Image

    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L")  # 16-bit → 8-bit
        return image.convert("RGB"), "16-bit converted to 8-bit"
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat, "transparency flattened onto white"
    if mode == "CMYK":
        return image.convert("RGB"), "CMYK converted to RGB"
    return image.convert("RGB"), ""


def intake(paths: list[str | Path]) -> Intake:
    """Check every file; duplicates (same bytes) are kept once."""
    result, seen = Intake(), set()
    if len(paths) > MAX_IMAGES * 3:
        raise InputError(f"{len(paths)} files given; choose {MIN_IMAGES}–{MAX_IMAGES} good pictures of the character")
    for path in paths:
        try:
            ref = load_reference(path)
        except InputError as err:
            result.rejected.append(str(err))
            continue
        if ref.sha256 in seen:
            result.rejected.append(f"{ref.path.name}: the same picture was given twice")
            continue
        seen.add(ref.sha256)
        result.accepted.append(ref)
    return result


def require_enough(result: Intake) -> None:
    count = len(result.accepted)
    if count < MIN_IMAGES:
        why = f" ({'; '.join(result.rejected[:3])})" if result.rejected else ""
        raise InputError(f"{count} usable picture(s); training needs at least {MIN_IMAGES}{why}")
    if count > MAX_IMAGES:
        raise InputError(f"{count} pictures; use at most {MAX_IMAGES} (the best, most varied ones)")
