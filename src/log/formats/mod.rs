//! Logs in the providers' own formats: CSV ([`csv`]), XES ([`xes`]) and Excel or
//! LibreOffice workbooks ([`workbook`]), with a [`mapping`] from the provider's names to
//! ours; a binary file of any other kind is refused by what it looks like ([`sniff`]).
//!
//! Each reader turns its records into [`Fields`] (borrowed strings, one per field of
//! ours) and hands them to a [`Visitor`]. [`Sink`] is the visitor of `check`: it maps
//! names, parses times and pushes the same interned [`Event`]s the JSON Lines reader
//! makes, so group -> replay -> report do not know which format a log came in. Every
//! record is accepted or rejected with its file, position, field and reason, so the
//! account's `lines == events + rejected` holds for every format, a "line" being a
//! record: a CSV data row, a workbook row, or an XES event (a `start`/`complete` pair of
//! one activity is one record).

pub mod csv;
pub mod mapping;
pub mod sniff;
pub mod suggest;
pub mod times;
pub mod workbook;
pub mod xes;
mod xml_input;

use super::account::Reason;
use super::intern::{Interner, NONE};
use super::time::{self, Stamp};
use super::{Event, Log, NO_TIME, Reader, Rejected};
use crate::rules::Catalog;
use chrono_tz::Tz;
use mapping::ValueKind;
pub use mapping::{Mapping, MappingError};
use rustc_hash::FxHashMap;

/// A record larger than this (CSV bytes of one record, XES bytes of one event) is
/// rejected and its content dropped as it is read: memory stays bounded.
pub const MAX_RECORD: usize = 1 << 20;

/// Our fields, in the order of [`Fields`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Case,
    Service,
    Step,
    At,
    Started,
    Channel,
    Variant,
    Provider,
    Actor,
    Ground,
}

impl Field {
    pub const COUNT: usize = 10;
    pub const ALL: [Field; Field::COUNT] = [
        Field::Case,
        Field::Service,
        Field::Step,
        Field::At,
        Field::Started,
        Field::Channel,
        Field::Variant,
        Field::Provider,
        Field::Actor,
        Field::Ground,
    ];

    /// Our name of the field (the JSON Lines key, the CSV header of our own format).
    pub fn name(self) -> &'static str {
        [
            "case", "service", "step", "at", "started", "channel", "variant", "provider", "actor",
            "ground",
        ][self as usize]
    }

    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// One record's values, by [`Field`] index; `None` or empty when absent.
pub type Fields<'r> = [Option<&'r str>; Field::COUNT];

/// Where a record is in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pos {
    /// CSV: the 1-based data record (the header is not counted), the line it starts on
    /// and the physical lines it spans (more than one when a quoted field holds a line end).
    Csv { record: u64, line: u64, lines: u64 },
    /// XES: the line its `<event>` starts on, the 1-based trace and event index in it
    /// (trace 0: an event outside any trace).
    Xes { line: u64, trace: u64, event: u64 },
    /// Workbook: the 1-based sheet number, the spreadsheet's own 1-based row number and
    /// the 1-based data record (rows above the header and empty rows are not counted).
    Sheet { sheet: u32, row: u64, record: u64 },
}

impl Pos {
    /// Physical lines past the first that the record spans.
    pub fn continued(self) -> u64 {
        match self {
            Pos::Csv { lines, .. } => lines.saturating_sub(1),
            Pos::Xes { .. } | Pos::Sheet { .. } => 0,
        }
    }

    pub fn line(self) -> u64 {
        match self {
            Pos::Csv { line, .. } | Pos::Xes { line, .. } => line,
            Pos::Sheet { row, .. } => row,
        }
    }

