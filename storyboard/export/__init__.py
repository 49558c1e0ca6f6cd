"""Exports: the PDF board, image strip and contact sheet, project ZIP and shot-list CSV."""

from .images import export_grid, export_strip, export_zip
from .options import PdfOptions
from .pdf import export_pdf
from .shotlist import export_csv

__all__ = ["PdfOptions", "export_csv", "export_grid", "export_pdf", "export_strip", "export_zip"]
