//! `debrief history` and `debrief report`: past rehearsals. (Being built.)

use crate::ctx::Ctx;
use crate::error::{Error, Outcome, Result};

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Session id (default: the latest)
    pub session: Option<String>,
    /// Output format
    #[arg(long, default_value = "markdown")]
    pub format: String,
}

pub fn run_history(_args: HistoryArgs, _ctx: &Ctx) -> Result<Outcome> {
    Err(Error::Other("history is not available yet".into()))
}

pub fn run_report(_args: ReportArgs, _ctx: &Ctx) -> Result<Outcome> {
    Err(Error::Other("report is not available yet".into()))
}
