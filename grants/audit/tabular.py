"""Writing rows to CSV and XLSX: the one place every export's cells are written.

An export yields a header row and then its rows; a cell is text (``str``), a
count or id (``int``), an amount (``Money``, öre), a ``date``, a ``datetime``
(shown in Stockholm time) or ``None`` (empty).

- CSV: UTF-8 with a byte order mark, ``;`` between cells by default (what
  Swedish Excel expects; amounts then get a decimal comma, ``12500,50``) or
  ``,`` on request (amounts with a decimal point). Dates are ISO.
- XLSX: XlsxWriter in constant-memory mode, amounts as numbers with a number
  format, a bold header row.

Both stream: the CSV is a generator of encoded chunks, and the workbook is
written row by row to a temporary file that the caller streams and deletes,
so memory does not grow with the number of rows.

Text that a spreadsheet program could take for a formula (it begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'`` in
both formats (``safe_text``). Numbers are never touched.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter

from grants.core.time import to_local

# What a spreadsheet program may read as the start of a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

BOM = "\ufeff"
SEPARATORS = {"semicolon": ";", "comma": ","}
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
# Stored in the file independent of language: Swedish Excel shows "12 500,50".
AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# The CSV is sent in pieces of about this many characters.
CHUNK_CHARS = 64 * 1024
XLSX_MAX_CHARS = 32767  # the most a spreadsheet cell holds


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in öre, written as kronor."""

    ore: int


def safe_text(value: str) -> str:
    """``value`` with a leading ``'`` if a spreadsheet could read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def separator(choice: str | None) -> str:
    """``;`` unless ``?sep=comma`` asked for ``,``."""
    return SEPARATORS.get(choice or "", ";")


def kronor_text(ore: int, sep: str) -> str:
    """``12500,50`` (next to ``;``) or ``12500.50`` (next to ``,``); never a float."""
    sign = "-" if ore < 0 else ""
    whole, rest = divmod(abs(ore), 100)
    point = "," if sep == ";" else "."
    return f"{sign}{whole}{point}{rest:02d}"


def csv_cell(value, sep: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Money):
        return kronor_text(value.ore, sep)
    if isinstance(value, bool):
        raise TypeError("write yes/no as a translated word")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(str(value))


def csv_chunks(rows: Iterable[Iterable], sep: str = ";") -> Iterator[bytes]:
    """The rows as UTF-8 CSV with a byte order mark, in pieces of about 64 KB."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(value, sep) for value in row])
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(rows: Iterable[Iterable], sheet_name: str, folder: str | None = None) -> str:
    """Write the rows (the first one the header) to a new temporary XLSX file.

    Returns its path; the caller deletes it once it has been sent.
    """
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="export-", dir=folder)
    os.close(handle)
    try:
        book = xlsxwriter.Workbook(
            path, {**XLSX_OPTIONS, "tmpdir": folder or tempfile.gettempdir()}
        )
        formats = {
            "header": book.add_format({"bold": True}),
            "money": book.add_format({"num_format": AMOUNT_FORMAT}),
            "date": book.add_format({"num_format": DATE_FORMAT}),
            "datetime": book.add_format({"num_format": DATETIME_FORMAT}),
        }
        name = _SHEET_NAME_FORBIDDEN.sub(" ", sheet_name).strip("'")[:31] or "Export"
        sheet = book.add_worksheet(name)
        for number, row in enumerate(rows):
            if number == 0:
                for column, value in enumerate(row):
                    sheet.write_string(0, column, safe_text(str(value)), formats["header"])
                    sheet.set_column(column, column, max(12, min(40, len(str(value)) + 4)))
                sheet.freeze_panes(1, 0)
                continue
            for column, value in enumerate(row):
                _xlsx_cell(sheet, number, column, value, formats)
        book.close()
    except BaseException:
        remove_quietly(path)
        raise
    return path


def _xlsx_cell(sheet, row: int, column: int, value, formats: dict) -> None:
    if value is None:
        return
    if isinstance(value, Money):
        sheet.write_number(row, column, Decimal(value.ore) / 100, formats["money"])
    elif isinstance(value, bool):
        raise TypeError("write yes/no as a translated word")
    elif isinstance(value, int):
        sheet.write_number(row, column, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, column, to_local(value).replace(tzinfo=None), formats["datetime"])
    elif isinstance(value, date):
        sheet.write_datetime(row, column, value, formats["date"])
    else:
        sheet.write_string(row, column, safe_text(str(value))[:XLSX_MAX_CHARS])


def file_chunks(path: str, size: int = 64 * 1024) -> Iterator[bytes]:
    """The file's bytes in pieces; the file is deleted once read (or abandoned)."""
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(size):
                yield chunk
    finally:
        remove_quietly(path)


def remove_quietly(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
