//! The resource cost of a task's durations, and the pay of team-billed resources, per lane.

use super::plan::CompiledPlan;

/// Adds position `pos`'s resource cost over its durations `d` (one per lane) to `cost`.
/// Sampled runs use the iteration's uncertain rates (`rate_lanes`, `lanes` per rate); the
/// deterministic pass uses the most likely rates. A task that uses no paid resource costs one
/// branch, outside the lane loop.
#[inline(always)]
pub(crate) fn book_cost(
    plan: &CompiledPlan,
    sampled: bool,
    rate_lanes: &[f64],
    lanes: usize,
    pos: usize,
    d: &[f64],
    cost: &mut [f64],
) {
    let costs = plan.costs();
    let k = if sampled {
        costs.per_day_certain(pos)
    } else {
        costs.per_day(pos)
    };
    if k != 0.0 {
        for (c, &x) in cost.iter_mut().zip(d) {
            *c += k * x;
        }
    }
    if sampled {
        let uses = costs.rate_uses_of(pos);
        if !uses.is_empty() {
            uncertain_rate_cost(uses, rate_lanes, lanes, d, cost);
        }
    }
}

/// Adds the cost of uncertain-rate `uses` over durations `d`.
#[inline(always)]
fn uncertain_rate_cost(
    uses: &[(u32, f64)],
    rate_lanes: &[f64],
    lanes: usize,
    d: &[f64],
    cost: &mut [f64],
) {
    for &(k, units) in uses {
        let r = &rate_lanes[k as usize * lanes..][..d.len()];
        for ((c, &x), &rate) in cost.iter_mut().zip(d).zip(r) {
            *c += units * rate * x;
        }
    }
}

/// Adds the pay of every team-billed resource to `cost`, one value per lane whose project
/// finishes at `end`: capacity × daily rate × working days in its pay window. Sampled runs use
/// the iteration's rate when it is uncertain (`rate_lanes`, `lanes` per rate), the
/// deterministic pass the most likely rate. Nothing when no resource is billed as a team.
pub(crate) fn book_team(
    plan: &CompiledPlan,
    sampled: bool,
    rate_lanes: &[f64],
    lanes: usize,
    end: &[f64],
    cost: &mut [f64],
) {
    for pay in plan.costs().team() {
        match pay.rate.filter(|_| sampled) {
            Some(k) => {
                let r = &rate_lanes[k as usize * lanes..][..end.len()];
                for ((c, &e), &rate) in cost.iter_mut().zip(end).zip(r) {
                    *c += pay.capacity * rate * pay.days(e);
                }
            }
            None => {
                let k = pay.capacity * pay.daily_rate;
                for (c, &e) in cost.iter_mut().zip(end) {
                    *c += k * pay.days(e);
                }
            }
        }
    }
}

/// Position `pos`'s own cost in each lane, into `out`: its resource cost over its durations `d`
/// and, in sampled runs, its drawn three-point cost (`range_lanes`, `lanes` per cost). A fixed
/// certain cost is left out: it is the same in every lane.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn task_cost(
    plan: &CompiledPlan,
    sampled: bool,
    rate_lanes: &[f64],
    range_lanes: &[f64],
    lanes: usize,
    pos: usize,
    d: &[f64],
    out: &mut [f64],
) {
    out.fill(0.0);
    book_cost(plan, sampled, rate_lanes, lanes, pos, d, out);
    if sampled {
        if let Some(k) = plan.costs().range_of(pos) {
            for (c, &x) in out.iter_mut().zip(&range_lanes[k * lanes..]) {
                *c += x;
            }
        }
    }
}