    /// The position in words, the start of every rejection reason.
    #[cold]
    pub fn describe(self) -> String {
        match self {
            Pos::Csv {
                record,
                line,
                lines,
            } if lines > 1 => {
                let last = line.saturating_add(lines - 1);
                format!("record {record} (lines {line} to {last})")
            }
            Pos::Csv { record, .. } => format!("record {record}"),
            Pos::Xes { trace, event, .. } => format!("trace {trace}, event {event}"),
            Pos::Sheet { sheet, row, .. } => format!("sheet {sheet}, row {row}"),
        }
    }
}

/// Whose a record that could not be read is, as far as its fields still tell (issue 16):
/// its case id, and its service when that is readable too (source names, as the record
/// gives them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner<'r> {
    pub case: &'r str,
    pub service: Option<&'r str>,
}

impl<'r> Owner<'r> {
    /// The owner of a record with these values: `None` when the case id is absent or empty.
    pub fn of(fields: &Fields<'r>) -> Option<Owner<'r>> {
        let get = |f: Field| fields[f as usize].map(str::trim).filter(|s| !s.is_empty());
        Some(Owner {
            case: get(Field::Case)?,
            service: get(Field::Service),
        })
    }
}

/// What a format reader hands its records to.
pub trait Visitor {
    /// The source's column (CSV header) names, and which column holds each of our
    /// fields. An error makes the file unreadable (no record can be read as an event).
    fn columns(
        &mut self,
        names: &[&str],
        found: &[Option<usize>; Field::COUNT],
    ) -> Result<(), String>;
    /// Whether [`Visitor::record`] wants every source value (`inspect`), not only ours.
    fn wants_all(&self) -> bool {
        false
    }
    /// One record: our fields, and (when wanted) every `(source name, value)` pair.
    fn record(&mut self, pos: Pos, fields: &Fields, all: &[(&str, &str)]);
    /// A record that could not be read, with the field at fault (a source name).
    fn reject(&mut self, pos: Pos, field: Option<&str>, kind: Reason, reason: String);
    /// As [`Visitor::reject`], for a record whose case id could still be read.
    fn reject_in_case(
        &mut self,
        owner: Owner<'_>,
        pos: Pos,
        field: Option<&str>,
        kind: Reason,
        reason: String,
    ) {
        let _ = owner;
        self.reject(pos, field, kind, reason);
    }
    /// The file holds no record at all (an empty or header-only XES): warned about as
    /// an empty JSON Lines input is.
    fn empty(&mut self) {}
}

/// The format of one log file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    Jsonl,
    Csv,
    Xes,
    /// `.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`: the kind is told by the bytes.
    Workbook,
}

impl InputFormat {
    /// By extension, after a `.gz`: `.csv`, `.xes` (and `.xes.gz`), a workbook's
    /// (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`), else JSON Lines.
    pub fn of_path(path: &std::path::Path) -> InputFormat {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let name = name.strip_suffix(".gz").unwrap_or(name);
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        if ext.eq_ignore_ascii_case("csv") {
            InputFormat::Csv
        } else if ext.eq_ignore_ascii_case("xes") {
            InputFormat::Xes
        } else if ["xlsx", "xlsm", "xlsb", "xls", "ods"]
            .iter()
            .any(|w| ext.eq_ignore_ascii_case(w))
        {
            InputFormat::Workbook
        } else {
            InputFormat::Jsonl
        }
    }
}

/// How to read the logs of one run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `None`: by extension ([`InputFormat::of_path`]).
    pub format: Option<InputFormat>,
    pub csv: csv::CsvOptions,
    pub workbook: workbook::WorkbookOptions,
    pub mapping: Option<Mapping>,
}

/// Why a file could not be read to its end.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file's structure is broken (no usable header, XML not well formed); the
    /// records read before stay accounted for.
    #[error("{0}")]
    Unreadable(String),
}

