"""Reference pictures: every bad file is named with its reason, the good ones are kept and made RGB."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from storyboard.errors import InputError
from storyboard.slug import slugify
from storyboard.training.captions import caption, class_word, trigger_for
from storyboard.training.crops import crop, saliency_centre, square_on
from storyboard.training.intake import intake, load_reference, require_enough


def _png_header_only(path, width, height):
    """A valid PNG signature and IHDR claiming width×height, and no pixel data (a decompression-bomb header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)  # a few bytes of pixels; the header promises 2.7 GB of them
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


@pytest.fixture()
def bad_files(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("this is not a picture")
    good = Image.new("RGB", (300, 300), (200, 50, 50))
    full = tmp_path / "full.jpg"
    good.save(full, quality=90)
    truncated = tmp_path / "cut.jpg"
    truncated.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    tiny = tmp_path / "dot.png"
    Image.new("RGB", (1, 1)).save(tiny)
    huge = tmp_path / "huge.png"
    _png_header_only(huge, 30000, 30000)
    gif = tmp_path / "moving.gif"
    frames = [Image.new("RGB", (200, 200), c) for c in ((255, 0, 0), (0, 0, 255))]
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return {text: "not an image", truncated: "truncated", tiny: "too small (1×1", huge: "too large (30000×30000",
            gif: "is an animated image in GIF format; use JPEG, PNG or WebP"}


def test_a_bmp_is_named_by_its_format(tmp_path):
    bmp = tmp_path / "still.bmp"
    Image.new("RGB", (300, 300), (0, 90, 0)).save(bmp)
    with pytest.raises(InputError) as err:
        load_reference(bmp)
    assert str(err.value) == "still.bmp: is an image in BMP format; use JPEG, PNG or WebP"


def test_each_bad_file_is_named_with_its_reason(bad_files):
    for path, reason in bad_files.items():
        with pytest.raises(InputError) as err:
            load_reference(path)
        assert str(err.value).startswith(f"{path.name}: ") and reason in str(err.value), str(err.value)


def test_intake_keeps_the_good_ones_and_lists_the_bad(bad_files, toy_pictures):
    result = intake(list(bad_files) + toy_pictures + [toy_pictures[0]])
    assert [r.path for r in result.accepted] == toy_pictures
    assert len(result.rejected) == len(bad_files) + 1  # and the duplicate
    assert any("given twice" in r for r in result.rejected)
    require_enough(result)
    with pytest.raises(InputError, match="at least 3"):
        require_enough(intake(list(bad_files) + toy_pictures[:2]))


@pytest.mark.parametrize("mode, note", [("CMYK", "CMYK"), ("I;16", "16-bit"), ("RGBA", "transparency")])
def test_cmyk_16_bit_and_alpha_are_converted(tmp_path, mode, note):
    path = tmp_path / f"pic-{mode.replace(';', '')}.{'jpg' if mode == 'CMYK' else 'png'}"
    if mode == "I;16":
        Image.fromarray(np.arange(256 * 256, dtype=np.uint16).reshape(256, 256)).save(path)
    elif mode == "RGBA":
        image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
        image.paste((200, 30, 30, 255), (64, 64, 192, 192))
        image.save(path)
    else:
        Image.new("CMYK", (256, 256), (0, 200, 200, 0)).save(path)
    ref = load_reference(path)
    assert ref.image.mode == "RGB" and note in ref.note
    if mode == "RGBA":
        assert ref.image.getpixel((5, 5)) == (255, 255, 255) and ref.image.getpixel((128, 128)) == (200, 30, 30)


def test_exif_rotation_is_applied(tmp_path):
    image = Image.new("RGB", (300, 200), (0, 0, 0))
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    path = tmp_path / "phone.jpg"
    image.save(path, exif=exif)
    assert load_reference(path).image.size == (200, 300)


def test_crops_are_square_and_follow_what_stands_out(toy_pictures):
    image = Image.open(toy_pictures[0]).convert("RGB")
    cx, cy = saliency_centre(image)
    assert 60 < cx < 140  # the red figure, not the middle of the grey
    made = crop(image, 128)
    assert made.image.size == (128, 128) and made.method == "saliency (OpenCV)"
    assert square_on(200, 160, 190, 10, 500) == (40, 0, 200, 160)


def test_face_crop_centres_on_the_largest_face_with_room_for_shoulders():
    from storyboard.faces import Face

    class Finder:
        def detect(self, image):
            return [Face((150, 100, 190, 150), 0.9), Face((20, 20, 30, 30), 0.8)]

    image = Image.new("RGB", (600, 400))
    made = crop(image, 64, Finder())
    x0, y0, x1, y1 = made.box
    assert made.method == "face (insightface)" and x1 - x0 == y1 - y0 == 130
    assert x0 < 150 and x1 > 190 and y0 < 100 and y1 > 150 + 30  # the face and the shoulders below it


def test_captions_and_triggers():
    assert class_word("a young lighthouse keeper") == "person"
    assert class_word("Mara's brother") == "man" and class_word("a small red robot") == "robot"
    first = trigger_for("Mara")
    assert first == trigger_for("mara") and first != trigger_for("Tom")
    assert trigger_for("Mara", {first}) != first
    assert caption(first, "woman") == f"a photo of {first} woman"


@pytest.mark.parametrize("name, slug", [("../../x", "x"), ("CON", "con-"), ("Zoë 🐉", "zoe"), ("🐉", "item-")])
def test_names_become_safe_folder_names(name, slug):
    made = slugify(name)
    assert made.startswith(slug) and "/" not in made and ".." not in made


def test_face_models_missing_is_said_clearly(tmp_path):
    from storyboard.faces import availability

    ok, why = availability(root=tmp_path)
    assert not ok and str(tmp_path / "models" / "buffalo_l") in why and "non-commercial" in why
    (tmp_path / "models" / "buffalo_l").mkdir(parents=True)
    (tmp_path / "models" / "buffalo_l" / "det_10g.onnx").write_bytes(b"")
    ok, why = availability(root=tmp_path)
    assert ok and "buffalo_l" in why
