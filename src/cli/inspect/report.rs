//! What `inspect` reports about the logs it read: the services and activities with what
//! they map to, step suggestions for unmapped activities, and the text rendering.

use super::*;

/// Everything `inspect` found, over all files.
pub(super) struct Findings {
    pub(super) files: Vec<FileSeen>,
    pub(super) services: Tally<String>,
    pub(super) activities: Tally<(String, String)>,
    pub(super) shapes: Tally<String>,
    pub(super) range: Option<Range>,
    /// Names cut to [`MAX_NAME_BYTES`].
    pub(super) names_cut: u64,
    /// Time values no format reads, with their counts.
    pub(super) failing: Tally<String>,
    /// Records `check` would reject, and the first few.
    pub(super) would_reject: (u64, Vec<String>),
}

impl Findings {
    pub(super) fn to_json(&self, catalog: &Catalog, map: Option<&Mapping>) -> serde_json::Value {
        let files: Vec<_> = self
            .files
            .iter()
            .map(|f| {
                json!({"file": f.name, "format": f.format, "columns": f.columns,
                    "fields": f.found.iter().map(|(ours, col)| json!({"field": ours, "source": col})).collect::<Vec<_>>(),
                    "attributes": f.keys.counts, "attributes_not_kept": f.keys.not_kept,
                    "records": f.records, "rejected": f.rejected,
                    "first_rejections": f.first_rejections, "unreadable": f.unreadable})
            })
            .collect();
        let services: Vec<_> = self
            .services
            .counts
            .iter()
            .map(|(raw, n)| json!({"source": raw, "count": n, "service": service_id(catalog, map, raw)}))
            .collect();
        let (activities, not_listed) = self.activities_json(catalog, map);
        let range = self
            .range
            .as_ref()
            .map(|(lo, hi)| json!({"first": lo.1, "last": hi.1}));
        json!({"files": files, "services": services, "services_not_kept": self.services.not_kept,
            "activities": activities, "activities_not_listed": not_listed,
            "activities_not_kept": self.activities.not_kept,
            "time_shapes": self.shapes.counts, "time_shapes_not_kept": self.shapes.not_kept,
            "time_range": range, "names_cut": self.names_cut,
            "time_values_failing": self.failing.counts, "time_values_failing_not_kept": self.failing.not_kept,
            "would_be_rejected": self.would_reject.0, "would_be_rejected_first": self.would_reject.1,
            "limits": {"distinct_kept": MAX_DISTINCT, "activities_listed": MAX_LISTED,
                "name_chars_scored": MAX_NAME_CHARS, "name_bytes_kept": MAX_NAME_BYTES,
                "jsonl_line_bytes": MAX_LINE}})
    }

    /// The [`MAX_LISTED`] most frequent activities (ties by service and name), each with
    /// its step or, unmapped, suggestions; and what was kept but not listed
    /// (`{"distinct", "count"}`). Only listed activities are scored, so the cost is bounded
    /// whatever the log holds.
    pub(super) fn activities_json(
        &self,
        catalog: &Catalog,
        map: Option<&Mapping>,
    ) -> (Vec<serde_json::Value>, serde_json::Value) {
        let mut by_count: Vec<_> = self.activities.counts.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let rest = by_count.split_off(by_count.len().min(MAX_LISTED));
        let not_listed = json!({"distinct": rest.len(),
            "count": rest.iter().map(|(_, n)| **n).sum::<u64>()});
        let mut steps = StepNames::default();
        let listed = by_count
            .into_iter()
            .map(|((svc, raw), n)| {
                let sid = service_id(catalog, map, svc);
                let step = sid.as_deref().and_then(|s| {
                    let ours = map.and_then(|m| m.step_id(s, raw)).unwrap_or(raw);
                    step_names(catalog, s).any(|(id, _)| id == ours).then(|| ours.to_string())
                });
                let suggestions = match (&sid, &step) {
                    (Some(s), None) => suggest(steps.of(catalog, s), raw),
                    _ => Vec::new(),
                };
                json!({"service_source": svc, "source": raw, "count": n, "step": step, "suggestions": suggestions})
            })
            .collect();
        (listed, not_listed)
    }
}

