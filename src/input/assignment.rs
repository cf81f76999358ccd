//! The resource-assignment syntax shared by every reader: `resource:units` items separated by
//! `;`, `resource` alone meaning 1 unit (the tasks.csv `resources` cell, a scenario's `assign`
//! in project.toml).

use crate::model::Assignment;

/// Parses one item, `ds:0.5` or `ds` (1 unit). Units must be a number > 0 and at most
/// [`crate::model::bounds::MAX_INPUT`]. The resource
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
        Ok(u) if u > crate::model::bounds::MAX_INPUT && u.is_finite() => Err(format!(
            "`{item}`: {u:e} units is more than the {:e} p80 accepts",
            crate::model::bounds::MAX_INPUT
        )),
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
        Ok(merge_repeated(out))
    } else {
        Err(errors)
    }
}

/// One assignment per resource: a resource named twice (`dev:0.6;dev:0.6`) demands the sum of
/// its units (`dev:1.2`), in the place it was first named. Costs and effort-driven durations
/// are linear in the units, so only the capacity check and levelling see a difference: they
/// see the real demand.
pub fn merge_repeated(items: Vec<Assignment>) -> Vec<Assignment> {
    let mut out: Vec<Assignment> = Vec::with_capacity(items.len());
    // A linear scan for the usual handful of items, an index for long lists.
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let long = items.len() > 16;
    for a in items {
        let at = if long {
            index.get(&a.resource).copied()
        } else {
            out.iter().position(|b| b.resource == a.resource)
        };
        match at {
            Some(k) => out[k].units += a.units,
            None => {
                if long {
                    index.insert(a.resource.clone(), out.len());
                }
                out.push(a);
            }
        }
    }
    out
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
    fn repeated_resources_are_summed_in_first_place() {
        assert_eq!(
            parse_assignments("dev:0.6;qa;dev:0.6"),
            Ok(vec![a("dev", 1.2), a("qa", 1.0)])
        );
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
