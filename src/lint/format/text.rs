//! `--format text`: compiler-style findings (`file:line:col: error[rule] message`, the line with
//! the words underlined, a `try:` suggestion), then each file's scores and a one-line total.
//! Colors come from `colored`, which the context has already switched off when not on a terminal.

use colored::Colorize;

use crate::lint::finding::{FileReport, LintFinding, Severity};
use crate::lint::lines::Lines;
use crate::prose;

/// Lines longer than this are shown as a window around the finding.
const MAX_WIDTH: usize = 100;

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings) = (0, 0);
    for report in reports {
        let lines = Lines::new(&report.text);
        for f in &report.findings {
            match f.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            finding(&mut out, f, &lines);
        }
    }
    for report in reports {
        let s = report.scores;
        let mut line = format!(
            "{}: blamelessness {}, data {}, concision {}",
            report.file.bold(),
            s.blamelessness,
            s.data,
            s.concision
        );
        if !report.missing_sections.is_empty() {
            line.push_str(&format!(
                "; missing sections: {}",
                report.missing_sections.join(", ")
            ));
        }
        out.push_str(&line);
        out.push('\n');
    }
    let files = match reports.len() {
        1 => "1 file".to_string(),
        n => format!("{n} files"),
    };
    if errors + warnings == 0 {
        out.push_str(&format!("{} ({files})\n", prose::LINT_CLEAN.green()));
    } else {
        let plural = |n: usize, what: &str| {
            if n == 1 {
                format!("1 {what}")
            } else {
                format!("{n} {what}s")
            }
        };
        out.push_str(&format!(
            "{}, {} in {files}\n",
            plural(errors, "error").red().bold(),
            plural(warnings, "warning").yellow().bold()
        ));
    }
    out
}

fn finding(out: &mut String, f: &LintFinding, lines: &Lines<'_>) {
    let label = match f.severity {
        Severity::Error => format!("error[{}]", f.rule).red().bold(),
        Severity::Warning => format!("warning[{}]", f.rule).yellow().bold(),
    };
    out.push_str(&format!(
        "{}: {label} {}\n",
        format!("{}:{}:{}", f.file, f.line, f.col).bold(),
        f.message
    ));
    if !f.whole_file {
        let text = lines.line(f.line);
        let chars: Vec<char> = text.chars().collect();
        let from = f.col - 1;
        let to = if f.end_line == f.line {
            (f.end_col - 1).max(from + 1)
        } else {
            chars.len().max(from + 1)
        };
        let (start, end) = window(chars.len(), from, MAX_WIDTH);
        let mut shown: String = chars[start..end].iter().collect();
        let mut offset = from - start;
        if start > 0 {
            shown.insert(0, '…');
            offset += 1;
        }
        if end < chars.len() {
            shown.push('…');
        }
        let width = to.min(end).saturating_sub(from).max(1);
        let number = f.line.to_string();
        let pad = " ".repeat(number.len());
        let bar = "|".blue().bold();
        out.push_str(&format!("{pad} {bar}\n"));
        out.push_str(&format!("{} {bar} {shown}\n", number.blue().bold()));
        let marks = "^".repeat(width);
        let marks = match f.severity {
            Severity::Error => marks.red().bold(),
            Severity::Warning => marks.yellow().bold(),
        };
        out.push_str(&format!("{pad} {bar} {}{marks}\n", " ".repeat(offset)));
    }
    if !f.suggestion.is_empty() {
        let pad = " ".repeat(f.line.to_string().len());
        out.push_str(&format!("{pad} {} {}\n", "= try:".cyan(), f.suggestion));
    }
    out.push('\n');
}

/// The char range of a line to show so column `at` is visible within `max` chars.
fn window(len: usize, at: usize, max: usize) -> (usize, usize) {
    if len <= max {
        return (0, len);
    }
    let start = at.saturating_sub(max / 3).min(len - max);
    (start, start + max)
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn long_lines_are_windowed_around_the_finding() {
        assert_eq!(window(50, 10, 100), (0, 50));
        assert_eq!(window(300, 200, 100), (167, 267));
        assert_eq!(window(300, 290, 100), (200, 300));
    }
}
