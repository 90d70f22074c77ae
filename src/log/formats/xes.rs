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
//! The file is read as process-mining tools read it: a key the check reads given twice on
//! an event or trace is a rejected record (which value is meant cannot be told, as with a
//! duplicate key in JSON Lines); only the unprefixed `key` and `value` of an attribute
//! element are read (a namespaced `evil:value` is another attribute); a trace attribute
//! that cannot be read rejects the trace's events saying so. A trace's attributes are
//! resolved once for all its events and count against the limits of an event
//! ([`MAX_RECORD`] bytes, [`MAX_FIELDS`] attributes); no tag or text node is held past
//! 16 MiB ([`super::xml_input`]).
//!
//! The reader keeps one trace at a time (a trace's attributes may follow its events).
//! No DTD is processed and no entity but the five predefined ones is expanded: an event
//! using another is rejected, so entity expansion bombs do nothing. Nesting depth costs
//! nothing but a counter. An event over [`MAX_RECORD`] bytes is rejected; a trace of
//! more than [`MAX_TRACE_EVENTS`] events has the rest rejected; an `<event>` anywhere but
//! directly in a `<trace>` or the `<log>` (inside another event, a nested trace, a list)
//! is a rejected record, not a lost one. XML that is not well
//! formed ends the file: it is `unreadable` from there, the events before are kept and
//! those of the trace it cut are rejected.

use super::csv::MAX_FIELDS;
use super::mapping::Mapping;
use super::{Field, Fields, FormatError, MAX_RECORD, Owner, Pos, Visitor};
use crate::log::account::Reason;
use quick_xml::events::{BytesStart, Event as Xml};
use std::collections::HashMap;
use std::io::BufRead;

mod attrs;
use attrs::{LIFECYCLE_SLOT, attribute, given_twice, resolve};

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

/// A byte range in [`Trace::text`].
type Span = (usize, usize);

/// One attribute: its key and value.
type Attr = (Span, Span);

/// One `<event>` as read; its attributes live in its trace's arena until the trace ends.
#[derive(Debug, Default)]
struct RawEvent {
    line: u64,
    index: u64,
    bytes: usize,
    /// Its attributes: a range of [`Trace::event_attrs`].
    attrs: (usize, usize),
    /// Where its text starts in [`Trace::text`], to drop it if the event is rejected.
    text_start: usize,
    /// Why it cannot be an event (an attribute that could not be read, too big).
    problem: Option<Problem>,
}

/// The trace being read. Its names and values are written end to end into one string,
/// reused from trace to trace, so reading an event allocates nothing in the common case.
#[derive(Debug, Default)]
struct Trace {
    index: u64,
    text: String,
    attrs: Vec<Attr>,
    event_attrs: Vec<Attr>,
    events: Vec<RawEvent>,
    /// Events seen (read or rejected), for the next event's index.
    seen: u64,
    /// Bytes of the trace's own attribute elements.
    bytes: usize,
    /// Why none of its events can be read (an attribute that could not be read, too
    /// many or too big ones): each is rejected with it.
    problem: Option<Problem>,
}

/// Why a record cannot be read: the key at fault, the reason and its words.
type Problem = (Option<String>, Reason, String);

impl Trace {
    /// Empties the trace for the next one, keeping its buffers.
    fn reset(&mut self, index: u64) {
        self.index = index;
        self.text.clear();
        self.attrs.clear();
        self.event_attrs.clear();
        self.events.clear();
        self.seen = 0;
        self.bytes = 0;
        self.problem = None;
    }

    fn str(&self, s: Span) -> &str {
        self.text.get(s.0..s.1).unwrap_or("")
    }

    /// The value of trace attribute `key`.
    fn attr(&self, key: &str) -> Option<&str> {
        self.find(&self.attrs, key)
    }

    /// The value of attribute `key` of `ev`.
    fn value(&self, ev: &RawEvent, key: &str) -> Option<&str> {
        self.find(
            self.event_attrs.get(ev.attrs.0..ev.attrs.1).unwrap_or(&[]),
            key,
        )
    }

    fn find(&self, attrs: &[Attr], key: &str) -> Option<&str> {
        attrs
            .iter()
            .find(|(k, _)| self.str(*k) == key)
            .map(|(_, v)| self.str(*v))
    }

