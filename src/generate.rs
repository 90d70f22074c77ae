//! Synthetic event logs for benchmarks and load tests.
//!
//! Walks the process graph of a rule set as a case would: a random channel and variant,
//! a start step, then random successors in that channel until an end step. Each step
//! takes a random share of its limit, about one in `late_one_in` steps overruns it, so the
//! engine meets both compliant and violating cases. The output is deterministic for a
//! seed, so a benchmark always replays the same log.

use crate::rules::compile::{ALL, Compiled, Mask};
use crate::rules::model::Unit;
use chrono::TimeZone;
use std::fmt::Write as _;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub cases: usize,
    pub seed: u64,
    /// About one step in this many overruns its limit.
    pub late_one_in: u32,
    /// First case starts here (UTC milliseconds); later cases start every few minutes.
    pub start: i64,
}

/// Appends `spec.cases` cases of `set` to `out` as JSON Lines.
pub fn generate(set: &Compiled, spec: &Spec, out: &mut String) {
    let mut rng = fastrand::Rng::with_seed(spec.seed);
    let mut t0 = spec.start;
    for n in 0..spec.cases {
        t0 += i64::from(rng.u32(1..=20)) * 60_000;
        let ch = if set.channels.is_empty() {
            None
        } else {
            Some(rng.usize(..set.channels.len()))
        };
        let var = if set.variants.is_empty() {
            None
        } else {
            Some(rng.usize(..set.variants.len()))
        };
        let cm: Mask = ch.map_or(ALL, Mask::bit);
        let vm: Mask = var.map_or(ALL, Mask::bit);
        let starts: Vec<usize> = (0..set.steps.len())
            .filter(|&i| set.steps[i].is_start_in(cm) && set.steps[i].is_in(cm, vm))
            .collect();
        if starts.is_empty() {
            continue;
        }
        let mut step = starts[rng.usize(..starts.len())];
        let mut at = t0;
        for _ in 0..64 {
            let rule = &set.steps[step];
            let local = set
                .tz
                .timestamp_millis_opt(at)
                .single()
                .map(|t| t.to_rfc3339())
                .unwrap_or_default();
            let _ = write!(
                out,
                r#"{{"case":"gen-{}-{n}","service":"{}","step":"{}","at":"{local}""#,
                spec.seed,
                set.rules.service_id(),
                rule.id
            );
            if let Some(c) = ch {
                let _ = write!(out, r#","channel":"{}""#, set.channels[c]);
            }
            if let Some(v) = var {
                let _ = write!(out, r#","variant":"{}""#, set.variants[v]);
            }
            if rule.refusal && rule.implied_ground.is_none() {
                let allowed: Vec<usize> = match &rule.allowed_grounds {
                    Some(a) => a.iter().map(|&g| usize::from(g)).collect(),
                    None => (0..set.grounds.len()).collect(),
                };
                if !allowed.is_empty() {
                    let _ = write!(
                        out,
                        r#","ground":"{}""#,
                        set.grounds[allowed[rng.usize(..allowed.len())]]
                    );
                }
            }
            out.push_str("}\n");
            if rule.end.is_some() {
                break;
            }
            let next: Vec<usize> = rule
                .next
                .iter()
                .map(|&s| usize::from(s))
                .filter(|&s| set.steps[s].is_in(cm, vm))
                .collect();
            if next.is_empty() {
                break;
            }
            // Prefer the approval path: refusals are the exception in real logs.
            let pick = next[rng.usize(..next.len())];
            step = if set.steps[pick].refusal && next.len() > 1 && rng.u8(..10) < 7 {
                next[0]
            } else {
                pick
            };
            at += duration(&set.steps[step].limits, spec.late_one_in, &mut rng);
        }
    }
}

/// A step's duration in milliseconds: a share of its limit, now and then over it.
fn duration(
    limits: &[crate::rules::compile::LimitRule],
    late_one_in: u32,
    rng: &mut fastrand::Rng,
) -> i64 {
    let Some(l) = limits.iter().max_by_key(|l| (l.unit, l.value)) else {
        return i64::from(rng.u32(1..=30)) * 60_000;
    };
    let unit_ms: i64 = match l.unit {
        Unit::Seconds => 1_000,
        Unit::Minutes => 60_000,
        Unit::Hours => 3_600_000,
        // Days off stretch a working-day limit; a calendar day per unit keeps most in time.
        Unit::WorkingDays | Unit::CalendarDays => 86_400_000,
    };
    let share = if late_one_in > 0 && rng.u32(..late_one_in) == 0 {
        1.0 + rng.f64()
    } else {
        rng.f64() * 0.9
    };
    ((f64::from(l.value.max(1)) * share) * unit_ms as f64) as i64
}

/// A log of `cases` cases for each rule set of `sets`, each starting a month into its
/// validity period: the benchmark and load-test input.
pub fn for_rule_sets<'a>(
    sets: impl IntoIterator<Item = &'a Compiled>,
    cases: usize,
    seed: u64,
    late_one_in: u32,
) -> String {
    let mut out = String::new();
    for (i, set) in sets.into_iter().enumerate() {
        let start = set
            .rules
            .valid_from
            .and_hms_opt(9, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp_millis())
            + 30 * 86_400_000;
        let spec = Spec {
            cases,
            seed: seed.wrapping_add(i as u64),
            late_one_in,
            start,
        };
        generate(set, &spec, &mut out);
    }
    out
}
