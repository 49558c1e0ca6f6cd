"""Encoders for the animatic (PyAV, no system ffmpeg): H.264/AAC in MP4, and GIF.

`Mp4Writer` and `GifWriter` take RGB frames (uint8 H×W×3) one at a time and never hold more than one;
`Soundtrack` decodes a WAV/MP3 lazily, resamples it to 48 kHz stereo and cuts or pads it to the picture.
PyAV is imported inside each class, so importing the export package stays cheap.
"""

from __future__ import annotations

import logging
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image

from ..errors import ExportError

log = logging.getLogger(__name__)

CRF = 23  # x264 quality: 18 near-lossless … 28 small; 23 is its default and plenty for sketches
PRESET = "veryfast"  # see benchmarks/bench_animatic.py for the speed of each preset
AUDIO_RATE = 48_000
AUDIO_BITRATE = 160_000
AAC_FRAME = 1024  # samples per AAC frame
GIF_COLOURS = 256


def sound_format(path: Path) -> str:
    """"wav" or "mp3" from the file's first bytes; ExportError for anything else (whatever its name says)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
    except OSError as err:
        raise ExportError(f"cannot read audio file {path}: {err.strerror or err}") from None
    if head[:4] in (b"RIFF", b"RF64") and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    raise ExportError(f"audio file {path} is not a WAV or MP3 file")


class Soundtrack:
    """An audio file under the cut: opened and checked now, decoded as the picture is written."""

    def __init__(self, path: str | Path) -> None:
        import av

        self.path = Path(path)
        self.written = 0  # samples encoded so far
        self.stream = self.output = None  # set by `add_to`
        if not self.path.is_file():
            what = "is a folder" if self.path.is_dir() else "does not exist"
            raise ExportError(f"audio file {self.path} {what}")
        demuxer = sound_format(self.path)
        try:  # only the WAV or MP3 demuxer, local file only: a playlist posing as a .wav can never fetch anything
            self.container = av.open(str(self.path), format=demuxer, options={"protocol_whitelist": "file"})
        except (av.FFmpegError, OSError) as err:
            raise ExportError(f"cannot read audio file {self.path} ({_reason(err)}); use a WAV or MP3 file") from None
        try:
            if not self.container.streams.audio:
                raise ExportError(f"audio file {self.path} has no sound in it")
            self.resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE)
            self.fifo = av.AudioFifo()
            self.decoded = self.container.decode(audio=0)
            self.ended = False
            self._decode_some()  # a file that cannot be decoded fails here, before any video work
        except BaseException:
            self.container.close()
            raise

    def close(self) -> None:
        self.container.close()

    def add_to(self, container) -> None:
        """Add the AAC stream to an output container (before its first packet)."""
        self.stream = container.add_stream("aac", rate=AUDIO_RATE)
        self.stream.layout = "stereo"
        self.stream.bit_rate = AUDIO_BITRATE
        self.output = container

    def write_until(self, samples: int, final: bool = False) -> None:
        """Encode sound up to sample `samples` (whole AAC frames unless `final`), silence past the file's end."""
        while self.written + AAC_FRAME <= samples or (final and self.written < samples):
            count = min(AAC_FRAME, samples - self.written)
            self._encode(self._take(count))
        if final:
            for packet in self.stream.encode(None):
                self.output.mux(packet)

    def _encode(self, chunk: np.ndarray) -> None:
        import av

        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
        frame.sample_rate = AUDIO_RATE
        frame.pts = self.written
        frame.time_base = Fraction(1, AUDIO_RATE)
        self.written += chunk.shape[1]
        for packet in self.stream.encode(frame):
            self.output.mux(packet)

    def _take(self, count: int) -> np.ndarray:
        """The next `count` samples (2 × count float32), padded with silence after the file ends."""
        while self.fifo.samples < count and not self.ended:
            self._decode_some()
        chunk = np.zeros((2, count), np.float32)
        available = min(count, self.fifo.samples)
        if available:
            chunk[:, :available] = self.fifo.read(available).to_ndarray()
        return chunk

    def _decode_some(self) -> None:
        import av

        try:
            frame = next(self.decoded, None)
        except av.FFmpegError as err:
            raise ExportError(f"cannot decode audio file {self.path}: {_reason(err)}") from None
        if frame is None:
            self.ended = True
        for out in self.resampler.resample(frame):  # None flushes the resampler
            out.pts = None  # the FIFO checks continuity of pts; ours are counted in `written`
            self.fifo.write(out)


