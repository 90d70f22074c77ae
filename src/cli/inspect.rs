//! `reglament inspect`: what a provider's log holds, to help a person write its mapping;
//! and the input options (`--input-format`, `--map`, `--delimiter`, `--encoding`) that
//! `check` shares.

use super::{Format, Output, RulesArg, catalog};
use crate::Error;
use crate::log::account::Reason;
use crate::log::formats::mapping::{Mapping, TimeSpec, fold};
use crate::log::formats::{self, Field, Fields, InputFormat, Options, Pos, Visitor};
use crate::log::time::Stamp;
use crate::rules::Catalog;
use serde_json::json;
use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

mod report;
use report::*;

/// `--input-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Jsonl,
    Csv,
    Xes,
}

/// How logs are read: shared by `check` and `inspect`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InputArgs {
    /// Format of every LOG (default: by extension: .csv, .xes, with or without .gz; else JSON Lines).
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
}

impl InputArgs {
    /// The reading options, with the mapping loaded and checked against `catalog`.
    pub fn options(&self, catalog: &Catalog) -> Result<Options, Error> {
        let mut opts = Options {
            format: self.input_format.map(|f| match f {
                FormatArg::Jsonl => InputFormat::Jsonl,
                FormatArg::Csv => InputFormat::Csv,
                FormatArg::Xes => InputFormat::Xes,
            }),
            ..Options::default()
        };
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
    with_input(path, |input| {
        formats::read(reader, name, input, format, opts)
    })
}

/// As [`read_log`], handing the log to `on_block` as it fills (the streaming replay takes
/// the block's events). JSON Lines is handed over block by block; a CSV or XES file is
/// read whole and handed over once, so `--stream` bounds memory for JSON Lines only.
pub fn read_log_blocks(
    reader: &mut crate::log::Reader,
    path: &Path,
    name: &str,
    opts: &Options,
    on_block: &mut dyn FnMut(&mut crate::log::Log),
) -> Result<(), formats::FormatError> {
    let format = opts.format.unwrap_or_else(|| InputFormat::of_path(path));
    if format != InputFormat::Jsonl {
        let read = read_log(reader, path, name, opts);
        on_block(reader.parts().1);
        return read;
    }
    let name = if path.as_os_str() == "-" {
        "<stdin>"
    } else {
        name
    };
    with_input(path, |input| {
        (reader.read_blocks(name, input, on_block)).map_err(formats::FormatError::Io)
    })
}

/// Opens `path` (`-`: standard input; `.gz`: decompressed) and hands it to `f`.
fn with_input<T>(
    path: &Path,
    f: impl FnOnce(&mut dyn BufRead) -> Result<T, formats::FormatError>,
) -> Result<T, formats::FormatError> {
    if path.as_os_str() == "-" {
        return f(&mut std::io::stdin().lock());
    }
    let file = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
    if path.extension().is_some_and(|e| e == "gz") {
        let gz = flate2::bufread::MultiGzDecoder::new(file);
        f(&mut std::io::BufReader::with_capacity(1 << 16, gz))
    } else {
        f(&mut { file })
    }
}

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Logs to inspect (CSV, XES, JSON Lines; `.gz` decompressed; `-` standard input).
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
    /// Reused for each timestamp's shape.
    shape: String,
}

impl Visitor for Inspector<'_> {
    fn columns(
        &mut self,
        names: &[&str],
        found: &[Option<usize>; Field::COUNT],
    ) -> Result<(), String> {
        self.file.columns = names.iter().map(|s| s.to_string()).collect();
        for f in Field::ALL {
            if let Some(Some(i)) = found.get(f as usize) {
                let col = names.get(*i).copied().unwrap_or("");
                self.file
                    .found
                    .push((f.name().to_string(), col.to_string()));
            }
        }
        Ok(())
    }

    fn wants_all(&self) -> bool {
        true
    }

    fn record(&mut self, _pos: Pos, f: &Fields, all: &[(&str, &str)]) {
        self.file.records += 1;
        for (k, _) in all {
            self.file.keys.add(*k, str::to_string);
        }
        let get = |x: Field| f[x as usize].map(str::trim).filter(|s| !s.is_empty());
        let service = get(Field::Service).or(self.fixed_service).unwrap_or("");
        self.services.add(service, str::to_string);
        if let Some(step) = get(Field::Step) {
            let key = (service.to_string(), step.to_string());
            self.activities.add(&key, Clone::clone);
        }
        for t in [get(Field::At), get(Field::Started)].into_iter().flatten() {
            shape(t, &mut self.shape);
            self.shapes.add(self.shape.as_str(), str::to_string);
            let ms = match self.time.parse(t) {
                Ok(Stamp::Instant(ms)) => ms,
                Ok(Stamp::Local(n)) => n.and_utc().timestamp_millis(),
                Err(_) => continue,
            };
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
            self.file.first_rejections.push(format!(
                "line {}:{at} {}: {reason}",
                pos.line(),
                pos.describe()
            ));
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
    let catalog = catalog(&args.rules)?;
    let opts = args.input.options(&catalog)?;
    let map = opts.mapping.as_ref();
    let default_time = TimeSpec::default();
    let time = map.map_or(&default_time, |m| &m.time);
    let (mut services, mut activities, mut shapes) = Default::default();
    let mut range = None;
    let mut files = Vec::new();
    for path in &args.logs {
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
            shape: String::new(),
        };
        let res = with_input(path, |input| match format {
            InputFormat::Csv => formats::csv::read(input, &opts.csv, map, &mut v),
            InputFormat::Xes => formats::read_xes(input, &opts, &mut v),
            InputFormat::Jsonl => jsonl(input, &mut v),
        });
        if let Err(e) = res {
            v.file.unreadable = Some(e.to_string());
        }
        files.push(v.file);
    }
    let report = Findings {
        files,
        services,
        activities,
        shapes,
        range,
    };
    let doc = report.to_json(&catalog, map);
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

fn report_unreadable(doc: &serde_json::Value) -> bool {
    doc["files"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| !f["unreadable"].is_null()))
}

/// JSON Lines for `inspect`: each line's fields as they are, no mapping.
fn jsonl(input: &mut dyn BufRead, v: &mut Inspector) -> Result<(), formats::FormatError> {
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    v.columns(&names, &std::array::from_fn(Some))
        .map_err(formats::FormatError::Unreadable)?;
    let mut line = Vec::new();
    let mut n = 0u64;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        n += 1;
        let pos = Pos::Csv { record: n, line: n };
        match serde_json::from_slice::<BTreeMap<String, serde_json::Value>>(&line) {
            Ok(obj) => {
                let text: Vec<(String, String)> = obj
                    .iter()
                    .map(|(k, val)| {
                        (
                            k.clone(),
                            val.as_str().map_or_else(|| val.to_string(), str::to_string),
                        )
                    })
                    .collect();
                let mut f: Fields = [None; Field::COUNT];
                for field in Field::ALL {
                    f[field as usize] = text
                        .iter()
                        .find(|(k, _)| k == field.name())
                        .map(|(_, s)| s.as_str());
                }
                let all: Vec<(&str, &str)> =
                    text.iter().map(|(k, s)| (k.as_str(), s.as_str())).collect();
                v.record(pos, &f, &all);
            }
            Err(_) if line.iter().all(u8::is_ascii_whitespace) => n -= 1,
            Err(e) => v.reject(pos, None, Reason::Syntax, format!("invalid JSON: {e}")),
        }
    }
}
