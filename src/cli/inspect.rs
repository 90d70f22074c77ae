//! `reglament inspect`: what a provider's log holds, to help a person write its mapping;
//! and the input options (`--input-format`, `--map`, `--delimiter`, `--encoding`) that
//! `check` shares.

use super::{Format, Output, RulesArg, catalog};
use crate::Error;
use crate::log::account::{Reason, excerpt};
use crate::log::formats::mapping::{Mapping, TimeSpec};
use crate::log::formats::suggest;
use crate::log::formats::{self, Field, Fields, InputFormat, Options, Pos, Visitor};
use crate::log::jsonl::MAX_LINE;
use crate::log::lines::{self, Chunk, EXCERPT};
use crate::log::time::Stamp;
use crate::rules::Catalog;
use serde_json::json;
use std::borrow::{Borrow, Cow};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

mod draft;
mod input;
mod jsonl;
mod report;
use input::with_input;
use jsonl::jsonl;
use report::*;

/// `--input-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Jsonl,
    Csv,
    Xes,
    /// An Excel (.xlsx, .xls, .xlsb) or LibreOffice (.ods) workbook.
    Workbook,
}

/// How logs are read: shared by `check` and `inspect`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InputArgs {
    /// Format of every LOG (default: by extension: .csv, .xes, .xlsx/.xls/.ods, with or without .gz; else JSON Lines).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<FormatArg>,
    /// Mapping of a provider's columns, names and date format (maps/mapping.schema.json).
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// CSV delimiter (one ASCII character, or `tab`); default: detected from the header.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Encoding of CSV and XES files (a WHATWG label: windows-1251, utf-8, ...); default UTF-8.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Sheet of a workbook to read, by name or 1-based number; default: the first.
    #[arg(long, value_name = "NAME|N")]
    pub sheet: Option<String>,
    /// 1-based row number of a workbook's header; default: the first row naming the
    /// case column (the mapping's, or `case`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub header_row: Option<u32>,
}

impl InputArgs {
    /// The reading options, with the mapping loaded and checked against `catalog`.
    pub fn options(&self, catalog: &Catalog) -> Result<Options, Error> {
        let mut opts = Options {
            format: self.input_format.map(|f| match f {
                FormatArg::Jsonl => InputFormat::Jsonl,
                FormatArg::Csv => InputFormat::Csv,
                FormatArg::Xes => InputFormat::Xes,
                FormatArg::Workbook => InputFormat::Workbook,
            }),
            ..Options::default()
        };
        opts.workbook.sheet.clone_from(&self.sheet);
        opts.workbook.header_row = self.header_row;
        if let Some(d) = &self.delimiter {
            opts.csv.delimiter = Some(match d.as_str() {
                "tab" | "\\t" => b'\t',
                s if s.len() == 1 && s.is_ascii() => s.as_bytes()[0],
                s => {
                    return Err(Error::Usage(format!(
                        "--delimiter: {s:?} is not one ASCII character or `tab`"
                    )));
                }
            });
        }
        if let Some(label) = &self.encoding {
            opts.csv.encoding = Some(
                encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                    Error::Usage(format!(
                        "--encoding: {label:?} is not an encoding label (windows-1251, utf-8, ...)"
                    ))
                })?,
            );
        }
        if let Some(path) = &self.map {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(Error::io(name.as_str()))?;
            let m = Mapping::parse(&name, &text, catalog).map_err(|errs| {
                let lines: Vec<String> = errs.iter().map(ToString::to_string).collect();
                Error::Usage(lines.join("\n"))
            })?;
            opts.mapping = Some(m);
        }
        Ok(opts)
    }
}

/// Reads one log into `reader`: `-` is standard input, `.gz` is decompressed as it is
/// read, and the format is `--input-format` or the extension's.
pub fn read_log(
    reader: &mut crate::log::Reader,
    path: &Path,
    name: &str,
    opts: &Options,
) -> Result<(), formats::FormatError> {
    let format = opts.format.unwrap_or_else(|| InputFormat::of_path(path));
    let name = if path.as_os_str() == "-" {
        "<stdin>"
    } else {
        name
    };
    with_input(path, format, |input| {
        formats::read(reader, name, input, format, opts)
    })
}

