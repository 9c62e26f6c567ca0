//! Roman numerals: strict parsing, so that only well-formed numerals are ever read
//! as numbers ("XIX" is 19, "IIII" and "MIX" in the wrong order are not numerals).

/// Parses a canonical Roman numeral (1 to 3999) written in capitals.
pub fn parse(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 15 {
        return None;
    }
    let mut total = 0u32;
    let mut prev = u32::MAX;
    for c in text.chars() {
        let v = value(c)?;
        if v > prev {
            // Subtractive pair: undo the previous addition and add the difference.
            total = total - prev + (v - prev);
        } else {
            total += v;
        }
        prev = v;
    }
    // Accept only the canonical spelling of the value, which rejects "IIII", "VX", "IC".
    (to_roman(total)? == text).then_some(total)
}

fn value(c: char) -> Option<u32> {
    Some(match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        'M' => 1000,
        _ => return None,
    })
}

/// Writes `n` (1 to 3999) as a canonical Roman numeral.
pub fn to_roman(mut n: u32) -> Option<String> {
    if n == 0 || n > 3999 {
        return None;
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for &(v, s) in &TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_canonical_numerals_only() {
        for (s, v) in [
            ("I", 1),
            ("IV", 4),
            ("IX", 9),
            ("XIV", 14),
            ("XIX", 19),
            ("XXI", 21),
            ("MCMLXXXIV", 1984),
        ] {
            assert_eq!(parse(s), Some(v), "{s}");
        }
        for s in ["IIII", "VX", "IC", "MIXX", "", "ABC", "iv", "XIXe"] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn round_trips() {
        for n in 1..=3999 {
            assert_eq!(parse(&to_roman(n).unwrap()), Some(n));
        }
    }
}
