//! `debrief scenarios list|show`. (Being built.)

use crate::ctx::Ctx;
use crate::error::{Error, Outcome, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// List the scenarios
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Show one scenario's brief, cast, agenda and facts
    Show { id: String },
}

pub fn run(_args: Args, _ctx: &Ctx) -> Result<Outcome> {
    Err(Error::Other("scenarios are not available yet".into()))
}
