//! XES attributes: one element read as a `(key, value)` pair, and the keys the check
//! reads resolved among a trace's or an event's attributes in one pass.

use super::{Attr, Field, LIFECYCLE, Trace};
use quick_xml::events::BytesStart;

/// `(key, value)` of an XES attribute element (`<string key=".." value=".."/>`, `date`,
/// `int`, `float`, `boolean`, `id`); `None` for any other element (lists, containers,
/// extensions); an error for a key or value that cannot be read.
pub(super) fn attribute(
    e: &BytesStart,
    text: &mut String,
) -> Option<Result<Attr, (Option<String>, String)>> {
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
        // Only the XES `key` and `value` themselves: a namespaced `evil:value` is another
        // attribute, as process-mining tools read it, and never overrides them.
        let slot = match a.key.as_ref() {
            "key" => &mut key,
            "value" => &mut value,
            _ => continue,
        };
        match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
            Ok(s) => {
                let start = text.len();
                text.push_str(&s);
                *slot = Some((start, text.len()));
            }
            Err(err) => {
                let k = key.and_then(|(s, e)| text.get(s..e)).map(str::to_string);
                return Some(Err((k, format!("attribute value cannot be read: {err}"))));
            }
        }
    }
    match (key, value) {
        (Some(k), Some(v)) => Some(Ok((k, v))),
        (k, _) => {
            let k = k.and_then(|(s, e)| text.get(s..e)).map(str::to_string);
            Some(Err((k, "attribute element without key or value".into())))
        }
    }
}

/// The lookups of a record: the key of each [`Field`], then [`LIFECYCLE`].
pub(super) const SLOTS: usize = Field::COUNT + 1;
pub(super) const LIFECYCLE_SLOT: usize = Field::COUNT;

/// Values looked up once per record, by slot.
pub(super) type Values<'t> = [Option<&'t str>; SLOTS];

/// The value of each key the check reads (`keys`, then [`LIFECYCLE`]) among `attrs`, in
/// one pass (a trace's are resolved once for all its events: looking each up per event
/// made a trace of 20k attributes and 20k events quadratic). A key the check reads given
/// twice is an error naming it: which value is meant cannot be told, as with a
/// duplicate key in JSON Lines.
pub(super) fn resolve<'t>(
    trace: &'t Trace,
    attrs: &[Attr],
    keys: &[&str; Field::COUNT],
) -> Result<Values<'t>, String> {
    let mut found: Values<'t> = [None; SLOTS];
    for (k, val) in attrs {
        let key = trace.str(*k);
        let wanted = keys.iter().copied().chain([LIFECYCLE]);
        for (slot, want) in found.iter_mut().zip(wanted) {
            if key != want {
                continue;
            }
            if slot.is_some() {
                return Err(want.to_string());
            }
            *slot = Some(trace.str(*val));
        }
    }
    Ok(found)
}

#[cold]
pub(super) fn given_twice(key: &str) -> String {
    format!("key {key:?} is given twice: which value is meant cannot be told")
}
