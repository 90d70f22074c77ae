//! Aggregates a person reads first, computed from one [`Report`] and the cases of the
//! log, for every format: compliance rates per provider and per service, root causes of
//! the overruns (a Pareto table), the time steps took against their limits, and the
//! events of each violating case for a timeline.
//!
//! Nothing here decides what is a violation: the findings come from the engine. What the
//! report lacks is per-case facts (which provider, whether the case finished, its
//! events), so [`Cases`] reads them from the [`Log`] before it is replayed, without the
//! engine.

mod timeline;

pub use timeline::{CaseTimeline, Mark, end_of_day, timelines};

use super::Report;
use crate::engine::limits::local_time;
use crate::engine::{Deadline, Finding, Kind};
use crate::log::{Interner, Log, NONE};
use crate::rules::Catalog;
use crate::rules::compiled::{Compiled, StepRule};
use crate::rules::model::{Severity, Unit};
use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One case of the log, as the aggregates need it.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub service: String,
    pub case: String,
    /// The first provider the case's events name.
    pub provider: Option<String>,
    /// The edition in force on the local date of the first event (as the engine picks it).
    pub rule_set: Option<String>,
    /// Whether an event of an end step (result or refusal) is in the case.
    pub finished: bool,
    /// A record of the case's own was rejected (issue 16): its findings may stand on the
    /// gap, and it is not known to have kept its limits, so the rates and the step
    /// histograms leave it out.
    pub evidence_incomplete: bool,
    /// A hard limit of one of its steps could not be measured (issue 16): unless it broke
    /// another hard limit, it is not known to have kept them all, so the rates leave it out.
    pub limit_not_measured: bool,
    /// The case's events in time order (ties in log order): step (in [`Cases`]' step
    /// names) and UTC milliseconds. Names and local times are made only for timelines.
    events: Vec<(u32, i64)>,
    tz: Option<Tz>,
}

/// Per-case facts of a log, and the Kazakh duration phrases of the limits it meets.
#[derive(Debug, Clone, Default)]
pub struct Cases {
    pub cases: Vec<CaseFacts>,
    /// The step names the events use.
    steps: Interner,
    /// (rule set, step or term) -> its limits, as compiled from the rule set.
    limits: HashMap<(String, String), Vec<LimitFacts>>,
    /// (rule set, step) -> cases checked against the rule set that reached the step.
    reached: HashMap<(String, String), u64>,
}

