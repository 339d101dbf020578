"""The answer's table as a file: CSV (UTF-8 with a BOM, so spreadsheet programs read Georgian) and XLSX."""

import csv
import io

from django.utils.translation import gettext as _


def table(answer) -> tuple[list[str], list[list]]:
    """(header, rows) exactly as the page's table shows them, totals last."""
    compare = len(answer.columns) == 2
    header = [_("layer"), _("group"), *answer.columns]
    if compare:
        header += [_("change"), _("change, %")]
    rows = [_line(row.layer_name, row.label, row, compare) for row in answer.rows]
    rows.append(_line("", _("total"), answer.total_change, compare))
    return header, rows


def _line(layer_name, label, row, compare) -> list:
    line = [layer_name, label, *row.values]
    if compare:
        line += [row.change, None if row.relative is None else round(row.relative * 100, 1)]
    return line


def as_csv(answer) -> bytes:
    header, rows = table(answer)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(answer) -> bytes:
    from openpyxl import Workbook

    header, rows = table(answer)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("statistics")[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
