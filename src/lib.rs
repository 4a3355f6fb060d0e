//! # debrief
//!
//! A terminal coach for people who lead blameless post-mortems: rehearse the meeting
//! (`rehearse`), drill the vocabulary (`drill`), score a response (`score`), lint a written
//! post-mortem (`lint`).
//!
//! ## Map
//! ```text
//!  scenarios/*.ron  phrasebank/*.ron       data, embedded by build.rs (embedded.rs), overridable
//!         \            /
//!     ronfile + phrasebank + scenario      load + validate, errors as diag::Diagnostic
//!               |
//!     Phrasebank -> evaluator::Evaluator   pure: text (+ beat kind) -> scores, findings, move
//!               |
//!     scenario::Scenario -> rehearse::Session   pure state machine, seeded RNG, simulated clock
//!                           drill::Quiz          pure state machine, same shape
//!               |
//!     rehearse::repl / runner, drill::repl  the only terminal I/O
//!               |
//!     store::Store                          the only file-system writes (atomic, locked)
//! ```
//!
//! Invariants: the evaluator, sessions, drill and reports do no I/O and read no clock or
//! global RNG; the same scenario, seed and answers give the same transcript; a new rule or
//! scenario is data, not code.
//!
//! ## Recipes
//! - **Add a rule**: add a record to a file in `phrasebank/rules/` (id, dimension, polarity,
//!   weight, phrases and/or patterns, exceptions with reasons, message, rationale, suggestion,
//!   at least two `matches` and two `no_match` examples). `cargo test` runs its examples;
//!   `debrief validate` checks it; `debrief explain ID` shows it.
//! - **Add a scenario**: add `scenarios/NAME.ron` (see README). It is embedded automatically;
//!   `cargo test` validates it and plays it with a good and a bad bot.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod beat;
pub mod cli;
pub mod cmd;
pub mod ctx;
pub mod diag;
pub mod drill;
pub mod embedded;
pub mod error;
pub mod evaluator;
pub mod history;
pub mod lint;
pub mod phrasebank;
pub mod prose;
pub mod rehearse;
pub mod ronfile;
pub mod scenario;
pub mod store;
pub mod style;
pub mod workshop;

use std::process::ExitCode;

use cli::{Cli, Command};
use ctx::Ctx;
use error::{Outcome, Result};

/// Run one command line.
pub fn run(cli: Cli, ctx: &Ctx) -> Result<Outcome> {
    match cli.command {
        Command::Rehearse(args) => rehearse::run(args, ctx),
        Command::Scenarios(args) => scenario::cli::run(args, ctx),
        Command::Drill(args) => drill::run(args, ctx),
        Command::Score(args) => cmd::score::run(args, ctx),
        Command::Lint(args) => lint::run(args, ctx),
        Command::Validate(args) => cmd::validate::run(args, ctx),
        Command::Explain(args) => cmd::explain::run(args, ctx),
        Command::History(args) => history::run_history(args, ctx),
        Command::Report(args) => history::run_report(args, ctx),
        Command::Workshop(args) => workshop::run(args, ctx),
        Command::Completions(args) => cmd::completions::run(args),
    }
}

/// The binary's whole life after argument parsing: run, print any error, pick the exit code.
pub fn main_with(cli: Cli) -> ExitCode {
    let ctx = Ctx::new(&cli.global);
    let code = match run(cli, &ctx) {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("{}", e.render(ctx.color_err));
            }
            ExitCode::from(2)
        }
    };
    // The context holds only settings and the evaluator (no files, locks or buffers): the
    // process is about to exit, so its memory is left to the OS rather than freed piece by
    // piece (about 4 M instructions, a few per cent of `score "..."`).
    std::mem::forget(ctx);
    code
}