impl Cases {
    /// Reads the cases of `log` (before replay: the replay takes the log).
    pub fn from_log(log: &Log, catalog: &Catalog) -> Cases {
        let mut index: FxHashMap<(u32, u32), usize> = FxHashMap::default();
        // (rule set index, step name id) -> cases; names are made once, at the end.
        let mut reached: FxHashMap<(usize, u32), u64> = FxHashMap::default();
        let mut raw: Vec<Vec<(u32, i64, u32)>> = Vec::new();
        // Cases with an event whose hard limit cannot be measured (`engine::evidence`).
        let mut unmeasured: rustc_hash::FxHashSet<usize> = Default::default();
        let mut keys = Vec::new();
        for e in &log.events {
            let i = *index.entry((e.service, e.case)).or_insert_with(|| {
                raw.push(Vec::new());
                keys.push((e.service, e.case));
                raw.len() - 1
            });
            if let Some(r) = raw.get_mut(i) {
                r.push((e.step, e.at, e.provider));
            }
            if e.started == crate::log::NO_TIME && hard_unmeasurable(catalog, &log.names, e) {
                unmeasured.insert(i);
            }
        }
        let names = &log.names;
        let mut out = Cases {
            steps: names.steps.clone(),
            ..Cases::default()
        };
        for (i, ((service, case), mut evs)) in keys.into_iter().zip(raw).enumerate() {
            let incomplete = log
                .account
                .gaps
                .contains(case, names.services.name(service));
            evs.sort_by_key(|&(_, at, _)| at);
            let service = names.services.name(service).to_string();
            let first = evs.first().map_or(0, |e| e.1);
            let set_ix = catalog.editions(&service).and_then(|eds| {
                let tz = catalog.sets.get(*eds.first()?)?.tz;
                let date = local_time(tz, first).date_naive();
                eds.iter()
                    .copied()
                    .find(|&i| catalog.sets.get(i).is_some_and(|s| s.is_in_force(date)))
            });
            let set = set_ix.and_then(|i| catalog.sets.get(i));
            let tz = catalog
                .editions(&service)
                .and_then(|eds| catalog.sets.get(*eds.first()?))
                .map(|s| s.tz);
            let steps: Vec<&str> = evs.iter().map(|e| names.steps.name(e.0)).collect();
            let finished = set.is_some_and(|s| ends(s, &steps));
            // A case that lost a record is not counted as reaching any step: its limits
            // are not known to be kept (a limit merely not measured is counted per limit).
            if let Some(ix) = set_ix.filter(|_| !incomplete) {
                let mut ids: Vec<u32> = evs.iter().map(|e| e.0).collect();
                ids.sort_unstable();
                ids.dedup();
                for id in ids {
                    *reached.entry((ix, id)).or_insert(0) += 1;
                }
            }
            let provider = evs
                .iter()
                .find(|e| e.2 != NONE)
                .map(|e| names.providers.name(e.2).to_string());
            out.cases.push(CaseFacts {
                case: names.cases.name(case).to_string(),
                service,
                provider,
                rule_set: set.map(|s| s.id().to_string()),
                finished,
                evidence_incomplete: incomplete,
                limit_not_measured: unmeasured.contains(&i),
                events: evs.iter().map(|e| (e.0, e.1)).collect(),
                tz,
            });
        }
        for ((ix, id), n) in reached {
            if let Some(s) = catalog.sets.get(ix) {
                let key = (s.id().to_string(), names.steps.name(id).to_string());
                *out.reached.entry(key).or_insert(0) += n;
            }
        }
        for s in &catalog.sets {
            let steps = s.steps.iter().map(|st| (&st.id, &st.limits));
            let terms = s.terms.iter().map(|t| (&t.id, &t.limits));
            for (id, limits) in steps.chain(terms) {
                let facts = limits.iter().map(|l| LimitFacts {
                    cite: l.cite.clone(),
                    value: l.value,
                    unit: l.unit,
                    severity: l.severity,
                    quote: l.quote.clone(),
                });
                out.limits
                    .entry((s.id().to_string(), id.clone()))
                    .or_default()
                    .extend(facts);
            }
        }
        out
    }

    /// The regulation's phrase for the limit a finding is about («5 жұмыс күні»); none
    /// for a finding about no limit.
    pub fn quote(&self, f: &Finding) -> Option<&str> {
        let key = (
            f.rule_set.as_ref()?.to_string(),
            f.term.clone().or_else(|| f.step.clone())?,
        );
        let amount = f.limit?;
        self.limits
            .get(&key)?
            .iter()
            .filter(|l| amount.unit == l.unit && number(amount.value) == f64::from(l.value))
            .find(|l| f.cite.as_deref() == Some(l.cite.as_str()))
            .and_then(|l| l.quote.as_deref())
    }
}

/// Whether a hard limit of the step of `e` (in any edition of its service) cannot be
/// measured at it ([`crate::engine::evidence::measurable`]); called only for an event
/// without a start time.
fn hard_unmeasurable(catalog: &Catalog, names: &crate::log::Names, e: &crate::log::Event) -> bool {
    use crate::engine::evidence::{Precision, measurable};
    let Some(editions) = catalog.editions(names.services.name(e.service)) else {
        return false;
    };
    let step = names.steps.name(e.step);
    (editions.iter().filter_map(|&i| catalog.sets.get(i)))
        .filter_map(|s| s.step_ix(step).and_then(|ix| s.steps.get(usize::from(ix))))
        .flat_map(|rule| &rule.limits)
        .any(|l| {
            l.severity == Severity::Hard && measurable(l, e.started, Precision::Instant).is_err()
        })
}

