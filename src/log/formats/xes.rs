//! XES logs (IEEE 1849), read as a stream with `quick-xml`.
//!
//! A `<trace>` is a case: its `concept:name` is the case id. An `<event>` is a step: its
//! `concept:name` is the activity, `time:timestamp` the time (XES times carry an offset
//! or are UTC; one without is read in the mapping's or the rule set's zone),
//! `org:resource` the actor. `service`, `channel`, `variant`, `provider`, `ground` and
//! `started` are attributes of those keys on the event, or else on its trace; a mapping's
//! `fields` renames any of these keys. A `lifecycle:transition` of `start` followed in
//! the trace by a `complete` (or unmarked) event of the same activity gives that event its
//! `started` time: the pair is one record. Other transitions, and a `start` never
//! completed, are rejected records.
//!
//! The reader keeps one trace at a time (a trace's attributes may follow its events).
//! No DTD is processed and no entity but the five predefined ones is expanded: an event
//! using another is rejected, so entity expansion bombs do nothing. Nesting depth costs
//! nothing but a counter. An event over [`MAX_RECORD`] bytes is rejected; a trace of
//! more than [`MAX_TRACE_EVENTS`] events has the rest rejected. XML that is not well
//! formed ends the file: it is `unreadable` from there, the events before are kept and
//! those of the trace it cut are rejected.

use super::mapping::Mapping;
use super::{Field, Fields, FormatError, MAX_RECORD, Pos, Visitor};
use quick_xml::events::{BytesStart, Event as Xml};
use std::io::BufRead;

/// Events of one trace held at a time; more are rejected.
pub const MAX_TRACE_EVENTS: usize = 1 << 20;

/// Attribute key of each field in XES, by [`Field`] index.
const KEYS: [&str; Field::COUNT] = [
    "concept:name",
    "service",
    "concept:name",
    "time:timestamp",
    "started",
    "channel",
    "variant",
    "provider",
    "org:resource",
    "ground",
];

const LIFECYCLE: &str = "lifecycle:transition";

/// One `<event>` as read, its attributes owned until the trace ends.
#[derive(Debug, Default)]
struct RawEvent {
    line: u64,
    index: u64,
    bytes: usize,
    attrs: Vec<(String, String)>,
    /// Why it cannot be an event (an attribute that could not be read, too big).
    problem: Option<(Option<String>, String)>,
}

#[derive(Debug, Default)]
struct Trace {
    index: u64,
    attrs: Vec<(String, String)>,
    events: Vec<RawEvent>,
    /// Events seen (read or rejected), for the next event's index.
    seen: u64,
}

/// Where the reader is: the element whose attributes it collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Outside,
    Trace,
    Event,
}

/// Reads an XES log, handing each event (or start/complete pair) to `v`.
pub fn read(
    mut input: impl BufRead,
    map: Option<&Mapping>,
    v: &mut impl Visitor,
) -> Result<(), FormatError> {
    if input.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    let keys = keys(map);
    let mut st = State::default();
    let names: Vec<&str> = keys.to_vec();
    let found = std::array::from_fn(Some);
    v.columns(&names, &found).map_err(FormatError::Unreadable)?;
    let mut xml = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let line = st.line;
        let ev = match xml.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(e) => {
                let reason = format!("line {line}: XML is not well formed: {e}");
                st.cut(v, &reason);
                return Err(FormatError::Unreadable(reason));
            }
        };
        let newlines = memchr::memchr_iter(b'\n', ev[..].as_bytes()).count() as u64;
        match ev {
            Xml::Start(e) => {
                st.open(&e, line);
                st.depth += 1;
            }
            Xml::Empty(e) => {
                st.open(&e, line);
                st.depth += 1;
                st.close(v, &keys);
            }
            Xml::End(_) => st.close(v, &keys),
            Xml::Eof => break,
            _ => {}
        }
        st.line += newlines;
    }
    if st.ctx != Ctx::Outside {
        let reason = format!("line {}: the file ends inside a <trace> or <event>", st.line);
        st.cut(v, &reason);
        return Err(FormatError::Unreadable(reason));
    }
    Ok(())
}