/// Reads one log in whatever format `opts` and its name say, into `reader`.
pub fn read(
    reader: &mut Reader,
    name: &str,
    input: impl std::io::BufRead + Send,
    format: InputFormat,
    opts: &Options,
) -> Result<(), FormatError> {
    match format {
        InputFormat::Jsonl => reader.read(name, input).map_err(FormatError::Io),
        InputFormat::Csv => {
            let (catalog, log) = reader.parts();
            let mut sink = Sink::new(catalog, log, opts.mapping.as_ref(), name);
            csv::read(input, &opts.csv, opts.mapping.as_ref(), &mut sink)
        }
        InputFormat::Xes => {
            let (catalog, log) = reader.parts();
            let mut sink = Sink::new(catalog, log, opts.mapping.as_ref(), name);
            read_xes(input, opts, &mut sink)
        }
        InputFormat::Workbook => {
            let (catalog, log) = reader.parts();
            let mut sink = Sink::new(catalog, log, opts.mapping.as_ref(), name);
            workbook::read(input, &opts.workbook, opts.mapping.as_ref(), &mut sink)
        }
    }
}

/// Reads an XES log with `opts` (its mapping, and `--encoding` when it is not UTF-8).
pub fn read_xes(
    input: impl std::io::BufRead,
    opts: &Options,
    v: &mut impl Visitor,
) -> Result<(), FormatError> {
    let map = opts.mapping.as_ref();
    match opts.csv.encoding.filter(|e| *e != encoding_rs::UTF_8) {
        Some(enc) => {
            let decoded = csv::Decoding::new(input, enc);
            xes::read(std::io::BufReader::with_capacity(1 << 16, decoded), map, v)
        }
        None => xes::read(input, map, v),
    }
}

/// The rejection of a record whose `started` is later than its `at`: a step cannot end
/// before it starts, and a desk time measured from such a start would be negative, so
/// always within its limit. Equal times (a step done at once) are accepted.
#[cold]
fn start_after_end(started: Option<&str>, at: Option<&str>) -> (Field, Reason, String) {
    let why = super::account::start_after_end(started.unwrap_or(""), at.unwrap_or(""));
    (Field::Started, Reason::BadTime, why)
}

/// The visitor of `check`: records to [`Event`]s in a [`Log`].
pub struct Sink<'a> {
    catalog: &'a Catalog,
    log: &'a mut Log,
    map: Option<&'a Mapping>,
    file: u16,
    /// Source service names, and the log's service id of each.
    raw_services: Interner,
    service_of: Vec<u32>,
    /// Source activity names, and the log's step id per (service, source name).
    raw_steps: Interner,
    step_of: FxHashMap<(u32, u32), u32>,
    /// Zone per log service id, on first sight.
    zones: FxHashMap<u32, Option<Tz>>,
    /// Source channel, variant and ground names, and the log's id of each.
    values: [(Interner, Vec<u32>); 3],
}

