//! Events as readable text for the REPL and the scripted transcript. Color comes from
//! `colored`, whose override the context already set (`--color`, `NO_COLOR`, tty).

use colored::Colorize;

use super::event::{AgendaItem, Event, FactSheet, PhaseState};
use super::scorecard::Scorecard;
use crate::phrasebank::Polarity;
use crate::style;

const WIDTH: usize = 78;

/// `m:ss`, with a minus sign when negative.
pub fn clock(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    format!("{sign}{}:{:02}", s / 60, s % 60)
}

fn wrapped(text: &str, indent: &str) -> String {
    style::wrap(text, WIDTH - indent.len())
        .into_iter()
        .map(|r| format!("{indent}{}", &text[r]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The tension meter: `tension ███░░░░░░░ 30`.
pub fn meter(value: u8) -> String {
    let filled = (usize::from(value) + 5) / 10;
    let body = format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled.min(10)));
    let body = match value {
        0..=39 => body.green(),
        40..=69 => body.yellow(),
        _ => body.red(),
    };
    format!("tension {body} {value:>3}")
}

/// Each event's text, a line each (events with nothing to show are skipped).
pub fn write_events(out: &mut impl std::io::Write, events: &[Event]) -> std::io::Result<()> {
    for e in events {
        let text = event(e);
        if !text.is_empty() {
            writeln!(out, "{text}")?;
        }
    }
    Ok(())
}

/// One event as text (empty for events that only matter to machines, like `await`).
pub fn event(e: &Event) -> String {
    match e {
        Event::Start {
            title,
            seed,
            brief,
            cast,
            agenda,
            tension,
            ..
        } => {
            let mut s = format!("{} {}\n\n", "━━".dimmed(), title.bold());
            s.push_str(&wrapped(brief, ""));
            s.push_str("\n\nAround the table:\n");
            for c in cast {
                s.push_str(&format!("  {}, {}\n", c.name.bold(), c.role));
            }
            s.push_str("\nAgenda:\n");
            s.push_str(&agenda_text(agenda));
            s.push_str(&format!(
                "\n{}   (seed {seed}; :help lists commands)",
                meter(*tension)
            ));
            s
        }
        Event::Phase {
            title,
            timebox_s,
            squeezed_s,
            ..
        } => {
            let squeezed = if *squeezed_s > 0 {
                format!(", squeezed by {}", clock(i64::from(*squeezed_s)))
            } else {
                String::new()
            };
            format!(
                "\n{} {} {}",
                "──".dimmed(),
                title.bold().cyan(),
                format!("(timebox {}{squeezed})", clock(i64::from(*timebox_s))).dimmed()
            )
        }
        Event::Say {
            name,
            role,
            text,
            cue,
            ..
        } => {
            let who = format!("{name} ({role})");
            let lead = match cue {
                Some("interjection") => format!("{} {}", who.bold(), "cuts in:".dimmed()),
                Some(_) => format!("{}:", who.bold().red()),
                None => format!("{}:", who.bold()),
            };
            format!("{lead} {text}")
        }
        Event::Narrate { text } => format!("  {}", format!("* {text}").italic().dimmed()),
        Event::Await { .. } => String::new(),
        Event::Feedback {
            pass,
            skipped,
            scores,
            move_verdict,
            findings,
            ..
        } => {
            let mut s = format!("  {} ", style::mark(*pass));
            if *skipped {
                s.push_str("skipped");
            } else {
                s.push_str(&style::score_line(scores));
            }
            if let Some(m) = move_verdict {
                if m.met {
                    s.push_str(&format!(" · move made: {}", m.expected));
                } else {
                    s.push_str(&format!(
                        " · {}: {}",
                        "move missed".red(),
                        m.missing.first().unwrap_or(&m.expected)
                    ));
                }
            }
            let worst = findings
                .iter()
                .filter(|f| f.polarity == Polarity::Penalty)
                .max_by_key(|f| (f.weight, std::cmp::Reverse(f.start)));
            if let Some(f) = worst {
                s.push_str(&format!(" · {} → {}", f.message, f.suggestion.green()));
            }
            s
        }
        Event::Mood { name, mood, .. } => format!(
            "  {}",
            format!("* {name} is now {}", mood.as_str())
                .italic()
                .dimmed()
        ),
        Event::Tension { value, delta } => {
            let arrow = if *delta > 0 { "▲" } else { "▼" };
            format!("  {} {arrow}{}", meter(*value), delta.abs())
        }
        Event::Spend { seconds, why } => format!(
            "  {}",
            format!("* {} pass: {why}", clock(i64::from(*seconds)))
                .italic()
                .dimmed()
        ),
        Event::Overrun { title, by_s, .. } => format!(
            "  {} '{title}' ran {} over its timebox; the time comes out of later phases",
            "!".yellow().bold(),
            clock(i64::from(*by_s))
        ),
        Event::Facts { facts } => facts_text(facts),
        Event::Agenda { agenda } => agenda_text(agenda),
        Event::Time {
            elapsed_s,
            planned_s,
            phase,
            phase_left_s,
        } => format!(
            "  meeting clock {} of {} planned; {} left in '{phase}'",
            clock(i64::from(*elapsed_s)),
            clock(i64::from(*planned_s)),
            clock(*phase_left_s)
        ),
        Event::Hint {
            expected,
            hint,
            example,
            ..
        } => format!(
            "  the move: {expected}\n{}\n  for example: {}",
            wrapped(hint, "  "),
            example.green()
        ),
        Event::Why { text } => text
            .iter()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
        Event::Help { commands } => commands
            .iter()
            .map(|(c, h)| format!("  {c:<8} {h}"))
            .collect::<Vec<_>>()
            .join("\n"),
        Event::Notice { text } => format!("  ({text})"),
        Event::End {
            completed,
            scorecard,
        } => scorecard_text(scorecard, *completed),
    }
}

fn agenda_text(agenda: &[AgendaItem]) -> String {
    agenda
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mark = match a.state {
                PhaseState::Done => "✓",
                PhaseState::Current => "▶",
                PhaseState::Upcoming => " ",
            };
            let spent = if a.state == PhaseState::Upcoming {
                String::new()
            } else {
                format!("  (spent {})", clock(i64::from(a.spent_s)))
            };
            format!(
                "  {mark} {}. {:<40} {:>6}{spent}\n",
                i + 1,
                a.title,
                clock(i64::from(a.timebox_s))
            )
        })
        .collect()
}

