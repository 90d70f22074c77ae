//! The page on paper (issue 19): an act of inspection is printed to A4 and signed, so
//! the printed report must carry every fact the screen shows.
//!
//! - `@page`: A4 with margins, the report's title and the provider(s) at the top of each
//!   page, "page N / M" at the bottom (page-margin boxes; the print command turns the
//!   browser's own header, with its `file://` path, off).
//! - The violations table becomes one block per violation, each cell on its own line
//!   under its column's name, so nothing is cut at the page's right edge.
//! - Filters are hidden; every collapsible timeline and histogram is printed open.
//!
//! The style is generated per report because the labels are in the report's language
//! and the providers come from the log. Everything put into a CSS string goes through
//! [`css_string`], which escapes every character that is not a letter, digit or space:
//! a log cannot close the string, the rule or the `<style>` element.

use super::Labels;
use super::Report;
use std::fmt::Write as _;

/// At most this many characters of the providers' names go into the page header.
const HEADER_PROVIDERS: usize = 120;

/// The print style sheet of `report` in the language of `l`.
pub fn style(report: &Report, l: &Labels) -> String {
    let mut providers: Vec<&str> = (report.summary.violations_by_provider.keys())
        .map(String::as_str)
        .collect();
    providers.dedup();
    let mut who: String = providers
        .join("; ")
        .chars()
        .take(HEADER_PROVIDERS)
        .collect();
    if who.chars().count() == HEADER_PROVIDERS {
        who.push('…');
    }
    let header = if who.is_empty() {
        l.title.to_string()
    } else {
        format!("{} — {who}", l.title)
    };
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        "@page{{size:A4;margin:18mm 12mm 16mm 12mm;\
@top-left{{content:{};font:8pt system-ui,Arial,sans-serif;color:#5a6675}}\
@bottom-right{{content:counter(page) \" / \" counter(pages);font:8pt system-ui,Arial,sans-serif;color:#5a6675}}}}\
@media print{{body{{background:#fff;font-size:10pt}}main{{max-width:none;padding:0}}\
.filters{{display:none}}.scroll{{overflow:visible}}h2,h3{{break-after:avoid}}\
#vt{{width:100%}}#vt thead{{display:none}}#vt,#vt tbody{{display:block}}\
#vt tr{{display:block!important;border:1px solid #c9d0d9;margin:0 0 5px;padding:3px 6px;break-inside:avoid}}\
#vt td{{display:block;border:none;padding:0;max-width:none;width:auto}}#vt td:empty{{display:none}}\
#vt td::before{{font-weight:600;color:#5a6675}}#vt td.msg{{width:auto;color:#1d2733}}\
details{{break-inside:avoid}}details::details-content{{content-visibility:visible;display:block}}\
summary{{list-style:none}}.grid>div{{break-inside:avoid}}}}",
        css_string(&header)
    );
    let columns = super::columns(l);
    s.push_str("@media print{");
    for (i, c) in columns.iter().enumerate() {
        let _ = write!(
            s,
            "#vt td:nth-child({})::before{{content:{}}}",
            i + 1,
            css_string(&format!("{c}: "))
        );
    }
    s.push('}');
    s
}

/// `text` as a quoted CSS string: letters (of any script), digits and spaces as they
/// are, every other character as a CSS hex escape ended by the one space CSS reads as
/// its terminator (so a real space after it stays a space).
pub fn css_string(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        if c == ' ' || (c.is_alphanumeric() && !c.is_control()) {
            s.push(c);
        } else {
            let _ = write!(s, "\\{:X} ", u32::from(c));
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn a_css_string_cannot_be_closed_from_a_log() {
        let s = css_string("a\"}</style><script>x\u{202e}\n;");
        assert!(s.starts_with('"') && s.ends_with('"'));
        let inner = &s[1..s.len() - 1];
        assert!(
            !inner.contains(['"', '<', '>', '}', '\n', '\u{202e}', ';']),
            "{s}"
        );
        assert_eq!(css_string("Дело 1: x"), "\"Дело 1\\3A  x\"");
    }
}
