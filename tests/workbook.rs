//! Issue 18: a provider's export as it comes. Excel and LibreOffice workbooks are read
//! through the same mapping as the CSV export, and give the same report as their CSV and
//! XES twins; every row is accepted or rejected with its sheet, row and column; a binary
//! file that is no log is refused with one sentence saying what it looks like.

mod common;

use common::{Run, check_with};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;
use std::io::Write;
use std::process::Command;

const MAP: &str = "maps/provider-export.json";
const CSV: &str = "logs/provider-export.csv";

fn temp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("reglament-workbook-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

/// The rows of the sample export: header, then records.
fn export_rows() -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_path(CSV)
        .unwrap();
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// `01.06.2016 10:00:00` as an Excel date.
fn excel_time(s: &str) -> ExcelDateTime {
    let n = |a: usize, b: usize| s[a..b].parse::<u16>().unwrap();
    ExcelDateTime::from_ymd(n(6, 10), n(3, 5) as u8, n(0, 2) as u8)
        .unwrap()
        .and_hms(n(11, 13), n(14, 16) as u8, n(17, 19))
        .unwrap()
}

/// The sample export as an inspector's workbook: a title and an empty row above the
/// header; "Дата и время" as date cells, "Начало обслуживания" as the export's text.
fn export_xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Журнал").unwrap();
    let stamp = Format::new().set_num_format("dd.mm.yyyy hh:mm:ss");
    sheet
        .write_string(0, 0, "Журнал действий по заявкам за июнь 2016 г.")
        .unwrap();
    for (r, row) in export_rows().iter().enumerate() {
        let r = r as u32 + 2;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            if r > 2 && c == 3 {
                sheet
                    .write_datetime_with_format(r, c, excel_time(v), &stamp)
                    .unwrap();
            } else if !v.is_empty() {
                sheet.write_string(r, c, v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// The sample export as XES with the provider's own attribute keys (the mapping's).
fn export_xes() -> String {
    let rows = export_rows();
    let (head, body) = rows.split_first().unwrap();
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    let mut cases: Vec<&str> = body.iter().map(|r| r[0].as_str()).collect();
    cases.sort();
    cases.dedup();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log>\n");
    for case in cases {
        x += &format!(
            "<trace><string key=\"{}\" value=\"{}\"/>\n",
            head[0],
            esc(case)
        );
        for r in body.iter().filter(|r| r[0] == case) {
            x += "<event>";
            for (k, v) in head.iter().zip(r).skip(1).filter(|(_, v)| !v.is_empty()) {
                x += &format!("<string key=\"{}\" value=\"{}\"/>", esc(k), esc(v));
            }
            x += "</event>\n";
        }
        x += "</trace>\n";
    }
    x + "</log>\n"
}

/// What a report says, without where each finding was read (file and line differ
/// between twins by nature).
fn verdicts(run: &Run) -> (Vec<String>, Vec<u64>) {
    let mut v: Vec<String> = run.report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let mut v = v.clone();
            let o = v.as_object_mut().unwrap();
            o.remove("file");
            o.remove("line");
            v.to_string()
        })
        .collect();
    v.sort();
    let s = &run.report["summary"];
    let counts = ["lines", "events", "rejected", "cases", "violations"]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .collect();
    (v, counts)
}

#[test]
fn an_inspectors_workbook_its_csv_twin_and_its_xes_twin_give_the_same_report() {
    let csv = check_with(&[CSV, "--map", MAP]);
    assert_eq!(csv.code, 1, "{}", csv.stderr);
    let want = verdicts(&csv);
    assert_eq!(want.1, [34, 34, 0, 3, 2]);
    let xlsx = temp("export.xlsx", &export_xlsx());
    let xes = temp("export.xes", export_xes().as_bytes());
    for log in [
        xlsx.as_str(),
        xes.as_str(),
        "tests/data/workbooks/provider-export.ods",
        "tests/data/workbooks/provider-export.xls",
    ] {
        let run = check_with(&[log, "--map", MAP]);
        assert_eq!(run.code, 1, "{log}: {}", run.stderr);
        assert_eq!(verdicts(&run), want, "{log}");
    }
    // A workbook's finding names its file and the spreadsheet's own row (title, empty
    // row and header above: the CSV's line 23 is row 25).
    let run = check_with(&[&xlsx, "--map", MAP]);
    let late = common::only(&run, "ЗЖ-2016-0002", "step_overdue");
    assert_eq!(late["line"], 25);
    assert_eq!(late["file"], xlsx.as_str());
}

/// A workbook of two sheets; the second is the log, with a bad time, a value under no
/// header and an empty row.
fn two_sheets() -> Vec<u8> {
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("Сводка")
        .unwrap()
        .write_string(0, 0, "не журнал")
        .unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Журнал").unwrap();
    let stamp = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    let svc = "Лицензия на изыскательскую деятельность";
    for (c, h) in ["Номер заявки", "Услуга", "Действие", "Дата и время"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let row = |sheet: &mut rust_xlsxwriter::Worksheet, r: u32, case: &str| {
        sheet.write_string(r, 0, case).unwrap();
        sheet.write_string(r, 1, svc).unwrap();
        sheet.write_string(r, 2, "Прием документов в ЦОН").unwrap();
    };
    row(sheet, 1, "А-1");
    sheet
        .write_datetime_with_format(1, 3, excel_time("01.06.2016 10:00:00"), &stamp)
        .unwrap();
    row(sheet, 2, "А-2");
    sheet.write_string(2, 3, "32.06.2016 10:00").unwrap();
    row(sheet, 3, "А-3");
    sheet.write_string(3, 3, "01.06.2016 10:00").unwrap();
    sheet.write_string(3, 9, "примечание").unwrap();
    row(sheet, 5, "А-4");
    sheet.write_number(5, 3, 42522.4375).unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn every_row_is_accepted_or_rejected_naming_sheet_row_and_column() {
    let path = temp("two-sheets.xlsx", &two_sheets());
    let run = check_with(&[&path, "--map", MAP, "--sheet", "журнал"]);
    let s = &run.report["summary"];
    assert_eq!(
        (&s["lines"], &s["events"], &s["rejected"]),
        (&4.into(), &2.into(), &2.into())
    );
    let rejected = run.report["rejected"].as_array().unwrap();
    let bad_time = &rejected[0];
    assert_eq!(bad_time["line"], 3);
    assert_eq!(bad_time["field"], "Дата и время");
    let d = bad_time["reason"].as_str().unwrap();
    assert!(d.starts_with("sheet 2, row 3: "), "{d}");
    assert!(d.contains("formats tried"), "{d}");
    let stray = rejected[1]["reason"].as_str().unwrap();
    assert_eq!(
        stray,
        "sheet 2, row 4: column J has a value but no header: it would be lost"
    );
    // The same sheet by number; the first sheet (the default) has no log in it.
    let by_number = check_with(&[&path, "--map", MAP, "--sheet", "2"]);
    assert_eq!(by_number.report["summary"]["events"], 2);
    let first = check_with(&[&path, "--map", MAP]);
    assert_eq!(first.code, 2);
    let why = first.report["unreadable"][0]["reason"].as_str().unwrap();
    assert!(
        why.contains("sheet \"Сводка\", row 1: header has no column"),
        "{why}"
    );
    let missing = check_with(&[&path, "--map", MAP, "--sheet", "Итоги"]);
    let why = missing.report["unreadable"][0]["reason"].as_str().unwrap();
    assert!(
        why.contains("its sheets are [\"Сводка\", \"Журнал\"]"),
        "{why}"
    );
}

#[test]
fn a_header_row_can_be_given() {
    let path = temp("export-header.xlsx", &export_xlsx());
    let run = check_with(&[&path, "--map", MAP, "--header-row", "3"]);
    assert_eq!(verdicts(&run).1, [34, 34, 0, 3, 2]);
    // Row 1 is the title: no column of the mapping is in it.
    let wrong = check_with(&[&path, "--map", MAP, "--header-row", "1"]);
    assert_eq!(wrong.code, 2);
    let why = wrong.report["unreadable"][0]["reason"].as_str().unwrap();
    assert!(why.contains("row 1: header has no column"), "{why}");
}

fn inspect(path: &str) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_reglament"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["inspect", path, "--format", "json"])
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), doc)
}

#[test]
fn inspect_reads_a_workbook_without_a_mapping() {
    let (code, doc) = inspect("tests/data/workbooks/provider-export.ods");
    assert_eq!(code, 0);
    let f = &doc["files"][0];
    assert_eq!(f["format"], "workbook");
    assert_eq!(f["records"], 34);
    assert_eq!(f["columns"][0], "Номер заявки");
}

/// The reason `check` gives for an unreadable file, and `inspect`'s exit code on it.
fn refused(name: &str, bytes: &[u8]) -> (String, i32, i32) {
    let path = temp(name, bytes);
    let run = check_with(&[&path]);
    let why = run.report["unreadable"][0]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        run.report["summary"]["rejected"], 0,
        "{name}: no line of noise"
    );
    (why, run.code, inspect(&path).0)
}