    /// The case (a trace attribute) and service (the event's, else the trace's) of an
    /// event that is rejected, when the trace's attributes read so far give its case.
    /// Only on the rejection path: a scan of attributes capped like an event's.
    fn owner(&self, ev: &RawEvent, keys: &[&str; Field::COUNT]) -> Option<Owner<'_>> {
        let (case, service) = (keys[Field::Case as usize], keys[Field::Service as usize]);
        let mut f: Fields = [None; Field::COUNT];
        f[Field::Case as usize] = self.attr(case);
        f[Field::Service as usize] = self.value(ev, service).or_else(|| self.attr(service));
        Owner::of(&f)
    }

    /// Drops the attributes and text of `ev` (a rejected event).
    fn drop_event(&mut self, ev: &mut RawEvent) {
        self.event_attrs.truncate(ev.attrs.0);
        self.text.truncate(ev.text_start);
        ev.attrs.1 = ev.attrs.0;
    }
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
    let mut xml = quick_xml::Reader::from_reader(super::xml_input::Bounded::new(input));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let line = st.line;
        let ev = match xml.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(e) => {
                let reason = format!("line {line}: XML is not well formed: {e}");
                st.cut(v, &reason, &keys);
                return Err(FormatError::Unreadable(reason));
            }
        };
        let newlines = memchr::memchr_iter(b'\n', ev[..].as_bytes()).count() as u64;
        match ev {
            Xml::Start(e) => {
                st.open(&e, line, v);
                st.depth += 1;
            }
            Xml::Empty(e) => {
                st.open(&e, line, v);
                st.depth += 1;
                st.close(v, &keys);
            }
            Xml::End(_) => st.close(v, &keys),
            Xml::Eof => break,
            _ => {}
        }
        st.line += newlines;
    }
    if st.ctx != Ctx::Outside || st.depth != 0 {
        // An element still open (a `<log>` without its `</log>`): the file was cut, and
        // the traces after the cut are missing, not absent.
        let reason = format!(
            "line {}: the file ends inside {} open element(s) (a <log>, <trace> or <event> without its end tag): it is cut off",
            st.line, st.depth
        );
        st.cut(v, &reason, &keys);
        return Err(FormatError::Unreadable(reason));
    }
    if !st.any_event {
        // Empty, or a header (extensions, globals, traces without events) and no record:
        // warned about as an empty JSON Lines file is, never a silent "no violations".
        v.empty();
    }
    Ok(())
}

/// The attribute key of each field: the mapping's, else the XES standard one.
fn keys(map: Option<&Mapping>) -> [&str; Field::COUNT] {
    std::array::from_fn(|i| map.and_then(|m| m.columns[i].as_deref()).unwrap_or(KEYS[i]))
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
    /// An `<event>` element was seen (read or rejected): the file is not empty.
    any_event: bool,
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
            any_event: false,
        }
    }
}

