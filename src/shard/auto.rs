//! `--shard K/N` or `--shard auto`: which shard this process runs.

use crate::engine::ShardOf;
use crate::error::{Error, Result};

/// The variable naming the shard count where the batch system has none (Kubernetes).
pub const COUNT_VAR: &str = "P80_SHARD_COUNT";

/// What `--shard` was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardChoice {
    /// `K/N`.
    Of(ShardOf),
    /// `auto`: from the batch system's variables (see [`ShardChoice::resolve`]).
    Auto,
}

impl ShardChoice {
    /// Parses `K/N` or `auto`.
    pub fn parse(s: &str) -> std::result::Result<ShardChoice, String> {
        if s.trim().eq_ignore_ascii_case("auto") {
            Ok(ShardChoice::Auto)
        } else {
            ShardOf::parse(s).map(ShardChoice::Of)
        }
    }

    /// The shard, reading the environment for `auto`: a Slurm job array's
    /// `SLURM_ARRAY_TASK_ID` (arrays numbered 0 to N-1) of `SLURM_ARRAY_TASK_COUNT`, or a
    /// Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` of [`COUNT_VAR`]. [`COUNT_VAR`] also
    /// overrides Slurm's count (to rerun one failed shard as `sbatch --array=K`). Exit 2 when
    /// they are missing or inconsistent.
    pub fn resolve(self) -> Result<ShardOf> {
        self.resolve_with(|k| std::env::var(k).ok())
    }

    /// [`Self::resolve`] with the variables from `var` (tests).
    pub fn resolve_with(self, var: impl Fn(&str) -> Option<String>) -> Result<ShardOf> {
        if let ShardChoice::Of(s) = self {
            return Ok(s);
        }
        let num = |name: &str| -> Result<Option<usize>> {
            match var(name) {
                None => Ok(None),
                Some(v) => v.trim().parse().map(Some).map_err(|_| {
                    Error::Usage(format!(
                        "--shard auto: {name}={v:?} is not a whole number >= 0"
                    ))
                }),
            }
        };
        let (index, count) = if let Some(id) = num("SLURM_ARRAY_TASK_ID")? {
            let count = num(COUNT_VAR)?.or(num("SLURM_ARRAY_TASK_COUNT")?);
            (Some(id), count)
        } else if let Some(i) = num("JOB_COMPLETION_INDEX")? {
            (Some(i), num(COUNT_VAR)?)
        } else {
            return Err(Error::Usage(
                "--shard auto: neither SLURM_ARRAY_TASK_ID (a Slurm job array) nor \
                 JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set; give --shard K/N"
                    .to_string(),
            ));
        };
        let Some(n) = count.filter(|&n| n >= 1) else {
            return Err(Error::Usage(format!(
                "--shard auto: the shard count is unknown: set SLURM_ARRAY_TASK_COUNT (Slurm \
                 sets it for job arrays) or {COUNT_VAR} (Kubernetes: the Job's completions)"
            )));
        };
        match index.filter(|&k| k < n) {
            Some(k) => Ok(ShardOf { k, n }),
            None => Err(Error::Usage(format!(
                "--shard auto: the task index is not within 0..{n}: number the array 0 to \
                 N-1 (sbatch --array=0-{})",
                n - 1
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn auto_reads_slurm_and_kubernetes_variables() {
        let a = ShardChoice::Auto;
        let slurm = [
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "8"),
        ];
        assert_eq!(a.resolve_with(env(&slurm)).unwrap(), ShardOf { k: 3, n: 8 });
        // Rerunning shard 5 alone: Slurm's count is 1, P80_SHARD_COUNT says 8.
        let rerun = [
            ("SLURM_ARRAY_TASK_ID", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "1"),
            (COUNT_VAR, "8"),
        ];
        assert_eq!(a.resolve_with(env(&rerun)).unwrap(), ShardOf { k: 5, n: 8 });
        let k8s = [("JOB_COMPLETION_INDEX", "0"), (COUNT_VAR, "4")];
        assert_eq!(a.resolve_with(env(&k8s)).unwrap(), ShardOf { k: 0, n: 4 });
        for bad in [
            &[][..],
            &[("JOB_COMPLETION_INDEX", "0")][..],
            &[("JOB_COMPLETION_INDEX", "4"), (COUNT_VAR, "4")][..],
            &[
                ("SLURM_ARRAY_TASK_ID", "x"),
                ("SLURM_ARRAY_TASK_COUNT", "2"),
            ][..],
        ] {
            let e = a.resolve_with(env(bad)).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{e}");
        }
        let given = ShardChoice::parse("1/2").unwrap();
        assert_eq!(
            given.resolve_with(env(&[])).unwrap(),
            ShardOf { k: 1, n: 2 }
        );
    }
}
