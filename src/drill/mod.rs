//! `debrief drill`: spaced-repetition vocabulary quizzing. (Being built.)

use std::path::PathBuf;

use crate::ctx::Ctx;
use crate::diag::Diagnostic;
use crate::error::{Error, Outcome, Result};
use crate::ronfile::Source;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Question mode
    #[arg(long, default_value = "mixed")]
    pub mode: String,
    /// How many questions
    #[arg(long, default_value_t = 10)]
    pub count: usize,
    /// Seed for question order and choices
    #[arg(long)]
    pub seed: Option<u64>,
    /// Read answers from FILE
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Print a JSON summary
    #[arg(long)]
    pub json: bool,
    /// Machine interface (JSON Lines)
    #[arg(long)]
    pub jsonl: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Cards per box, due today, accuracy per term, streak
    Stats,
    /// List the cards
    Deck {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(_args: Args, _ctx: &Ctx) -> Result<Outcome> {
    Err(Error::Other("drill is not available yet".into()))
}

/// Every problem in the deck file.
pub fn validate_deck_source(_source: &Source) -> Vec<Diagnostic> {
    Vec::new()
}