impl State {
    /// An element opens at `self.depth` (before the increment).
    fn open(&mut self, e: &BytesStart, line: u64, v: &mut impl Visitor) {
        let name = e.local_name();
        let name = name.as_ref();
        match (self.ctx, name) {
            (Ctx::Outside, "trace") if self.depth == 1 => {
                self.traces += 1;
                self.trace.reset(self.traces);
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
            (Ctx::Trace, _) if self.depth == self.trace_depth + 1 => self.trace_attribute(e),
            (Ctx::Event, "event") => self.reject_misplaced(line, v),
            (Ctx::Event, _) if self.depth == self.event_depth + 1 => {
                self.event.bytes += e.len();
                if self.event.problem.is_some() {
                    return;
                }
                let count = self.event.attrs.1 - self.event.attrs.0;
                if self.event.bytes > MAX_RECORD || count >= MAX_FIELDS {
                    self.trace.drop_event(&mut self.event);
                    self.event.problem = Some((
                        None,
                        Reason::TooLong,
                        format!(
                            "event is larger than the limit of {MAX_RECORD} bytes or {MAX_FIELDS} attributes"
                        ),
                    ));
                    return;
                }
                match attribute(e, &mut self.trace.text) {
                    Some(Ok(kv)) => {
                        self.trace.event_attrs.push(kv);
                        self.event.attrs.1 = self.trace.event_attrs.len();
                    }
                    Some(Err((key, why))) => {
                        self.trace.drop_event(&mut self.event);
                        self.event.problem = Some((key, Reason::Syntax, why));
                    }
                    None => {}
                }
            }
            // An <event> anywhere else (inside another event, a nested <trace>, a list or
            // an element wrapping the traces) is not read, but it is a record: rejected
            // and counted, never silently lost.
            (_, "event") => self.reject_misplaced(line, v),
            _ => {}
        }
    }

    /// An attribute of the trace itself. One that cannot be read, or more of them than
    /// an event may have, makes every event of the trace a rejected record saying so
    /// (before, an unreadable `concept:name` read as "case missing").
    fn trace_attribute(&mut self, e: &BytesStart) {
        let t = &mut self.trace;
        t.bytes += e.len();
        if t.problem.is_some() {
            return;
        }
        if t.bytes > MAX_RECORD || t.attrs.len() >= MAX_FIELDS {
            let why = format!(
                "its trace's attributes are larger than the limit of {MAX_RECORD} bytes or {MAX_FIELDS} attributes"
            );
            t.problem = Some((None, Reason::TooLong, why));
            return;
        }
        match attribute(e, &mut t.text) {
            Some(Ok(kv)) => t.attrs.push(kv),
            Some(Err((key, why))) => {
                t.problem = Some((key, Reason::Syntax, format!("trace attribute: {why}")));
            }
            None => {}
        }
    }

    /// Records an `<event>` found where no event is read, numbered in its trace (or
    /// among the events outside any trace).
    #[cold]
    fn reject_misplaced(&mut self, line: u64, v: &mut impl Visitor) {
        self.any_event = true;
        let (trace, index) = if self.trace_depth == 0 {
            self.loose += 1;
            (0, self.loose)
        } else {
            self.trace.seen += 1;
            (self.trace.index, self.trace.seen)
        };
        let why = "<event> nested inside another element than <trace>: not read".to_string();
        let pos = Pos::Xes {
            line,
            trace,
            event: index,
        };
        v.reject(pos, None, Reason::Syntax, why);
    }

    fn start_event(&mut self, line: u64, index: u64) {
        self.any_event = true;
        let at = self.trace.event_attrs.len();
        self.event = RawEvent {
            line,
            index,
            attrs: (at, at),
            text_start: self.trace.text.len(),
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
                let mut ev = std::mem::take(&mut self.event);
                if self.trace_depth == 0 {
                    self.ctx = Ctx::Outside;
                    self.trace.drop_event(&mut ev);
                    let pos = pos_of(&ev, 0);
                    v.reject(
                        pos,
                        None,
                        Reason::MissingField,
                        "event outside any <trace>: it has no case".into(),
                    );
                } else {
                    self.ctx = Ctx::Trace;
                    if self.trace.events.len() >= MAX_TRACE_EVENTS {
                        self.trace.drop_event(&mut ev);
                        let pos = pos_of(&ev, self.trace.index);
                        let why = format!("trace has more than {MAX_TRACE_EVENTS} events");
                        reject(
                            v,
                            self.trace.owner(&ev, keys),
                            pos,
                            None,
                            Reason::TooLong,
                            why,
                        );
                    } else {
                        self.trace.events.push(ev);
                    }
                }
            }
            Ctx::Trace if self.depth == self.trace_depth => {
                emit(&self.trace, keys, v);
                self.trace.reset(0);
                self.ctx = Ctx::Outside;
                self.trace_depth = 0;
            }
            _ => {}
        }
    }

    /// The XML broke off inside a trace: its events are rejected with the reason.
    #[cold]
    fn cut(&mut self, v: &mut impl Visitor, reason: &str, keys: &[&str; Field::COUNT]) {
        if self.ctx == Ctx::Event {
            let ev = std::mem::take(&mut self.event);
            self.trace.events.push(ev);
        }
        for ev in &self.trace.events {
            let why = format!("its trace is cut off: {reason}");
            let pos = pos_of(ev, self.trace.index);
            reject(
                v,
                self.trace.owner(ev, keys),
                pos,
                None,
                Reason::Syntax,
                why,
            );
        }
        self.trace.reset(0);
        self.ctx = Ctx::Outside;
    }
}

/// Rejects a record, charged to its case when the trace gives it (issue 16).
#[cold]
fn reject(
    v: &mut impl Visitor,
    owner: Option<Owner>,
    pos: Pos,
    field: Option<&str>,
    kind: Reason,
    why: String,
) {
    match owner {
        Some(o) => v.reject_in_case(o, pos, field, kind, why),
        None => v.reject(pos, field, kind, why),
    }
}

