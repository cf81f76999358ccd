//! The throughput bootstrap behind `p80 forecast`. No I/O.
//!
//! Each iteration draws past periods' throughput with replacement, each period with
//! probability 1/n, until the backlog is done ("when": the number of periods) or for the whole
//! periods before a date ("how many": the items done). A "when" iteration first draws how many
//! items it has to finish: `⌊x · s + 1/2⌋`, with x the backlog (its sampler at one uniform)
//! and s the split rate (uniform between its low and high).
//!
//! Random numbers are a pure function of (seed, forecast, iteration): the backlog and split
//! draws are the uniforms of streams (seed, name, 1) and (seed, name, 2) at the iteration; the
//! throughput draws of iteration i are the counter-based sequence keyed by the 64 bits of
//! stream (seed, name, 0) at i, period j giving the period index `⌊bits · n / 2⁶⁴⌋`. Results
//! therefore do not depend on the thread count or on chunking.
//!
//! No iteration runs more than [`MAX_PERIODS`] periods: one that reaches it stops there and is
//! counted in [`Samples::capped`].

use rayon::prelude::*;

use super::rng;
use super::sampler::Sampler;
use crate::model::forecast::{Forecast, Target, MAX_PERIODS};

/// A forecast ready to simulate: the resampled throughputs and the target's samplers.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledForecast {
    /// The name its random streams are keyed by: `forecast` or `forecast.NAME`.
    pub stream: String,
    /// The resampled throughputs (items per period), oldest first.
    pub throughput: Vec<u32>,
    /// Working days per period.
    pub period_length: u32,
    /// What an iteration computes.
    pub goal: Goal,
}

/// What an iteration of a forecast computes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// The periods needed to finish the items drawn for the iteration.
    When(Items),
    /// The items finished in this many periods.
    HowMany {
        /// Whole periods.
        periods: u32,
    },
}

/// How a "when" iteration draws the items it must finish.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Items {
    /// The backlog's size (items, before splitting).
    pub backlog: Sampler,
    /// The split rate's low end.
    pub split_low: f64,
    /// The split rate's range (0: a fixed factor).
    pub split_span: f64,
}

impl Items {
    /// The items of an iteration whose backlog and split uniforms are `u` and `v`:
    /// `⌊Q(u) · (low + span · v) + 1/2⌋`.
    #[inline]
    pub fn at(&self, u: f64, v: f64) -> u64 {
        let x = self.backlog.quantile(u) * (self.split_low + self.split_span * v);
        (x + 0.5).floor().max(0.0) as u64
    }

    /// Whether every iteration has the same items.
    pub fn is_fixed(&self) -> bool {
        self.backlog.is_fixed() && self.split_span == 0.0
    }
}

/// The stream keys of one run.
#[derive(Debug, Clone, Copy)]
pub struct Keys {
    throughput: u64,
    backlog: u64,
    split: u64,
}

/// What a bootstrap produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples {
    /// Per iteration, in order: periods needed ("when") or items done ("how many").
    pub values: Vec<u64>,
    /// Iterations that reached [`MAX_PERIODS`] unfinished (counted as `MAX_PERIODS`).
    pub capped: usize,
}

impl CompiledForecast {
    /// Compiles a checked forecast.
    pub fn compile(f: &Forecast) -> CompiledForecast {
        let goal = match &f.target {
            Target::Backlog(b) => Goal::When(Items {
                backlog: Sampler::new(&b.items),
                split_low: b.split.low,
                split_span: b.split.high - b.split.low,
            }),
            Target::Until { periods, .. } => Goal::HowMany { periods: *periods },
        };
        CompiledForecast {
            stream: match &f.name {
                None => "forecast".to_string(),
                Some(n) => format!("forecast.{n}"),
            },
            throughput: f.throughput(),
            period_length: f.period_length,
            goal,
        }
    }

    /// The stream keys for `seed`.
    pub fn keys(&self, seed: u64) -> Keys {
        Keys {
            throughput: rng::stream_key(seed, &self.stream, 0),
            backlog: rng::stream_key(seed, &self.stream, 1),
            split: rng::stream_key(seed, &self.stream, 2),
        }
    }

    /// The throughput of period `period` of the iteration whose throughput key is `key`.
    #[inline(always)]
    fn draw(&self, key: u64, period: u64) -> u64 {
        let n = self.throughput.len() as u128;
        let j = ((u128::from(rng::bits(key, period)) * n) >> 64) as usize;
        u64::from(self.throughput[j])
    }

