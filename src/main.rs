//! The `p80` binary: parse arguments, run the command, map errors to exit codes
//! (0 success, 2 invalid input or usage, 1 anything else). Printing the summary is checked:
//! a broken pipe (a reader that closed it) or a full device is exit 1, never a silent 0 or a
//! panic. (A stdout closed before p80 starts, `>&-`, is reopened on /dev/null by Rust's
//! runtime, so it cannot be told from `>/dev/null`.)

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use p80::cli::{Cli, Command};
use p80::options::{ForecastOptions, SimulateOptions};

fn main() -> ExitCode {
    p80::limits::tune_malloc();
    let cli = Cli::parse(); // exits 2 on usage errors, 0 for --help/--version
    let result = match cli.command {
        Command::Simulate(args) => {
            let quiet = args.quiet;
            let shard = args.shard.clone();
            let opts = SimulateOptions::from(args);
            match shard.as_deref().map(parse_shard).transpose() {
                Ok(Some(s)) => p80::shard::simulate(&opts, s),
                Ok(None) => p80::app::simulate(&opts),
                Err(e) => Err(e),
            }
            .map(|mut o| {
                if quiet {
                    o.text.clear();
                }
                o
            })
        }
        Command::Report(args) if args.shard.is_some() => Err(p80::error::Error::Usage(
            "p80 report cannot be sharded: its drivers need a second pass over every iteration; \
             run `p80 report` on one machine, or `p80 simulate --shard K/N` and `p80 merge` for \
             the other outputs"
                .to_string(),
        )),
        Command::Report(args) => {
            let quiet = args.quiet;
            p80::app::report(&SimulateOptions::from(args)).map(|mut o| {
                if quiet {
                    o.text.clear();
                }
                o
            })
        }
        Command::Check(args) => p80::app::check(&args.project, args.strict, args.out.as_deref()),
        Command::Compare(args) => {
            let quiet = args.quiet;
            let shard = args.shard.clone();
            let opts = SimulateOptions::from(args);
            match shard.as_deref().map(parse_shard).transpose() {
                Ok(Some(s)) => p80::shard::compare(&opts, s),
                Ok(None) => p80::app::compare(&opts),
                Err(e) => Err(e),
            }
            .map(|mut o| {
                if quiet {
                    o.text.clear();
                }
                o
            })
        }
        Command::Forecast(args) => {
            let quiet = args.quiet;
            p80::app::forecast(&ForecastOptions::from(args)).map(|mut o| {
                if quiet {
                    o.text.clear();
                }
                o
            })
        }
        Command::Merge(args) => {
            let quiet = args.quiet;
            p80::shard::merge(
                &args.shards,
                &args.out,
                args.project.as_deref(),
                args.threads,
                quiet,
            )
            .map(|mut o| {
                if quiet {
                    o.text.clear();
                }
                o
            })
        }
        Command::Import(args) => p80::app::import(&args.schedule, &args.out, args.force),
    };
    let result = result.and_then(|outcome| {
        let mut stderr = std::io::stderr().lock();
        for w in &outcome.warnings {
            // Nowhere to report a failure to write to stderr; the exit code still tells.
            let _ = writeln!(stderr, "warning: {w}");
        }
        if !outcome.text.is_empty() {
            p80::output::console::print(&mut std::io::stdout().lock(), &outcome.text)?;
        }
        Ok(outcome.exit_code)
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let _ = writeln!(std::io::stderr().lock(), "error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// `--shard K/N|auto`, or a usage error (exit 2) saying what is wrong.
fn parse_shard(s: &str) -> p80::error::Result<p80::shard::ShardChoice> {
    p80::shard::ShardChoice::parse(s)
        .map_err(|e| p80::error::Error::Usage(format!("invalid value '{s}' for '--shard': {e}")))
}
