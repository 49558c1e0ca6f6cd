"""Font runs with the CJK fallback, for reportlab and PIL."""

from __future__ import annotations

from PIL import Image, ImageDraw
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from storyboard.export import fonts


def test_split_runs_picks_dejavu_then_droid():
    assert fonts.split_runs("Zoë Дмитрий 👋") == [(fonts.REGULAR, "Zoë Дмитрий 👋")]
    assert fonts.split_runs("Hi 李明 there", bold=True) == [
        (fonts.BOLD, "Hi "),
        (fonts.FALLBACK, "李明 "),
        (fonts.BOLD, "there"),
    ]
    assert fonts.split_runs("") == []
    assert "".join(chunk for _, chunk in fonts.split_runs("a 中 b 文 c")) == "a 中 b 文 c"


def test_paragraph_markup_is_escaped_and_renders():
    markup = fonts.paragraph_markup("<b>A & B</b> 我在")
    assert markup == (
        f'<font name="{fonts.REGULAR}">&lt;b&gt;A &amp; B&lt;/b&gt; </font>'
        f'<font name="{fonts.FALLBACK}">我在</font>'
    )
    paragraph = Paragraph(markup, ParagraphStyle("caption", fontName=fonts.REGULAR, fontSize=9))
    width, height = paragraph.wrap(200, 100)
    assert 0 < height < 100


def test_pdf_width_adds_up_runs():
    assert fonts.pdf_width("ab", 10) == fonts.pdf_width("a", 10) + fonts.pdf_width("b", 10)
    assert fonts.pdf_width("中文", 10) > 0
    assert fonts.pdf_width("W", 10, bold=True) > fonts.pdf_width("W", 10)


def test_pil_helpers_measure_and_draw_cjk():
    assert fonts.pil_font(20).size == 20
    assert fonts.pil_font(20, bold=True).path.endswith("DejaVuSans-Bold.ttf")
    assert fonts.text_width("abc 中文", 20) > fonts.text_width("abc", 20) > 0

    image = Image.new("L", (200, 40), 255)
    end = fonts.draw_text_with_fallback(ImageDraw.Draw(image), (5, 5), "中文", 24, 0)
    assert abs(end - (5 + fonts.text_width("中文", 24))) <= 1
    # Real CJK glyphs have more ink than DejaVu's empty boxes would.
    box = Image.new("L", (200, 40), 255)
    ImageDraw.Draw(box).text((5, 5), "中文", font=fonts.pil_font(24), fill=0)
    ink = sum(image.histogram()[:128])
    box_ink = sum(box.histogram()[:128])
    assert ink > box_ink > 0
