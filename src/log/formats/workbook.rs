//! Excel and LibreOffice workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`), read with
//! calamine: one sheet (`--sheet`, by name or 1-based number; the first by default), a
//! header row, then one event per row, handed to the same [`Visitor`] the CSV reader
//! feeds, so a workbook maps, parses and is accounted for exactly as its CSV twin is.
//!
//! The header row is `--header-row N`, or else the first row that names the column of
//! `case` (the mapping's, or our own `case`) among the first [`HEADER_SEARCH`] rows that
//! hold anything; rows above it (a title, a date of export) are not records. When no row
//! names it (no mapping yet, or a mapping that does not fit), the header is the first
//! of those rows with the most cells (a title above it holds fewer), and the visitor says
//! which columns it lacks. Empty rows are not records.
//!
//! Cells are read by their type. A cell typed as a date is read as that date: with its
//! time of day, or, when it has none (a whole serial number), as a day only (see
//! [`crate::log::time::Stamp::Day`]): a date cell at midnight is read as a day, so a
//! limit in hours is then not measured rather than measured from a midnight the
//! provider never wrote. A text cell is read by the mapping's `time.formats`, a number by
//! its `serial_dates`, exactly as in a CSV file. A cell holding an error (`#N/A`) or a
//! duration in one of our fields rejects its row, naming the column; a value in a column
//! with no header rejects its row (it would be lost unseen), as a CSV field beyond the
//! header does.
//!
//! calamine asserts on some damaged files rather than returning an error; that panic is
//! caught, and the file is unreadable from there (the rows before stay accounted for).
//!
//! # Memory
//! The file is read whole (at most [`MAX_WORKBOOK`] bytes). An `.xlsx` sheet is read cell
//! by cell, one row at a time; a row of more than [`MAX_CELLS`] cells or [`MAX_RECORD`]
//! bytes is rejected and its content dropped. Other formats are read by calamine into one
//! dense range of the sheet's extent: a hostile `.xls` or `.ods` file claiming cells far
//! apart can make that range large, so read those only from sources you trust, or save
//! the sheet as CSV (docs/hostile-input.md).

use super::mapping::{Mapping, fold};
use super::{Field, Fields, FormatError, MAX_RECORD, Pos, Visitor};
use crate::log::account::Reason;
use calamine::{Reader as _, Sheets};
use std::io::{Cursor, Read};

mod cells;
use cells::Value;
pub use cells::column_letters;

/// A workbook larger than this is not read.
pub const MAX_WORKBOOK: u64 = 512 << 20;
/// Cells of one row kept; more reject the row.
pub const MAX_CELLS: usize = 4096;
/// Rows that hold anything searched for the header.
pub const HEADER_SEARCH: usize = 50;

/// Which sheet, and which row is the header.
#[derive(Debug, Clone, Default)]
pub struct WorkbookOptions {
    /// A sheet's name, or its 1-based number; `None`: the first sheet.
    pub sheet: Option<String>,
    /// The 1-based row number of the header; `None`: found ([`HEADER_SEARCH`]).
    pub header_row: Option<u32>,
}

/// One cell as read: its text, or why it cannot be a value of ours.
#[derive(Debug, Default, Clone)]
struct Cell {
    col: u32,
    text: String,
    /// An error cell or a duration: rejects its row if a field of ours is in it.
    problem: Option<String>,
}

