//! One line of a JSON Lines log to a raw event: the checks a line passes before it is
//! parsed, the parse itself (the fast path of [`flat`] for the usual shape, serde_json
//! for the rest), and the reason a line is rejected, naming its field.

use crate::log::account::{self, Reason};
use crate::log::lines;
use serde::Deserialize;
use std::borrow::Cow;

/// An optional string field, borrowed from the line unless it has escapes. serde borrows
/// a `Cow<str>` only as a field's own type: inside an `Option` it allocates a `String`
/// for every value, three allocations per event on a typical log.
#[derive(Deserialize)]
pub(super) struct Text<'a>(#[serde(borrow)] pub(super) Cow<'a, str>);

impl Text<'_> {
    pub(super) fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Deserialize)]
pub(super) struct RawEvent<'a> {
    #[serde(borrow)]
    pub(super) case: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) service: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) step: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) at: Cow<'a, str>,
    #[serde(borrow, default)]
    pub(super) started: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) channel: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) variant: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) ground: Option<Text<'a>>,
    #[serde(borrow, default)]
    pub(super) provider: Option<Text<'a>>,
    #[serde(borrow, default, rename = "actor")]
    pub(super) _actor: Option<Text<'a>>,
}

/// Why a line was rejected: the field at fault (if one is) and what is wrong.
pub(super) struct Reject {
    pub(super) field: Option<String>,
    pub(super) reason: Reason,
    pub(super) detail: String,
}

impl Reject {
    pub(super) fn new(reason: Reason, detail: impl Into<String>) -> Reject {
        Reject {
            field: None,
            reason,
            detail: detail.into(),
        }
    }
}

/// The checks a line passes before it is parsed: its content is within the limit, it is
/// valid UTF-8 throughout, and it has no lone surrogate escape.
pub(super) fn check_line(line: &[u8], max_line: usize) -> Result<&str, Reject> {
    let content = lines::content(line);
    if content.len() > max_line {
        return Err(Reject::new(
            Reason::TooLong,
            format!(
                "line is {} bytes, longer than the {max_line}-byte limit",
                content.len()
            ),
        ));
    }
    // SIMD validation on the fast path; std's only to say where a bad line goes wrong.
    let text = simdutf8::basic::from_utf8(line)
        .or_else(|_| std::str::from_utf8(line))
        .map_err(|e| {
            Reject::new(
                Reason::InvalidUtf8,
                format!("line is not valid UTF-8 (byte {})", e.valid_up_to() + 1),
            )
        })?;
    if let Some(at) = lone_surrogate(text.as_bytes()) {
        return Err(Reject::new(
            Reason::InvalidUtf8,
            format!(
                "line has a lone surrogate escape at byte {}: not valid UTF-16, so not valid text",
                at + 1
            ),
        ));
    }
    Ok(text)
}

/// The byte offset of the first `\uXXXX` escape that is a lone surrogate (a high one not
/// followed by a low one, or a low one alone), if any.
///
/// serde_json refuses these in the fields it reads, but skips the strings of unknown
/// fields without decoding them. Backslashes only occur inside JSON strings, so every
/// backslash outside an escape starts one; a line that is not JSON is refused later.
fn lone_surrogate(text: &[u8]) -> Option<usize> {
    let hex = |at: usize| -> Option<u16> {
        let digits = text.get(at..at + 4)?;
        u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    let escape = |at: usize| -> Option<u16> {
        (text.get(at..at + 2)? == b"\\u")
            .then(|| hex(at + 2))
            .flatten()
    };
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'\\', text.get(i..)?) {
        let at = i + off;
        match text.get(at + 1) {
            Some(b'u') => match escape(at) {
                Some(0xD800..=0xDBFF) => match escape(at + 6) {
                    Some(0xDC00..=0xDFFF) => i = at + 12,
                    _ => return Some(at),
                },
                Some(0xDC00..=0xDFFF) => return Some(at),
                _ => i = at + 2,
            },
            _ => i = at + 2,
        }
    }
    None
}

/// Parses a line that passed [`check_line`]: on the fast path ([`flat`]) if it has the
/// usual shape, else with serde_json, which also explains a rejection: in full when
/// `detailed` (a rejection past those shown is only counted, and no field path is traced
/// for it).
pub(super) fn parse(text: &str, detailed: bool) -> Result<RawEvent<'_>, Reject> {
    match flat::parse(text) {
        Some(raw) => Ok(raw),
        None => slow_parse(text, detailed),
    }
}