/// As [`read_log`], handing the log to `on_block` as it fills (the streaming replay takes
/// the block's events). JSON Lines is handed over block by block; a CSV, XES or workbook
/// file is read whole and handed over once, so `--stream` bounds memory for JSON Lines only. As
/// the reader holds such a file whole, its events are handed over in time order (a
/// stable sort: events at the same time keep their order in the file): XES groups events
/// by case, and `--stream` would otherwise reject nearly all of them as out of order.
pub fn read_log_blocks(
    reader: &mut crate::log::Reader,
    path: &Path,
    name: &str,
    opts: &Options,
    on_block: &mut (dyn FnMut(&mut crate::log::Log) + Send),
) -> Result<(), formats::FormatError> {
    let format = opts.format.unwrap_or_else(|| InputFormat::of_path(path));
    if format != InputFormat::Jsonl {
        let from = reader.parts().1.events.len();
        let read = read_log(reader, path, name, opts);
        let log = reader.parts().1;
        if let Some(events) = log.events.get_mut(from..)
            && !events.is_sorted_by_key(|e| e.at)
        {
            events.sort_by_key(|e| e.at);
        }
        on_block(log);
        return read;
    }
    let name = if path.as_os_str() == "-" {
        "<stdin>"
    } else {
        name
    };
    with_input(path, format, |input| {
        (reader.read_blocks(name, input, on_block)).map_err(formats::FormatError::Io)
    })
}

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Logs to inspect (CSV, XES, workbooks (.xlsx, .xls, .ods), JSON Lines; `.gz` decompressed; `-` standard input).
    #[arg(required = true)]
    pub logs: Vec<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub rules: RulesArg,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write a draft mapping to FILE: the columns guessed (or --map's), formats that read
    /// the times seen, the services, and for each activity its step or the best
    /// suggestion, each guess listed under `review` with its score.
    #[arg(long, value_name = "FILE")]
    pub draft_map: Option<PathBuf>,
}

/// Distinct values kept in each count (services, activities, time shapes, a file's
/// attribute keys): a hostile log of distinct names must not grow memory with its length.
/// Values first seen after this many are counted as `not_kept`, not named.
const MAX_DISTINCT: usize = 10_000;
/// Activities listed (and given suggestions), the most frequent first: scoring is the
/// costly part, and a person reading the report maps the frequent names first.
const MAX_LISTED: usize = 1_000;
/// Characters of a name compared when suggesting steps: Levenshtein is quadratic in the
/// lengths, and a longer prefix does not tell steps apart any better.
const MAX_NAME_CHARS: usize = 64;
/// Bytes of a name (service, activity, column or attribute key) kept and shown; a longer
/// one is cut at a character as a rejected line's excerpt is ([`excerpt`]: `…` ends it)
/// and counted in `names_cut`. Larger than the excerpt's [`EXCERPT`]: a real activity
/// name in Kazakh or Russian runs to 100 characters of 2 bytes, and a person copies it
/// into a mapping whole. Names that agree on their first bytes are counted together.
const MAX_NAME_BYTES: usize = 256;
/// Bytes of a rejection's text kept (it may quote a value of the record).
const MAX_REJECTION_BYTES: usize = 512;
/// Bytes of JSON Lines read at a time; lines are cut as `check` cuts them ([`lines`]).
const JSONL_BLOCK: usize = 64 << 10;

/// `name` as kept: whole, or cut to [`MAX_NAME_BYTES`] (ending in `…`) and counted in
/// `cut`. Allocates only for a name that is cut.
fn kept<'n>(name: &'n str, cut: &mut u64) -> Cow<'n, str> {
    if name.len() <= MAX_NAME_BYTES {
        Cow::Borrowed(name)
    } else {
        *cut += 1;
        Cow::Owned(cut_name(name))
    }
}

#[cold]
fn cut_name(name: &str) -> String {
    excerpt(name.as_bytes(), MAX_NAME_BYTES)
}

