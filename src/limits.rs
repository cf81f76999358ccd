//! Sizes checked before anything is allocated: the thread count (one cap wherever it is set)
//! and how many iterations fit in the machine's memory; and the allocator setting that keeps
//! the process's resident memory close to what it uses ([`tune_malloc`]).

/// The most worker threads p80 starts, whether from `--threads` or the project file's
/// `threads` key: 1024 (more only adds scheduling overhead, and a million threads would not
/// start at all).
pub const MAX_THREADS: usize = 1024;

/// Checks a thread count (from `what`, e.g. `--threads`): 1 to [`MAX_THREADS`].
pub fn threads(n: u64, what: &str) -> Result<usize, String> {
    match usize::try_from(n) {
        Ok(t) if (1..=MAX_THREADS).contains(&t) => Ok(t),
        _ => Err(format!(
            "{what} {n} is not between 1 and {MAX_THREADS}; p80 starts at most {MAX_THREADS} \
             worker threads (results do not depend on the count)"
        )),
    }
}

/// Sets glibc's malloc so that the resident memory stays close to the memory in use; call it
/// first thing in `main`, before any thread starts. A no-op on other platforms and allocators.
///
/// - One arena for every thread (`M_ARENA_MAX` 1). By default each thread that allocates gets
///   its own arena, and memory freed there stays resident for that arena alone: at 100k tasks
///   × 10k iterations on 2 threads that held about 18 MB more at the peak (124 → 107 MB max
///   RSS). It costs nothing measurable: the engine's hot loop does not allocate (rows and
///   accumulators are allocated once per worker), so threads do not contend for the lock.
/// - Blocks of 128 KiB and more always mapped on their own (`M_MMAP_THRESHOLD` fixed at
///   glibc's initial value). By default freeing a mapped block raises the threshold to its
///   size (up to 32 MiB): after the tasks file's text (3 MB at 100k tasks) is freed, the
///   plan's and the report's multi-megabyte arrays come from the heap and stay there,
///   fragmented. Fixed: `check` of 100k tasks 84 → 74 MB, `simulate` with 1 thread 89 → 85 MB.
pub fn tune_malloc() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets malloc tunables; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// The memory this process may still allocate, in bytes: the smaller of the system's
/// available memory (`MemAvailable` in /proc/meminfo) and the cgroup's limit, when the
/// platform says; `None` when it does not (then only the address space bounds a run).
pub fn available_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("MemAvailable:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .map(|kb| kb.saturating_mul(1024))
        });
    let cgroup = [
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ]
    .iter()
    .find_map(|f| std::fs::read_to_string(f).ok())
    .and_then(|v| v.trim().parse::<u64>().ok());
    match (meminfo, cgroup) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The most iterations that fit in `available` bytes at `per_iteration` bytes each, keeping a
/// quarter of it free for everything else.
pub fn iterations_that_fit(per_iteration: u64, available: u64) -> u64 {
    (available / 4 * 3) / per_iteration.max(1)
}

/// Checks that `iterations` at `per_iteration` bytes each fit in the memory available (and in
/// the address space); the error says how many would fit.
pub fn check_iterations(iterations: u64, per_iteration: u64) -> Result<(), String> {
    let address_space = (isize::MAX as u64) / per_iteration.max(1);
    let available = available_memory();
    let fit = available
        .map_or(address_space, |a| iterations_that_fit(per_iteration, a))
        .min(address_space);
    if iterations <= fit {
        return Ok(());
    }
    let have = available.map_or_else(
        || "the address space".to_string(),
        |a| format!("the {} available", bytes(a)),
    );
    Err(format!(
        "{iterations} iterations need about {} of memory for this plan ({per_iteration} bytes \
         each), more than {have} allows: at most {fit} iterations fit; lower --iterations (or \
         iterations in project.toml)",
        bytes(iterations.saturating_mul(per_iteration)),
    ))
}

/// A byte count for people: "3.2 GB".
fn bytes(b: u64) -> String {
    let b = b as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else {
        format!("{:.0} MB", (b / 1e6).max(1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_capped_the_same_way_everywhere() {
        assert_eq!(threads(1, "--threads"), Ok(1));
        assert_eq!(threads(1024, "--threads"), Ok(1024));
        assert!(threads(1025, "threads")
            .unwrap_err()
            .contains("between 1 and 1024"));
        assert!(threads(0, "threads").is_err());
    }

    #[test]
    fn iterations_beyond_the_memory_are_refused_with_what_fits() {
        assert_eq!(iterations_that_fit(24, 24_000), 750);
        let e = check_iterations(1 << 40, 1 << 30).unwrap_err();
        assert!(e.contains("iterations fit"), "{e}");
        assert!(check_iterations(1000, 24).is_ok());
    }
}
