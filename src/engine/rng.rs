//! Counter-based random numbers: the uniform for (stream, iteration) is a pure function of the
//! two, so results never depend on thread count, chunk size or scheduling.
//!
//! A stream key is derived from the seed and a stable name (a task id); the value for iteration
//! `i` is SplitMix64's output `mix64(key + (i + 1)·γ)`, i.e. the `i`-th output of a SplitMix64
//! generator seeded with the key. Keys come from hashing, so streams are distinct and, for any
//! practical run length, do not overlap. Using names rather than positions means a task keeps its
//! draws when the file is reordered or other tasks change (common random numbers).
//!
//! Hand-written on purpose (not `rand`): every draw must be a pure function of (seed, name,
//! iteration), computed at O(1) for any iteration inside the lane loop, so that results do not
//! depend on threads, chunks or iteration ranges (shards). `rand`'s generators are sequential
//! streams; `rand_chacha` can seek, but then a draw costs a ChaCha block instead of one add
//! and three multiplies, in the innermost loop of every sampled task.

/// SplitMix64's increment (the golden ratio in 64-bit fixed point).
pub const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The two multipliers of [`mix64`] (for its eight-lane copy, `engine::sampler_wide`).
pub const MIX64_MULTIPLIERS: (u64, u64) = (0xBF58_476D_1CE4_E5B9, 0x94D0_49BB_1331_11EB);

/// SplitMix64's finaliser: a bijective avalanche mix of 64 bits.
#[inline(always)]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(MIX64_MULTIPLIERS.0);
    z = (z ^ (z >> 27)).wrapping_mul(MIX64_MULTIPLIERS.1);
    z ^ (z >> 31)
}

/// FNV-1a over bytes: a stable (version-independent) hash of a name.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// The key of the stream named `name` (e.g. a task id) under `seed`. `purpose` separates the
/// streams one entity may need (0 for a task's duration).
pub fn stream_key(seed: u64, name: &str, purpose: u64) -> u64 {
    hashed_stream_key(seed, fnv1a(name.as_bytes()), purpose)
}

/// [`stream_key`] of a name whose [`fnv1a`] hash is `name_hash` (so a plan can keep 8 bytes
/// per task instead of its id).
pub fn hashed_stream_key(seed: u64, name_hash: u64, purpose: u64) -> u64 {
    mix64(mix64(seed ^ 0x7080_7080_7080_7080) ^ name_hash ^ mix64(purpose.wrapping_add(GAMMA)))
}

/// The 64 random bits of stream `key` at `iteration`.
#[inline(always)]
pub fn bits(key: u64, iteration: u64) -> u64 {
    mix64(key.wrapping_add(iteration.wrapping_add(1).wrapping_mul(GAMMA)))
}

/// The uniform in [0, 1) of stream `key` at `iteration`: the top 53 of [`bits`].
#[inline(always)]
pub fn uniform(key: u64, iteration: u64) -> f64 {
    to_unit(bits(key, iteration))
}

