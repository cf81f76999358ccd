//! The shard file format: `P80SHARD`, the format version (u32, little endian), the SHA-256 of
//! the body, then the body: a [`ShardFile`] in postcard (serde's compact binary encoding).
//!
//! The body's digest makes any corruption (a truncated copy, a flipped bit) an error instead
//! of a wrong answer; the fingerprint ([`fingerprint`]) makes shards of different inputs,
//! options, seed, iteration count or shard count impossible to merge.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::engine::{Collector, Gathered, Profile, Reserves, ShardOf, Standard};
use crate::error::{Error, Result};
use crate::input::Loaded;
use crate::options::{Iterations, Settings, SimulateOptions};

/// The file's first bytes.
pub const MAGIC: &[u8; 8] = b"P80SHARD";
/// The version of the layout below; a p80 reads only its own.
pub const FORMAT: u32 = 1;

/// What `p80 simulate --shard` collects (drivers cannot be sharded).
pub type SimulateParts = (Standard, Option<Profile>, Option<Reserves>);

/// Which command wrote the shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// `p80 simulate --shard`.
    Simulate,
    /// `p80 compare --shard`.
    Compare,
}

/// A shard's gathered engine state (one per file: the size difference of the variants does
/// not matter).
#[derive(Debug, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Payload {
    /// The main run and one run per risk with that risk switched off.
    Simulate {
        /// The main run's accumulators and per-iteration slots.
        main: Gathered<<SimulateParts as Collector>::Acc>,
        /// Per risk, in register order: the durations and costs without it.
        without: Vec<Gathered<()>>,
    },
    /// Every scenario's run, the baseline first.
    Compare {
        /// Per scenario.
        scenarios: Vec<Gathered<<Standard as Collector>::Acc>>,
    },
}

/// The options of `p80 simulate`/`compare` that a merge needs to redo the summary (the
/// output folder, threads and quiet are the merge's own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredOptions {
    iterations: Option<u64>,
    seed: Option<u64>,
    confidence: Option<f64>,
    deadline: Option<String>,
    budget: Option<f64>,
    lhs: Option<bool>,
    no_level: bool,
    resource_profile: bool,
}

impl StoredOptions {
    /// The options of a shard's command line (`--iterations auto` and `--drivers` are refused
    /// before this).
    pub fn of(o: &SimulateOptions) -> StoredOptions {
        StoredOptions {
            iterations: match o.iterations {
                Some(Iterations::Count(n)) => Some(n),
                _ => None,
            },
            seed: o.seed,
            confidence: o.confidence,
            deadline: o.deadline.map(|d| d.to_string()),
            budget: o.budget,
            lhs: o
                .sampling
                .map(|s| s == crate::model::Sampling::LatinHypercube),
            no_level: o.no_level,
            resource_profile: o.resource_profile,
        }
    }

    /// The command line again, for `project`, writing into `out`.
    pub fn options(
        &self,
        project: PathBuf,
        out: PathBuf,
        threads: Option<u64>,
        quiet: bool,
    ) -> SimulateOptions {
        use crate::model::Sampling;
        SimulateOptions {
            project,
            iterations: self.iterations.map(Iterations::Count),
            seed: self.seed,
            confidence: self.confidence,
            threads,
            deadline: self
                .deadline
                .as_deref()
                .and_then(|d| d.parse::<NaiveDate>().ok()),
            budget: self.budget,
            sampling: self.lhs.map(|l| {
                if l {
                    Sampling::LatinHypercube
                } else {
                    Sampling::Random
                }
            }),
            out,
            quiet,
            no_level: self.no_level,
            resource_profile: self.resource_profile,
            drivers: false,
        }
    }
}

/// One shard file's content.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShardFile {
    /// The p80 that wrote it (a merge needs the same).
    pub p80_version: String,
    /// Which command wrote it.
    pub kind: Kind,
    /// Which shard of how many.
    pub shard: ShardOf,
    /// See [`fingerprint`].
    pub fingerprint: [u8; 32],
    /// The project file as the shard read it (absolute).
    pub project: PathBuf,
    /// The options it ran with.
    pub options: StoredOptions,
    /// The whole run's iteration count.
    pub iterations: usize,
    /// The gathered engine state.
    pub payload: Payload,
}

impl ShardFile {
    /// The file's bytes.
    pub fn encode(&self) -> Result<Vec<u8>> {
        let body = postcard::to_stdvec(self)
            .map_err(|e| Error::Output(format!("cannot encode the shard: {e}")))?;
        let mut out = Vec::with_capacity(body.len() + 44);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        out.extend_from_slice(&Sha256::digest(&body));
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Reads `bytes` of the file `path` (named in every error, all exit 2).
    pub fn decode(path: &Path, bytes: &[u8]) -> Result<ShardFile> {
        let bad = |why: String| Error::Usage(format!("{}: {why}", path.display()));
        if bytes.len() < 44 || &bytes[..8] != MAGIC {
            return Err(bad("not a p80 shard file (no P80SHARD header)".into()));
        }
        let format = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        if format != FORMAT {
            return Err(bad(format!(
                "shard format {format}; this p80 ({}) reads format {FORMAT}: merge with the p80 \
                 that wrote the shards",
                env!("CARGO_PKG_VERSION")
            )));
        }
        let (digest, body) = bytes[12..].split_at(32);
        if Sha256::digest(body).as_slice() != digest {
            return Err(bad(
                "corrupt shard file (its checksum does not match: truncated or damaged in \
                 transit); run this shard again"
                    .into(),
            ));
        }
        let file: ShardFile = postcard::from_bytes(body)
            .map_err(|e| bad(format!("corrupt shard file ({e}); run this shard again")))?;
        if file.p80_version != env!("CARGO_PKG_VERSION") {
            return Err(bad(format!(
                "written by p80 {}; this is p80 {}: merge with the p80 that wrote the shards",
                file.p80_version,
                env!("CARGO_PKG_VERSION")
            )));
        }
        Ok(file)
    }
}

/// SHA-256 of everything that changes a run's results: p80's version, the command, the shard
/// count, the resolved settings (seed, iterations, sampling, levelling, confidence, deadline,
/// budget, delay cost), the options (the resource profile), and every input file's bytes
/// (project.toml, tasks, resources, risks, correlations, schedules: not their paths, so
/// shards may read the same files under different mounts).
pub fn fingerprint(
    loaded: &Loaded,
    settings: &Settings,
    options: &StoredOptions,
    kind: Kind,
    shards: usize,
) -> Result<[u8; 32]> {
    let mut h = Sha256::new();
    h.update(b"p80 shard\0");
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(format!("\0{kind:?}\0{shards}\0").as_bytes());
    // Threads never change results.
    let settings = Settings {
        threads: 1,
        ..*settings
    };
    h.update(format!("{settings:?}\0").as_bytes());
    h.update(format!("{:?}\0", (options.resource_profile, options.no_level)).as_bytes());
    for path in &loaded.inputs {
        let bytes = std::fs::read(path).map_err(|e| Error::Io {
            context: format!("cannot read {}", path.display()),
            source: e,
        })?;
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    Ok(h.finalize().into())
}