/// Reads one sheet of a workbook, handing each row to `v`.
pub fn read(
    input: impl Read,
    opts: &WorkbookOptions,
    map: Option<&Mapping>,
    v: &mut impl Visitor,
) -> Result<(), FormatError> {
    let mut bytes = Vec::new();
    input.take(MAX_WORKBOOK + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_WORKBOOK {
        return Err(FormatError::Unreadable(format!(
            "the workbook is larger than {} MiB; save the sheet as CSV and read that",
            MAX_WORKBOOK >> 20
        )));
    }
    // calamine asserts on some damaged files instead of returning an error: such a
    // panic is caught here and the file is unreadable from there, the rows handed over
    // before it staying accounted for.
    let sheet = std::panic::AssertUnwindSafe(|| read_sheet(&bytes, opts, map, v));
    std::panic::catch_unwind(sheet).unwrap_or_else(|_| {
        Err(FormatError::Unreadable(
            "the workbook is damaged: calamine failed inside it (rows read before are kept); open and save it again in Excel or LibreOffice, or save the sheet as CSV".to_string(),
        ))
    })
}

/// Reads the chosen sheet of the workbook in `bytes`.
fn read_sheet(
    bytes: &[u8],
    opts: &WorkbookOptions,
    map: Option<&Mapping>,
    v: &mut impl Visitor,
) -> Result<(), FormatError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        FormatError::Unreadable(format!(
            "not an Excel (.xlsx, .xls, .xlsb) or LibreOffice (.ods) workbook calamine can read: {e}"
        ))
    })?;
    let (number, name) = choose_sheet(&book.sheet_names(), opts.sheet.as_deref())?;
    let mut rows = Rows::new(number, &name, opts.header_row, map);
    let broken = |e: String| FormatError::Unreadable(format!("sheet {name:?}: {e}"));
    match &mut book {
        Sheets::Xlsx(x) => {
            let mut cells = x
                .worksheet_cells_reader(&name)
                .map_err(|e| broken(e.to_string()))?;
            while let Some(c) = cells.next_cell().map_err(|e| broken(e.to_string()))? {
                let (r, col) = c.get_position();
                if let Some(val) = Value::of_ref(c.get_value()) {
                    rows.cell(r, col, val, v)?;
                }
            }
        }
        other => {
            let range = other
                .worksheet_range(&name)
                .map_err(|e| broken(e.to_string()))?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, row) in (r0..).zip(range.rows()) {
                for (col, d) in (c0..).zip(row) {
                    if let Some(val) = Value::of_data(d) {
                        rows.cell(r, col, val, v)?;
                    }
                }
            }
        }
    }
    rows.finish(v)
}

/// The sheet to read: by name, else by 1-based number; the first without a choice.
fn choose_sheet(names: &[String], want: Option<&str>) -> Result<(u32, String), FormatError> {
    let listed = || format!("its sheets are {names:?}");
    let ix = match want {
        None if names.is_empty() => {
            return Err(FormatError::Unreadable(
                "the workbook has no sheet".to_string(),
            ));
        }
        None => 0,
        Some(w) => match names.iter().position(|n| n == w || fold(n) == fold(w)) {
            Some(i) => i,
            None => match w.trim().parse::<usize>() {
                Ok(n) if (1..=names.len()).contains(&n) => n - 1,
                _ => {
                    return Err(FormatError::Unreadable(format!(
                        "--sheet {w:?}: no sheet of that name or number; {}",
                        listed()
                    )));
                }
            },
        },
    };
    let number = u32::try_from(ix + 1).unwrap_or(u32::MAX);
    Ok((number, names.get(ix).cloned().unwrap_or_default()))
}

/// The header once found: each column's spreadsheet index and name.
struct Header {
    cols: Vec<u32>,
    names: Vec<String>,
    found: [Option<usize>; Field::COUNT],
}

/// Rows of one sheet, gathered from its cells (which come row by row).
struct Rows<'m> {
    sheet: u32,
    sheet_name: String,
    header_row: Option<u32>,
    map: Option<&'m Mapping>,
    /// The folded name of the `case` column, which marks the header row.
    case_name: String,
    /// The 0-based row being gathered, its cells (the first `len` of `cells` are in use:
    /// their strings are reused from row to row) and whether it went over the limits.
    row: Option<u32>,
    cells: Vec<Cell>,
    len: usize,
    bytes: usize,
    oversize: bool,
    /// Rows held while the header is searched for: row index and cells.
    held: Vec<(u32, Vec<Cell>, bool)>,
    header: Option<Header>,
    record: u64,
}

impl<'m> Rows<'m> {
    fn new(sheet: u32, name: &str, header_row: Option<u32>, map: Option<&'m Mapping>) -> Self {
        let case = Field::Case as usize;
        let want = map.and_then(|m| m.columns[case].as_deref());
        Rows {
            sheet,
            sheet_name: name.to_string(),
            header_row,
            map,
            case_name: fold(want.unwrap_or(Field::Case.name())),
            row: None,
            cells: Vec::new(),
            len: 0,
            bytes: 0,
            oversize: false,
            held: Vec::new(),
            header: None,
            record: 0,
        }
    }