/// Counts per distinct value, at most [`MAX_DISTINCT`] of them; the occurrences of values
/// that came after the map was full are counted in `not_kept`.
#[derive(Debug)]
struct Tally<K> {
    counts: BTreeMap<K, u64>,
    not_kept: u64,
}

impl<K> Default for Tally<K> {
    fn default() -> Self {
        Tally {
            counts: BTreeMap::new(),
            not_kept: 0,
        }
    }
}

impl<K: Ord> Tally<K> {
    /// Counts one occurrence of `key`; `own` builds the stored key only for a new value
    /// that still fits, so a repeated value costs no allocation.
    fn add<Q: Ord + ?Sized>(&mut self, key: &Q, own: impl FnOnce(&Q) -> K)
    where
        K: Borrow<Q>,
    {
        if let Some(n) = self.counts.get_mut(key) {
            *n += 1;
        } else if self.counts.len() < MAX_DISTINCT {
            self.counts.insert(own(key), 1);
        } else {
            self.not_kept += 1;
        }
    }
}

/// What one file holds.
#[derive(Debug, Default)]
struct FileSeen {
    name: String,
    format: String,
    columns: Vec<String>,
    found: Vec<(String, String)>,
    keys: Tally<String>,
    records: u64,
    rejected: u64,
    first_rejections: Vec<String>,
    unreadable: Option<String>,
}

/// The first and last time seen: UTC milliseconds (a local time read as UTC, for
/// ordering only) and the text as the file wrote it.
type Range = ((i64, String), (i64, String));

/// The visitor of `inspect`: counts what the records hold, before any mapping of names.
struct Inspector<'a> {
    file: FileSeen,
    time: &'a TimeSpec,
    fixed_service: Option<&'a str>,
    services: &'a mut Tally<String>,
    activities: &'a mut Tally<(String, String)>,
    shapes: &'a mut Tally<String>,
    range: &'a mut Option<Range>,
    /// Names cut to [`MAX_NAME_BYTES`], over all files.
    cut: &'a mut u64,
    /// Reused for each timestamp's shape.
    shape: String,
    /// What each column's values look like, when the columns are to be guessed.
    cols: Option<&'a mut draft::Columns>,
    /// Time values that no format reads, and the records `check` would reject.
    failing: &'a mut Tally<String>,
    would_reject: &'a mut (u64, Vec<String>),
}

impl Visitor for Inspector<'_> {
    fn columns(
        &mut self,
        names: &[&str],
        found: &[Option<usize>; Field::COUNT],
    ) -> Result<(), String> {
        let cut = &mut *self.cut;
        self.file.columns = names.iter().map(|s| kept(s, cut).into_owned()).collect();
        for f in Field::ALL {
            if let Some(Some(i)) = found.get(f as usize) {
                let col = self.file.columns.get(*i).cloned().unwrap_or_default();
                self.file.found.push((f.name().to_string(), col));
            }
        }
        Ok(())
    }

    fn wants_all(&self) -> bool {
        true
    }

    fn record(&mut self, pos: Pos, f: &Fields, all: &[(&str, &str)]) {
        self.file.records += 1;
        if let Some(c) = self.cols.as_deref_mut() {
            c.see(all);
        }
        self.would_check(pos, f);
        for (k, _) in all {
            let k = kept(k, self.cut);
            self.file.keys.add(k.as_ref(), str::to_string);
        }
        let get = |x: Field| f[x as usize].map(str::trim).filter(|s| !s.is_empty());
        let service = get(Field::Service).or(self.fixed_service).unwrap_or("");
        let service = kept(service, self.cut);
        self.services.add(service.as_ref(), str::to_string);
        if let Some(step) = get(Field::Step) {
            let key = (service.into_owned(), kept(step, self.cut).into_owned());
            self.activities.add(&key, Clone::clone);
        }
        for t in [get(Field::At), get(Field::Started)].into_iter().flatten() {
            shape(t, &mut self.shape);
            self.shapes.add(self.shape.as_str(), str::to_string);
            let ms = match self.time.parse(t) {
                Err(_) => {
                    let t = kept(t, &mut 0);
                    self.failing.add(t.as_ref(), str::to_string);
                    continue;
                }
                Ok(Stamp::Instant(ms)) => ms,
                Ok(Stamp::Local(n)) => n.and_utc().timestamp_millis(),
                Ok(Stamp::Day(d)) => d
                    .and_time(chrono::NaiveTime::MIN)
                    .and_utc()
                    .timestamp_millis(),
            };
            // A time that parses is short, but a format's `%.f` reads any number of digits.
            let t: &str = &kept(t, &mut 0);
            let r = self
                .range
                .get_or_insert_with(|| ((ms, t.into()), (ms, t.into())));
            if ms < r.0.0 {
                r.0 = (ms, t.into());
            }
            if ms > r.1.0 {
                r.1 = (ms, t.into());
            }
        }
    }

    fn reject(&mut self, pos: Pos, field: Option<&str>, _kind: Reason, reason: String) {
        self.file.rejected += 1;
        if self.file.first_rejections.len() < 5 {
            let at = field.map_or(String::new(), |f| format!(" {f}:"));
            let text = format!("line {}:{at} {}: {reason}", pos.line(), pos.describe());
            let text = if text.len() > MAX_REJECTION_BYTES {
                excerpt(text.as_bytes(), MAX_REJECTION_BYTES)
            } else {
                text
            };
            self.file.first_rejections.push(text);
        }
    }
}

