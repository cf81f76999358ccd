//! Numbers, money, percents and labels as people read them, shared by the console text and the
//! charts (and any future human-readable artefact), so a value reads the same everywhere.

/// Formats `x` with `,` thousands separators and `decimals` decimals: 1234567.849 with 1 →
/// "1,234,567.8". A value that rounds to zero is shown without a sign ("0.0", not "-0.0").
pub fn thousands(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let s = format!("{:.*}", decimals, x.abs());
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
