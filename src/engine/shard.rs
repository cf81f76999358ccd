//! Shards: which iterations shard K of N runs.
//!
//! A run of n iterations is split into N contiguous ranges whose boundaries fall on multiples
//! of the chunk width ([`RunSpec::chunk_lanes`]). Per-iteration values depend only on (seed,
//! task, iteration) and n (which fixes the Latin hypercube replicates), and per-task
//! fixed-point sums are accumulated per aligned chunk, so the shards' [`super::Gathered`]
//! ranges merge into exactly the single-machine run, bit for bit.

use std::ops::Range;

use super::spec::RunSpec;

/// Shard `k` of `n` (0-based; `k < n`, `n >= 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShardOf {
    /// This shard, 0-based.
    pub k: usize,
    /// How many shards.
    pub n: usize,
}

impl ShardOf {
    /// `K/N` (0 ≤ K < N); the error says what is wrong.
    pub fn parse(s: &str) -> Result<ShardOf, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not K/N; write e.g. 0/4 (shard 0 of 4), or auto"))?;
        let k: usize = k
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: K is not a whole number >= 0"))?;
        let n: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: N is not a whole number >= 1"))?;
        if n == 0 || k >= n {
            return Err(format!(
                "`{s}`: shards are numbered 0 to N-1 with N >= 1 (e.g. 0/4 … 3/4)"
            ));
        }
        Ok(ShardOf { k, n })
    }

    /// The file a shard is written to: `shard-K-of-N.p80`.
    pub fn file_name(&self) -> String {
        format!("shard-{}-of-{}.p80", self.k, self.n)
    }
}

/// The iterations of `shard` for `spec`'s whole run in chunks of `w` iterations (the chunk
/// width, [`RunSpec::chunk_lanes`]): chunk
/// `c` of the run's ⌈n / w⌉ chunks (w = the chunk width) goes to shard ⌊c·N / chunks⌋, so
/// the ranges are contiguous, tile `0..n`, start at multiples of w and differ by at most one
/// chunk (shards beyond the number of chunks are empty).
pub fn shard_range(spec: &RunSpec, w: usize, shard: ShardOf) -> Range<usize> {
    let n = spec.total();
    let w = w.max(1);
    let chunks = n.div_ceil(w);
    let at =
        |k: usize| ((k as u128 * chunks as u128).div_ceil(shard.n as u128) as usize * w).min(n);
    at(shard.k)..at(shard.k + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_ranges_tile_the_run_at_chunk_multiples() {
        for total in [1usize, 7, 64, 100, 1000, 10_007] {
            let spec = RunSpec::new(total, 1);
            for n in [1usize, 2, 3, 4, 7, 13, 700] {
                let mut next = 0;
                for k in 0..n {
                    let r = shard_range(&spec, 16, ShardOf { k, n });
                    assert_eq!(r.start, next, "total {total} n {n} k {k}");
                    assert!(r.start.is_multiple_of(16) || r.start == total);
                    assert!(r.len() <= 16 * total.div_ceil(16).div_ceil(n));
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
    }

    #[test]
    fn parses_k_of_n() {
        assert_eq!(ShardOf::parse("2/7"), Ok(ShardOf { k: 2, n: 7 }));
        for bad in ["7/7", "1/0", "a/2", "3", "-1/2"] {
            assert!(ShardOf::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(ShardOf { k: 1, n: 4 }.file_name(), "shard-1-of-4.p80");
    }
}
