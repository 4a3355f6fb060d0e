//! `debrief history` and `debrief report`: past rehearsals, read back from the data dir's
//! `sessions/` (one JSON record per rehearsal, written by `rehearse`). A record that does
//! not parse is set aside with a warning, never deleted or overwritten.

use std::io::{self, Write};

use serde::Serialize;

use crate::ctx::Ctx;
use crate::error::{Error, Outcome, Result};
use crate::rehearse::record::Record;
use crate::rehearse::render::clock;
use crate::rehearse::scorecard::DimScores;
use crate::store::Loaded;

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Session id from `debrief history` (default: the latest)
    pub session: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
}

#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    scenario: &'a str,
    title: &'a str,
    started: &'a str,
    overall: u8,
    scores: DimScores,
    completed: bool,
}

/// Every saved session, oldest first.
fn load_all(ctx: &Ctx) -> Result<Vec<Record>> {
    let store = ctx.store()?;
    let dir = store.path("sessions");
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&dir, e)),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let mut records = Vec::new();
    for name in names {
        match store.read_json::<Record>(format!("sessions/{name}"))? {
            Loaded::Found(r) => records.push(r),
            Loaded::Missing => {}
            Loaded::SetAside { moved_to, reason } => ctx.warn(&format!(
                "a saved session did not parse and was set aside as {} ({reason})",
                moved_to.display()
            )),
        }
    }
    records.sort_by(|a, b| (&a.started, &a.id).cmp(&(&b.started, &b.id)));
    Ok(records)
}

pub fn run_history(args: HistoryArgs, ctx: &Ctx) -> Result<Outcome> {
    let records = load_all(ctx)?;
    let mut out = io::stdout().lock();
    if args.json {
        let entries: Vec<Entry<'_>> = records
            .iter()
            .map(|r| Entry {
                id: &r.id,
                scenario: &r.scenario,
                title: &r.title,
                started: &r.started,
                overall: r.scorecard.overall,
                scores: r.scorecard.scores,
                completed: r.scorecard.completed,
            })
            .collect();
        let text =
            serde_json::to_string_pretty(&entries).map_err(|e| Error::Other(e.to_string()))?;
        writeln!(out, "{text}")?;
        return Ok(Outcome::Success);
    }
    if records.is_empty() {
        writeln!(out, "no rehearsals yet: start one with `debrief rehearse`")?;
        return Ok(Outcome::Success);
    }
    writeln!(
        out,
        "{:<40} {:<20} {:>7}  {:>5} {:>5} {:>7}  moves",
        "id", "started", "overall", "blame", "data", "concise"
    )?;
    for r in &records {
        let c = &r.scorecard;
        let early = if c.completed { "" } else { "  (ended early)" };
        writeln!(
            out,
            "{:<40} {:<20} {:>7}  {:>5} {:>5} {:>7}  {}/{}{early}",
            r.id,
            r.started,
            c.overall,
            c.scores.blamelessness,
            c.scores.data,
            c.scores.concision,
            c.moves.met,
            c.moves.total
        )?;
    }
    Ok(Outcome::Success)
}

pub fn run_report(args: ReportArgs, ctx: &Ctx) -> Result<Outcome> {
    let records = load_all(ctx)?;
    let record = match &args.session {
        Some(id) => records.iter().find(|r| &r.id == id).ok_or_else(|| {
            Error::Usage(format!(
                "no saved session '{id}' (see `debrief history` for the ids)"
            ))
        })?,
        None => records.last().ok_or_else(|| {
            Error::Usage("no rehearsals yet: start one with `debrief rehearse`".into())
        })?,
    };
    let mut out = io::stdout().lock();
    match args.format {
        ReportFormat::Json => {
            let text =
                serde_json::to_string_pretty(record).map_err(|e| Error::Other(e.to_string()))?;
            writeln!(out, "{text}")?;
        }
        ReportFormat::Markdown => write!(out, "{}", markdown(record))?,
    }
    Ok(Outcome::Success)
}

/// The report as Markdown: scorecard first, then the transcript with each verdict.
pub fn markdown(r: &Record) -> String {
    let c = &r.scorecard;
    let mut s = format!("# Rehearsal: {}\n\n", r.title);
    s.push_str(&format!(
        "- session: `{}`\n- scenario: `{}` (seed {})\n- started: {}\n",
        r.id, r.scenario, r.seed, r.started
    ));
    if !c.completed {
        s.push_str("- the meeting ended early\n");
    }
    s.push_str(&format!(
        "\n## Scorecard\n\n**Overall {}** / 100\n\n",
        c.overall
    ));
    s.push_str("| dimension | average |\n|---|---:|\n");
    s.push_str(&format!(
        "| blamelessness | {} |\n| data | {} |\n| concision | {} |\n| moves met | {} of {} |\n\n",
        c.scores.blamelessness, c.scores.data, c.scores.concision, c.moves.met, c.moves.total
    ));
    s.push_str("| phase | spent | timebox |\n|---|---:|---:|\n");
    for p in &c.time.phases {
        let over = if p.over_s > 0 {
            format!(" ({} over)", clock(i64::from(p.over_s)))
        } else {
            String::new()
        };
        s.push_str(&format!(
            "| {} | {}{over} | {} |\n",
            p.title,
            clock(i64::from(p.spent_s)),
            clock(i64::from(p.timebox_s))
        ));
    }
    s.push_str(&format!(
        "\nMeeting clock {} of {} planned; tension at the end {}/100.\n",
        clock(i64::from(c.time.elapsed_s)),
        clock(i64::from(c.time.planned_s)),
        c.tension
    ));
    if !c.withdrawn.is_empty() {
        s.push_str(&format!("Went quiet: {}.\n", c.withdrawn.join(", ")));
    }
    s.push_str("\n### Practise next\n\n");
    for (i, p) in c.practise.iter().enumerate() {
        s.push_str(&format!("{}. {p}\n", i + 1));
    }
    s.push_str("\n## Transcript\n\n");
    for l in &r.transcript {
        let t = clock(i64::from(l.t_s));
        match l.who.as_str() {
            "you" => {
                let verdict = match (l.pass, l.scores) {
                    (Some(pass), Some(sc)) => format!(
                        " — {} (blameless {}, data {}, concise {})",
                        if pass { "pass" } else { "miss" },
                        sc.blamelessness,
                        sc.data,
                        sc.concision
                    ),
                    (Some(false), None) => " — skipped".to_string(),
                    _ => String::new(),
                };
                let after = l
                    .after
                    .map(|k| format!(" _({})_", k.situation()))
                    .unwrap_or_default();
                s.push_str(&format!("- `{t}` **You**{after}: {}{verdict}\n", l.text));
            }
            "narrator" => s.push_str(&format!("- `{t}` _{}_\n", l.text)),
            who => {
                let name = if l.name.is_empty() { who } else { &l.name };
                s.push_str(&format!("- `{t}` **{name}**: {}\n", l.text));
            }
        }
    }
    s
}
