//! The expected resource profile: how many units of each resource are in use over time.

use crate::engine;

/// A bin counts as idle when finding where the work ends if every resource's expected use in
/// it is below this share of the largest peak: a thousandth is invisible on a chart, and the
/// long tail of the last iterations would otherwise stretch the time axis far past the work.
const IDLE_SHARE: f64 = 1e-3;

/// The expected units of each resource in use over time, in bins of equal width from the
/// project start.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceProfile {
    /// Width of a time bin, in working days (> 0).
    pub bin_days: f64,
    /// The resources used at all (some bin above 0), in file order.
    pub resources: Vec<ResourceLoad>,
    /// Working days from the start to the end of the last bin in which some resource's expected
    /// use is at least a thousandth of the largest peak (0 when no resource is in use).
    pub busy_until: f64,
    /// Working days from the start to the end of the last measured bin: the bins cover every
    /// iteration's work up to the engine's horizon; work after it is in
    /// [`ResourceLoad::beyond`].
    pub horizon: f64,
}

/// One resource's expected use over time.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceLoad {
    /// Resource id.
    pub id: String,
    /// Resource name (the id when the name is empty).
    pub name: String,
    /// Units available at once; `None` is unlimited.
    pub capacity: Option<f64>,
    /// Mean over iterations of the average units in use during each bin.
    pub units: Vec<f64>,
    /// The largest of `units`.
    pub peak: f64,
    /// Mean over iterations of the work (units × working days) after the horizon, in no bin:
    /// 0 unless some iteration outlasted it.
    pub beyond: f64,
}

impl ResourceProfile {
    /// The profile measured by the engine, with resource names looked up by id in `names`
    /// (`(id, name)` pairs; an id without a name shows as itself). Resources never in use
    /// (in no bin and not after the horizon) are left out.
    pub fn from_engine(profile: &engine::ResourceProfile, names: &[(&str, &str)]) -> Self {
        let name_of = |id: &str| {
            names
                .iter()
                .find(|(i, n)| *i == id && !n.is_empty())
                .map_or(id, |(_, n)| n)
                .to_string()
        };
        let resources: Vec<ResourceLoad> = profile
            .resources
            .iter()
            .zip(&profile.capacity)
            .zip(&profile.units)
            .zip(&profile.beyond)
            .filter(|(((_, _), units), &beyond)| beyond > 0.0 || units.iter().any(|&u| u > 0.0))
            .map(|(((id, &capacity), units), &beyond)| ResourceLoad {
                id: id.clone(),
                name: name_of(id),
                capacity,
                units: units.clone(),
                peak: units.iter().copied().fold(0.0, f64::max),
                beyond,
            })
            .collect();
        let idle = IDLE_SHARE * resources.iter().map(|r| r.peak).fold(0.0, f64::max);
        let last_busy_bin = resources
            .iter()
            .filter_map(|r| r.units.iter().rposition(|&u| u >= idle && u > 0.0))
            .max();
        ResourceProfile {
            bin_days: profile.bin_days,
            busy_until: last_busy_bin.map_or(0.0, |b| (b + 1) as f64 * profile.bin_days),
            horizon: profile.units.first().map_or(0, Vec::len) as f64 * profile.bin_days,
            resources,
        }
    }

    /// Mean over iterations of all resources' work after the horizon (units × working days),
    /// which no bin shows.
    pub fn beyond(&self) -> f64 {
        self.resources.iter().map(|r| r.beyond).sum()
    }

    /// The middle of bin `b`, in working days from the start.
    pub fn bin_centre(&self, b: usize) -> f64 {
        (b as f64 + 0.5) * self.bin_days
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_used_resources_with_names_peaks_and_the_busy_horizon() {
        let p = engine::ResourceProfile {
            bin_days: 2.0,
            resources: vec!["ds".into(), "gpu".into(), "idle".into()],
            capacity: vec![Some(1.0), None, Some(3.0)],
            units: vec![
                vec![0.2, 0.8, 1.0, 0.6, 0.0, 0.0],
                vec![0.0, 0.0, 2.0, 2.0, 0.5, 1.9e-3],
                vec![0.0; 6],
            ],
            beyond: vec![0.0, 0.75, 0.0],
        };
        let r = ResourceProfile::from_engine(&p, &[("ds", "Data scientist"), ("gpu", "")]);
        assert_eq!(r.resources.len(), 2);
        assert_eq!(
            r.resources[0],
            ResourceLoad {
                id: "ds".into(),
                name: "Data scientist".into(),
                capacity: Some(1.0),
                units: vec![0.2, 0.8, 1.0, 0.6, 0.0, 0.0],
                peak: 1.0,
                beyond: 0.0,
            }
        );
        assert_eq!(
            (
                r.resources[1].name.as_str(),
                r.resources[1].peak,
                r.resources[1].beyond
            ),
            ("gpu", 2.0, 0.75)
        );
        // Six bins of 2 days were measured; 0.75 unit-days lie after them.
        assert_eq!((r.horizon, r.beyond()), (12.0, 0.75));
        // The last bin with at least 2 / 1000 units is bin 4 (gpu 0.5; bin 5 holds 0.0019):
        // busy until 5 bins × 2 days.
        assert_eq!(r.busy_until, 10.0);
        assert_eq!(r.bin_centre(0), 1.0);
        assert_eq!(r.bin_centre(4), 9.0);
    }

    #[test]
    fn an_unused_profile_is_empty() {
        let p = engine::ResourceProfile {
            bin_days: 1.0,
            resources: vec!["a".into()],
            capacity: vec![None],
            units: vec![vec![0.0; 3]],
            beyond: vec![0.0],
        };
        let r = ResourceProfile::from_engine(&p, &[]);
        assert!(r.resources.is_empty());
        assert_eq!((r.busy_until, r.beyond()), (0.0, 0.0));
    }

    #[test]
    fn work_only_after_the_horizon_keeps_its_resource() {
        let p = engine::ResourceProfile {
            bin_days: 1.0,
            resources: vec!["late".into()],
            capacity: vec![None],
            units: vec![vec![0.0; 3]],
            beyond: vec![0.5],
        };
        let r = ResourceProfile::from_engine(&p, &[]);
        assert_eq!(r.resources.len(), 1);
        assert_eq!((r.busy_until, r.horizon, r.beyond()), (0.0, 3.0, 0.5));
    }
}