fn pos_of(ev: &RawEvent, trace: u64) -> Pos {
    Pos::Xes {
        line: ev.line,
        trace,
        event: ev.index,
    }
}

/// Hands the events of a finished trace to `v`, pairing lifecycle starts and completes.
fn emit(trace: &Trace, keys: &[&str; Field::COUNT], v: &mut impl Visitor) {
    let tvals = match (&trace.problem, resolve(trace, &trace.attrs, keys)) {
        (None, Ok(t)) => t,
        (problem, res) => {
            let (key, kind, why) = problem.clone().unwrap_or_else(|| {
                let key = res.err().unwrap_or_default();
                let why = format!("trace attribute: {}", given_twice(&key));
                (Some(key), Reason::Syntax, why)
            });
            for ev in &trace.events {
                v.reject(pos_of(ev, trace.index), key.as_deref(), kind, why.clone());
            }
            return;
        }
    };
    let own = |ev: &RawEvent| trace.event_attrs.get(ev.attrs.0..ev.attrs.1).unwrap_or(&[]);
    // Trace attributes are named `trace KEY` for `inspect`, apart from the event's own.
    let trace_keys: Vec<String> = if v.wants_all() {
        (trace.attrs.iter())
            .map(|(k, _)| format!("trace {}", trace.str(*k)))
            .collect()
    } else {
        Vec::new()
    };
    // Indices of `start` events waiting for their `complete`, by activity: a `complete`
    // looks only at its own activity's list, so a trace of many starts of one activity
    // and many completes of another costs linear time, not quadratic.
    let mut pending: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for (i, ev) in trace.events.iter().enumerate() {
        let pos = pos_of(ev, trace.index);
        if let Some((field, kind, why)) = &ev.problem {
            let owner = trace.owner(ev, keys);
            reject(v, owner, pos, field.as_deref(), *kind, why.clone());
            continue;
        }
        let vals = match resolve(trace, own(ev), keys) {
            Ok(vals) => vals,
            Err(key) => {
                v.reject(pos, Some(&key), Reason::Syntax, given_twice(&key));
                continue;
            }
        };
        let activity = vals[Field::Step as usize];
        match vals[LIFECYCLE_SLOT].map(str::trim) {
            Some(t) if t.eq_ignore_ascii_case("start") => {
                pending.entry(activity).or_default().push(i);
                continue;
            }
            None => {}
            Some(t) if t.eq_ignore_ascii_case("complete") => {}
            Some(t) => {
                let why = format!("lifecycle transition {t:?}: only start and complete are read");
                let owner = trace.owner(ev, keys);
                reject(v, owner, pos, Some(LIFECYCLE), Reason::Syntax, why);
                continue;
            }
        }
        let started_by = pending.get_mut(&activity).and_then(Vec::pop);
        let mut f: Fields = [None; Field::COUNT];
        for (field, slot) in Field::ALL.into_iter().zip(f.iter_mut()) {
            let (ev_val, trace_val) = (vals[field as usize], tvals[field as usize]);
            *slot = match field {
                Field::Case => trace_val,
                Field::Step | Field::At => ev_val,
                _ => ev_val.or(trace_val),
            };
        }
        if f[Field::Started as usize].is_none() {
            let start = started_by.and_then(|j| trace.events.get(j));
            f[Field::Started as usize] = start
                .and_then(|s| resolve(trace, own(s), keys).ok())
                .and_then(|s| s[Field::At as usize]);
        }
        if v.wants_all() {
            let all: Vec<(&str, &str)> = (trace_keys.iter().zip(&trace.attrs))
                .map(|(k, (_, val))| (k.as_str(), trace.str(*val)))
                .chain(
                    own(ev)
                        .iter()
                        .map(|(k, val)| (trace.str(*k), trace.str(*val))),
                )
                .collect();
            v.record(pos, &f, &all);
        } else {
            v.record(pos, &f, &[]);
        }
    }
    // The starts never completed, in the order of the trace.
    let mut unmatched: Vec<usize> = pending.into_values().flatten().collect();
    unmatched.sort_unstable();
    for ev in unmatched.into_iter().filter_map(|j| trace.events.get(j)) {
        let why = "lifecycle start with no later complete of the same activity in its trace";
        let (owner, pos) = (trace.owner(ev, keys), pos_of(ev, trace.index));
        reject(v, owner, pos, Some(LIFECYCLE), Reason::Syntax, why.into());
    }
}
