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
/// other formats refuse it in the same words (`formats::start_after_end`).
#[cold]
pub(super) fn start_after_end(raw: &RawEvent) -> Reject {
    let cut = |s: &str| account::excerpt(s.as_bytes(), lines::EXCERPT);
    let started = cut(raw.started.as_ref().map_or("", Text::as_str));
    Reject {
        field: Some("started".into()),
        reason: Reason::BadTime,
        detail: format!(
            "{started:?} is later than `at` {:?}: a step cannot end before it starts",
            cut(&raw.at)
        ),
    }
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

#[path = "jsonl_flat.rs"]
mod flat;
