//! Findings: what a replay reports. A violation is a finding, never an error.

use super::case::Case;
use super::limits::Overrun;
use super::message::{Arg, Message};
use crate::calendar::OutOfRange;
use crate::log::Event;
use crate::rules::compiled::{LimitRule, StepIx};
use crate::rules::model::{Severity, Text, Unit};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::sync::Arc;

/// What went wrong, as a stable snake_case code every output uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The log names a service no rule set describes.
    UnknownService,
    /// The log names a step the rule set does not have.
    UnknownStep,
    /// The step may not follow the previous one.
    UnexpectedStep,
    /// A required step was skipped: the step follows the previous one only through it.
    MissingStep,
    /// A step was repeated where the process does not allow it.
    DuplicateStep,
    /// A step was recorded after a step the regulation puts after it (a `missing_step`
    /// that a later event showed was only recorded late): one finding naming both events.
    OutOfOrderStep,
    /// A step took longer than its limit.
    StepOverdue,
    /// The total term between two steps was exceeded.
    TermOverdue,
    /// The case is still open at `--as-of` and already past a deadline.
    OpenOverdue,
    /// A refusal cites no ground.
    RefusalWithoutGround,
    /// A refusal cites a ground the regulation does not allow for it.
    RefusalGroundNotAllowed,
    /// An event after the case ended with a result or a refusal.
    EventAfterEnd,
    /// A deadline could not be computed: a date lies outside the working-day calendar.
    OutsideCalendar,
}

impl Kind {
    /// Every kind, in the order of the enum (the order reports count them in).
    pub const ALL: [Kind; 13] = [
        Kind::UnknownService,
        Kind::UnknownStep,
        Kind::UnexpectedStep,
        Kind::MissingStep,
        Kind::DuplicateStep,
        Kind::OutOfOrderStep,
        Kind::StepOverdue,
        Kind::TermOverdue,
        Kind::OpenOverdue,
        Kind::RefusalWithoutGround,
        Kind::RefusalGroundNotAllowed,
        Kind::EventAfterEnd,
        Kind::OutsideCalendar,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::UnknownService => "unknown_service",
            Kind::UnknownStep => "unknown_step",
            Kind::UnexpectedStep => "unexpected_step",
            Kind::MissingStep => "missing_step",
            Kind::DuplicateStep => "duplicate_step",
            Kind::OutOfOrderStep => "out_of_order_step",
            Kind::StepOverdue => "step_overdue",
            Kind::TermOverdue => "term_overdue",
            Kind::OpenOverdue => "open_overdue",
            Kind::RefusalWithoutGround => "refusal_without_ground",
            Kind::RefusalGroundNotAllowed => "refusal_ground_not_allowed",
            Kind::EventAfterEnd => "event_after_end",
            Kind::OutsideCalendar => "outside_calendar",
        }
    }
}

/// A quantity of time in one unit: a limit, or what a case actually took.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Amount {
    pub value: Number,
    pub unit: Unit,
}

/// A whole number of units (days, or an elapsed time that is whole), or a decimal one
/// rounded to hundredths (elapsed time such as 2.25 hours).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Number {
    Whole(i64),
    Decimal(f64),
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Whole(n) => write!(f, "{n}"),
            Number::Decimal(x) => write!(f, "{x:.2}"),
        }
    }
}

impl Amount {
    pub fn whole(value: i64, unit: Unit) -> Amount {
        Amount {
            value: Number::Whole(value),
            unit,
        }
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = match self.value {
            Number::Whole(n) => n,
            Number::Decimal(_) => 2,
        };
        write!(f, "{} {}", self.value, self.unit.label(n))
    }
}

/// The last moment a limit allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Deadline {
    /// The end of this local day (working and calendar days).
    EndOfDay(NaiveDate),
    /// This instant, in the region's zone (elapsed time).
    Instant(DateTime<FixedOffset>),
}

impl Deadline {
    /// As the JSON and CSV reports write it: a local date for the end of a day, an RFC
    /// 3339 time for an instant.
    pub fn to_iso(&self) -> String {
        match self {
            Deadline::EndOfDay(d) => d.to_string(),
            Deadline::Instant(t) => t.to_rfc3339(),
        }
    }
}

impl std::fmt::Display for Deadline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Deadline::EndOfDay(d) => write!(f, "end of {d}"),
            Deadline::Instant(t) => write!(f, "{}", t.format("%Y-%m-%d %H:%M:%S%:z")),
        }
    }
}

