"""Writes tests/data/workbooks/provider-export.{ods,xls}: logs/provider-export.csv as a
LibreOffice and an Excel 97-2003 workbook, the way a desk's staff would save it: a
title row, an empty row, then the header; "Дата и время" as date cells (a date and a
time of day), "Начало обслуживания" as text cells in the export's own dd.mm.yyyy shape.

Run once at development time (pip install odfpy xlwt); the tests read the committed
files and need no network. tests/workbook.rs builds the .xlsx twin itself.
"""

import csv
import datetime
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "workbooks"
TITLE = "Журнал действий по заявкам (выгрузка)"


def rows():
    with open(ROOT / "logs" / "provider-export.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def when(text):
    return datetime.datetime.strptime(text, "%d.%m.%Y %H:%M:%S")


def write_ods(data):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Журнал")

    def text_cell(s):
        c = TableCell(valuetype="string")
        c.addElement(P(text=s))
        return c

    for r in ([TITLE], []):
        row = TableRow()
        for s in r:
            row.addElement(text_cell(s))
        table.addElement(row)
    header, body = data[0], data[1:]
    row = TableRow()
    for s in header:
        row.addElement(text_cell(s))
    table.addElement(row)
    for rec in body:
        row = TableRow()
        for i, s in enumerate(rec):
            if i == 3:
                t = when(s)
                c = TableCell(valuetype="date", datevalue=t.strftime("%Y-%m-%dT%H:%M:%S"))
                c.addElement(P(text=s))
                row.addElement(c)
            elif s == "":
                row.addElement(TableCell())
            else:
                row.addElement(text_cell(s))
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(OUT / "provider-export.ods"))


def write_xls(data):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Журнал")
    stamp = xlwt.easyxf(num_format_str="DD.MM.YYYY HH:MM:SS")
    sheet.write(0, 0, TITLE)
    for c, s in enumerate(data[0]):
        sheet.write(2, c, s)
    for r, rec in enumerate(data[1:], start=3):
        for c, s in enumerate(rec):
            if c == 3:
                sheet.write(r, c, when(s), stamp)
            elif s != "":
                sheet.write(r, c, s)
    book.save(str(OUT / "provider-export.xls"))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    data = rows()
    write_ods(data)
    write_xls(data)
