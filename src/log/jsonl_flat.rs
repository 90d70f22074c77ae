//! The fast path for the shape nearly every event line has: one flat JSON object whose
//! values are strings without escapes (or `null`).
//!
//! serde_json spends about 250 ns on such a line, most of it in generic string scanning
//! and field dispatch; the SIMD parsers measured slower still on lines this short (see
//! `benches/json-parsers/`). This reader handles only that shape and says "not mine"
//! (`None`) for anything else: an escape, a control character, a number, a nested value,
//! a duplicate or missing field, bad syntax. The line then goes to serde_json, which
//! parses it or explains why it is rejected. So the fast path never decides a rejection
//! and never accepts what serde_json would refuse; `tests` check that on random lines.

use super::{RawEvent, Text};
use std::borrow::Cow;

/// Reads `text` as an event if it has the flat shape; `None` hands it to serde_json.
pub(super) fn parse(text: &str) -> Option<RawEvent<'_>> {
    let bytes = text.as_bytes();
    // One vectorised pass: inside a string a control character is invalid and a
    // backslash starts an escape; outside one, only whitespace may be a control
    // character. Lines with any of them take the slow path.
    if bytes
        .iter()
        .fold(false, |bad, &b| bad | (b < 0x20) | (b == b'\\'))
    {
        return None;
    }
    let mut p = Cursor { text, bytes, at: 0 };
    let mut fields = Fields::default();
    p.skip_spaces();
    p.eat(b'{')?;
    p.skip_spaces();
    if p.peek()? != b'}' {
        loop {
            let key = p.string()?;
            p.skip_spaces();
            p.eat(b':')?;
            p.skip_spaces();
            let value = p.value()?;
            fields.set(key, value)?;
            p.skip_spaces();
            match p.next()? {
                b',' => p.skip_spaces(),
                b'}' => break,
                _ => return None,
            }
        }
    } else {
        p.at += 1;
    }
    p.skip_spaces();
    if p.at != bytes.len() {
        return None;
    }
    fields.into_event()
}

/// A position in a line already known to hold no control character and no backslash.
struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn eat(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    /// Spaces only: the line has no other whitespace (tabs and line ends are control
    /// characters, which sent it to the slow path).
    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.at += 1;
        }
    }

    /// A string's content. No backslash is in the line, so the next quote closes it.
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        let len = find_quote(self.bytes.get(start..)?)?;
        self.at += len + 1;
        // Quotes are ASCII, so both ends are on char boundaries of the valid line.
        self.text.get(start..start + len)
    }

    /// A value: a string, or `null` (`Some(None)`); anything else is not the fast path.
    fn value(&mut self) -> Option<Option<&'a str>> {
        match self.peek()? {
            b'"' => self.string().map(Some),
            b'n' if self.bytes.get(self.at..self.at + 4) == Some(b"null") => {
                self.at += 4;
                Some(None)
            }
            _ => None,
        }
    }
}

