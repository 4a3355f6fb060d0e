//! `debrief lint`: check written post-mortems. (Being built.)

use std::path::PathBuf;

use crate::ctx::Ctx;
use crate::error::{Error, Outcome, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories to lint ("-" reads stdin)
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

pub fn run(_args: Args, _ctx: &Ctx) -> Result<Outcome> {
    Err(Error::Other("lint is not available yet".into()))
}