/// Our id of the service a log calls `raw` (through the mapping), if a rule set has it.
pub(super) fn service_id(catalog: &Catalog, map: Option<&Mapping>, raw: &str) -> Option<String> {
    let ours = map.and_then(|m| m.service_id(raw)).unwrap_or(raw);
    catalog.editions(ours).map(|_| ours.to_string())
}

/// Each service's step scorer ([`suggest::Scorer`]), built once, not once per activity.
#[derive(Default)]
pub(super) struct StepNames<'c> {
    by_service: BTreeMap<String, suggest::Scorer<'c>>,
}

impl<'c> StepNames<'c> {
    pub(super) fn of(&mut self, catalog: &'c Catalog, service: &str) -> &suggest::Scorer<'c> {
        self.by_service
            .entry(service.to_string())
            .or_insert_with(|| suggest::for_service(catalog, service))
    }
}

/// Each step of the rule sets of `service`: its id and its names (id, kk, ru, en).
pub(super) fn step_names<'c>(
    catalog: &'c Catalog,
    service: &str,
) -> impl Iterator<Item = (&'c str, Vec<&'c str>)> {
    let sets = catalog.editions(service).unwrap_or(&[]);
    sets.iter().flat_map(move |&i| {
        catalog.sets[i].rules.steps.iter().map(|s| {
            let mut names = vec![s.id.as_str(), s.name.kk.as_str(), s.name.en.as_str()];
            names.extend(s.name.ru.as_deref());
            (s.id.as_str(), names)
        })
    })
}

/// The three steps that best match `raw` (its first [`MAX_NAME_CHARS`] characters), best
/// first, each with its score (0 to 1; [`suggest`]): hints to review, not mappings.
pub(super) fn suggest(scorer: &suggest::Scorer<'_>, raw: &str) -> Vec<serde_json::Value> {
    scorer
        .rank(clip(raw), 3)
        .into_iter()
        .map(|(id, score)| json!({"step": id, "score": (score * 100.0).round() / 100.0}))
        .collect()
}

/// The text form: one section per question a mapping has to answer.
pub(super) fn write_text(
    doc: &serde_json::Value,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let s = |v: &serde_json::Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
    let empty = Vec::new();
    let arr = |v: &serde_json::Value| v.as_array().unwrap_or(&empty).clone();
    for f in arr(&doc["files"]) {
        writeln!(
            out,
            "{} ({}): {} record(s), {} rejected",
            s(&f["file"]),
            s(&f["format"]),
            f["records"],
            f["rejected"]
        )?;
        if let Some(u) = f["unreadable"].as_str() {
            writeln!(out, "  unreadable: {u}")?;
        }
        let csv = f["format"] == "csv";
        if csv {
            let cols: Vec<String> = arr(&f["columns"]).iter().map(s).collect();
            writeln!(out, "  columns: {}", cols.join(" | "))?;
        }
        for m in arr(&f["fields"]) {
            writeln!(out, "  {:<9} <- {}", s(&m["field"]), s(&m["source"]))?;
        }
        if let Some(keys) = f["attributes"].as_object().filter(|_| !csv) {
            for (k, n) in keys {
                writeln!(out, "  attribute {k:?}: {n}")?;
            }
        }
        not_kept(out, &f["attributes_not_kept"], "attribute key")?;
        for r in arr(&f["first_rejections"]) {
            writeln!(out, "  rejected {}", s(&r))?;
        }
    }
    writeln!(out, "services:")?;
    for sv in arr(&doc["services"]) {
        let to = sv["service"]
            .as_str()
            .map_or("UNMAPPED (no rule set)".to_string(), |x| format!("-> {x}"));
        writeln!(out, "  {:>6}  {:?} {to}", sv["count"], s(&sv["source"]))?;
    }
    not_kept(out, &doc["services_not_kept"], "service")?;
    writeln!(out, "activities:")?;
    for a in arr(&doc["activities"]) {
        let to = match a["step"].as_str() {
            Some(x) => format!("-> {x}"),
            None => {
                let sug: Vec<String> = arr(&a["suggestions"])
                    .iter()
                    .map(|g| format!("{} ({})", s(&g["step"]), g["score"]))
                    .collect();
                format!(
                    "UNMAPPED; closest: {}",
                    if sug.is_empty() {
                        "-".into()
                    } else {
                        sug.join(", ")
                    }
                )
            }
        };
        writeln!(
            out,
            "  {:>6}  {:?} / {:?} {to}",
            a["count"],
            s(&a["service_source"]),
            s(&a["source"])
        )?;
    }
    let more = &doc["activities_not_listed"];
    if more["distinct"].as_u64().is_some_and(|n| n > 0) {
        writeln!(
            out,
            "  ... {} more activit(ies), {} record(s), not listed (only the {} most frequent are)",
            more["distinct"], more["count"], doc["limits"]["activities_listed"]
        )?;
    }
    not_kept(out, &doc["activities_not_kept"], "activity")?;
    writeln!(out, "time formats seen (digits shown as 9):")?;
    if let Some(shapes) = doc["time_shapes"].as_object() {
        for (k, n) in shapes {
            writeln!(out, "  {n:>6}  {k}")?;
        }
    }
    not_kept(out, &doc["time_shapes_not_kept"], "time format")?;
    if let Some(r) = doc["time_range"].as_object() {
        writeln!(out, "time range: {} .. {}", s(&r["first"]), s(&r["last"]))?;
    }
    write_checks(doc, out)?;
    write_guess(out, &doc["guess"])?;
    if let Some(n) = doc["names_cut"].as_u64().filter(|n| *n > 0) {
        writeln!(
            out,
            "{n} name(s) longer than {MAX_NAME_BYTES} bytes were cut, shown ending in \u{2026}; names that agree on their first {MAX_NAME_BYTES} bytes are counted together"
        )?;
    }
    Ok(())
}