fn facts_text(f: &FactSheet) -> String {
    let mut s = format!(
        "  started {}, resolved {} (MTTR {} min)\n  blast radius: {}\n  SLO: {}\n  timeline:\n",
        f.started, f.resolved, f.mttr_min, f.blast_radius, f.slo
    );
    for (t, what) in &f.timeline {
        s.push_str(&format!("    {t:>6}  {what}\n"));
    }
    if !f.figures.is_empty() {
        s.push_str("  figures:\n");
        for (k, v) in &f.figures {
            s.push_str(&format!("    {k}: {v}\n"));
        }
    }
    if !f.offered.is_empty() {
        s.push_str("  offered in the meeting:\n");
        for o in &f.offered {
            s.push_str(&format!("    - {o}\n"));
        }
    }
    s.trim_end().to_string()
}

pub fn scorecard_text(c: &Scorecard, completed: bool) -> String {
    let title = if completed {
        "Scorecard"
    } else {
        "Scorecard (meeting ended early)"
    };
    let mut s = format!("\n{} {}\n", "━━".dimmed(), title.bold());
    s.push_str(&format!("  overall {}\n", style::bar(c.overall, 20)));
    s.push_str(&style::score_bars(
        &crate::evaluator::Scores {
            blamelessness: c.scores.blamelessness,
            data: c.scores.data,
            concision: c.scores.concision,
        },
        20,
    ));
    s.push_str(&format!(
        "\n  moves met     {} of {}\n",
        c.moves.met, c.moves.total
    ));
    s.push_str(&format!(
        "  time          {} of {} planned\n",
        clock(i64::from(c.time.elapsed_s)),
        clock(i64::from(c.time.planned_s))
    ));
    for p in &c.time.phases {
        let over = if p.over_s > 0 {
            format!("  {} over", clock(i64::from(p.over_s)))
                .red()
                .to_string()
        } else {
            String::new()
        };
        s.push_str(&format!(
            "    {:<40} {:>6} / {:>6}{over}\n",
            p.title,
            clock(i64::from(p.spent_s)),
            clock(i64::from(p.timebox_s))
        ));
    }
    s.push_str(&format!("  {}\n", meter(c.tension)));
    if !c.withdrawn.is_empty() {
        s.push_str(&format!("  went quiet: {}\n", c.withdrawn.join(", ")));
    }
    s.push_str("  practise next:\n");
    for (i, p) in c.practise.iter().enumerate() {
        s.push_str(&wrapped(&format!("{}. {p}", i + 1), "    "));
        s.push('\n');
    }
    s.trim_end().to_string()
}
