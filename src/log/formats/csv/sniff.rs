//! Which delimiter a CSV export uses, read from its first line (Russian and Kazakh
//! Excel write `;`, others `,`; tab and `|` are seen too).

/// The delimiter the first line uses most, outside quotes: `;`, `,`, tab or `|`
/// (`,` when none appears).
pub(super) fn sniff(head: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..candidates.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn the_delimiter_is_the_one_the_header_uses_most_outside_quotes() {
        assert_eq!(sniff(b"case;step;at\n1,2"), b';');
        assert_eq!(sniff(b"\"a;b;c\",d,e\n"), b',');
        assert_eq!(sniff(b"a\tb\tc"), b'\t');
        assert_eq!(sniff(b"abc"), b',');
    }
}