/// The attribute key of each field: the mapping's, else the XES standard one.
fn keys(map: Option<&Mapping>) -> [&str; Field::COUNT] {
    std::array::from_fn(|i| {
        map.and_then(|m| m.columns[i].as_deref())
            .unwrap_or(KEYS[i])
    })
}

#[derive(Debug)]
struct State {
    line: u64,
    depth: usize,
    ctx: Ctx,
    /// Depth of the `<trace>` and `<event>` elements being read.
    trace_depth: usize,
    event_depth: usize,
    traces: u64,
    trace: Trace,
    event: RawEvent,
    /// An event outside any trace (trace 0), and how many of those so far.
    loose: u64,
}

impl Default for State {
    fn default() -> State {
        State {
            line: 1,
            depth: 0,
            ctx: Ctx::Outside,
            trace_depth: 0,
            event_depth: 0,
            traces: 0,
            trace: Trace::default(),
            event: RawEvent::default(),
            loose: 0,
        }
    }
}

impl State {
    /// An element opens at `self.depth` (before the increment).
    fn open(&mut self, e: &BytesStart, line: u64) {
        let name = e.local_name();
        let name = name.as_ref();
        match (self.ctx, name) {
            (Ctx::Outside, "trace") if self.depth == 1 => {
                self.traces += 1;
                self.trace = Trace {
                    index: self.traces,
                    ..Trace::default()
                };
                self.ctx = Ctx::Trace;
                self.trace_depth = self.depth;
            }
            (Ctx::Outside, "event") if self.depth == 1 => {
                self.loose += 1;
                self.start_event(line, self.loose);
            }
            (Ctx::Trace, "event") if self.depth == self.trace_depth + 1 => {
                self.trace.seen += 1;
                self.start_event(line, self.trace.seen);
            }
            (Ctx::Trace, _) if self.depth == self.trace_depth + 1 => {
                if let Some(kv) = attribute(e).and_then(Result::ok) {
                    self.trace.attrs.push(kv);
                }
            }
            (Ctx::Event, _) if self.depth == self.event_depth + 1 => {
                self.event.bytes += e.len();
                if self.event.problem.is_some() {
                    return;
                }
                if self.event.bytes > MAX_RECORD {
                    self.event.attrs.clear();
                    self.event.problem = Some((
                        None,
                        format!("event is larger than the limit of {MAX_RECORD} bytes"),
                    ));
                    return;
                }
                match attribute(e) {
                    Some(Ok(kv)) => self.event.attrs.push(kv),
                    Some(Err((key, why))) => self.event.problem = Some((key, why)),
                    None => {}
                }
            }
            _ => {}
        }
    }

    fn start_event(&mut self, line: u64, index: u64) {
        self.event = RawEvent {
            line,
            index,
            ..RawEvent::default()
        };
        self.ctx = Ctx::Event;
        self.event_depth = self.depth;
    }

    /// An element closes; `self.depth` is one past its depth.
    fn close(&mut self, v: &mut impl Visitor, keys: &[&str; Field::COUNT]) {
        self.depth = self.depth.saturating_sub(1);
        match self.ctx {
            Ctx::Event if self.depth == self.event_depth => {
                let ev = std::mem::take(&mut self.event);
                if self.trace_depth == 0 {
                    self.ctx = Ctx::Outside;
                    let pos = pos_of(&ev, 0);
                    v.reject(pos, None, "event outside any <trace>: it has no case".into());
                } else {
                    self.ctx = Ctx::Trace;
                    if self.trace.events.len() >= MAX_TRACE_EVENTS {
                        let pos = pos_of(&ev, self.trace.index);
                        let why = format!("trace has more than {MAX_TRACE_EVENTS} events");
                        v.reject(pos, None, why);
                    } else {
                        self.trace.events.push(ev);
                    }
                }
            }
            Ctx::Trace if self.depth == self.trace_depth => {
                let trace = std::mem::take(&mut self.trace);
                emit(&trace, keys, v);
                self.ctx = Ctx::Outside;
                self.trace_depth = 0;
            }
            _ => {}
        }
    }

    /// The XML broke off inside a trace: its events are rejected with the reason.
    #[cold]
    fn cut(&mut self, v: &mut impl Visitor, reason: &str) {
        let trace = std::mem::take(&mut self.trace);
        let mut events = trace.events;
        if self.ctx == Ctx::Event {
            events.push(std::mem::take(&mut self.event));
        }
        for ev in &events {
            let why = format!("its trace is cut off: {reason}");
            v.reject(pos_of(ev, trace.index), None, why);
        }
        self.ctx = Ctx::Outside;
    }
}

