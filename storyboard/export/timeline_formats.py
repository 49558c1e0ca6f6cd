"""How each editorial format is written: OpenTimelineIO's adapters with the settings editors need.

The board's timeline (see `timeline.build_timeline`) is written as it is to
OTIO and FCP 7 XML; the EDL and FCPXML writers get a copy adjusted for what they
can carry (ASCII text and a one-hour leading gap for the EDL, names without "'"
and a fixed frame size for FCPXML).
"""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET

from unidecode import unidecode

from ..errors import ExportError
from .options import one_line

TIMELINE_FORMATS = {".otio": "otio_json", ".fcpxml": "fcpx_xml", ".xml": "fcp_xml", ".edl": "cmx_3600"}
PACKAGES = {"otio_json": "opentimelineio", "fcpx_xml": "otio-fcpx-xml-adapter", "fcp_xml": "otio-fcp-adapter",
            "cmx_3600": "otio-cmx3600-adapter"}  # what to install for each adapter
START_HOUR = 1  # timelines start at 01:00:00:00
LONG_SIDE, SHORT_SIDE = 1920, 1080  # HD: 16:9 → 1920x1080, 2.39:1 → 1920x804, 4:3 → 1440x1080, 9:16 → 1080x1920
NAMESPACE = "storyboard"  # our key in OTIO metadata
EDL_LINE = 80  # columns of a CMX 3600 line
EDL_LOC_PREFIX = len("* LOC: 00:00:00:00 YELLOW  ")  # what the adapter writes before a marker's name
EDL_TITLE_CHARS = 70
EDL_REEL_CHARS = 8  # CMX 3600 reel names: up to 8 letters and digits
EDL_MAX_EVENTS = 999  # event numbers have three digits
# Characters no XML file may hold (C0 controls but tab and newline, C1, lone surrogates, U+FFFE/U+FFFF).
_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def check_adapters(kinds: list[str]) -> None:
    """ExportError naming the package to install when OpenTimelineIO or a format's adapter is missing."""
    if importlib.util.find_spec("opentimelineio") is None:
        raise ExportError("timeline export needs OpenTimelineIO: pip install opentimelineio")
    import opentimelineio as otio

    known = set(otio.adapters.available_adapter_names())
    for kind in kinds:
        adapter = TIMELINE_FORMATS[f".{kind}"]
        if adapter not in known:
            raise ExportError(f"the .{kind} timeline needs OpenTimelineIO's {adapter} adapter: "
                              f"pip install {PACKAGES[adapter]}")


def check_edl(cuts: list, fps: int) -> None:
    """ExportError when the board's `cuts` (timeline.Cut) do not fit an EDL's event numbers or its 24-hour clock."""
    if len(cuts) > EDL_MAX_EVENTS:
        raise ExportError(f"an EDL holds at most {EDL_MAX_EVENTS} events and this board has {len(cuts)} shots; "
                          "export FCP XML or OTIO instead")
    end = START_HOUR * 3600 * fps + cuts[-1].start + cuts[-1].frames
    if end >= 24 * 3600 * fps:
        raise ExportError("an EDL's timecode ends at 24:00:00:00 and this board runs past it from 01:00:00:00; "
                          "export FCP XML or OTIO instead")


def serialize(timeline, kind: str, fps: int) -> bytes:
    """The timeline in one format, as the file's bytes."""
    if kind == "edl":
        text = _write(_for_edl(timeline, fps), kind, rate=fps, style="avid", reelname_len=EDL_REEL_CHARS)
        return text.encode("ascii")
    if kind == "fcpxml":
        text = _write(_for_fcpx(timeline), kind)
        return _fcpx_frame_size(text, timeline.metadata[NAMESPACE]["frame_size"], fps).encode("utf-8")
    return _write(timeline, kind).encode("utf-8")


