//! Numbers, money, percents and labels as people read them, shared by the console text and the
//! charts (and any future human-readable artefact), so a value reads the same everywhere.

/// Formats `x` with `,` thousands separators and `decimals` decimals: 1234567.849 with 1 →
/// "1,234,567.8". A value that rounds to zero is shown without a sign ("0.0", not "-0.0").
pub fn thousands(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let s = fixed(x.abs(), decimals);
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    if x < 0.0 && s.bytes().any(|b| matches!(b, b'1'..=b'9')) {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// `format!("{:.*}", decimals, x)` for `x >= 0`, the same bytes, with a fast path: the float
/// formatter's exact mode falls back to a slow big-number algorithm for many everyday values
/// (`p80 check` of 10,000 tasks spent a third of its time there). When `x · 10^decimals` is
/// below 2^53 and not within rounding error of a tie, its nearest integer is the correctly
/// rounded result, and the digits are that integer's; otherwise the formatter decides.
fn fixed(x: f64, decimals: usize) -> String {
    const POW10: [f64; 4] = [1.0, 10.0, 100.0, 1000.0];
    const LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
    if let Some(&scale) = POW10.get(decimals) {
        let y = x * scale;
        // The product's rounding error, exactly (scale is exact): x · scale = y + err.
        let err = x.mul_add(scale, -y);
        if (0.0..LIMIT).contains(&y) {
            let n = y.round();
            // y - n is exact (n is y's nearest integer, both below 2^53).
            let off = (y - n).abs();
            // The exact value is off + |err| or less from n: n is its rounding unless that
            // reaches a tie (then, and for exact ties, the formatter's own rule decides).
            if 0.5 - off > 2.0 * err.abs() {
                let n = n as u64;
                if decimals == 0 {
                    return n.to_string();
                }
                let unit = scale as u64;
                let mut out = (n / unit).to_string();
                out.push('.');
                let frac = (n % unit).to_string();
                out.extend(std::iter::repeat_n('0', decimals - frac.len()));
                out.push_str(&frac);
                return out;
            }
        }
    }
    format!("{:.*}", decimals, x)
}

/// An amount of money in whole units, with the currency in front when there is one:
/// "USD 12,500" or "12,500".
pub fn money(currency: &str, x: f64) -> String {
    if currency.is_empty() {
        thousands(x, 0)
    } else {
        format!("{currency} {}", thousands(x, 0))
    }
}

/// A probability (0–1) as a whole percent that never rounds a possibility to 0% or a risk to
/// 100%: "<1%" below 0.5%, ">99%" above 99.5% (but below 1).
pub fn percent(p: f64) -> String {
    if p > 0.0 && p < 0.005 {
        "<1%".into()
    } else if p < 1.0 && p > 0.995 {
        ">99%".into()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// The label of a confidence level: "P80" for 0.8, "P97.5" for 0.975 (a whole percent, or
/// one decimal when needed).
pub fn confidence_label(c: f64) -> String {
    let pct = c * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("P{}", pct.round())
    } else {
        format!("P{}", (pct * 10.0).round() / 10.0)
    }
}

/// `name` cut to at most `max` characters, the last one an ellipsis when it was cut.
pub fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// "" for one, "s" for any other count.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A health check's threshold as a number: "0" (a count) or "5%" (a share of the items
/// checked), the same in `health.csv` and on the console.
pub fn health_threshold(limit: crate::stats::health::Limit) -> String {
    match limit {
        crate::stats::health::Limit::Count(n) => n.to_string(),
        crate::stats::health::Limit::Share(f) => format!("{}%", (f * 100.0).round()),
    }
}

/// A health check's status: "ok" within its threshold, "warning" beyond it.
pub fn health_status(check: &crate::stats::health::Check) -> &'static str {
    if check.passed() {
        "ok"
    } else {
        "warning"
    }
}

/// A sprint length as written: "10", "7.5", "0.01".
pub fn sprint_days(length: f64) -> String {
    if length.fract() == 0.0 {
        thousands(length, 0)
    } else {
        format!("{length}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixed_is_the_formatters_exact_mode() {
        // Integers, tenths, hundredths and thousandths (the values plans hold), exact ties,
        // and noise over many magnitudes (xorshift, so no random crate).
        let mut values: Vec<f64> = Vec::new();
        for k in 0..20_000u32 {
            let k = f64::from(k);
            values.extend([
                k,
                k / 10.0,
                k / 100.0,
                k / 1000.0,
                k + 0.5,
                k / 8.0,
                k * 0.05,
            ]);
        }
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64;
            let exp = (state % 40) as i32 - 12;
            values.push(mantissa * 10f64.powi(exp));
        }
        values.extend([
            0.0,
            0.05,
            0.15,
            0.25,
            0.35,
            2.675,
            1.005,
            9_007_199_254_740_991.0,
        ]);
        values.extend([
            4_503_599_627_370_495.5,
            1e16,
            1e300,
            f64::MIN_POSITIVE,
            5e-324,
        ]);
        for &x in &values {
            for d in 0..5 {
                assert_eq!(
                    fixed(x, d),
                    format!("{:.*}", d, x),
                    "{x:e} with {d} decimals"
                );
            }
        }
    }

    use super::*;

    #[test]
    fn thousands_separators_and_signs() {
        assert_eq!(thousands(1234567.849, 1), "1,234,567.8");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(1000.0, 0), "1,000");
        assert_eq!(thousands(-1500.0, 0), "-1,500");
        assert_eq!(thousands(-0.01, 1), "0.0");
        assert_eq!(thousands(-0.001, 2), "0.00");
        assert_eq!(thousands(f64::NAN, 1), "NaN");
    }

    #[test]
    fn money_percent_labels() {
        assert_eq!(money("USD", 12_499.6), "USD 12,500");
        assert_eq!(money("", 12_499.6), "12,500");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.004), "<1%");
        assert_eq!(percent(0.007), "1%");
        assert_eq!(percent(0.123), "12%");
        assert_eq!(percent(0.996), ">99%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(confidence_label(0.8), "P80");
        assert_eq!(confidence_label(0.975), "P97.5");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abcd", 4), "abcd");
        assert_eq!((plural(1), plural(0), plural(2)), ("", "s", "s"));
    }
}