fn slow_parse(text: &str, detailed: bool) -> Result<RawEvent<'_>, Reject> {
    // serde reads a struct from an array too: only an object is an event.
    match serde_json::from_str(text) {
        Ok(r) if is_object(text) => Ok(r),
        Ok(_) => Err(not_an_object()),
        Err(e) => Err(explain(text, e, detailed)),
    }
}

/// The rejection of a record whose `started` is later than its `at` (as instants): a
/// step cannot end before it starts, and its negative time would never be overdue. The
/// other formats refuse it in the same words ([`account::start_after_end`]).
#[cold]
pub(super) fn start_after_end(raw: &RawEvent) -> Reject {
    let started = raw.started.as_ref().map_or("", Text::as_str);
    Reject {
        field: Some("started".into()),
        reason: Reason::BadTime,
        detail: account::start_after_end(started, &raw.at),
    }
}

/// The case id and service of a rejected line, when they can still be read (issue 16):
/// the line is JSON with a string `case` (and a string `service`), whatever else is wrong
/// with it (a bad time, a missing step, a mistyped optional field, invalid UTF-8 in
/// another field). `None` when the case id cannot be read, or is not valid text itself.
/// Off the fast path: only a rejected line is parsed again, once, in time linear in its
/// length (it is within the line limit).
#[cold]
pub(super) fn owner(line: &[u8]) -> Option<(String, Option<String>)> {
    let text = String::from_utf8_lossy(lines::content(line));
    // A replacement character the lossy reading put in is not the log's own text.
    let lossy = matches!(text, Cow::Owned(_));
    let serde_json::Value::Object(mut o) = serde_json::from_str(&text).ok()? else {
        return None;
    };
    let mut take = |k: &str| match o.remove(k) {
        Some(serde_json::Value::String(s)) if !(lossy && s.contains('\u{FFFD}')) => Some(s),
        _ => None,
    };
    let case = take("case")?;
    Some((case, take("service")))
}

/// Whether a JSON text is an object (it starts with `{`, after whitespace).
fn is_object(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

#[cold]
fn not_an_object() -> Reject {
    Reject::new(
        Reason::NotAnObject,
        "an event is a JSON object ({\"case\": ..., \"service\": ..., \"step\": ..., \"at\": ...})",
    )
}

/// Turns a parse error into a reason naming the field, re-reading the line with path
/// tracking when `detailed` (only for rejected lines that are shown, off the fast path).
#[cold]
fn explain(text: &str, e: serde_json::Error, detailed: bool) -> Reject {
    if !is_object(text) && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        return not_an_object();
    }
    if let serde_json::error::Category::Syntax | serde_json::error::Category::Eof = e.classify() {
        let detail = if detailed {
            format!("invalid JSON: {e}")
        } else {
            String::new()
        };
        return Reject::new(Reason::Syntax, detail);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let field = match detailed.then(|| serde_path_to_error::deserialize::<_, RawEvent>(&mut de)) {
        Some(Err(pe)) => {
            let p = pe.path().to_string();
            (p != "." && !p.is_empty()).then_some(p)
        }
        _ => None,
    };
    let msg = e.to_string();
    let missing = msg
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
        .map(str::to_string);
    let reason = if missing.is_some() {
        Reason::MissingField
    } else {
        Reason::WrongType
    };
    Reject {
        field: field.or(missing),
        reason,
        detail: msg,
    }
}

#[cfg(test)]
impl RawEvent<'_> {
    /// The ten fields as strings, to compare two parses of a line in tests.
    fn fields(&self) -> Vec<Option<String>> {
        let opt = |t: &Option<Text>| t.as_ref().map(|t| t.as_str().to_string());
        let required = [&self.case, &self.service, &self.step, &self.at];
        let optional = [
            &self.started,
            &self.channel,
            &self.variant,
            &self.ground,
            &self.provider,
            &self._actor,
        ];
        (required.iter().map(|f| Some(f.to_string())))
            .chain(optional.iter().map(|f| opt(f)))
            .collect()
    }
}

#[path = "jsonl_flat.rs"]
mod flat;

/// Review of the fast path against serde_json alone, on the bundled logs' real lines
/// damaged in the ways a hostile or careless exporter damages them: whatever a line is,
/// [`parse`] (fast path first) and [`slow_parse`] (serde_json alone) give the same
/// fields, or the same rejection (reason, field and detail).
#[cfg(test)]
mod fast_path_review {
    use super::*;
    use proptest::prelude::*;

