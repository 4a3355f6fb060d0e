//! `debrief scenarios list [--json]` and `debrief scenarios show ID`: what a facilitator
//! can rehearse, and the brief, cast, agenda and facts of one scenario.

use std::io::{self, Write};

use colored::Colorize;
use serde::Serialize;

use super::{builtin, resolve, Scenario};
use crate::beat::BeatKind;
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
    Show {
        /// A built-in id (see `scenarios list`) or a path to a .ron file
        id: String,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    title: &'a str,
    difficulty: &'a str,
    beat_kinds: Vec<BeatKind>,
    phases: usize,
    planned_min: u32,
}

fn listed(s: &Scenario) -> Listed<'_> {
    Listed {
        id: &s.id,
        title: &s.title,
        difficulty: s.difficulty.as_str(),
        beat_kinds: s.beat_kinds(),
        phases: s.phases.len(),
        planned_min: s.planned_s() / 60,
    }
}

pub fn run(args: Args, _ctx: &Ctx) -> Result<Outcome> {
    match args.action.unwrap_or(Action::List { json: false }) {
        Action::List { json } => list(json),
        Action::Show { id, json } => show(&id, json),
    }
}

fn to_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Other(e.to_string()))
}

fn list(json: bool) -> Result<Outcome> {
    let all = builtin()?;
    let mut out = io::stdout().lock();
    if json {
        let v: Vec<Listed<'_>> = all.iter().map(listed).collect();
        writeln!(out, "{}", to_json(&v)?)?;
        return Ok(Outcome::Success);
    }
    for s in &all {
        let kinds: Vec<&str> = s.beat_kinds().iter().map(|k| k.as_str()).collect();
        writeln!(
            out,
            "{:<24} {:<9} {}\n{:<34} {}",
            s.id.bold(),
            s.difficulty.as_str(),
            s.title,
            "",
            kinds.join(", ").dimmed()
        )?;
    }
    writeln!(out, "\nrehearse one with: debrief rehearse --scenario ID")?;
    Ok(Outcome::Success)
}

#[derive(Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    listed: Listed<'a>,
    brief: &'a str,
    cast: Vec<(&'a str, &'a super::Character)>,
    agenda: Vec<(&'a str, &'a str, u32)>,
    facts: &'a super::Facts,
}

fn show(id: &str, json: bool) -> Result<Outcome> {
    let s = resolve(Some(id))?;
    let mut out = io::stdout().lock();
    if json {
        let v = Shown {
            listed: listed(&s),
            brief: &s.brief,
            cast: s.cast.iter().map(|(k, c)| (k.as_str(), c)).collect(),
            agenda: s
                .phases
                .iter()
                .map(|p| (p.id.as_str(), p.title.as_str(), p.timebox_min))
                .collect(),
            facts: &s.facts,
        };
        writeln!(out, "{}", to_json(&v)?)?;
        return Ok(Outcome::Success);
    }
    writeln!(
        out,
        "{} ({}, {})",
        s.title.bold(),
        s.id,
        s.difficulty.as_str()
    )?;
    writeln!(out)?;
    for r in crate::style::wrap(&s.brief, 78) {
        writeln!(out, "{}", &s.brief[r])?;
    }
    writeln!(out, "\n{}", "Cast".bold())?;
    for c in s.cast.values() {
        writeln!(out, "  {:<10} {}", c.name, c.role)?;
    }
    writeln!(out, "\n{}", "Agenda".bold())?;
    for (i, p) in s.phases.iter().enumerate() {
        writeln!(out, "  {}. {:<42} {:>3} min", i + 1, p.title, p.timebox_min)?;
    }
    let f = &s.facts;
    writeln!(out, "\n{}", "Facts".bold())?;
    writeln!(
        out,
        "  started {}, resolved {} (MTTR {} min)\n  blast radius: {}\n  SLO: {}",
        f.started, f.resolved, f.mttr_min, f.blast_radius, f.slo
    )?;
    for (t, what) in &f.timeline {
        writeln!(out, "  {t:>6}  {what}")?;
    }
    for (k, v) in &f.figures {
        writeln!(out, "  {k}: {v}")?;
    }
    let kinds: Vec<&str> = s.beat_kinds().iter().map(|k| k.as_str()).collect();
    writeln!(out, "\n{} {}", "Moments:".bold(), kinds.join(", "))?;
    Ok(Outcome::Success)
}