fn pos_of(ev: &RawEvent, trace: u64) -> Pos {
    Pos::Xes {
        line: ev.line,
        trace,
        event: ev.index,
    }
}

/// `(key, value)` of an XES attribute element (`<string key=".." value=".."/>`, `date`,
/// `int`, `float`, `boolean`, `id`); `None` for any other element (lists, containers,
/// extensions); an error for a key or value that cannot be read.
fn attribute(e: &BytesStart) -> Option<Result<(String, String), (Option<String>, String)>> {
    let kind = e.local_name();
    if !matches!(
        kind.as_ref(),
        "string" | "date" | "int" | "float" | "boolean" | "id"
    ) {
        return None;
    }
    let (mut key, mut value) = (None, None);
    for a in e.attributes() {
        let a = match a {
            Ok(a) => a,
            Err(err) => return Some(Err((None, format!("bad attribute: {err}")))),
        };
        let slot = match a.key.local_name().as_ref() {
            "key" => &mut key,
            "value" => &mut value,
            _ => continue,
        };
        match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
            Ok(s) => *slot = Some(s.into_owned()),
            Err(err) => {
                let k = key.clone();
                return Some(Err((k, format!("attribute value cannot be read: {err}"))));
            }
        }
    }
    match (key, value) {
        (Some(k), Some(v)) => Some(Ok((k, v))),
        (k, _) => Some(Err((k, "attribute element without key or value".into()))),
    }
}

/// Hands the events of a finished trace to `v`, pairing lifecycle starts and completes.
fn emit(trace: &Trace, keys: &[&str; Field::COUNT], v: &mut impl Visitor) {
    let tattr = |k: &str| {
        trace
            .attrs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, val)| val.as_str())
    };
    fn value<'t>(ev: &'t RawEvent, k: &str) -> Option<&'t str> {
        ev.attrs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, val)| val.as_str())
    }
    // Indices of `start` events waiting for their `complete`.
    let mut pending: Vec<usize> = Vec::new();
    for (i, ev) in trace.events.iter().enumerate() {
        let pos = pos_of(ev, trace.index);
        if let Some((field, why)) = &ev.problem {
            v.reject(pos, field.as_deref(), why.clone());
            continue;
        }
        let activity = value(ev, keys[Field::Step as usize]);
        let mut started_by = None;
        match value(ev, LIFECYCLE).map(str::trim) {
            Some(t) if t.eq_ignore_ascii_case("start") => {
                pending.push(i);
                continue;
            }
            None => {}
            Some(t) if t.eq_ignore_ascii_case("complete") => {}
            Some(t) => {
                let why = format!("lifecycle transition {t:?}: only start and complete are read");
                v.reject(pos, Some(LIFECYCLE), why);
                continue;
            }
        }
        if let Some(k) = pending
            .iter()
            .rposition(|&j| value(&trace.events[j], keys[Field::Step as usize]) == activity)
        {
            started_by = Some(pending.remove(k));
        }
        let mut f: Fields = [None; Field::COUNT];
        for field in Field::ALL {
            let k = keys[field as usize];
            f[field as usize] = match field {
                Field::Case => tattr(k),
                Field::Step | Field::At => value(ev, k),
                _ => value(ev, k).or_else(|| tattr(k)),
            };
        }
        if f[Field::Started as usize].is_none() {
            let at = keys[Field::At as usize];
            f[Field::Started as usize] = started_by.and_then(|j| value(&trace.events[j], at));
        }
        if v.wants_all() {
            let all: Vec<(&str, &str)> = trace
                .attrs
                .iter()
                .chain(&ev.attrs)
                .map(|(k, val)| (k.as_str(), val.as_str()))
                .collect();
            v.record(pos, &f, &all);
        } else {
            v.record(pos, &f, &[]);
        }
    }
    for j in pending {
        let ev = &trace.events[j];
        let why = "lifecycle start with no later complete of the same activity in its trace";
        v.reject(pos_of(ev, trace.index), Some(LIFECYCLE), why.into());
    }
}
