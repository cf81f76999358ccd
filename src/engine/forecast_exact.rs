//! The exact distribution of the periods a "when" forecast needs, computed by convolution:
//! what a task whose duration comes from a forecast samples (so the simulation's draws are
//! exact, with no second Monte Carlo layer), and an independent check of the bootstrap.
//!
//! With T the throughput of a period (each resampled period with probability 1/n), S_k the
//! items done in k periods and I the items an iteration must finish (independent of the
//! throughputs), the periods needed are N = min{k : S_k ≥ I}, so
//!
//! P(N ≤ k) = Σ_b P(I = b) · P(S_k ≥ b).
//!
//! P(S_k = s) for s below the largest I follows from one convolution per period;
//! P(I ≤ b) = P(x · s < b + 1/2) integrates the backlog's quantile function Q against the split
//! rate's uniform law: with v the split uniform, for each u the condition holds for
//! v < ((b + 1/2)/Q(u) − low)/span, so P(I ≤ b) = ∫₀¹ clamp(((b + 1/2)/Q(u) − low)/span, 0, 1) du,
//! which is 1 up to u₁ = P(Q < (b + 1/2)/high), 0 from u₂ = P(Q < (b + 1/2)/low), and smooth
//! between (Gauss–Legendre there); with a fixed split the integral is u₁ = u₂ itself. The
//! points u₁, u₂ are found by bisection on the very sampler the bootstrap uses.
//!
//! The distribution is cut where the probability left is below [`TAIL`]; probability beyond
//! [`MAX_PERIODS`] periods is put at `MAX_PERIODS` and reported.

use super::forecast::{CompiledForecast, Goal, Items};
use super::sampler::Sampler;
use crate::model::forecast::MAX_PERIODS;

/// The distribution is cut when less than this probability is left.
pub const TAIL: f64 = 1e-14;

/// The largest uniform [`super::rng::uniform`] draws.
const TOP_U: f64 = 1.0 - f64::EPSILON / 2.0;

/// The periods a forecast needs: `probabilities[j]` is P(N = first + j).
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodsDistribution {
    /// The fewest periods with a positive probability.
    pub first: u32,
    /// P(N = first + j), summing to 1 (up to [`TAIL`]).
    pub probabilities: Vec<f64>,
    /// Probability of needing more than [`MAX_PERIODS`] periods (counted at `MAX_PERIODS`).
    pub beyond_cap: f64,
}

impl PeriodsDistribution {
    /// P(N ≤ k).
    pub fn cdf(&self, k: u32) -> f64 {
        if k < self.first {
            return 0.0;
        }
        let n = ((k - self.first) as usize + 1).min(self.probabilities.len());
        self.probabilities[..n].iter().sum::<f64>().min(1.0)
    }

    /// A sampler of the duration in working days: N × `period_length`, exactly this law.
    pub fn sampler(&self, period_length: u32) -> Sampler {
        let mut values = Vec::new();
        let mut cumulative = Vec::new();
        let mut acc = 0.0;
        for (j, &p) in self.probabilities.iter().enumerate() {
            if p <= 0.0 {
                continue;
            }
            acc += p;
            values.push(f64::from(self.first + j as u32) * f64::from(period_length));
            cumulative.push(acc);
        }
        if let Some(last) = cumulative.last_mut() {
            *last = 1.0;
        }
        Sampler::discrete(values, cumulative)
    }
}

/// The distribution of the items a "when" iteration must finish: P(I = first + j).
pub fn items_distribution(items: &Items) -> (u64, Vec<f64>) {
    let q = |u: f64| items.backlog.quantile(u);
    let (low, span) = (items.split_low, items.split_span);
    let round = |x: f64| (x + 0.5).floor().max(0.0) as u64;
    let first = round(q(0.0) * low);
    let last = round(q(TOP_U) * (low + span));
    // P(Q(u) < x): the measure of the uniforms whose backlog is below x.
    let below = |x: f64| -> f64 {
        if q(0.0) >= x {
            return 0.0;
        }
        if q(TOP_U) < x {
            return 1.0;
        }
        let (mut a, mut b) = (0.0f64, TOP_U);
        for _ in 0..64 {
            let m = 0.5 * (a + b);
            if q(m) < x {
                a = m;
            } else {
                b = m;
            }
        }
        b
    };
    let cdf = |b: u64| -> f64 {
        let c = b as f64 + 0.5;
        if span == 0.0 {
            return below(c / low);
        }
        let (u1, u2) = (below(c / (low + span)), below(c / low));
        u1 + gauss_legendre(u1, u2, |u| ((c / q(u) - low) / span).clamp(0.0, 1.0))
    };
    let mut pmf = Vec::with_capacity((last - first + 1) as usize);
    let mut prev = 0.0;
    for b in first..=last {
        let c = if b == last { 1.0 } else { cdf(b).max(prev) };
        pmf.push(c - prev);
        prev = c;
    }
    (first, pmf)
}

