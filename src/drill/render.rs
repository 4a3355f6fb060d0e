//! Drill events as terminal text (shared by the REPL and the scripted runner). Returns
//! strings; color follows the `colored` override the context set.

use colored::Colorize;

use crate::drill::quiz::{Answered, Event, Question, Summary};
use crate::style;

const WIDTH: usize = 76;

fn wrapped(text: &str, indent: &str) -> String {
    let mut out = String::new();
    for range in style::wrap(text, WIDTH - indent.len()) {
        out.push_str(indent);
        out.push_str(text[range].trim());
        out.push('\n');
    }
    out
}

pub fn question(q: &Question) -> String {
    let again = if q.repeat { ", again" } else { "" };
    let head = format!("[{}/{}] {}{again}: {}", q.number, q.total, q.mode, q.ask);
    let mut out = format!("\n{}\n", head.bold());
    out.push_str(&wrapped(&q.prompt, "  "));
    if let Some(choices) = &q.choices {
        for (i, c) in choices.iter().enumerate() {
            let label = char::from(b'a' + i as u8);
            let body = wrapped(c, "     ");
            out.push_str(&format!("  {label}) {}", body.trim_start()));
        }
    }
    out
}

pub fn result(r: &Answered) -> String {
    let mut out = String::new();
    if r.skipped {
        out.push_str(&format!(
            "{} skipped: the answer is {}\n",
            "-".dimmed(),
            r.expected.bold()
        ));
    } else if r.correct {
        out.push_str(&format!(
            "{} right: {}\n",
            "✓".green().bold(),
            r.expected.bold()
        ));
    } else {
        out.push_str(&format!(
            "{} not quite: the answer is {}\n",
            "✗".red().bold(),
            r.expected.bold()
        ));
    }
    if !r.skipped {
        // The headline already gives the answer; the JSON note repeats it for machines.
        for note in r.notes.iter().filter(|n| !n.starts_with("the answer is ")) {
            out.push_str(&wrapped(note, "  "));
        }
    }
    if !r.correct || r.skipped {
        out.push_str(&wrapped(&format!("e.g. \"{}\"", r.example), "  "));
    }
    if !r.correct && !r.skipped {
        out.push_str(&format!("  {}\n", "(graded wrongly? type :right)".dimmed()));
    }
    out
}

pub fn summary(s: &Summary) -> String {
    let mut out = format!(
        "\n{} {} of {} right",
        "drill done:".bold(),
        s.correct,
        s.asked
    );
    if s.skipped > 0 {
        out.push_str(&format!(", {} skipped", s.skipped));
    }
    out.push('\n');
    if !s.missed.is_empty() {
        out.push_str(&format!("  to review: {}\n", s.missed.join(", ")));
    }
    out.push_str("  progress saved; `debrief drill stats` shows your boxes\n");
    out
}

/// One event as text (`Record` events are saved, not shown).
pub fn event(e: &Event) -> String {
    match e {
        Event::Question(q) => question(q),
        Event::Result(r) => result(r),
        Event::Overridden { term, .. } => {
            format!(
                "{} overturned: {term} counted as right\n",
                "✓".green().bold()
            )
        }
        Event::Notice(m) => format!("{m}\n"),
        Event::End(s) => summary(s),
        Event::Record { .. } => String::new(),
    }
}
