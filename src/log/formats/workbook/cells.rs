//! One workbook cell as text for the visitor: by its type (a date cell as a local date
//! and time, or a day alone), or why it is no value of ours (an error, a duration).

use calamine::{Data, DataRef, ExcelDateTime};
use std::fmt::Write as _;

/// A cell's value from either calamine type.
pub(super) enum Value<'c> {
    Text(&'c str),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(ExcelDateTime),
    Iso(&'c str),
    Duration(&'c str),
    Error(String),
}

impl<'c> Value<'c> {
    pub(super) fn of_data(d: &'c Data) -> Option<Value<'c>> {
        Some(match d {
            Data::Empty => return None,
            Data::String(s) => Value::Text(s),
            Data::Int(i) => Value::Int(*i),
            Data::Float(f) => Value::Float(*f),
            Data::Bool(b) => Value::Bool(*b),
            Data::DateTime(t) => Value::Date(*t),
            Data::DateTimeIso(s) => Value::Iso(s),
            Data::DurationIso(s) => Value::Duration(s),
            Data::Error(e) => Value::Error(e.to_string()),
        })
    }

    pub(super) fn of_ref(d: &'c DataRef<'_>) -> Option<Value<'c>> {
        Some(match d {
            DataRef::Empty => return None,
            DataRef::String(s) => Value::Text(s),
            DataRef::SharedString(s) => Value::Text(s),
            DataRef::Int(i) => Value::Int(*i),
            DataRef::Float(f) => Value::Float(*f),
            DataRef::Bool(b) => Value::Bool(*b),
            DataRef::DateTime(t) => Value::Date(*t),
            DataRef::DateTimeIso(s) => Value::Iso(s),
            DataRef::DurationIso(s) => Value::Duration(s),
            DataRef::Error(e) => Value::Error(e.to_string()),
        })
    }

    /// Writes the value's text into `out`; `Err` says why it is no value of ours.
    pub(super) fn write(self, out: &mut String) -> Result<(), String> {
        out.clear();
        match self {
            Value::Text(s) | Value::Iso(s) => out.push_str(s),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            // A whole number (a case number typed as a number) is written without `.0`.
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                let _ = write!(out, "{}", f as i64);
            }
            Value::Float(f) => {
                let _ = write!(out, "{f}");
            }
            Value::Bool(b) => out.push_str(if b { "TRUE" } else { "FALSE" }),
            Value::Date(t) if t.is_duration() => {
                let _ = write!(out, "{}", t.as_f64());
                return Err("the cell is a duration, not a date".to_string());
            }
            Value::Date(t) => return date_text(t, out),
            Value::Duration(s) => {
                out.push_str(s);
                return Err("the cell is a duration, not a date".to_string());
            }
            Value::Error(e) => {
                out.push_str(&e);
                return Err(format!("the cell holds the error {e}"));
            }
        }
        Ok(())
    }
}

/// A date cell as local ISO text: `2016-06-01T10:30:00` (milliseconds when there are
/// some), or `2016-06-01` when it has no time of day. Dates before 1 March 1900 (where
/// Excel's serial numbers count a 29 February that never was) and times without a date
/// are refused.
fn date_text(t: ExcelDateTime, out: &mut String) -> Result<(), String> {
    let v = t.as_f64();
    if !(0.0..2_958_466.0).contains(&v) {
        let _ = write!(out, "{v}");
        return Err(format!(
            "the date cell's serial number {v} is outside 1900..9999"
        ));
    }
    let (y, mo, d, h, mi, s, ms) = t.to_ymd_hms_milli();
    if y < 1900 || (y == 1900 && mo <= 2) {
        let _ = write!(out, "{v}");
        return Err(
            "the date cell holds a time of day without a date, or a date before 1900-03-01"
                .to_string(),
        );
    }
    let _ = write!(out, "{y:04}-{mo:02}-{d:02}");
    if (h, mi, s, ms) != (0, 0, 0, 0) {
        let _ = write!(out, "T{h:02}:{mi:02}:{s:02}");
        if ms != 0 {
            let _ = write!(out, ".{ms:03}");
        }
    }
    Ok(())
}

/// Spreadsheet column letters of a 0-based column (`0` -> `A`, `27` -> `AB`).
pub fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut rev = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        rev.push(char::from(b'A' + r));
        n = (n - 1) / 26;
    }
    rev.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_count_as_spreadsheets_do() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(16_383), "XFD");
    }

    #[test]
    fn date_cells_are_local_times_or_days() {
        let text = |v: f64| {
            let mut s = String::new();
            let t = ExcelDateTime::new(v, calamine::ExcelDateTimeType::DateTime, false);
            date_text(t, &mut s).map(|()| s)
        };
        assert_eq!(text(42522.4375).unwrap(), "2016-06-01T10:30:00");
        assert_eq!(text(42522.0).unwrap(), "2016-06-01");
        assert!(text(0.4375).is_err(), "a time without a date");
        assert!(text(-1.0).is_err());
        assert!(text(f64::NAN).is_err());
        assert!(text(1e300).is_err());
    }

    #[test]
    fn error_and_duration_cells_say_why_they_are_no_value() {
        let mut s = String::new();
        let e = Value::Error("#N/A".into()).write(&mut s).unwrap_err();
        assert_eq!(
            (s.as_str(), e.as_str()),
            ("#N/A", "the cell holds the error #N/A")
        );
        let e = Value::Duration("PT1H").write(&mut s).unwrap_err();
        assert_eq!(e, "the cell is a duration, not a date");
        Value::Float(12345.0).write(&mut s).unwrap();
        assert_eq!(s, "12345");
        Value::Float(42587.625).write(&mut s).unwrap();
        assert_eq!(s, "42587.625");
    }
}