/// One limit of a step or term, as the rule set states it.
#[derive(Debug, Clone)]
struct LimitFacts {
    cite: String,
    value: u32,
    unit: Unit,
    severity: Severity,
    quote: Option<String>,
}

/// Whether a case's last word is a result or a refusal, walked as the replay walks it:
/// an end step ends the case, a step its `next` lists resumes it (a new sign-in after a
/// refused one), other steps after the end do not reopen it, unknown steps are skipped.
/// (The replay also requires a resuming step to be in the case's channel and variant;
/// this walk does not know the channel.)
fn ends(set: &Compiled, steps: &[&str]) -> bool {
    let mut ended: Option<&StepRule> = None;
    for id in steps {
        let Some(rule) = set.step_ix(id).and_then(|i| set.steps.get(usize::from(i))) else {
            continue;
        };
        if let Some(end) = ended {
            let resumes = set.step_ix(id).is_some_and(|i| end.next.contains(&i));
            if !resumes {
                continue;
            }
        }
        ended = rule.end.map(|_| rule);
    }
    ended.is_some()
}

fn utc(ms: i64) -> DateTime<FixedOffset> {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or(DateTime::<chrono::Utc>::MIN_UTC)
        .fixed_offset()
}

/// The share of finished cases that kept every hard limit, for one provider or service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compliance {
    /// The provider or service; `None`: cases whose events name no provider.
    pub name: Option<String>,
    /// Finished cases checked against a rule set (less those with a deadline outside the
    /// calendar: they are neither compliant nor not).
    pub finished: u64,
    /// Of those, cases with no hard `step_overdue` or `term_overdue` finding.
    pub compliant: u64,
    /// `compliant / finished`; `None` when no case finished.
    pub rate: Option<f64>,
}

/// One root cause of overruns: a step or term and the paragraph of its limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RootCause {
    pub rule_set: String,
    /// The step (or, for a total term, the term) whose limit was exceeded.
    pub step: String,
    #[serde(rename = "ref")]
    pub cite: String,
    pub count: u64,
    /// Calendar days from each deadline to the late event, summed.
    pub overdue_days: f64,
    /// Share of all overdue days (of the count, when no day was overdue).
    pub share: f64,
    /// Running share, largest cause first: the Pareto line.
    pub cumulative: f64,
}

/// The time one step took against one of its limits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepTimes {
    pub rule_set: String,
    pub step: String,
    #[serde(rename = "ref")]
    pub cite: String,
    pub limit: f64,
    pub unit: Unit,
    pub severity: Severity,
    /// The regulation's phrase for the limit.
    pub quote: Option<String>,
    /// Cases checked against the rule set that reached the step.
    pub reached: u64,
    /// What each overrun took, in the limit's unit (from the findings).
    pub overruns: Vec<f64>,
    /// Cases that reached the step where this limit could not be measured (issue 16):
    /// counted apart, never as within the limit.
    pub not_measured: u64,
}

/// Aggregates of one run, for every report format.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Aggregates {
    pub compliance_by_provider: Vec<Compliance>,
    pub compliance_by_service: Vec<Compliance>,
    pub root_causes: Vec<RootCause>,
    pub step_times: Vec<StepTimes>,
}

/// Whether a finding breaks a time limit the law sets (not a target time).
pub fn is_hard_overrun(f: &Finding) -> bool {
    f.severity == Severity::Hard && matches!(f.kind, Kind::StepOverdue | Kind::TermOverdue)
}

fn is_overrun(f: &Finding) -> bool {
    matches!(
        f.kind,
        Kind::StepOverdue | Kind::TermOverdue | Kind::OpenOverdue
    )
}