impl Inspector<'_> {
    /// Whether `check` would reject the record, when the columns of our fields are
    /// known: a field it needs missing, or a time no format reads. The first few are
    /// named by position.
    fn would_check(&mut self, pos: Pos, f: &Fields) {
        if !self.file.found.iter().any(|(ours, _)| ours == "at") {
            return;
        }
        let get = |x: Field| f[x as usize].map(str::trim).filter(|s| !s.is_empty());
        let mut why = None;
        for x in [Field::Case, Field::Service, Field::Step, Field::At] {
            if get(x).is_none() && !(x == Field::Service && self.fixed_service.is_some()) {
                why = Some(format!("{}: missing or empty", x.name()));
                break;
            }
        }
        if why.is_none() {
            for x in [Field::At, Field::Started] {
                if let Some(Err(e)) = get(x).map(|t| self.time.parse(t)) {
                    why = Some(format!("{}: {e}", x.name()));
                    break;
                }
            }
        }
        let Some(why) = why else {
            return;
        };
        let (n, first) = &mut *self.would_reject;
        *n += 1;
        if first.len() < 5 {
            let text = format!("{}, line {}: {why}", pos.describe(), pos.line());
            first.push(excerpt(text.as_bytes(), MAX_REJECTION_BYTES));
        }
    }
}

/// A timestamp's shape, written into `out`: digits become `9` (`31.05.2016 10:00` ->
/// `99.99.9999 99:99`). Only the first [`MAX_NAME_CHARS`] characters count, so a huge
/// field is not copied whole.
fn shape(s: &str, out: &mut String) {
    out.clear();
    out.extend(
        clip(s)
            .chars()
            .map(|c| if c.is_ascii_digit() { '9' } else { c }),
    );
}

/// The first [`MAX_NAME_CHARS`] characters of `s`.
fn clip(s: &str) -> &str {
    s.char_indices()
        .nth(MAX_NAME_CHARS)
        .map_or(s, |(i, _)| s.get(..i).unwrap_or(s))
}

