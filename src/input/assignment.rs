//! The resource-assignment syntax shared by every reader: `resource:units` items separated by
//! `;`, `resource` alone meaning 1 unit (the tasks.csv `resources` cell, a scenario's `assign`
//! in project.toml).

use crate::model::Assignment;

/// Parses one item, `ds:0.5` or `ds` (1 unit). Units must be a finite number > 0. The resource
/// id is not checked against the resources file here (validation does that).
pub fn parse_assignment(item: &str) -> Result<Assignment, String> {
    let item = item.trim();
    let (id, units) = match item.split_once(':') {
        Some((id, u)) => (id.trim(), u.trim()),
        None => (item, "1"),
    };
    if id.is_empty() {
        return Err(format!(
            "`{item}` names no resource; write `resource:units`, e.g. `ds:0.5`"
        ));
    }
    match units.parse::<f64>() {
        Ok(u) if u.is_finite() && u > 0.0 => Ok(Assignment {
            resource: id.to_string(),
            units: u,
        }),
        _ => Err(format!(
            "`{item}`: units must be a number > 0; write `resource:units`, e.g. `ds:0.5`"
        )),
    }
}

/// Parses a whole list, `gpu:2;ds:1`. Blank items are skipped, so an empty list (no resources)
/// is valid. Returns every bad item's message.
pub fn parse_assignments(list: &str) -> Result<Vec<Assignment>, Vec<String>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for item in list.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        match parse_assignment(item) {
            Ok(a) => out.push(a),
            Err(m) => errors.push(m),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(resource: &str, units: f64) -> Assignment {
        Assignment {
            resource: resource.into(),
            units,
        }
    }

    #[test]
    fn items_and_lists() {
        assert_eq!(parse_assignment("ds:0.5"), Ok(a("ds", 0.5)));
        assert_eq!(parse_assignment(" gpu "), Ok(a("gpu", 1.0)));
        assert_eq!(
            parse_assignments("gpu:2; ds:1;"),
            Ok(vec![a("gpu", 2.0), a("ds", 1.0)])
        );
        assert_eq!(parse_assignments(""), Ok(vec![]));
    }

    #[test]
    fn bad_items_are_all_reported() {
        let e = parse_assignments("ds:0;:2;ok;x:inf").unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].contains("units must be a number > 0"), "{}", e[0]);
        assert!(e[1].contains("names no resource"), "{}", e[1]);
        assert_eq!(
            e[2],
            "`x:inf`: units must be a number > 0; write `resource:units`, e.g. `ds:0.5`"
        );
    }
}
