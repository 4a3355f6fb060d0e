//! `debrief explain RULE` prints a rule's own record; `--list` lists them all. The phrasebank
//! is the documentation, so nothing here is written twice.

use std::io::{self, Write};

use colored::Colorize;

use crate::cli::ExplainArgs;
use crate::ctx::Ctx;
use crate::error::{Error, Outcome, Result};
use crate::phrasebank::Rule;

pub fn run(args: ExplainArgs, ctx: &Ctx) -> Result<Outcome> {
    let evaluator = ctx.evaluator()?;
    let bank = evaluator.phrasebank();
    let mut out = io::stdout().lock();
    if args.list {
        let width = bank.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
        for rule in &bank.rules {
            writeln!(
                out,
                "{:<width$}  {:<13}  {}",
                rule.id,
                rule.dimension.as_str(),
                rule.message
            )?;
        }
        return Ok(Outcome::Success);
    }
    let id = args.rule.unwrap_or_default();
    let Some(rule) = bank.rule(&id) else {
        let near = bank
            .rules
            .iter()
            .map(|r| (strsim::jaro_winkler(&r.id, &id), &r.id))
            .filter(|(s, _)| *s > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let hint = match near {
            Some((_, name)) => format!(" (did you mean '{name}'?)"),
            None => " (see `debrief explain --list`)".to_string(),
        };
        return Err(Error::Usage(format!("unknown rule '{id}'{hint}")));
    };
    write!(out, "{}", render(rule))?;
    Ok(Outcome::Success)
}

pub fn render(rule: &Rule) -> String {
    let mut s = String::new();
    let kind = format!("{} {}", rule.dimension.as_str(), rule.polarity.as_str());
    let weight = if rule.weight > 0 {
        format!(", weight {}", rule.weight)
    } else {
        String::new()
    };
    s.push_str(&format!("{}  ({kind}{weight})\n\n", rule.id.bold()));
    s.push_str(&format!("{}\n\n", rule.message));
    s.push_str(&format!("{}\n  {}\n\n", "Why:".bold(), rule.rationale));
    if !rule.suggestion.is_empty() {
        s.push_str(&format!("{}\n  {}\n\n", "Instead:".bold(), rule.suggestion));
    }
    s.push_str(&format!("{}\n", "Flags:".bold()));
    for e in &rule.examples.matches {
        s.push_str(&format!("  {} {e}\n", "✗".red()));
    }
    s.push_str(&format!("{}\n", "Does not flag:".bold()));
    for e in &rule.examples.no_match {
        s.push_str(&format!("  {} {e}\n", "✓".green()));
    }
    if !rule.signals.is_empty() {
        s.push_str(&format!(
            "\n{} {}\n",
            "Move signals:".bold(),
            rule.signals.join(", ")
        ));
    }
    s
}