    /// One non-empty cell at 0-based `(r, col)`.
    fn cell(
        &mut self,
        r: u32,
        col: u32,
        val: Value<'_>,
        v: &mut impl Visitor,
    ) -> Result<(), FormatError> {
        if self.row != Some(r) {
            self.end_row(v)?;
            self.row = Some(r);
        }
        if self.len >= MAX_CELLS || self.bytes > MAX_RECORD {
            self.oversize = true;
            return Ok(());
        }
        if self.cells.len() == self.len {
            self.cells.push(Cell::default());
        }
        let Some(c) = self.cells.get_mut(self.len) else {
            return Ok(());
        };
        c.col = col;
        c.problem = val.write(&mut c.text).err();
        self.bytes += c.text.len();
        if c.text.trim().is_empty() && c.problem.is_none() {
            return Ok(());
        }
        self.len += 1;
        Ok(())
    }

    /// The row gathered so far is complete: it is a header candidate or a record.
    fn end_row(&mut self, v: &mut impl Visitor) -> Result<(), FormatError> {
        let Some(r) = self.row.take() else {
            return Ok(());
        };
        let (len, oversize) = (self.len, self.oversize);
        (self.len, self.bytes, self.oversize) = (0, 0, false);
        if len == 0 && !oversize {
            return Ok(());
        }
        let mut cells = std::mem::take(&mut self.cells);
        let res = self.on_row(r, cells.get_mut(..len).unwrap_or_default(), oversize, v);
        self.cells = cells;
        res
    }

    fn on_row(
        &mut self,
        r: u32,
        cells: &mut [Cell],
        oversize: bool,
        v: &mut impl Visitor,
    ) -> Result<(), FormatError> {
        if self.header.is_some() {
            self.data_row(r, cells, oversize, v);
            return Ok(());
        }
        cells.sort_by_key(|c| c.col);
        let names_case = cells.iter().any(|c| fold(&c.text) == self.case_name);
        let row1 = u64::from(r) + 1;
        match self.header_row {
            Some(h) if u64::from(h) == row1 => self.set_header(r, cells, oversize, v),
            Some(h) if u64::from(h) > row1 => Ok(()),
            Some(h) => Err(FormatError::Unreadable(format!(
                "sheet {:?}: --header-row {h}: the row is empty",
                self.sheet_name
            ))),
            None if names_case => self.set_header(r, cells, oversize, v),
            None => {
                self.held.push((r, cells.to_vec(), oversize));
                if self.held.len() >= HEADER_SEARCH {
                    self.header_from_held(v)?;
                }
                Ok(())
            }
        }
    }

    /// No row names the `case` column: the header is the first held row with the most
    /// cells (a title above it holds fewer), the rows after it are records.
    fn header_from_held(&mut self, v: &mut impl Visitor) -> Result<(), FormatError> {
        let held = std::mem::take(&mut self.held);
        let widest = held.iter().map(|(_, c, _)| c.len()).max().unwrap_or(0);
        let first = held.iter().position(|(_, c, _)| c.len() == widest);
        let mut rows = held.into_iter().skip(first.unwrap_or(0));
        if let Some((r, cells, oversize)) = rows.next() {
            self.set_header(r, &cells, oversize, v)?;
        }
        for (r, mut cells, oversize) in rows {
            self.data_row(r, &mut cells, oversize, v);
        }
        Ok(())
    }

    fn set_header(
        &mut self,
        r: u32,
        cells: &[Cell],
        oversize: bool,
        v: &mut impl Visitor,
    ) -> Result<(), FormatError> {
        let at = format!("sheet {:?}, row {}", self.sheet_name, u64::from(r) + 1);
        if oversize {
            return Err(FormatError::Unreadable(format!(
                "{at}: the header has more than {MAX_CELLS} cells or {MAX_RECORD} bytes"
            )));
        }
        self.held.clear();
        let names: Vec<String> = cells.iter().map(|c| c.text.trim().to_string()).collect();
        let folded: Vec<String> = names.iter().map(|n| fold(n)).collect();
        let mut found = [None; Field::COUNT];
        for f in Field::ALL {
            let want = self
                .map
                .and_then(|m| m.columns[f as usize].as_deref())
                .unwrap_or(f.name());
            found[f as usize] = folded.iter().position(|n| *n == fold(want));
        }
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        v.columns(&refs, &found)
            .map_err(|e| FormatError::Unreadable(format!("{at}: {e}")))?;
        self.header = Some(Header {
            cols: cells.iter().map(|c| c.col).collect(),
            names,
            found,
        });
        Ok(())
    }