/// One violation found in one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    pub case: Name,
    pub service: Name,
    /// The provider the case's events name, if any (`null` in JSON when none does).
    pub provider: Option<Name>,
    /// Rule set (edition) the case was checked against.
    pub rule_set: Option<Name>,
    pub step: Option<String>,
    /// Term (total limit) the finding is about, for `term_overdue` and open terms.
    pub term: Option<String>,
    /// Paragraph of the regulation the finding cites.
    #[serde(rename = "ref")]
    pub cite: Option<String>,
    pub severity: Severity,
    pub limit: Option<Amount>,
    /// The limit's figure is inferred, not stated in the regulation. Every finding
    /// carries it (`false` when stated or when there is no limit): see
    /// `docs/report.schema.json`.
    pub limit_inferred: bool,
    pub actual: Option<Amount>,
    pub deadline: Option<Deadline>,
    /// Local time of the event the finding is about.
    pub at: Option<DateTime<FixedOffset>>,
    /// What the finding says, as a catalog key and typed arguments; each report renders
    /// it in its language (JSON as `message`, with `message_key`).
    #[serde(skip)]
    pub message: Message,
    pub file: Option<Name>,
    /// 1-based line of the event in `file` (64-bit, as [`crate::log::Event::line`]).
    pub line: Option<u64>,
    /// The 0-based index in the report's `violations` of the root finding this one is a
    /// consequence of (one delay, one finding: see [`causes`](super::causes)); `None`
    /// for a root. Only root findings are counted.
    pub caused_by: Option<usize>,
    /// The case lost a record of its own (rejected, its case id readable; or, with
    /// `--stream`, an event out of time order): the finding may stand on the gap, so it
    /// is listed apart and not counted ([`evidence`](super::evidence)). Every finding
    /// carries it (`false` when the case's evidence is whole).
    pub evidence_incomplete: bool,
}

/// A name from the log or the rule sets (case, service, provider, rule set, file) that
/// findings share instead of copying: one allocation per case or per run, however many
/// findings carry it. Serialized and displayed as the plain string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(Arc<str>);

impl Name {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether two names are one allocation (shared), not merely equal.
    pub fn shares(&self, other: &Name) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name(Arc::from(s))
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == &*other.0
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A finding under construction: the parts that vary by kind.
pub(super) struct Draft<'s> {
    pub kind: Kind,
    pub severity: Severity,
    pub step: Option<&'s str>,
    pub term: Option<&'s str>,
    pub cite: Option<&'s str>,
    pub limit: Option<Amount>,
    pub limit_inferred: bool,
    pub actual: Option<Amount>,
    pub deadline: Option<Deadline>,
    pub message: Message,
}

impl<'s> Draft<'s> {
    pub fn new(
        kind: Kind,
        step: Option<&'s str>,
        cite: Option<&'s str>,
        message: Message,
    ) -> Draft<'s> {
        Draft {
            kind,
            severity: Severity::Hard,
            step,
            term: None,
            cite,
            limit: None,
            limit_inferred: false,
            actual: None,
            deadline: None,
            message,
        }
    }

    /// The parts of a finding about a limit that ran out: its severity, the limit, what
    /// was taken and the deadline.
    pub fn overrun(mut self, term: Option<&'s str>, lim: &LimitRule, over: Overrun) -> Draft<'s> {
        self.term = term;
        self.severity = lim.severity;
        self.limit = Some(Amount::whole(i64::from(lim.value), lim.unit));
        self.limit_inferred = lim.inferred;
        self.actual = Some(over.actual);
        self.deadline = Some(over.deadline);
        self
    }
}

/// What ran out, as an overdue finding names it.
pub(super) enum Overdue<'s> {
    /// A step's own limit (`step_overdue`).
    Step(StepIx),
    /// A term ending at this step (`term_overdue`).
    Term(&'s str, StepIx),
}

/// The message builders: each kind of finding worded in one place, citing its paragraph.
impl Case<'_, '_> {
    /// A limit that ran out at event `ev`.
    #[cold]
    pub(super) fn overdue(&mut self, ev: &Event, what: Overdue, lim: &LimitRule, over: Overrun) {
        let set = self.set;
        let (kind, s, term) = match what {
            Overdue::Step(s) => (Kind::StepOverdue, s, None),
            Overdue::Term(t, s) => (Kind::TermOverdue, s, Some(t)),
        };
        let rule = set.step(s);
        // A day limit is said as dates: the event came after the end of the deadline day.
        // A step closed on the day off after its deadline took no more working days than
        // allowed and is still late (issue 7 point 13), so "took N, over N" would mislead.
        let day = matches!(over.deadline, Deadline::EndOfDay(_));
        let msg = match (term, day) {
            (Some(t), false) => Message::new("term-overdue").id("term", t),
            (Some(t), true) => Message::new("term-overdue-day").id("term", t),
            (None, false) => Message::new("step-overdue").arg("name", self.name_of(s)),
            (None, true) => Message::new("step-overdue-day").arg("name", self.name_of(s)),
        };
        let mut msg = limit_args(msg.id("step", &rule.id), lim)
            .arg("actual", Arg::Amount(over.actual))
            .arg("deadline", Arg::Deadline(over.deadline));
        if let Deadline::EndOfDay(due) = over.deadline {
            let more = matches!(over.actual.value, Number::Whole(n) if n > i64::from(lim.value));
            msg = msg
                .arg("closed", Arg::Weekday(self.clock.local_date(ev.at)))
                .arg("due", Arg::Weekday(due))
                .arg("more", Arg::Flag(more));
        }
        let d = Draft::new(kind, Some(&rule.id), Some(&lim.cite), msg).overrun(term, lim, over);
        self.push(ev, d);
    }