    /// Iteration `i`: the periods needed or the items done, and whether it was stopped at
    /// [`MAX_PERIODS`].
    pub fn iteration(&self, keys: &Keys, i: u64) -> (u64, bool) {
        let key = rng::bits(keys.throughput, i);
        match self.goal {
            Goal::When(items) => {
                let target = items.at(rng::uniform(keys.backlog, i), rng::uniform(keys.split, i));
                let mut done = 0u64;
                for j in 0..u64::from(MAX_PERIODS) {
                    if done >= target {
                        return (j, false);
                    }
                    done += self.draw(key, j);
                }
                (u64::from(MAX_PERIODS), done < target)
            }
            Goal::HowMany { periods } => {
                let done = (0..u64::from(periods)).map(|j| self.draw(key, j)).sum();
                (done, false)
            }
        }
    }
}

/// Runs `iterations` iterations with `seed` on the current rayon pool. The samples are the
/// same for any number of threads.
pub fn bootstrap(f: &CompiledForecast, iterations: usize, seed: u64) -> Samples {
    const CHUNK: usize = 1024;
    let keys = f.keys(seed);
    let mut values = vec![0u64; iterations];
    let capped = values
        .par_chunks_mut(CHUNK)
        .enumerate()
        .map(|(c, chunk)| {
            let mut capped = 0;
            for (k, v) in chunk.iter_mut().enumerate() {
                let (x, cap) = f.iteration(&keys, (c * CHUNK + k) as u64);
                *v = x;
                capped += usize::from(cap);
            }
            capped
        })
        .sum();
    Samples { values, capped }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Estimate;

    fn compiled(throughput: &[u32], items: Estimate, low: f64, high: f64) -> CompiledForecast {
        CompiledForecast {
            stream: "forecast".into(),
            throughput: throughput.to_vec(),
            period_length: 10,
            goal: Goal::When(Items {
                backlog: Sampler::new(&items),
                split_low: low,
                split_span: high - low,
            }),
        }
    }

    #[test]
    fn constant_throughput_is_certain() {
        let f = compiled(&[5, 5, 5], Estimate::fixed(23.0).unwrap(), 1.0, 1.0);
        let s = bootstrap(&f, 1000, 7);
        assert!(s.values.iter().all(|&v| v == 5), "⌈23 / 5⌉ = 5");
        assert_eq!(s.capped, 0);
        let f = CompiledForecast {
            goal: Goal::HowMany { periods: 7 },
            ..f
        };
        assert!(bootstrap(&f, 100, 7).values.iter().all(|&v| v == 35));
    }

    #[test]
    fn items_round_half_up_with_the_split() {
        let f = compiled(&[1], Estimate::fixed(10.0).unwrap(), 1.25, 1.25);
        let Goal::When(items) = f.goal else { panic!() };
        assert_eq!(items.at(0.3, 0.9), 13); // 12.5 → 13
        let items = Items {
            split_low: 1.0,
            split_span: 1.0,
            ..items
        };
        assert_eq!(items.at(0.3, 0.0), 10);
        assert_eq!(items.at(0.3, 0.5), 15);
        assert_eq!(items.at(0.3, 0.44), 14); // 14.4
    }

    #[test]
    fn iterations_are_pure_functions_of_seed_and_index() {
        let f = compiled(
            &[0, 3, 7, 12],
            Estimate::new(40.0, 50.0, 80.0, crate::model::Distribution::Pert).unwrap(),
            1.0,
            1.3,
        );
        let a = bootstrap(&f, 5000, 11);
        let keys = f.keys(11);
        for i in [0u64, 1, 1023, 1024, 4999] {
            assert_eq!(a.values[i as usize], f.iteration(&keys, i).0);
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        assert_eq!(pool.install(|| bootstrap(&f, 5000, 11)), a);
        assert_ne!(bootstrap(&f, 5000, 12).values, a.values);
    }

    #[test]
    fn an_endless_forecast_stops_at_the_cap() {
        // One period in 10,000 finishes an item: 3 items take about 30,000 periods.
        let mut t = vec![0u32; 9_999];
        t.push(1);
        let f = compiled(&t, Estimate::fixed(3.0).unwrap(), 1.0, 1.0);
        let s = bootstrap(&f, 50, 1);
        assert!(s.capped > 40, "{}", s.capped);
        assert!(s.values.iter().all(|&v| v <= u64::from(MAX_PERIODS)));
    }
}
