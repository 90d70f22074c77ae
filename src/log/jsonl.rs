//! JSON Lines event logs, read as a stream.
//!
//! One event per line: `case`, `service`, `step`, `at` (required), and `channel`,
//! `variant`, `provider`, `actor`, `ground`, `started` (optional); other fields are
//! ignored. Each line is parsed into borrowed strings (no `serde_json::Value` per event)
//! and its names are interned at once, so the line buffer is reused for the next line.
//! A line that is not a valid event is rejected with its file, line, field and reason,
//! and the run goes on.

use super::account::{Account, Rejected};
use super::intern::{Interner, NONE};
use super::time::{self, Stamp};
use super::{Event, NO_TIME};
use crate::rules::Catalog;
use chrono_tz::Tz;
use serde::Deserialize;
use std::borrow::Cow;
use std::io::BufRead;

/// Lines longer than this are rejected unread: no real event is a megabyte.
pub const MAX_LINE: usize = 1 << 20;

#[derive(Deserialize)]
struct RawEvent<'a> {
    #[serde(borrow)]
    case: Cow<'a, str>,
    #[serde(borrow)]
    service: Cow<'a, str>,
    #[serde(borrow)]
    step: Cow<'a, str>,
    #[serde(borrow)]
    at: Cow<'a, str>,
    #[serde(borrow, default)]
    started: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    channel: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    variant: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    ground: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "provider")]
    _provider: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "actor")]
    _actor: Option<Cow<'a, str>>,
}

/// Every event of a run, with the names they use.
#[derive(Debug, Default)]
pub struct Log {
    pub events: Vec<Event>,
    pub files: Vec<String>,
    pub cases: Interner,
    pub services: Interner,
    pub steps: Interner,
    pub channels: Interner,
    pub variants: Interner,
    pub grounds: Interner,
    pub account: Account,
}

/// Reads logs into a [`Log`], placing local times in each service's zone.
pub struct Reader<'c> {
    catalog: &'c Catalog,
    log: Log,
    /// Time zone per service id (`None`: unknown service), filled on first sight.
    zones: Vec<Option<Tz>>,
}

/// Why a line was rejected: the field at fault (if one is) and what is wrong.
struct Reject {
    field: Option<String>,
    reason: String,
}

impl<'c> Reader<'c> {
    pub fn new(catalog: &'c Catalog) -> Reader<'c> {
        Reader {
            catalog,
            log: Log::default(),
            zones: Vec::new(),
        }
    }

    /// Reads every line of `input`, named `name` in reports. I/O errors end the file and
    /// are returned; the lines read before stay accounted for.
    pub fn read(&mut self, name: &str, mut input: impl BufRead) -> std::io::Result<()> {
        let file = u32::try_from(self.log.files.len()).unwrap_or(u32::MAX);
        self.log.files.push(name.to_string());
        let mut buf = Vec::with_capacity(512);
        let mut line_no: u64 = 0;
        loop {
            buf.clear();
            if input.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            line_no += 1;
            let mut line: &[u8] = &buf;
            if line_no == 1 {
                line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                self.log.account.blank_lines += 1;
                continue;
            }
            self.log.account.lines += 1;
            match self.event(line, file, line_no) {
                Ok(ev) => {
                    self.log.events.push(ev);
                    self.log.account.events += 1;
                }
                Err(r) => self.log.account.rejected.push(Rejected {
                    file: name.to_string(),
                    line: line_no,
                    field: r.field,
                    reason: r.reason,
                }),
            }
        }
        Ok(())
    }

    /// Reads an in-memory log (the bundled samples, tests, benchmarks).
    pub fn read_str(&mut self, name: &str, text: &str) {
        // Reading from a byte slice cannot fail.
        let _ = self.read(name, text.as_bytes());
    }

    pub fn finish(self) -> Log {
        self.log
    }

    fn zone(&mut self, service: u32) -> Option<Tz> {
        let i = service as usize;
        if i >= self.zones.len() {
            let cat = self.catalog;
            let names = &self.log.services;
            self.zones.extend((self.zones.len()..=i).map(|s| {
                let name = names.name(s as u32);
                cat.editions(name)
                    .and_then(|e| e.first())
                    .map(|&ix| cat.sets[ix].tz)
            }));
        }
        self.zones[i]
    }

    fn event(&mut self, line: &[u8], file: u32, line_no: u64) -> Result<Event, Reject> {
        if line.len() > MAX_LINE {
            return Err(Reject {
                field: None,
                reason: format!(
                    "line is {} bytes, longer than the {MAX_LINE}-byte limit",
                    line.len()
                ),
            });
        }
        let raw: RawEvent = match serde_json::from_slice(line) {
            Ok(r) => r,
            Err(e) => return Err(explain(line, e)),
        };
        let at = time::parse(&raw.at).map_err(|reason| Reject {
            field: Some("at".into()),
            reason,
        })?;
        let started = match raw.started.as_deref() {
            None => None,
            Some(s) => Some(time::parse(s).map_err(|reason| Reject {
                field: Some("started".into()),
                reason,
            })?),
        };
        let service = self.log.services.intern(&raw.service);
        let tz = if matches!(at, Stamp::Local(_)) || matches!(started, Some(Stamp::Local(_))) {
            self.zone(service)
        } else {
            None
        };
        let at = time::resolve(at, tz).map_err(|reason| Reject {
            field: Some("at".into()),
            reason,
        })?;
        let started = match started {
            None => NO_TIME,
            Some(s) => time::resolve(s, tz).map_err(|reason| Reject {
                field: Some("started".into()),
                reason,
            })?,
        };
        let opt =
            |i: &mut Interner, v: &Option<Cow<str>>| v.as_deref().map_or(NONE, |s| i.intern(s));
        let log = &mut self.log;
        Ok(Event {
            case: log.cases.intern(&raw.case),
            service,
            step: log.steps.intern(&raw.step),
            channel: opt(&mut log.channels, &raw.channel),
            variant: opt(&mut log.variants, &raw.variant),
            ground: opt(&mut log.grounds, &raw.ground),
            at,
            started,
            file,
            line: u32::try_from(line_no).unwrap_or(u32::MAX),
        })
    }
}

/// Turns a parse error into a reason naming the field, re-reading the line with path
/// tracking (only for rejected lines, off the fast path).
#[cold]
fn explain(line: &[u8], e: serde_json::Error) -> Reject {
    if std::str::from_utf8(line).is_err() {
        return Reject {
            field: None,
            reason: "line is not valid UTF-8".into(),
        };
    }
    let mut de = serde_json::Deserializer::from_slice(line);
    let field = match serde_path_to_error::deserialize::<_, RawEvent>(&mut de) {
        Err(pe) => {
            let p = pe.path().to_string();
            (p != "." && !p.is_empty()).then_some(p)
        }
        Ok(_) => None,
    };
    let field = field.or_else(|| {
        let msg = e.to_string();
        msg.strip_prefix("missing field `")
            .and_then(|r| r.split('`').next())
            .map(str::to_string)
    });
    let reason = match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("invalid JSON: {e}")
        }
        _ => e.to_string(),
    };
    Reject { field, reason }
}
