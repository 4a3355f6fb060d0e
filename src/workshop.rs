//! `debrief workshop`: a team takes turns in the facilitator's seat. (Not built yet.)

use crate::ctx::Ctx;
use crate::error::{Error, Outcome, Result};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args, _ctx: &Ctx) -> Result<Outcome> {
    Err(Error::Other("workshop is not available yet".into()))
}