/// ∫ f over [a, b]: composite 5-point Gauss–Legendre on 32 panels.
fn gauss_legendre(a: f64, b: f64, f: impl Fn(f64) -> f64) -> f64 {
    const NODES: [(f64, f64); 5] = [
        (0.0, 0.568_888_888_888_888_9),
        (-0.538_469_310_105_683_1, 0.478_628_670_499_366_5),
        (0.538_469_310_105_683_1, 0.478_628_670_499_366_5),
        (-0.906_179_845_938_664, 0.236_926_885_056_189_08),
        (0.906_179_845_938_664, 0.236_926_885_056_189_08),
    ];
    const PANELS: usize = 32;
    if b <= a {
        return 0.0;
    }
    let h = (b - a) / PANELS as f64;
    (0..PANELS)
        .map(|i| {
            let mid = a + h * (i as f64 + 0.5);
            NODES
                .iter()
                .map(|&(x, w)| w * f(mid + 0.5 * h * x))
                .sum::<f64>()
                * 0.5
                * h
        })
        .sum()
}

/// The exact distribution of the periods a "when" forecast needs. `None` for a "how many"
/// forecast.
pub fn periods_distribution(f: &CompiledForecast) -> Option<PeriodsDistribution> {
    let Goal::When(items) = f.goal else {
        return None;
    };
    let (b_first, q) = items_distribution(&items);
    let b_last = b_first + q.len() as u64 - 1;
    // The throughput's law over its distinct values.
    let n = f.throughput.len() as f64;
    let mut law: Vec<(usize, f64)> = Vec::new();
    let mut sorted = f.throughput.clone();
    sorted.sort_unstable();
    for v in sorted.chunk_by(|a, b| a == b) {
        law.push((v[0] as usize, v.len() as f64 / n));
    }
    // P(S_k = s) for s < b_last (more is done for every backlog).
    let width = b_last as usize;
    let mut dist = vec![0.0f64; width.max(1)];
    let mut next = vec![0.0f64; width.max(1)];
    dist[0] = 1.0;
    // P(N > k) = Σ_b P(I = b) · P(S_k ≤ b − 1).
    let remaining = |dist: &[f64]| -> f64 {
        let mut cum = 0.0;
        let mut r = 0.0;
        let mut s = 0usize;
        for (j, &qb) in q.iter().enumerate() {
            let b = b_first as usize + j;
            if b == 0 {
                continue;
            }
            while s < b {
                cum += dist.get(s).copied().unwrap_or(0.0);
                s += 1;
            }
            r += qb * cum;
        }
        r
    };
    let mut probabilities = Vec::new();
    let mut before = 1.0; // P(N > k − 1), P(N > −1) = 1
    let mut k = 0u32;
    let mut support = 0usize..1usize; // s with P(S_k = s) possibly > 0 (and s < width)
    let min_t = law.first().map_or(0, |l| l.0);
    let max_t = law.last().map_or(0, |l| l.0);
    loop {
        let after = if width == 0 { 0.0 } else { remaining(&dist) };
        probabilities.push((before - after).max(0.0));
        before = after;
        if after < TAIL {
            break;
        }
        if k == MAX_PERIODS {
            let p = probabilities.last_mut().expect("pushed above");
            *p += after;
            let first = trim(&mut probabilities);
            return Some(PeriodsDistribution {
                first,
                probabilities,
                beyond_cap: after,
            });
        }
        // One more period: convolve with the throughput's law.
        let lo = (support.start + min_t).min(width);
        let hi = (support.end + max_t).min(width);
        next[lo..hi].fill(0.0);
        for &(t, p) in &law {
            for s in support.clone() {
                let to = s + t;
                if to >= width {
                    break;
                }
                next[to] += p * dist[s];
            }
        }
        dist[support.clone()].fill(0.0);
        std::mem::swap(&mut dist, &mut next);
        support = lo..hi;
        k += 1;
    }
    let first = trim(&mut probabilities);
    Some(PeriodsDistribution {
        first,
        probabilities,
        beyond_cap: 0.0,
    })
}