    const LOGS: [&str; 5] = [
        include_str!("../../logs/sample.jsonl"),
        include_str!("../../logs/almaty-licences.jsonl"),
        include_str!("../../logs/culture.jsonl"),
        include_str!("../../logs/wildlife.jsonl"),
        include_str!("../../logs/wko-e-licences.jsonl"),
    ];

    fn real_lines() -> Vec<&'static str> {
        LOGS.iter()
            .flat_map(|l| l.lines())
            .filter(|l| !l.trim().is_empty())
            .collect()
    }

    /// What a parse made of a line, comparable: the ten fields, or the rejection.
    fn outcome(r: Result<RawEvent, Reject>) -> Result<Vec<Option<String>>, String> {
        match r {
            Ok(e) => Ok(e.fields()),
            Err(r) => Err(format!("{:?} {:?} {}", r.reason, r.field, r.detail)),
        }
    }

    fn agrees(line: &str) -> Result<(), TestCaseError> {
        for detailed in [true, false] {
            let both = parse(line, detailed);
            let slow = slow_parse(line, detailed);
            prop_assert_eq!(outcome(both), outcome(slow), "{:?}", line);
        }
        Ok(())
    }

    /// Every bundled line as it is takes the fast path, and agrees.
    #[test]
    fn the_bundled_lines_take_the_fast_path_and_agree() {
        let lines = real_lines();
        assert!(lines.len() > 800);
        for line in &lines {
            agrees(line).unwrap();
        }
        let fast = lines.iter().filter(|l| flat::parse(l).is_some()).count();
        // The few that do not hold an escape or a non-string value.
        assert!(fast * 10 > lines.len() * 9, "{fast} of {}", lines.len());
    }

    /// Edits of a line that keep it the same event to serde_json, or change it in one
    /// known way: each must give what serde_json alone gives.
    #[test]
    fn targeted_edits_agree() {
        let line = real_lines()[0];
        let edits: Vec<String> = vec![
            line.replacen("\"case\"", "\"\\u0063ase\"", 1),
            line.replacen("\"case\"", "\"cas\\u0065\"", 1),
            line.replacen("\"case\"", "\"Case\"", 1),
            line.replacen("\"case\"", "\"case \"", 1),
            line.replacen("\"case\": \"", "\"case\": \"\\u00e9", 1),
            line.replacen("\"case\": \"", "\"case\": \"\\ud83d\\ude00", 1),
            line.replacen("\"case\": \"", "\"case\": \"\\/", 1),
            line.replacen("\"case\": \"", "\"case\": \"\u{7f}", 1),
            line.replacen("\"case\": \"", "\"case\": \"\u{feff}", 1),
            line.replacen("\"case\": \"", "\"case\": \"\u{2028}", 1),
            line.replacen("{", "{\"case\": \"dup\", ", 1),
            line.replacen("{", "{\"channel\": null, ", 1),
            line.replacen("{", "{\"actor\": 1, ", 1),
            line.replacen("{", "{\"_actor\": 1, ", 1),
            line.replacen("{", "{\"\": \"\", ", 1),
            line.replacen("{", "{\"x\": null, \"x\": null, ", 1),
            line.replacen("{", "{\"x\": {\"case\": 1}, ", 1),
            line.replacen("{", "{\"x\": [\"case\"], ", 1),
            line.replacen("{", "{\"x\": 1e400, ", 1),
            line.replacen("{", "{\"x\": -0, ", 1),
            line.replacen("{", "{\"x\": true, ", 1),
            line.replacen("{", "{\"x\": nul, ", 1),
            line.replacen("{", "{\"x\": nulll, ", 1),
            line.replacen("{", "{\"x\": NULL, ", 1),
            line.replacen("{", "{\"x\": \"\\q\", ", 1),
            line.replacen("{", "{\"x\": \"\\ud800\", ", 1),
            line.replacen(": ", ":", 99),
            line.replacen(": ", " :  ", 99),
            line.replacen(", ", " ,", 99),
            line.replacen(", ", ",,", 1),
            line.replacen("\"", "'", 2),
            format!("\u{feff}{line}"),
            format!("{line}\r"),
            format!("{line}\t"),
            format!("{line} "),
            format!("{line}\u{a0}"),
            format!("{line}\u{0}"),
            format!("{line}{{}}"),
            format!("{line},"),
            format!("[{line}]"),
            format!("\u{a0}{line}"),
            format!("\t{line}"),
            format!("{}}}", line.trim_end_matches('}')),
            line.trim_end_matches('}').to_string(),
            format!("{},}}", line.trim_end_matches('}')),
            format!("{}, \"n\": null}}", line.trim_end_matches('}')),
            format!("{}, \"started\": null}}", line.trim_end_matches('}')),
            format!("{}, \"started\": \"\"}}", line.trim_end_matches('}')),
            format!("{}, \"ground\": \"\"}}", line.trim_end_matches('}')),
            format!(
                "{}, \"ground\": \"a\", \"ground\": null}}",
                line.trim_end_matches('}')
            ),
            format!(
                "{}, \"provider\": null, \"provider\": \"p\"}}",
                line.trim_end_matches('}')
            ),
            format!(
                "{}, \"k\": \"{}\"}}",
                line.trim_end_matches('}'),
                "я".repeat(5000)
            ),
            "{\"case\":\"\",\"service\":\"\",\"step\":\"\",\"at\":\"\"}".to_string(),
            "{\"case\":\"c\",\"service\":\"s\",\"step\":\"a\",\"at\":null}".to_string(),
            "{\"case\":\"c\",\"service\":\"s\",\"step\":\"a\"}".to_string(),
            "{ }".to_string(),
            "{".to_string(),
            "}".to_string(),
            "null".to_string(),
            "\"case\"".to_string(),
            "{\"case\"}".to_string(),
            "{\"case\":}".to_string(),
            "{:\"c\"}".to_string(),
            "{\"case\":\"c\" \"service\":\"s\",\"step\":\"a\",\"at\":\"t\"}".to_string(),
        ];
        for e in &edits {
            agrees(e).unwrap();
        }
    }

    /// A damage: at a fraction of the line, insert a token, or cut a span out.
    #[derive(Debug, Clone)]
    enum Damage {
        Insert(f64, &'static str),
        Cut(f64, usize),
        Replace(f64, usize, &'static str),
    }

    const TOKENS: &[&str] = &[
        "\\",
        "\\\"",
        "\\u0063",
        "\\u00",
        "\\ud800",
        "\\n",
        "\"",
        "\"\"",
        " ",
        "\t",
        "\r",
        "\n",
        "\u{0}",
        "\u{1f}",
        "\u{7f}",
        "\u{feff}",
        "\u{a0}",
        "é",
        "я",
        "😀",
        "null",
        "nul",
        "1",
        "-1.5e3",
        "true",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"case\":\"x\",",
        "\"at\":\"2016-06-01T10:00:00Z\",",
        "\"started\":null,",
        "\"case\":null,",
        "\"zz\":{},",
        "\"zz\":[],",
    ];

    fn damage() -> impl Strategy<Value = Damage> {
        let at = 0.0..1.0f64;
        prop_oneof![
            (at.clone(), proptest::sample::select(TOKENS)).prop_map(|(a, t)| Damage::Insert(a, t)),
            (at.clone(), 1usize..12).prop_map(|(a, n)| Damage::Cut(a, n)),
            (at, 1usize..4, proptest::sample::select(TOKENS))
                .prop_map(|(a, n, t)| Damage::Replace(a, n, t)),
        ]
    }

    /// The char boundary nearest to fraction `f` of `s`.
    fn boundary(s: &str, f: f64) -> usize {
        let mut i = ((s.len() as f64) * f) as usize;
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    fn apply(line: &str, damages: &[Damage]) -> String {
        let mut s = line.to_string();
        for d in damages {
            match *d {
                Damage::Insert(f, t) => s.insert_str(boundary(&s, f), t),
                Damage::Cut(f, n) | Damage::Replace(f, n, _) => {
                    let a = boundary(&s, f);
                    let b = boundary(&s, ((a + n) as f64 / s.len().max(1) as f64).min(1.0));
                    let with = if let Damage::Replace(_, _, t) = d {
                        t
                    } else {
                        ""
                    };
                    s.replace_range(a..b.max(a), with);
                }
            }
        }
        s
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Real lines with one to three damages: the fast path never accepts what
        /// serde_json refuses, never reads other values, never changes a rejection.
        #[test]
        fn damaged_real_lines_agree(
            pick in any::<proptest::sample::Index>(),
            damages in proptest::collection::vec(damage(), 1..4),
        ) {
            let lines = real_lines();
            let line = lines[pick.index(lines.len())];
            agrees(&apply(line, &damages))?;
        }
    }
}