/// The time values no format reads, and the records `check` would reject.
fn write_checks(doc: &serde_json::Value, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let s = |v: &serde_json::Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
    let empty = Vec::new();
    let arr = |v: &serde_json::Value| v.as_array().unwrap_or(&empty).clone();
    if let Some(bad) = doc["time_values_failing"]
        .as_object()
        .filter(|b| !b.is_empty())
    {
        writeln!(
            out,
            "time values no format reads (add a format to the mapping's time.formats):"
        )?;
        for (k, n) in bad.iter().take(20) {
            writeln!(out, "  {n:>6}  {k:?}")?;
        }
    }
    if let Some(n) = doc["would_be_rejected"].as_u64().filter(|n| *n > 0) {
        writeln!(out, "{n} record(s) that check would reject:")?;
        for r in arr(&doc["would_be_rejected_first"]) {
            writeln!(out, "  {}", s(&r))?;
        }
    }
    Ok(())
}

/// The columns, formats and services `inspect` guessed without a mapping.
fn write_guess(out: &mut dyn std::io::Write, g: &serde_json::Value) -> std::io::Result<()> {
    let Some(fields) = g["fields"].as_array() else {
        return Ok(());
    };
    writeln!(
        out,
        "guessed without a mapping (review before use; --draft-map FILE writes them as a mapping):"
    )?;
    for f in fields {
        let (field, source, by) = (&f["field"], &f["source"], &f["by"]);
        writeln!(
            out,
            "  {:<9} <- {source} (by {})",
            field.as_str().unwrap_or(""),
            by.as_str().unwrap_or("")
        )?;
    }
    let formats: Vec<&str> = g["formats"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str())
        .collect();
    writeln!(out, "  time formats: {}", formats.join(", "))?;
    for sv in g["services"].as_array().into_iter().flatten() {
        writeln!(
            out,
            "  service {} -> {} (score {})",
            sv["source"],
            sv["service"].as_str().unwrap_or(""),
            sv["score"]
        )?;
    }
    Ok(())
}

/// The line that says how many occurrences of `what` went uncounted by name because
/// [`MAX_DISTINCT`] distinct values were already kept; nothing when none did.
pub(super) fn not_kept(
    out: &mut dyn std::io::Write,
    n: &serde_json::Value,
    what: &str,
) -> std::io::Result<()> {
    match n.as_u64() {
        Some(n) if n > 0 => writeln!(
            out,
            "  ... {n} record(s) with {what} first seen after {MAX_DISTINCT} distinct ones, counted but not named"
        ),
        _ => Ok(()),
    }
}