class Mp4Writer:
    """H.264 (yuv420p, BT.601 limited range, tagged) in MP4 with +faststart; AAC sound when given."""

    def __init__(self, path: Path, size: tuple[int, int], fps: int, sound: Soundtrack | None = None) -> None:
        import av

        self.container = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
        self.fps, self.sound, self.count = fps, sound, 0
        stream = self.container.add_stream("libx264", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.time_base = self.time_base = Fraction(1, fps)  # the muxer changes the stream's own later
        stream.options = {"preset": PRESET, "crf": str(CRF)}
        context = stream.codec_context
        context.colorspace, context.color_range = 6, 1  # SMPTE 170M (BT.601) matrix, limited range: as converted
        self.stream = stream
        if sound is not None:
            sound.add_to(self.container)

    def add(self, rgb: np.ndarray) -> None:
        import av
        import cv2

        frame = av.VideoFrame.from_ndarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420), format="yuv420p")
        frame.pts = self.count
        frame.time_base = self.time_base
        self.count += 1
        for packet in self.stream.encode(frame):
            self.container.mux(packet)
        if self.sound is not None and self.count % self.fps == 0:  # keep sound and picture interleaved
            self.sound.write_until(self.count * AUDIO_RATE // self.fps)

    def finish(self) -> None:
        for packet in self.stream.encode(None):
            self.container.mux(packet)
        if self.sound is not None:
            self.sound.write_until(self.count * AUDIO_RATE // self.fps, final=True)
        self.container.close()

    def abandon(self) -> None:
        _close_quietly(self.container)


class GifWriter:
    """A looping GIF with one palette for all frames (so the encoder stores only what changed per frame).

    Frame k shows from round(k * 100 / fps) centiseconds; the last frame lasts until `total_cs`, so the GIF
    runs exactly as long as the board (to GIF's 1/100 s).
    """

    def __init__(
        self, path: Path, size: tuple[int, int], fps: int, palette: Image.Image, total_cs: int, frames: int
    ) -> None:
        import av

        last_pts = round((frames - 1) * 100 / fps)
        options = {"loop": "0", "final_delay": str(max(1, total_cs - last_pts))}
        self.container = av.open(str(path), "w", format="gif", options=options)
        self.fps, self.count, self.palette = fps, 0, palette
        stream = self.container.add_stream("gif", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "pal8"
        stream.time_base = self.time_base = Fraction(1, 100)
        self.stream = stream
        colours = np.asarray(palette.getpalette()[: 3 * GIF_COLOURS], np.uint8).reshape(-1, 3)
        self.argb = np.zeros((256, 4), np.uint8)
        self.argb[: len(colours), 1:] = colours
        self.argb[:, 0] = 255

    def add(self, rgb: np.ndarray) -> None:
        import av

        indices = Image.fromarray(rgb).quantize(palette=self.palette, dither=Image.Dither.NONE)
        frame = av.VideoFrame.from_ndarray((np.asarray(indices), self.argb), format="pal8")
        frame.pts = round(self.count * 100 / self.fps)
        frame.time_base = self.time_base
        self.count += 1
        for packet in self.stream.encode(frame):
            self.container.mux(packet)

    def finish(self) -> None:
        for packet in self.stream.encode(None):
            self.container.mux(packet)
        self.container.close()

    def abandon(self) -> None:
        _close_quietly(self.container)


def gif_palette(tiles: list[np.ndarray]) -> Image.Image:
    """One palette for a whole GIF: 240 colours of its panels (small, equal-sized RGB tiles), also darkened as
    under caption boxes and in fades, plus 16 greys from black to white for text."""
    shades = [(tile * share).astype(np.uint8) for tile in tiles for share in (1.0, 0.6, 0.35)]
    adaptive = Image.fromarray(np.vstack(shades)).quantize(GIF_COLOURS - 16, method=Image.Quantize.MEDIANCUT)
    colours = adaptive.getpalette()[: 3 * (GIF_COLOURS - 16)]
    colours += colours[:3] * (GIF_COLOURS - 16 - len(colours) // 3)  # fewer colours found: repeat one
    colours += [round(255 * k / 15) for k in range(16) for _ in range(3)]
    palette = Image.new("P", (1, 1))
    palette.putpalette(colours)
    return palette


def _close_quietly(container) -> None:
    """Close an output after a failure; the partial file is deleted anyway, so its trailer does not matter."""
    try:
        container.close()
    except Exception as err:  # FFmpeg may refuse to finish a half-written file
        log.debug("closing an abandoned animatic output failed: %s", err)


def _reason(err: BaseException) -> str:
    """FFmpeg's message without the file name PyAV appends (the caller names the file)."""
    text = getattr(err, "strerror", None) or str(err)
    return " ".join(str(text).split())[:200]