impl<'a> Sink<'a> {
    pub fn new(
        catalog: &'a Catalog,
        log: &'a mut Log,
        map: Option<&'a Mapping>,
        name: &'a str,
    ) -> Sink<'a> {
        // Events hold the index in 16 bits ([`crate::log::MAX_FILES`], checked by the CLI).
        let file = u16::try_from(log.files.len()).unwrap_or(u16::MAX);
        log.files.push(name.to_string());
        Sink {
            catalog,
            log,
            map,
            file,
            raw_services: Interner::default(),
            service_of: Vec::new(),
            raw_steps: Interner::default(),
            step_of: FxHashMap::default(),
            zones: FxHashMap::default(),
            values: Default::default(),
        }
    }

    /// The log's service id of a source service name.
    fn service(&mut self, raw: &str) -> u32 {
        let r = self.raw_services.intern(raw) as usize;
        if let Some(&id) = self.service_of.get(r) {
            return id;
        }
        let ours = self.map.and_then(|m| m.service_id(raw)).unwrap_or(raw);
        let id = self.log.names.services.intern(ours);
        self.service_of.push(id);
        id
    }

    /// The log's step id of a source activity name within a service.
    fn step(&mut self, service: u32, raw: &str) -> u32 {
        let r = self.raw_steps.intern(raw);
        if let Some(&id) = self.step_of.get(&(service, r)) {
            return id;
        }
        let sname = self.log.names.services.name(service);
        let ours = self.map.and_then(|m| m.step_id(sname, raw)).unwrap_or(raw);
        let id = self.log.names.steps.intern(ours);
        self.step_of.insert((service, r), id);
        id
    }

    fn zone(&mut self, service: u32) -> Option<Tz> {
        if let Some(z) = self.map.and_then(|m| m.time.zone) {
            return Some(z);
        }
        let (catalog, names) = (self.catalog, &self.log.names.services);
        *self.zones.entry(service).or_insert_with(|| {
            catalog
                .editions(names.name(service))
                .and_then(|e| e.first())
                .map(|&ix| catalog.sets[ix].tz)
        })
    }

    fn stamp(&self, s: &str) -> Result<Stamp, String> {
        match self.map {
            Some(m) => m.time.parse(s),
            None => time::parse(s),
        }
    }

    /// Turns one record into an event, or says which field is wrong.
    fn event(&mut self, pos: Pos, f: &Fields) -> Result<Event, (Field, Reason, String)> {
        let get = |field: Field| f[field as usize].map(str::trim).filter(|s| !s.is_empty());
        let need = |field: Field| {
            get(field).ok_or((field, Reason::MissingField, "missing or empty".to_string()))
        };
        let case = need(Field::Case)?;
        let raw_service = match get(Field::Service) {
            Some(s) => s,
            None => match self.map.and_then(|m| m.service.as_deref()) {
                Some(s) => s,
                None => {
                    let why = "missing or empty".to_string();
                    return Err((Field::Service, Reason::MissingField, why));
                }
            },
        };
        let step = need(Field::Step)?;
        let at = self
            .stamp(need(Field::At)?)
            .map_err(|e| (Field::At, Reason::BadTime, e))?;
        let started = get(Field::Started)
            .map(|s| self.stamp(s))
            .transpose()
            .map_err(|e| (Field::Started, Reason::BadTime, e))?;
        let service = self.service(raw_service);
        let day_only = at.is_day() || started.is_some_and(|s| s.is_day());
        let local = !matches!(at, Stamp::Instant(_))
            || started.is_some_and(|s| !matches!(s, Stamp::Instant(_)));
        let tz = if local { self.zone(service) } else { None };
        let at = time::resolve(at, tz).map_err(|e| (Field::At, Reason::BadTime, e))?;
        let started = match started {
            None => NO_TIME,
            Some(s) => time::resolve(s, tz).map_err(|e| (Field::Started, Reason::BadTime, e))?,
        };
        if started != NO_TIME && started > at {
            return Err(start_after_end(get(Field::Started), get(Field::At)));
        }
        let step = self.step(service, step);
        let channel = match (
            get(Field::Channel),
            self.map.and_then(|m| m.channel.as_deref()),
        ) {
            (Some(s), _) => self.value(ValueKind::Channel, s),
            (None, Some(ours)) => self.log.names.channels.intern(ours),
            (None, None) => NONE,
        };
        let variant = get(Field::Variant).map_or(NONE, |s| self.value(ValueKind::Variant, s));
        let ground = get(Field::Ground).map_or(NONE, |s| self.value(ValueKind::Ground, s));
        let provider = get(Field::Provider).or(self.map.and_then(|m| m.provider.as_deref()));
        let names = &mut self.log.names;
        Ok(Event {
            case: names.cases.intern(case),
            service,
            step,
            channel,
            variant,
            ground,
            provider: provider.map_or(NONE, |s| names.providers.intern(s)),
            at,
            started,
            file: self.file,
            day_only,
            line: pos.line(),
        })
    }

    /// The log's id of a source channel, variant or ground name, in our words if the
    /// mapping has them (looked up once per distinct source name).
    fn value(&mut self, kind: ValueKind, raw: &str) -> u32 {
        let (seen, ids) = &mut self.values[kind as usize];
        let r = seen.intern(raw) as usize;
        if let Some(&id) = ids.get(r) {
            return id;
        }
        let ours = self.map.and_then(|m| m.value_id(kind, raw)).unwrap_or(raw);
        let names = &mut self.log.names;
        let table = match kind {
            ValueKind::Channel => &mut names.channels,
            ValueKind::Variant => &mut names.variants,
            ValueKind::Ground => &mut names.grounds,
        };
        let id = table.intern(ours);
        ids.push(id);
        id
    }

    /// A rejected record at `pos`, as the account keeps it; the physical lines it took
    /// past its first are counted (`summary.continued_lines`), as an accepted record's are.
    #[cold]
    fn rejected(
        &mut self,
        pos: Pos,
        field: Option<&str>,
        kind: Reason,
        reason: String,
    ) -> Rejected {
        self.log.account.continued_lines += pos.continued();
        Rejected {
            file: u32::from(self.file),
            line: pos.line(),
            field: field.map(str::to_string),
            reason: kind,
            detail: format!("{}: {reason}", pos.describe()),
            excerpt: String::new(),
        }
    }

    /// The source name of a field, for messages: the mapping's column, or ours.
    fn source_name(&self, field: Field) -> String {
        self.map
            .and_then(|m| m.columns[field as usize].as_deref())
            .unwrap_or(field.name())
            .to_string()
    }
}

