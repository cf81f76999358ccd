//! The `p80` binary: parse arguments, run the command, map errors to exit codes
//! (0 success, 2 invalid input or usage, 1 anything else).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use p80::cli::{Cli, Command};
use p80::options::{ForecastOptions, SimulateOptions};

fn main() -> ExitCode {
    let cli = Cli::parse(); // exits 2 on usage errors, 0 for --help/--version
    let result = match cli.command {
        Command::Simulate(args) => {
            let quiet = args.quiet;
            p80::app::simulate(&SimulateOptions::from(args)).map(|mut o| {
                if quiet {
                    o.text.clear();
                }
                o
            })
        }
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
            p80::app::compare(&SimulateOptions::from(args)).map(|mut o| {
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
        Command::Import(args) => p80::app::import(&args.schedule, &args.out, args.force),
    };
    match result {
        Ok(outcome) => {
            for w in &outcome.warnings {
                eprintln!("warning: {w}");
            }
            let mut out = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth reporting.
            let _ = out.write_all(outcome.text.as_bytes());
            ExitCode::from(outcome.exit_code)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
