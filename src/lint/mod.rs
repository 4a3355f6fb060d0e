//! `debrief lint`: check written post-mortems (Markdown) for blame, guesswork and missing
//! sections, with the same evaluator and phrasebank as `score`.
//!
//! The pure core is `document::lint` (text in, report out), built on `markdown` (prose and
//! structure from a real parser), `sections` (completeness), `suppress` (inline directives) and
//! `config` (allow lists). This file and `inputs` are the shell: arguments, files, threads,
//! output and the exit code (0 nothing at or above `--fail-level`, 1 otherwise, 2 usage or I/O).

pub mod config;
pub mod document;
pub mod finding;
pub mod format;
pub mod inputs;
pub mod lines;
pub mod markdown;
pub mod rules;
pub mod sections;
pub mod skip;
pub mod suppress;

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::ctx::Ctx;
use crate::error::{Outcome, Result};
use finding::{FileReport, Severity};
use format::Format;
use inputs::{Configs, Input};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes: 0 nothing at or above --fail-level, 1 findings at or above it, 2 usage or I/O errors\nSuppress inline with <!-- debrief-disable RULE: reason --> ... <!-- debrief-enable RULE -->\nor <!-- debrief-disable-next-line RULE: reason -->; allow rules and phrases in debrief.ron"
)]
pub struct Args {
    /// Markdown files or directories to lint ("-" reads stdin)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 when a finding is at least this severe
    #[arg(long, value_enum, default_value_t = Severity::Error, value_name = "LEVEL")]
    pub fail_level: Severity,
    /// Config file to use instead of the nearest debrief.ron above each file
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome> {
    let inputs = inputs::collect(&args.paths)?;
    let mut configs = Configs::new(args.config.as_deref())?;
    let jobs: Vec<(Input, Arc<config::Config>)> = inputs
        .into_iter()
        .map(|i| configs.for_input(&i).map(|c| (i, c)))
        .collect::<Result<_>>()?;
    let evaluator = ctx.evaluator()?;
    // Files are linted in parallel; collect keeps the sorted input order.
    let results: Vec<Result<FileReport>> = jobs
        .par_iter()
        .map(|(input, config)| {
            let text = inputs::read(input)?;
            Ok(document::lint(
                input.name().into(),
                text.into(),
                &evaluator,
                config,
            ))
        })
        .collect();
    // the first error in input order, so the message does not depend on thread timing
    let reports: Vec<FileReport> = results.into_iter().collect::<Result<_>>()?;
    let rendered = format::render(args.format, &reports, &evaluator);
    let mut out = io::stdout().lock();
    out.write_all(rendered.as_bytes())?;
    out.flush()?;
    let failed = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity >= args.fail_level);
    Ok(if failed {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}