/// The offset of the first `"` in `bytes`, eight bytes at a time.
///
/// Names are short (10 to 40 bytes): a `memchr` call costs more than it saves on them,
/// and a byte loop costs about five instructions a byte. This is the classic test for a
/// zero byte in a word (`(x - 0x01..) & !x & 0x80..`) applied to `x ^ 0x22..`: its lowest
/// set bit marks the first quote exactly (a false mark can only sit above a true one).
fn find_quote(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for word in words.by_ref() {
        let mut le = [0u8; 8];
        le.copy_from_slice(word);
        let x = u64::from_le_bytes(le) ^ QUOTES;
        let marks = x.wrapping_sub(ONES) & !x & HIGHS;
        if marks != 0 {
            return Some(offset + (marks.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    let tail = words.remainder().iter().position(|&b| b == b'"')?;
    Some(offset + tail)
}

/// The fields read so far: outer `None` not seen, inner `None` seen as `null`.
#[derive(Default)]
struct Fields<'a> {
    case: Option<Option<&'a str>>,
    service: Option<Option<&'a str>>,
    step: Option<Option<&'a str>>,
    at: Option<Option<&'a str>>,
    started: Option<Option<&'a str>>,
    channel: Option<Option<&'a str>>,
    variant: Option<Option<&'a str>>,
    ground: Option<Option<&'a str>>,
    provider: Option<Option<&'a str>>,
    actor: Option<Option<&'a str>>,
}

impl<'a> Fields<'a> {
    /// Records one field; a second sight of a known field is serde's error to give.
    fn set(&mut self, key: &str, value: Option<&'a str>) -> Option<()> {
        let slot = match key {
            "case" => &mut self.case,
            "service" => &mut self.service,
            "step" => &mut self.step,
            "at" => &mut self.at,
            "started" => &mut self.started,
            "channel" => &mut self.channel,
            "variant" => &mut self.variant,
            "ground" => &mut self.ground,
            "provider" => &mut self.provider,
            "actor" => &mut self.actor,
            // Unknown fields are ignored, as serde ignores them.
            _ => return Some(()),
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(value);
        Some(())
    }

    /// The event, if every required field is a string; a missing or `null` required
    /// field is serde's error to give.
    fn into_event(self) -> Option<RawEvent<'a>> {
        let required = |f: Option<Option<&'a str>>| f.flatten().map(Cow::Borrowed);
        let optional = |f: Option<Option<&'a str>>| f.flatten().map(|s| Text(Cow::Borrowed(s)));
        Some(RawEvent {
            case: required(self.case)?,
            service: required(self.service)?,
            step: required(self.step)?,
            at: required(self.at)?,
            started: optional(self.started),
            channel: optional(self.channel),
            variant: optional(self.variant),
            ground: optional(self.ground),
            provider: optional(self.provider),
            _actor: optional(self.actor),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn agrees(line: &str) -> Result<(), TestCaseError> {
        if let Some(fast) = parse(line) {
            let slow: Result<RawEvent, _> = serde_json::from_str(line);
            prop_assert!(
                slow.is_ok(),
                "fast path accepted what serde refuses: {line:?}"
            );
            prop_assert_eq!(fast.fields(), slow.unwrap().fields(), "{:?}", line);
        }
        Ok(())
    }

    #[test]
    fn the_usual_line_takes_the_fast_path() {
        let line = r#"{"case":"c-1","service":"s","step":"a","at":"2016-06-01T10:00:00+06:00","channel":"portal","ground":null,"extra":"x"}"#;
        let e = parse(line).expect("fast path");
        assert_eq!(e.case, "c-1");
        assert_eq!(e.channel.as_ref().map(Text::as_str), Some("portal"));
        assert!(e.ground.is_none());
        assert!(matches!(e.case, Cow::Borrowed(_)));
        assert!(parse(&format!("  {}  ", line.replace(',', " , "))).is_some());
    }

    #[test]
    fn anything_else_goes_to_serde() {
        for line in [
            r#"{"case":"c\"1","service":"s","step":"a","at":"t"}"#,
            "{\"case\":\"c\t\",\"service\":\"s\",\"step\":\"a\",\"at\":\"t\"}",
            r#"{"case":"c","case":"d","service":"s","step":"a","at":"t"}"#,
            r#"{"case":"c","service":"s","step":"a"}"#,
            r#"{"case":null,"service":"s","step":"a","at":"t"}"#,
            r#"{"case":1,"service":"s","step":"a","at":"t"}"#,
            r#"{"case":"c","service":"s","step":"a","at":"t","n":1}"#,
            r#"{"case":"c","service":"s","step":"a","at":"t",}"#,
            r#"{"case":"c","service":"s","step":"a","at":"t"} x"#,
            r#"["c","s","a","t"]"#,
            r#"{"case":"c","service":"s","step":"a","at":"t""#,
            r#"{"case":"c""service":"s","step":"a","at":"t"}"#,
            "{}",
        ] {
            assert!(parse(line).is_none(), "{line}");
        }
    }

    proptest! {
        #[test]
        fn find_quote_finds_the_first_quote(bytes in proptest::collection::vec(
            prop_oneof![Just(b'"'), any::<u8>()], 0..40)) {
            prop_assert_eq!(find_quote(&bytes), bytes.iter().position(|&b| b == b'"'));
        }

        /// On lines built from the pieces of event lines, shuffled and damaged, whatever
        /// the fast path accepts serde_json accepts with the same fields.
        #[test]
        fn never_disagrees_with_serde(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("{".to_string()), Just("}".to_string()), Just(",".to_string()),
                    Just(":".to_string()), Just(" ".to_string()), Just("null".to_string()),
                    Just("\"case\"".to_string()), Just("\"service\"".to_string()),
                    Just("\"step\"".to_string()), Just("\"at\"".to_string()),
                    Just("\"ground\"".to_string()), Just("\"x\"".to_string()),
                    "\"[a-zа-я0-9 \\-:+]{0,6}\"", Just("\"".to_string()), Just("1".to_string()),
                    Just("[".to_string()), Just("]".to_string()), Just("\\".to_string()),
                ],
                0..40,
            ),
            valid in any::<bool>(),
        ) {
            let line = if valid {
                // A well-formed object of these keys and values, fields in any order.
                let pairs: Vec<String> = parts.chunks(2).filter_map(|kv| match kv {
                    [k, v] if k.starts_with('"') && k.len() > 1 => Some(format!("{k}:{v}")),
                    _ => None,
                }).collect();
                format!(r#"{{"case":"c","service":"s","step":"a","at":"t",{}}}"#, pairs.join(","))
            } else {
                parts.concat()
            };
            agrees(&line)?;
        }
    }
}