pub fn run(args: InspectArgs) -> Result<u8, Error> {
    super::refuse_out_over_input(args.out.as_deref(), &args.logs)?;
    let catalog = catalog(&args.rules)?;
    let opts = args.input.options(&catalog)?;
    let map = opts.mapping.as_ref();
    let mut cols = draft::Columns::default();
    let first = read_all(&args.logs, &opts, map, Some(&mut cols));
    // Without a mapping, and when no column has our names, the columns are guessed and
    // the logs read again through the guess (standard input cannot be read twice).
    let ours = first.files.iter().any(|f| !f.found.is_empty());
    let again = !args.logs.iter().any(|p| p.as_os_str() == "-");
    let guess = (map.is_none() && !ours && again)
        .then(|| draft::guess(&catalog, &cols))
        .flatten();
    let (report, used) = match &guess {
        Some(g) => {
            let mut second = read_all(&args.logs, &opts, Some(&g.mapping), None);
            second.files = first.files;
            (second, Some(&g.mapping))
        }
        None => (first, map),
    };
    let mut doc = report.to_json(&catalog, used);
    if let Some(g) = &guess {
        doc["guess"] = g.to_json();
    }
    if let Some(path) = &args.draft_map {
        let Some(base) = used else {
            return Err(Error::Usage(
                "--draft-map: no column could be told to hold the case, the activity and the time; give --map with `fields`".into(),
            ));
        };
        let names: Vec<String> = args.logs.iter().map(|p| p.display().to_string()).collect();
        let text = serde_json::to_string_pretty(&draft::draft(base, &doc, &names.join(", ")))
            .unwrap_or_default();
        Output::open(Some(path)).and_then(|mut out| out.write_with(|w| writeln!(w, "{text}")))?;
    }
    // The exit code does not depend on whether the reader kept the pipe open.
    let code = if report_unreadable(&doc) { 2 } else { 0 };
    let written = Output::open(args.out.as_deref()).and_then(|mut out| {
        out.write_with(|w| match args.format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut *w, &doc).map_err(std::io::Error::from)
            }
            Format::Text => write_text(&doc, w),
        })
    });
    match written {
        Err(e) if !e.is_broken_pipe() => Err(e),
        _ => Ok(code),
    }
}

/// Reads every log with `map` (or none), counting what it holds; `cols`: also study
/// each column's values, to guess the columns.
fn read_all(
    logs: &[PathBuf],
    opts: &Options,
    map: Option<&Mapping>,
    mut cols: Option<&mut draft::Columns>,
) -> Findings {
    let default_time = TimeSpec::default();
    let time = map.map_or(&default_time, |m| &m.time);
    let (mut services, mut activities, mut shapes, mut failing) = Default::default();
    let mut range = None;
    let mut cut = 0;
    let mut would_reject = (0, Vec::new());
    let mut files = Vec::new();
    for path in logs {
        let name = path.display().to_string();
        let format = opts.format.unwrap_or_else(|| InputFormat::of_path(path));
        let mut v = Inspector {
            file: FileSeen {
                name: name.clone(),
                format: format!("{format:?}").to_lowercase(),
                ..FileSeen::default()
            },
            time,
            fixed_service: map.and_then(|m| m.service.as_deref()),
            services: &mut services,
            activities: &mut activities,
            shapes: &mut shapes,
            range: &mut range,
            cut: &mut cut,
            shape: String::new(),
            cols: cols.as_deref_mut(),
            failing: &mut failing,
            would_reject: &mut would_reject,
        };
        let res = with_input(path, format, |input| match format {
            InputFormat::Csv => formats::csv::read(input, &opts.csv, map, &mut v),
            InputFormat::Xes => read_xes_with(input, opts, map, &mut v),
            InputFormat::Workbook => formats::workbook::read(input, &opts.workbook, map, &mut v),
            InputFormat::Jsonl => jsonl(input, &mut v),
        });
        if let Err(e) = res {
            v.file.unreadable = Some(e.to_string());
        }
        files.push(v.file);
    }
    Findings {
        files,
        services,
        activities,
        shapes,
        range,
        names_cut: cut,
        failing,
        would_reject,
    }
}

/// An XES log read with `map` (the given or the guessed mapping) and `opts`' encoding.
fn read_xes_with(
    input: &mut (dyn BufRead + Send),
    opts: &Options,
    map: Option<&Mapping>,
    v: &mut Inspector,
) -> Result<(), formats::FormatError> {
    let opts = Options {
        mapping: map.cloned(),
        ..opts.clone()
    };
    formats::read_xes(input, &opts, v)
}

fn report_unreadable(doc: &serde_json::Value) -> bool {
    doc["files"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| !f["unreadable"].is_null()))
}