/// The moment a finding's lateness runs to: its event, or for a case still open, the
/// `--as-of` time it was judged at (its event is the last one, before the deadline).
pub fn late_until(
    f: &Finding,
    as_of: Option<DateTime<FixedOffset>>,
) -> Option<DateTime<FixedOffset>> {
    match f.kind {
        // In the region's offset, so "the day" is the local day.
        Kind::OpenOverdue => as_of.map(|t| f.at.map_or(t, |a| t.with_timezone(a.offset()))),
        _ => f.at,
    }
}

/// The `--as-of` time a report judged open cases at.
pub fn as_of(report: &Report) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(report.summary.as_of.as_deref()?).ok()
}

/// Calendar days from a finding's deadline to its late event (or to `as_of` for an open
/// case); 0 without either. A day deadline counts whole local days past it.
pub fn overdue_days(f: &Finding, as_of: Option<DateTime<FixedOffset>>) -> f64 {
    let Some(at) = late_until(f, as_of) else {
        return 0.0;
    };
    let late = match f.deadline {
        Some(Deadline::EndOfDay(d)) => (at.date_naive() - d).num_days() as f64,
        Some(Deadline::Instant(t)) => (at - t).num_seconds() as f64 / 86_400.0,
        None => 0.0,
    };
    late.max(0.0)
}

impl Aggregates {
    pub fn compute(report: &Report, cases: &Cases) -> Aggregates {
        let late: HashSet<(&str, &str)> = report
            .violations
            .iter()
            .filter(|f| is_hard_overrun(f))
            .map(|f| (f.service.as_str(), f.case.as_str()))
            .collect();
        // A case with a deadline the calendar could not compute is not known to have kept
        // its limits, nor to have broken them: it is left out of the rates, not guessed.
        let unjudged: HashSet<(&str, &str)> = report
            .violations
            .iter()
            .filter(|f| f.kind == Kind::OutsideCalendar)
            .map(|f| (f.service.as_str(), f.case.as_str()))
            .collect();
        let mut by_provider: BTreeMap<Option<String>, (u64, u64)> = BTreeMap::new();
        let mut by_service: BTreeMap<Option<String>, (u64, u64)> = BTreeMap::new();
        // Nor is a case that lost a record (issue 16), or one that broke no hard limit but
        // has a hard limit that could not be measured: it is not known to have kept it.
        let judged = (cases.cases.iter()).filter_map(|c| {
            let key = (c.service.as_str(), c.case.as_str());
            let is_late = late.contains(&key);
            let known = !c.evidence_incomplete && (is_late || !c.limit_not_measured);
            (c.finished && known && !unjudged.contains(&key)).then_some((c, is_late))
        });
        for (c, is_late) in judged {
            let ok = u64::from(!is_late);
            let service = Some(c.service.clone());
            for (map, key) in [
                (&mut by_provider, c.provider.clone()),
                (&mut by_service, service),
            ] {
                let e = map.entry(key).or_insert((0, 0));
                e.0 += 1;
                e.1 += ok;
            }
        }
        let rates = |m: BTreeMap<Option<String>, (u64, u64)>| {
            m.into_iter()
                .map(|(name, (finished, compliant))| Compliance {
                    name,
                    finished,
                    compliant,
                    rate: (finished > 0).then(|| compliant as f64 / finished as f64),
                })
                .collect()
        };
        Aggregates {
            compliance_by_provider: rates(by_provider),
            compliance_by_service: rates(by_service),
            root_causes: root_causes(&report.violations, as_of(report)),
            step_times: step_times(report, cases),
        }
    }
}