impl Visitor for Sink<'_> {
    fn columns(
        &mut self,
        names: &[&str],
        found: &[Option<usize>; Field::COUNT],
    ) -> Result<(), String> {
        let fixed_service = self.map.is_some_and(|m| m.service.is_some());
        let missing: Vec<String> = [Field::Case, Field::Service, Field::Step, Field::At]
            .into_iter()
            .filter(|&f| found[f as usize].is_none())
            .filter(|&f| !(f == Field::Service && fixed_service))
            .map(|f| format!("{:?} (for {})", self.source_name(f), f.name()))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(format!(
            "header has no column {}; columns are {:?}{}",
            missing.join(", "),
            names,
            if self.map.is_none() {
                " (a provider's own header needs --map FILE)"
            } else {
                ""
            }
        ))
    }

    fn record(&mut self, pos: Pos, fields: &Fields, _all: &[(&str, &str)]) {
        self.log.account.continued_lines += pos.continued();
        match self.event(pos, fields) {
            Ok(e) => {
                self.log.events.push(e);
                self.log.account.lines += 1;
                self.log.account.events += 1;
            }
            Err((field, kind, reason)) => {
                let name = self.source_name(field);
                match Owner::of(fields) {
                    Some(o) => self.reject_in_case(o, pos, Some(&name), kind, reason),
                    None => self.reject(pos, Some(&name), kind, reason),
                }
            }
        }
    }

    fn empty(&mut self) {
        self.log.account.empty_files.push(u32::from(self.file));
    }

    #[cold]
    fn reject(&mut self, pos: Pos, field: Option<&str>, kind: Reason, reason: String) {
        let r = self.rejected(pos, field, kind, reason);
        self.log.account.reject(r);
    }

    #[cold]
    fn reject_in_case(
        &mut self,
        owner: Owner<'_>,
        pos: Pos,
        field: Option<&str>,
        kind: Reason,
        reason: String,
    ) {
        let r = self.rejected(pos, field, kind, reason);
        // The service in our words, as an accepted record's would be (the mapping's
        // fixed service when the export has no service column).
        let map = self.map;
        let raw = owner.service.or(map.and_then(|m| m.service.as_deref()));
        let service = raw.map(|s| map.and_then(|m| m.service_id(s)).unwrap_or(s));
        let case = self.log.names.cases.intern(owner.case);
        self.log.account.reject_in_case(r, case, service);
    }
}