/// Maps 64 random bits to [0, 1) using the top 53.
#[inline(always)]
pub fn to_unit(z: u64) -> f64 {
    (z >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The bits whose [`to_unit`] is `u` (for u in [0, 1) with 53-bit resolution, exactly).
#[inline]
pub fn from_unit(u: f64) -> u64 {
    ((u * (1u64 << 53) as f64) as u64) << 11
}

/// A keyed pseudo-random permutation of `0..n`, evaluated at `i` (< n). See [`Permutation`].
pub fn permute(key: u64, i: u64, n: u64) -> u64 {
    Permutation::new(n).apply(key, i)
}

/// Keyed pseudo-random permutations of `0..n`: a four-round Feistel network on the smallest
/// number of bits covering `n` (unbalanced when that number is odd), with cycle walking. A
/// bijection for every key; O(1) memory, so Latin hypercube strata need no stored
/// permutation. The domain is less than twice `n`, so fewer than two evaluations are needed
/// on average.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Permutation {
    n: u64,
    /// Bits of the low half; the high half has the rest.
    lo: u32,
    lo_mask: u64,
    hi_mask: u64,
}

impl Permutation {
    /// The permutations of `0..n` (n >= 1).
    pub fn new(n: u64) -> Self {
        let bits = (64 - (n.max(2) - 1).leading_zeros()).max(2);
        let lo = bits / 2;
        Permutation {
            n,
            lo,
            lo_mask: (1u64 << lo) - 1,
            hi_mask: (1u64 << (bits - lo)) - 1,
        }
    }

    /// The size `n`.
    pub fn len(&self) -> u64 {
        self.n
    }

    /// Whether `n` is 0 (no permutation is ever evaluated then).
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The image of `i` (< n) under the permutation keyed by `key`.
    #[inline]
    pub fn apply(&self, key: u64, i: u64) -> u64 {
        debug_assert!(i < self.n);
        let mut x = i;
        loop {
            // Each round swaps the halves' sizes: the high half (hi bits) takes the round
            // function first, so after four rounds the layout is the starting one.
            let (mut l, mut r) = (x >> self.lo, x & self.lo_mask);
            for (round, mask) in [self.hi_mask, self.lo_mask, self.hi_mask, self.lo_mask]
                .into_iter()
                .enumerate()
            {
                let f = mix64(r ^ key ^ (round as u64).wrapping_mul(GAMMA)) & mask;
                (l, r) = (r, l ^ f);
            }
            x = (l << self.lo) | r;
            if x < self.n {
                return x;
            }
        }
    }
}

/// Where one iteration sits in a replicated Latin hypercube: its design's permutation salt, its
/// index within the design, the design's permutation, and the iteration.
#[derive(Debug, Clone, Copy, Default)]
pub struct LatinCell {
    salt: u64,
    local: u64,
    perm: Permutation,
    iteration: u64,
}

impl LatinCell {
    /// Iteration `iteration`, the `local`-th of the `size` iterations of design `design`.
    pub fn new(design: u64, local: u64, size: u64, iteration: u64) -> Self {
        // mix64(0) = 0: design 0 keeps the stream's own permutation key.
        LatinCell {
            salt: 0x1A7E_57A7_A5E5_0000 ^ mix64(design.wrapping_mul(GAMMA)),
            local,
            perm: Permutation::new(size),
            iteration,
        }
    }

    /// The Latin hypercube uniform of stream `key`: the stratum `permutation(key ^ salt)` of
    /// `local`, of width 1/size, and a uniform position inside it (drawn from the stream at
    /// `iteration`). Each design puts exactly one of its iterations in each of its strata;
    /// designs are independent of each other.
    #[inline(always)]
    pub fn uniform(&self, key: u64) -> f64 {
        let stratum = self.perm.apply(key ^ self.salt, self.local);
        // Rounding can reach 1.0 in the top stratum; keep the result in [0, 1).
        (((stratum as f64) + uniform(key, self.iteration)) / self.perm.len() as f64)
            .min(1.0 - f64::EPSILON / 2.0)
    }
}

/// The Latin hypercube uniform of stream `key` for the `local`-th of the `size` iterations of
/// design `design`, which is iteration `iteration` of the run (see [`LatinCell::uniform`]).
pub fn latin_uniform(key: u64, design: u64, local: u64, size: u64, iteration: u64) -> f64 {
    LatinCell::new(design, local, size, iteration).uniform(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_uniform_and_uncorrelated() {
        let n = 200_000u64;
        let (ka, kb) = (stream_key(1, "a", 0), stream_key(1, "b", 0));
        let (mut sa, mut sb, mut sab, mut saa) = (0.0, 0.0, 0.0, 0.0);
        for i in 0..n {
            let (a, b) = (uniform(ka, i), uniform(kb, i));
            assert!((0.0..1.0).contains(&a));
            sa += a;
            sb += b;
            sab += a * b;
            saa += a * a;
        }
        let nf = n as f64;
        // mean 1/2 with standard error sqrt(1/12/n); 5 standard errors.
        let se = (1.0 / 12.0 / nf).sqrt();
        assert!((sa / nf - 0.5).abs() < 5.0 * se);
        assert!((sb / nf - 0.5).abs() < 5.0 * se);
        assert!((saa / nf - 1.0 / 3.0).abs() < 5.0 * (4.0 / 45.0 / nf).sqrt());
        // correlation 0 with standard error 1/sqrt(n).
        let corr = (sab / nf - sa / nf * sb / nf) / (1.0 / 12.0);
        assert!(corr.abs() < 5.0 / nf.sqrt(), "corr {corr}");
    }

    #[test]
    fn permute_is_a_bijection_and_latin_uniforms_fill_every_stratum() {
        for n in [1u64, 2, 3, 5, 10, 100, 409, 512, 513, 1000, 4097] {
            let mut seen = vec![false; n as usize];
            for i in 0..n {
                let p = permute(12345, i, n);
                assert!(!seen[p as usize], "n={n}: {p} twice");
                seen[p as usize] = true;
            }
            for design in [0u64, 1, 7] {
                let mut strata = vec![0u32; n as usize];
                for i in 0..n {
                    let u = latin_uniform(777, design, i, n, 1_000 + i);
                    assert!((0.0..1.0).contains(&u));
                    strata[(u * n as f64) as usize] += 1;
                }
                assert!(strata.iter().all(|&c| c == 1), "n={n}");
            }
        }
    }

    #[test]
    fn keys_depend_on_seed_name_and_purpose() {
        let k = stream_key(42, "train", 0);
        assert_ne!(k, stream_key(43, "train", 0));
        assert_ne!(k, stream_key(42, "train2", 0));
        assert_ne!(k, stream_key(42, "train", 1));
        assert_eq!(k, stream_key(42, "train", 0));
    }
}