fn root_causes(violations: &[Finding], as_of: Option<DateTime<FixedOffset>>) -> Vec<RootCause> {
    let mut groups: BTreeMap<(String, String, String), (u64, f64)> = BTreeMap::new();
    // Root causes count each delay once: consequences of one late event are left out.
    // Nor do findings on incomplete evidence (issue 16).
    for f in violations
        .iter()
        .filter(|f| is_overrun(f) && super::gaps::is_counted(f))
    {
        let key = (
            f.rule_set
                .as_ref()
                .map(|r| r.to_string())
                .unwrap_or_default(),
            f.term
                .clone()
                .or_else(|| f.step.clone())
                .unwrap_or_default(),
            f.cite.clone().unwrap_or_default(),
        );
        let e = groups.entry(key).or_insert((0, 0.0));
        e.0 += 1;
        e.1 += overdue_days(f, as_of);
    }
    let total_days: f64 = groups.values().map(|g| g.1).sum();
    let total_count: u64 = groups.values().map(|g| g.0).sum();
    let mut causes: Vec<RootCause> = groups
        .into_iter()
        .map(|((rule_set, step, cite), (count, days))| RootCause {
            rule_set,
            step,
            cite,
            count,
            overdue_days: days,
            share: if total_days > 0.0 {
                days / total_days
            } else {
                count as f64 / total_count.max(1) as f64
            },
            cumulative: 0.0,
        })
        .collect();
    causes.sort_by(|a, b| b.share.total_cmp(&a.share).then(b.count.cmp(&a.count)));
    let mut run = 0.0;
    for c in &mut causes {
        run += c.share;
        c.cumulative = run.min(1.0);
    }
    causes
}

/// Every step limit of the rule sets the cases were checked against, with what the
/// overruns took. The engine reports a time only when a limit is exceeded, so steps
/// within their limit are counted (`reached - overruns`), not measured.
fn step_times(report: &Report, cases: &Cases) -> Vec<StepTimes> {
    let used: HashSet<&str> = cases
        .cases
        .iter()
        .filter_map(|c| c.rule_set.as_deref())
        .collect();
    let mut out = Vec::new();
    let mut keys: Vec<&(String, String)> = cases.reached.keys().collect();
    keys.sort();
    for (set, step) in keys {
        if !used.contains(set.as_str()) {
            continue;
        }
        let Some(limits) = cases.limits.get(&(set.clone(), step.clone())) else {
            continue;
        };
        for l in limits {
            let cite = l.cite.clone();
            let overruns = report
                .violations
                .iter()
                .filter(|f| f.kind == Kind::StepOverdue && f.rule_set.as_deref() == Some(set))
                .filter(|f| !f.evidence_incomplete)
                .filter(|f| f.step.as_deref() == Some(step) && f.cite.as_deref() == Some(&cite))
                .filter(|f| {
                    f.limit
                        .is_some_and(|a| a.unit == l.unit && number(a.value) == f64::from(l.value))
                })
                .filter_map(|f| f.actual.map(|a| number(a.value)))
                .collect();
            out.push(StepTimes {
                rule_set: set.clone(),
                step: step.clone(),
                cite,
                limit: f64::from(l.value),
                unit: l.unit,
                severity: l.severity,
                quote: l.quote.clone(),
                reached: cases
                    .reached
                    .get(&(set.clone(), step.clone()))
                    .copied()
                    .unwrap_or(0),
                overruns,
                not_measured: (report.summary.limits_not_measured.iter())
                    .filter(|n| (&n.rule_set, &n.step, &n.cite) == (set, step, &l.cite))
                    .filter(|n| n.limit.value == l.value && n.limit.unit == l.unit)
                    .map(|n| n.cases)
                    .sum(),
            });
        }
    }
    out
}

fn number(n: crate::engine::finding::Number) -> f64 {
    match n {
        crate::engine::finding::Number::Whole(n) => n as f64,
        crate::engine::finding::Number::Decimal(x) => x,
    }
}

/// An open case about to go overdue (issue 11, "Acting before it is late"): built by the
/// replay ([`crate::engine::due`]), rendered by every writer.
pub use crate::engine::DueSoon;