def _write(timeline, kind: str, **options) -> str:
    import opentimelineio as otio

    try:
        return otio.adapters.write_to_string(timeline, TIMELINE_FORMATS[f".{kind}"], **options)
    except Exception as err:  # the adapter's own error on a timeline we built: say which format failed
        raise ExportError(f"OpenTimelineIO could not write the {kind} timeline: {one_line(str(err))[:200]}") from err


def _for_edl(timeline, fps: int):
    """A copy an EDL can carry: ASCII one-line text, lines within 80 columns, record time from 01:00:00:00.

    The EDL writer ignores `global_start_time`; a leading gap of one hour (gaps
    are absent record time in an EDL) starts the first event at 01:00:00:00.
    Markers become locators at their record timecode, as Avid writes them and
    Resolve reads them (the adapter writes a marker's time as it finds it).
    Shot, action and notes become comment lines (the reader keeps them as
    metadata["cmx_3600"]["comments"]).
    """
    import opentimelineio as otio

    copy = timeline.deepcopy()
    copy.name = ascii_line(timeline.name, EDL_TITLE_CHARS) or "UNTITLED"
    track = copy.tracks[0]
    record = otio.opentime.RationalTime(START_HOUR * 3600 * fps, fps)
    track.insert(0, otio.schema.Gap(source_range=otio.opentime.TimeRange(otio.opentime.RationalTime(0, fps), record)))
    for clip in track.find_clips():
        clip.name = ascii_line(clip.name, 40) or "SHOT"
        info = clip.metadata[NAMESPACE]
        comments = []
        for label, key in (("SHOT", "framing"), ("ACTION", "action"), ("NOTE", "notes")):
            text = ascii_line(info[key], EDL_LINE - len(label) - 4)
            if text:
                comments.append(f"{label}: {text}")
        clip.metadata["cmx_3600"]["comments"] = comments
        clip_start = track.range_of_child(clip).start_time
        for marker in clip.markers:
            marker.name = ascii_line(marker.comment or marker.name, EDL_LINE - EDL_LOC_PREFIX)
            span = marker.marked_range
            marker.marked_range = otio.opentime.TimeRange(clip_start + span.start_time, span.duration)
    return copy


def _for_fcpx(timeline):
    """A copy the FCPXML writer takes: it looks clips up by name in an XPath that a ' breaks."""
    copy = timeline.deepcopy()
    for clip in copy.find_clips():
        clip.name = clip.name.replace("'", "\u2019")
    return copy


def _fcpx_frame_size(text: str, size: list[int], fps: int) -> str:
    """The FCPXML with the frame size on its <format>: the adapter names the format from ffprobe's answer
    when ffprobe is installed and leaves it blank otherwise, so set width and height (and the standard
    name for 1080p) ourselves; the output then no longer depends on the machine."""
    header, sep, body = text.partition("<fcpxml")
    root = ET.fromstring(sep + body)
    for element in root.iterfind("./resources/format"):
        element.set("width", str(size[0]))
        element.set("height", str(size[1]))
        if tuple(size) == (LONG_SIDE, SHORT_SIDE):
            element.set("name", f"FFVideoFormat1080p{fps}")
        else:
            element.attrib.pop("name", None)  # a custom size: FCP reads width and height
    return header + ET.tostring(root, encoding="unicode") + "\n"


def xml_text(value: object) -> str:
    """`value` as text any XML file can hold: controls, lone surrogates and non-characters dropped."""
    return _UNWRITABLE.sub("", str(value))


def xml_line(value: object) -> str:
    """`_text` on one line."""
    return one_line(xml_text(value))


def cut_text(text: str, limit: int, ellipsis: str = "…") -> str:
    return text if len(text) <= limit else text[: limit - len(ellipsis)].rstrip() + ellipsis


def ascii_line(value: object, limit: int) -> str:
    """One line of printable ASCII for the EDL ("Zoë" → "Zoe", "李明" → "Li Ming"), cut to `limit`."""
    text = xml_line(value)
    if not text.isascii():
        text = unidecode(text)
    text = one_line("".join(ch for ch in text if " " <= ch <= "~"))
    return cut_text(text, limit, "...")
