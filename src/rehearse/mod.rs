//! `debrief rehearse`: a simulated post-mortem. (Being built: see issue "Rehearse the meeting".)

use std::path::PathBuf;

use crate::ctx::Ctx;
use crate::error::{Error, Outcome, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario id or path to a .ron file [default: the first built-in scenario]
    #[arg(long, value_name = "ID|PATH")]
    pub scenario: Option<String>,
    /// Seed for the line variants (same seed + answers = same run)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Read answers from FILE (one per line; lines starting with ':' are commands)
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Print the final transcript and scorecard as JSON
    #[arg(long)]
    pub json: bool,
    /// Machine interface: JSON events on stdout, one response per stdin line when asked
    #[arg(long, conflicts_with = "json")]
    pub jsonl: bool,
    /// Use the wall clock instead of the simulated meeting clock
    #[arg(long)]
    pub realtime: bool,
}

pub fn run(_args: Args, _ctx: &Ctx) -> Result<Outcome> {
    Err(Error::Other("rehearse is not available yet".into()))
}