#[test]
fn a_binary_file_that_is_no_log_is_refused_saying_what_it_looks_like() {
    let xlsx = export_xlsx();
    let (why, check, inspect) = refused("export.jsonl", &xlsx);
    assert_eq!((check, inspect), (2, 2));
    assert!(why.contains("this looks like a zip archive (an Excel .xlsx or LibreOffice .ods workbook, or another zip), not a JSON Lines log: if it is a workbook, give it its extension"), "{why}");
    let xls = std::fs::read("tests/data/workbooks/provider-export.xls").unwrap();
    let (why, ..) = refused("export.csv", &xls);
    assert!(
        why.contains("OLE compound file (an Excel 97-2003 .xls"),
        "{why}"
    );
    assert!(why.contains("not a CSV log"), "{why}");
    let (why, ..) = refused("report.csv", b"%PDF-1.7\n...");
    assert!(why.contains("a PDF document"), "{why}");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&xlsx).unwrap();
    let gz = gz.finish().unwrap();
    let (why, ..) = refused("export.jsonl.gz", &gz);
    assert!(
        why.starts_with("this .gz file holds what looks like a zip archive"),
        "{why}"
    );
    let (why, ..) = refused("export-gz.csv", &gz);
    assert!(why.contains("name it with a .gz ending"), "{why}");
    // A workbook named as one is read.
    let ok = temp("export-ok.xlsx", &xlsx);
    assert_eq!(check_with(&[&ok, "--map", MAP]).code, 1);
    // Not a workbook at all, though named one.
    let (why, check, _) = refused("notes.xlsx", b"case,step\n");
    assert_eq!(check, 2);
    assert!(why.contains("workbook calamine can read"), "{why}");
}