    /// One record: rejected whole if over the limits, if a value is under no header, or
    /// if a field of ours holds an error or a duration; else handed to `v`.
    fn data_row(&mut self, r: u32, cells: &mut [Cell], oversize: bool, v: &mut impl Visitor) {
        let Some(h) = &self.header else {
            return;
        };
        self.record += 1;
        let pos = Pos::Sheet {
            sheet: self.sheet,
            row: u64::from(r) + 1,
            record: self.record,
        };
        if oversize {
            let why = format!("row has more than {MAX_CELLS} cells or {MAX_RECORD} bytes");
            return v.reject(pos, None, Reason::TooLong, why);
        }
        cells.sort_by_key(|c| c.col);
        if let Some(c) = cells.iter().find(|c| h.cols.binary_search(&c.col).is_err()) {
            let why = format!(
                "column {} has a value but no header: it would be lost",
                column_letters(c.col)
            );
            return v.reject(pos, None, Reason::Syntax, why);
        }
        let cell_of = |i: usize| {
            let col = *h.cols.get(i)?;
            let k = cells.binary_search_by_key(&col, |c| c.col).ok()?;
            cells.get(k)
        };
        let mut values: Fields = [None; Field::COUNT];
        for f in Field::ALL {
            let Some(c) = h.found[f as usize].and_then(cell_of) else {
                continue;
            };
            if let Some(p) = &c.problem {
                let name = h.names.get(h.found[f as usize].unwrap_or(0));
                let why = format!("column {}: {p}", column_letters(c.col));
                return v.reject(pos, name.map(String::as_str), Reason::WrongType, why);
            }
            values[f as usize] = Some(c.text.as_str());
        }
        if v.wants_all() {
            let all: Vec<(&str, &str)> = (0..h.cols.len())
                .filter_map(|i| Some((h.names.get(i)?.as_str(), cell_of(i)?.text.as_str())))
                .collect();
            v.record(pos, &values, &all);
        } else {
            v.record(pos, &values, &[]);
        }
    }

    /// The sheet ended: the last row, and the header if it is still undecided.
    fn finish(mut self, v: &mut impl Visitor) -> Result<(), FormatError> {
        self.end_row(v)?;
        if self.header.is_none() && !self.held.is_empty() {
            self.header_from_held(v)?;
        }
        if self.header.is_none() {
            return Err(FormatError::Unreadable(match self.header_row {
                Some(h) => format!(
                    "sheet {:?}: --header-row {h}: the sheet has no such row",
                    self.sheet_name
                ),
                None => format!("sheet {:?} is empty", self.sheet_name),
            }));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Visits nothing: for files that must be refused before any record.
    struct Nothing;
    impl Visitor for Nothing {
        fn columns(&mut self, _: &[&str], _: &[Option<usize>; Field::COUNT]) -> Result<(), String> {
            Ok(())
        }
        fn record(&mut self, _: Pos, _: &Fields, _: &[(&str, &str)]) {}
        fn reject(&mut self, _: Pos, _: Option<&str>, _: Reason, _: String) {}
    }

    #[test]
    fn broken_and_empty_workbooks_are_unreadable_not_a_panic() {
        let opts = WorkbookOptions::default();
        for bytes in [
            &b""[..],
            b"PK\x03\x04\x14\0garbage",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        ] {
            let e = read(bytes, &opts, None, &mut Nothing).unwrap_err();
            assert!(matches!(e, FormatError::Unreadable(_)), "{e}");
        }
    }

    #[test]
    fn sheets_are_chosen_by_name_then_number() {
        let names = ["Журнал".to_string(), "2".to_string(), "Итоги".to_string()];
        assert_eq!(choose_sheet(&names, None).unwrap().0, 1);
        assert_eq!(choose_sheet(&names, Some("ИТОГИ")).unwrap().0, 3);
        assert_eq!(choose_sheet(&names, Some("2")).unwrap().0, 2);
        assert_eq!(choose_sheet(&names, Some("3")).unwrap().1, "Итоги");
        let e = choose_sheet(&names, Some("4")).unwrap_err().to_string();
        assert!(e.contains("its sheets are"), "{e}");
    }
}