/// Drops the leading zero probabilities; returns how many were dropped.
fn trim(p: &mut Vec<f64>) -> u32 {
    let lead = p.iter().position(|&x| x > 0.0).unwrap_or(0);
    p.drain(..lead);
    lead as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Distribution, Estimate};

    fn items(e: Estimate, low: f64, high: f64) -> Items {
        Items {
            backlog: Sampler::new(&e),
            split_low: low,
            split_span: high - low,
        }
    }

    #[test]
    fn fixed_items_and_a_uniform_split_are_exact() {
        let (first, p) = items_distribution(&items(Estimate::fixed(7.0).unwrap(), 1.0, 1.0));
        assert_eq!((first, p), (7, vec![1.0]));
        // 10 × s, s uniform on [1, 2]: items ≤ b ⇔ s < (b + 1/2)/10; 10 and 20 get half a
        // bin (1/20), 11 … 19 a whole one (1/10).
        let (first, p) = items_distribution(&items(Estimate::fixed(10.0).unwrap(), 1.0, 2.0));
        assert_eq!(first, 10);
        assert_eq!(p.len(), 11);
        for (j, &x) in p.iter().enumerate() {
            let want = if j == 0 || j == 10 { 0.05 } else { 0.1 };
            assert!((x - want).abs() < 1e-12, "{j}: {x}");
        }
    }

    #[test]
    fn a_uniform_backlog_with_a_uniform_split_integrates_the_product() {
        // x uniform on [10, 20], s uniform on [1, 2]: P(x·s < c) by the closed form of the
        // product of two uniforms, F(c) = ∫∫ 1[x s < c] dx ds / 10.
        let it = items(
            Estimate::new(10.0, 15.0, 20.0, Distribution::Uniform).unwrap(),
            1.0,
            2.0,
        );
        let (first, p) = items_distribution(&it);
        assert_eq!(first, 10);
        // ∫_1^2 clamp((c/s − 10)/10, 0, 1) ds, by a fine midpoint rule.
        let closed = |c: f64| -> f64 {
            let m = 200_000;
            (0..m)
                .map(|i| {
                    let s = 1.0 + (i as f64 + 0.5) / m as f64;
                    ((c / s - 10.0) / 10.0).clamp(0.0, 1.0)
                })
                .sum::<f64>()
                / m as f64
        };
        let mut cum = 0.0;
        for (j, &x) in p.iter().enumerate() {
            cum += x;
            let b = 10 + j;
            let want = closed(b as f64 + 0.5);
            assert!((cum - want).abs() < 1e-6, "b = {b}: {cum} vs {want}");
        }
    }

    #[test]
    fn constant_throughput_needs_a_certain_number_of_periods() {
        let f = CompiledForecast {
            stream: "forecast".into(),
            throughput: vec![4, 4],
            period_length: 10,
            goal: Goal::When(items(Estimate::fixed(10.0).unwrap(), 1.0, 1.0)),
        };
        let d = periods_distribution(&f).unwrap();
        assert_eq!((d.first, d.probabilities.clone()), (3, vec![1.0]));
        assert_eq!(d.cdf(2), 0.0);
        assert_eq!(d.cdf(3), 1.0);
    }

    #[test]
    fn bernoulli_throughput_is_negative_binomial() {
        // T = 1 with probability 1/4, else 0: N for 3 items is negative binomial,
        // P(N = k) = C(k − 1, 2) (1/4)³ (3/4)^(k − 3).
        let f = CompiledForecast {
            stream: "forecast".into(),
            throughput: vec![0, 0, 1, 0],
            period_length: 10,
            goal: Goal::When(items(Estimate::fixed(3.0).unwrap(), 1.0, 1.0)),
        };
        let d = periods_distribution(&f).unwrap();
        assert_eq!(d.first, 3);
        for (j, &p) in d.probabilities.iter().enumerate().take(200) {
            let k = 3 + j as i32;
            let c = f64::from((k - 1) * (k - 2) / 2);
            let want = c * 0.25f64.powi(3) * 0.75f64.powi(k - 3);
            assert!((p - want).abs() < 1e-15, "k = {k}: {p} vs {want}");
        }
        assert!((d.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-13);
    }

    #[test]
    fn the_tail_beyond_the_cap_is_reported() {
        let mut t = vec![0u32; 999];
        t.push(1);
        // Mean 1/1000 item a period: 20 items take about 20,000 periods.
        let f = CompiledForecast {
            stream: "forecast".into(),
            throughput: t,
            period_length: 1,
            goal: Goal::When(items(Estimate::fixed(20.0).unwrap(), 1.0, 1.0)),
        };
        let d = periods_distribution(&f).unwrap();
        assert!(d.beyond_cap > 0.9, "{}", d.beyond_cap);
        assert_eq!(d.first + d.probabilities.len() as u32 - 1, MAX_PERIODS);
    }
}