/// Counts what a reader hands over.
#[derive(Default)]
struct Count {
    records: u64,
    rejected: u64,
}

impl reglament::log::formats::Visitor for Count {
    fn columns(
        &mut self,
        _: &[&str],
        _: &[Option<usize>; reglament::log::formats::Field::COUNT],
    ) -> Result<(), String> {
        Ok(())
    }
    fn record(
        &mut self,
        _: reglament::log::formats::Pos,
        _: &reglament::log::formats::Fields,
        _: &[(&str, &str)],
    ) {
        self.records += 1;
    }
    fn reject(
        &mut self,
        _: reglament::log::formats::Pos,
        _: Option<&str>,
        _: reglament::log::Reason,
        _: String,
    ) {
        self.rejected += 1;
    }
}

/// Hostile input: a workbook damaged anywhere (bytes overwritten, cut short) is read or
/// refused, never a panic.
#[test]
fn damaged_workbooks_never_panic() {
    use reglament::log::formats::workbook::{WorkbookOptions, read};
    let opts = WorkbookOptions::default();
    let mut files = vec![export_xlsx()];
    for f in ["provider-export.ods", "provider-export.xls"] {
        files.push(std::fs::read(format!("tests/data/workbooks/{f}")).unwrap());
    }
    let mut rng = fastrand::Rng::with_seed(18);
    for bytes in &files {
        let mut whole = Count::default();
        read(&bytes[..], &opts, None, &mut whole).unwrap();
        assert_eq!(whole.records, 34);
        for _ in 0..150 {
            let mut b = bytes.clone();
            for _ in 0..rng.usize(1..8) {
                let i = rng.usize(..b.len());
                b[i] = rng.u8(..);
            }
            if rng.bool() {
                b.truncate(rng.usize(..b.len()));
            }
            let _ = read(&b[..], &opts, None, &mut Count::default());
        }
    }
}
