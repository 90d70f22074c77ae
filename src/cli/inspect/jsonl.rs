//! JSON Lines as `inspect` reads them: each line's fields as they are, before any
//! mapping, cut into lines as `check` cuts them.

use super::*;

/// JSON Lines for `inspect`: each line's fields as they are, no mapping. Lines are cut
/// as `check` cuts them ([`lines::split`]): one whose content passes [`MAX_LINE`] is
/// rejected as `too_long` with its length and first [`EXCERPT`] bytes, and is never held
/// whole. Blank lines are no record; a record's `line` is its line in the file.
pub(super) fn jsonl(
    input: &mut dyn BufRead,
    v: &mut Inspector,
) -> Result<(), formats::FormatError> {
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    v.columns(&names, &std::array::from_fn(Some))
        .map_err(formats::FormatError::Unreadable)?;
    let (mut line, mut record) = (0u64, 0u64);
    let mut on = |chunk: Chunk<'_>| match chunk {
        Chunk::Lines(block) => {
            for raw in block.split_inclusive(|&b| b == b'\n') {
                line += 1;
                let content = lines::content(raw.strip_suffix(b"\n").unwrap_or(raw));
                if crate::log::jsonl::is_blank(content) {
                    continue;
                }
                record += 1;
                jsonl_line(
                    content,
                    Pos::Csv {
                        record,
                        line,
                        lines: 1,
                    },
                    v,
                );
            }
        }
        Chunk::TooLong { head, len } => {
            line += 1;
            record += 1;
            too_long(
                Pos::Csv {
                    record,
                    line,
                    lines: 1,
                },
                head,
                len,
                v,
            );
        }
    };
    lines::split(&mut { input }, JSONL_BLOCK, MAX_LINE, &mut on)?;
    Ok(())
}

/// One non-blank JSON Lines line (its content, without the line end).
fn jsonl_line(content: &[u8], pos: Pos, v: &mut Inspector) {
    if content.len() > MAX_LINE {
        return too_long(pos, content, content.len() as u64, v);
    }
    match serde_json::from_slice::<BTreeMap<String, serde_json::Value>>(content) {
        Ok(obj) => {
            let text: Vec<(&str, Cow<str>)> = obj
                .iter()
                .map(|(k, val)| {
                    let s = val
                        .as_str()
                        .map_or_else(|| val.to_string().into(), Cow::from);
                    (k.as_str(), s)
                })
                .collect();
            let mut f: Fields = [None; Field::COUNT];
            for field in Field::ALL {
                f[field as usize] = text
                    .iter()
                    .find(|(k, _)| *k == field.name())
                    .map(|(_, s)| s.as_ref());
            }
            let all: Vec<(&str, &str)> = text.iter().map(|(k, s)| (*k, s.as_ref())).collect();
            v.record(pos, &f, &all);
        }
        Err(e) => v.reject(pos, None, Reason::Syntax, format!("invalid JSON: {e}")),
    }
}

/// A line over [`MAX_LINE`]: rejected unread, as `check` rejects it.
#[cold]
fn too_long(pos: Pos, head: &[u8], len: u64, v: &mut Inspector) {
    let why = format!(
        "line is {len} bytes, longer than the {MAX_LINE}-byte limit; it starts {:?}",
        excerpt(head, EXCERPT)
    );
    v.reject(pos, None, Reason::TooLong, why);
}
