//! `shard-K-of-N.p80`: a shard's file, written as the whole content of its output folder
//! through the same swap-in writer as every run ([`super::folder`]).

use std::path::{Path, PathBuf};

use super::folder::Target;
use super::write::RUN_FILES;
use crate::error::Result;

/// Makes the file `name` (`shard-K-of-N.p80`) with `bytes` the whole content of `dir`
/// (created if needed). Refuses, changing nothing (exit 2), a `dir` that is, holds or lies above
/// one of `inputs` or holds files other than a run's and this shard's (another shard's file
/// included: give each shard its own folder). Returns the path written.
pub fn write_shard(dir: &Path, name: &str, bytes: &[u8], inputs: &[PathBuf]) -> Result<PathBuf> {
    let mut owned: Vec<&str> = RUN_FILES.to_vec();
    owned.push(name);
    let target = Target::check(dir, inputs, &owned)?;
    target.replace(&[(name, bytes)])?;
    Ok(dir.join(name))
}
