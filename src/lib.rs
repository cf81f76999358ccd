//! p80: Monte Carlo schedule and cost risk analysis.
//!
//! Data flows one way: [`input`] reads files into a [`model::Project`] and validates it,
//! [`engine`] compiles it into flat arrays and simulates, [`stats`] summarises the simulation
//! into a [`stats::Report`], and [`output`] writes it. [`app`] wires the commands together;
//! `main.rs` only parses arguments and maps errors to exit codes.

pub mod app;
pub mod cli;
pub mod engine;
pub mod error;
pub mod fuzzing;
pub mod input;
pub mod limits;
pub mod model;
pub mod options;
pub mod output;
pub mod stats;

pub use error::{Diagnostic, Error, Result};
