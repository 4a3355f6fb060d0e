//! `debrief score`: one response in, a readable verdict (or JSON) out; `--jsonl` streams.

use std::io::{self, IsTerminal, Read, Write};

use colored::Colorize;

use crate::cli::{ScoreArgs, ScoreFormat};
use crate::ctx::Ctx;
use crate::error::{Error, Outcome, Result};
use crate::evaluator::Evaluation;
use crate::phrasebank::Polarity;
use crate::{prose, style};

mod jsonl;

pub fn run(args: ScoreArgs, ctx: &Ctx) -> Result<Outcome> {
    if args.jsonl {
        let evaluator = ctx.evaluator()?;
        return jsonl::stream(&evaluator, io::stdin().lock(), io::stdout().lock());
    }
    let text = match args.text.as_deref() {
        Some(t) if t != "-" => t.to_string(),
        _ => read_stdin()?,
    };
    if text.trim().is_empty() {
        return Err(Error::Usage(prose::SCORE_EMPTY.to_string()));
    }
    let evaluator = ctx.evaluator()?;
    let evaluation = evaluator.evaluate(&text, args.after);
    let mut out = io::stdout().lock();
    match args.format {
        ScoreFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &evaluation).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        ScoreFormat::Text => write!(out, "{}", render(&text, &evaluation))?,
    }
    Ok(Outcome::Success)
}

fn read_stdin() -> Result<String> {
    let stdin = io::stdin();
    if stdin.is_terminal() {
        return Err(Error::Usage(prose::SCORE_EMPTY.to_string()));
    }
    let mut bytes = Vec::new();
    stdin
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("<stdin>", e))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::Usage(format!(
            "<stdin>: byte {}: the text is not valid UTF-8",
            e.utf8_error().valid_up_to() + 1
        ))
    })
}

/// The human-readable verdict.
pub fn render(text: &str, e: &Evaluation) -> String {
    let mut s = String::new();
    s.push('\n');
    s.push_str(&style::score_bars(&e.scores, 20));
    s.push_str("\n\n");
    if let Some(m) = &e.move_verdict {
        let head = format!("  move after {}: {}", m.kind, m.expected);
        s.push_str(&head.bold().to_string());
        s.push('\n');
        if m.met {
            s.push_str(&format!("    {} made\n", style::mark(true)));
        } else {
            s.push_str(&format!("    {} missed\n", style::mark(false)));
        }
        for miss in &m.missing {
            s.push_str(&format!("    - {miss}\n"));
        }
        for add in &m.could_add {
            s.push_str(&format!("    + could add: {add}\n"));
        }
        s.push('\n');
    }
    s.push_str(&style::highlight(text, e, 76, "  "));
    s.push('\n');
    let problems: Vec<_> = e.problems().collect();
    if problems.is_empty() {
        s.push_str(&format!(
            "  {} {}\n",
            style::mark(true),
            prose::SCORE_NOTHING_FOUND
        ));
    }
    for f in problems {
        s.push_str(&format!(
            "  {} {} {}\n",
            style::mark(false),
            f.rule.bold(),
            f.message
        ));
        if f.end > f.start {
            s.push_str(&format!(
                "      at \"{}\"\n",
                style::excerpt(text, f.span(), 60)
            ));
        }
        if !f.suggestion.is_empty() {
            s.push_str(&format!("      {} {}\n", "try:".cyan(), f.suggestion));
        }
    }
    for f in e
        .findings
        .iter()
        .filter(|f| f.polarity == Polarity::Credit && f.weight > 0)
    {
        s.push_str(&format!(
            "  {} {} {}\n",
            style::mark(true),
            f.rule.bold(),
            f.message
        ));
    }
    s.push_str(&format!("\n  {}\n", prose::SCORE_LEGEND.dimmed()));
    s
}
