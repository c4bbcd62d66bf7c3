//! Numbers as the page shows them.

/// The significant digits the page offers: `n` kept within 2 to 10.
pub fn shown_digits(n: u32) -> usize {
    n.clamp(2, 10) as usize
}

/// An axis tick at `x` on an axis spanning `span`: 0 where the tick's
/// arithmetic left a rounding residue (−2.2e-16 for 0), else `sig(x, digits)`.
pub fn tick(x: f64, span: f64, digits: usize) -> String {
    sig(if x.abs() <= 1e-9 * span.abs() { 0.0 } else { x }, digits)
}

/// `x` rounded to `digits` significant digits, without trailing zeros, in
/// plain notation for 1e-4 ≤ |x| < 1e6 and in scientific notation otherwise.
pub fn sig(x: f64, digits: usize) -> String {
    let digits = digits.clamp(1, 17);
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "∞".into()
        } else {
            "-∞".into()
        };
    }
    if x == 0.0 {
        return "0".into();
    }
    let magnitude = x.abs();
    if (1e-4..1e6).contains(&magnitude) {
        let exponent = magnitude.log10().floor() as i32;
        let decimals = (digits as i32 - 1 - exponent).max(0) as usize;
        trim_zeros(format!("{x:.decimals$}"))
    } else {
        let s = format!("{x:.prec$e}", prec = digits - 1);
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        format!("{}e{exponent}", trim_zeros(mantissa.to_string()))
    }
}

/// A constant as the user typed it (0.999, not "1" at 2 digits): the
/// shortest decimal that reads back as `x`, in scientific notation outside
/// 1e-4 … 1e6. A number of more than 10 significant digits was not typed (a
/// slider's 10^-1.5, say): it is rounded to `digits`.
pub fn constant(x: f64, digits: usize) -> String {
    if sig(x, 10).parse::<f64>() != Ok(x) {
        sig(x, digits)
    } else if x == 0.0 || (1e-4..1e6).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// A number the user typed, for a message that quotes it: as [`constant`]
/// writes it at the most digits the page offers ("1e300", not 301 digits).
pub fn typed(x: f64) -> String {
    constant(x, 10)
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The fewest significant digits, from `min` up to 10, at which neighbouring
/// `ticks` read differently ("30.79, 30.8, 30.81", not "30.8" three times);
/// `min` when no number of digits tells them apart.
pub fn distinct_digits(ticks: &[f64], min: usize) -> usize {
    (min..=10).find(|&d| ticks.windows(2).all(|w| w[0] == w[1] || sig(w[0], d) != sig(w[1], d))).unwrap_or(min)
}

/// `x` as a factor in a written product: bracketed when negative, "0.3·(-0.5)".
pub fn factor(x: f64, digits: usize) -> String {
    if x < 0.0 {
        format!("({})", sig(x, digits))
    } else {
        sig(x, digits)
    }
}

/// A share as the page writes it, to a tenth of a percent: 0.9 is "90.0%".
pub fn percent(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

/// A pair as "(a, b)".
pub fn pair(p: [f64; 2], digits: usize) -> String {
    format!("({}, {})", sig(p[0], digits), sig(p[1], digits))
}

/// `n` with subscript digits: 12 → "₁₂".
pub fn subscript(n: usize) -> String {
    n.to_string().chars().map(|c| char::from_u32('₀' as u32 + c.to_digit(10).unwrap_or(0)).unwrap_or('?')).collect()
}

/// `n` with superscript digits: 12 → "¹²".
pub fn superscript(n: usize) -> String {
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string().chars().map(|c| SUP[c.to_digit(10).unwrap_or(0) as usize]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infinities_keep_their_sign_and_zero_is_no_negative_factor() {
        assert_eq!((sig(f64::INFINITY, 6), sig(f64::NEG_INFINITY, 6), sig(f64::NAN, 6)), ("∞".into(), "-∞".into(), "NaN".into()));
        assert_eq!((factor(0.0, 3), factor(-0.5, 3), factor(2.0, 3)), ("0".into(), "(-0.5)".into(), "2".into()));
    }

    #[test]
    fn tick_labels_get_the_digits_that_tell_them_apart() {
        assert_eq!(distinct_digits(&[30.79, 30.8, 30.81], 3), 4);
        assert_eq!(distinct_digits(&[0.0, 0.5, 1.0], 3), 3);
        assert_eq!(distinct_digits(&[0.125, 0.1250001, 0.1250002], 2), 7);
        assert_eq!(distinct_digits(&[2.0, 2.0], 3), 3, "equal ticks need nothing more");
        assert_eq!(distinct_digits(&[1.0, 1.0 + 1e-13], 3), 3, "no digits tell them apart");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(sig(0.713395221781966, 6), "0.713395");
        assert_eq!(sig(-3.5501084, 4), "-3.55");
        assert_eq!(sig(12345.678, 6), "12345.7");
        assert_eq!(sig(9.9999996, 6), "10");
        assert_eq!(sig(0.5, 6), "0.5");
        assert_eq!(sig(1.5e-7, 3), "1.5e-7");
        assert_eq!(sig(-2.345678e12, 3), "-2.35e12");
        assert_eq!(sig(0.0, 6), "0");
        assert_eq!(sig(f64::NAN, 6), "NaN");
        assert_eq!(pair([1.0, -0.25], 6), "(1, -0.25)");
        assert_eq!(subscript(103), "₁₀₃");
        assert_eq!(superscript(42), "⁴²");
    }

    #[test]
    fn ticks_drop_rounding_residue_at_zero_only() {
        assert_eq!(tick(-2.220446049250313e-16, 2.2, 2), "0");
        assert_eq!(tick(0.2, 2.2, 2), "0.2");
        assert_eq!(tick(1e-12, 1e-9, 3), "1e-12");
    }
}