    /// A case still open at `as_of` past the deadline of `what` (a step or a term): the
    /// finding is at the case's last event.
    #[cold]
    pub(super) fn open_overdue(&mut self, open: OpenDue<'_>, lim: &LimitRule, over: Overrun) {
        let mut msg = Message::new("open-overdue");
        if let Some(t) = self.engine.as_of {
            msg = msg.arg("as_of", Arg::Time(self.clock.local(t)));
        }
        let msg = limit_args(msg.arg("what", Arg::Nested(Box::new(open.what))), lim)
            .arg("deadline", Arg::Deadline(over.deadline))
            .arg("actual", Arg::Amount(over.actual));
        let mut d = Draft::new(Kind::OpenOverdue, Some(open.step), Some(&lim.cite), msg)
            .overrun(open.term, lim, over);
        if open.norm {
            d.severity = Severity::Norm;
        }
        self.push(open.at, d);
    }

    /// Marks the finding just added a norm: an open case judged on a target time whose
    /// deadline cannot be counted is no more than a norm either.
    #[cold]
    pub(super) fn last_as_norm(&mut self) {
        if let Some(f) = self.sink.last_mut() {
            f.severity = Severity::Norm;
        }
    }

    /// A limit that could not be checked because a date lies outside the calendar.
    #[cold]
    pub(super) fn outside(&mut self, ev: &Event, step: &str, cite: &str, e: OutOfRange) {
        let msg = Message::new("outside-calendar")
            .cite("cite", cite)
            .arg("date", Arg::Date(e.date))
            .arg("from", Arg::Date(e.from))
            .arg("to", Arg::Date(e.to));
        let d = Draft::new(Kind::OutsideCalendar, Some(step), Some(cite), msg);
        self.push(ev, d);
    }

    /// Step `s`'s name in every language the rule set gives, for a message.
    pub(super) fn name_of(&self, s: StepIx) -> Arg {
        let name = (self.set.steps.get(usize::from(s))).map(|st| Arc::clone(&st.name));
        Arg::Name(name.unwrap_or_else(|| {
            Arc::new(Text {
                kk: String::new(),
                ru: None,
                en: self.title(s).to_string(),
            })
        }))
    }

    /// A finding about step `s` that cites the step's own paragraph.
    #[cold]
    pub(super) fn at_step(&mut self, ev: &Event, kind: Kind, s: StepIx, message: Message) {
        let set = self.set;
        let rule = set.step(s);
        self.push(
            ev,
            Draft::new(kind, Some(&rule.id), Some(&rule.cite), message),
        );
    }

    /// A finding about event `ev`, with the case's shared names.
    #[cold]
    pub(super) fn push(&mut self, ev: &Event, d: Draft) {
        let at = Some(self.clock.local(ev.at));
        let file = self.engine.shared.file(u32::from(ev.file));
        let names = self.names();
        let finding = Finding {
            kind: d.kind,
            case: names.case.clone(),
            service: names.service.clone(),
            provider: names.provider.clone(),
            rule_set: Some(names.rule_set.clone()),
            step: d.step.map(str::to_string),
            term: d.term.map(str::to_string),
            cite: d.cite.map(str::to_string),
            severity: d.severity,
            limit: d.limit,
            limit_inferred: d.limit_inferred,
            actual: d.actual,
            deadline: d.deadline,
            at,
            message: d.message,
            file,
            line: Some(ev.line),
            caused_by: None,
            evidence_incomplete: false,
        };
        self.sink.push(finding);
    }
}

/// What is overdue in an open case: the step due (or the term's closing step), the
/// term if it is one, a phrase naming it, and the case's last event.
pub(super) struct OpenDue<'s> {
    pub step: &'s str,
    pub term: Option<&'s str>,
    pub what: Message,
    pub at: &'s Event,
    /// A norm whatever the limit's own severity: the steps that may come next are all
    /// past their deadlines, but one of them only past a target time ([`open`](super::open)).
    pub norm: bool,
}

/// The limit's figure, the regulation's phrase for it and the paragraph that sets it
/// (or that it is inferred for).
pub(super) fn limit_args(msg: Message, lim: &LimitRule) -> Message {
    let mut msg = msg
        .arg(
            "limit",
            Arg::Amount(Amount::whole(i64::from(lim.value), lim.unit)),
        )
        .cite("cite", &lim.cite)
        .arg("inferred", Arg::Flag(lim.inferred));
    if let Some(q) = &lim.quote {
        msg = msg.id("quote", q);
    }
    msg
}
