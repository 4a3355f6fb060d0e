//! Shared terminal rendering: score bars, pass marks, highlighted spans, wrapping. Only the
//! shell (commands, REPL) calls these; they return strings and print nothing.

use std::ops::Range;

use colored::Colorize;

use crate::evaluator::{Evaluation, Scores};
use crate::phrasebank::Polarity;

pub const PASS: u8 = 60;

/// `██████████░░░░░░░░░░  50` with the bar green at a pass and red below.
pub fn bar(score: u8, width: usize) -> String {
    let filled = (usize::from(score) * width + 50) / 100;
    let body = format!("{}{}", "█".repeat(filled), "░".repeat(width - filled));
    let body = if score >= PASS {
        body.green()
    } else {
        body.red()
    };
    format!("{body} {score:>3}")
}

/// A check or a cross, by score.
pub fn mark(pass: bool) -> String {
    if pass {
        "✓".green().bold().to_string()
    } else {
        "✗".red().bold().to_string()
    }
}

/// The three score bars, one per line, each with a label.
pub fn score_bars(scores: &Scores, width: usize) -> String {
    let rows = [
        ("blamelessness", scores.blamelessness),
        ("data", scores.data),
        ("concision", scores.concision),
    ];
    rows.iter()
        .map(|(name, s)| format!("  {name:<14}{} {}", bar(*s, width), mark(*s >= PASS)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The three scores on one line: `blame ████░ 87  data ██░░ 40  concise ████ 95`.
pub fn score_line(scores: &Scores) -> String {
    format!(
        "blameless {}  data {}  concise {}",
        bar(scores.blamelessness, 8),
        bar(scores.data, 8),
        bar(scores.concision, 8)
    )
}

/// Break `text` into lines of at most `width` chars at spaces; returns byte ranges.
pub fn wrap(text: &str, width: usize) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    for (para_start, para) in split_keep_offsets(text, '\n') {
        let mut start = para_start;
        let mut last_space: Option<usize> = None;
        let mut count = 0;
        for (i, c) in para.char_indices() {
            let at = para_start + i;
            if c == ' ' {
                last_space = Some(at);
            }
            count += 1;
            if count > width {
                if let Some(sp) = last_space.filter(|&sp| sp > start) {
                    lines.push(start..sp);
                    start = sp + 1;
                    count = text[start..=at].chars().count();
                    last_space = None;
                }
            }
        }
        lines.push(start..para_start + para.len());
    }
    lines
}

fn split_keep_offsets(text: &str, sep: char) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == sep {
            out.push((start, &text[start..i]));
            start = i + c.len_utf8();
        }
    }
    out.push((start, &text[start..]));
    out
}

/// The response with its problem spans marked: colored in red on a terminal, and with a caret
/// line under each wrapped line either way, so piped output still shows where.
pub fn highlight(text: &str, evaluation: &Evaluation, width: usize, indent: &str) -> String {
    let spans: Vec<Range<usize>> = evaluation
        .findings
        .iter()
        .filter(|f| f.polarity == Polarity::Penalty && f.end > f.start)
        .map(|f| f.span())
        .collect();
    let inside = |at: usize| spans.iter().any(|s| s.start <= at && at < s.end);
    let mut out = String::new();
    for line in wrap(text, width) {
        let mut shown = String::new();
        let mut carets = String::new();
        for (i, c) in text[line.clone()].char_indices() {
            let at = line.start + i;
            if inside(at) {
                shown.push_str(&c.to_string().red().bold().to_string());
                carets.push('^');
            } else {
                shown.push(c);
                carets.push(' ');
            }
        }
        out.push_str(indent);
        out.push_str(&shown);
        out.push('\n');
        if carets.contains('^') {
            out.push_str(indent);
            out.push_str(&carets.trim_end().red().to_string());
            out.push('\n');
        }
    }
    out
}

/// A short excerpt of `text[span]` for messages, at most `max` chars.
pub fn excerpt(text: &str, span: Range<usize>, max: usize) -> String {
    let s = text.get(span).unwrap_or("").trim();
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces() {
        let t = "one two three four";
        let lines: Vec<&str> = wrap(t, 9).into_iter().map(|r| &t[r]).collect();
        assert_eq!(lines, ["one two", "three", "four"]);
    }

    #[test]
    fn bar_width_is_fixed() {
        colored::control::set_override(false);
        assert_eq!(bar(50, 10), "█████░░░░░  50");
        assert_eq!(bar(100, 10), "██████████ 100");
    }
}
