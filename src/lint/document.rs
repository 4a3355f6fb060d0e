//! Linting one document (pure: text in, report out): the evaluator's penalties on each block of
//! prose, the completeness gaps, then inline suppressions and the config's allow lists.

use std::sync::Arc;

use super::config::Config;
use super::finding::{FileReport, LintFinding, Severity};
use super::lines::Lines;
use super::markdown;
use super::rules;
use super::sections;
use super::suppress::Suppressions;
use crate::evaluator::{Evaluator, Scores};
use crate::phrasebank::Polarity;

/// Lint `text` (shown as `file`).
pub fn lint(file: Arc<str>, text: Arc<str>, evaluator: &Evaluator, config: &Config) -> FileReport {
    let doc = markdown::extract(&text);
    let lines = Lines::new(&text);
    let place = |span: std::ops::Range<usize>| {
        let (line, col) = lines.line_col(span.start);
        let (end_line, end_col) = lines.line_col(span.end.max(span.start));
        (line, col, end_line, end_col)
    };
    let mut findings = Vec::new();
    let mut mean = ScoreMean::default();
    // All blocks in one pass: the same findings as one scan per block, read faster.
    let blocks: Vec<&str> = doc.blocks.iter().map(|b| &doc.prose[b.clone()]).collect();
    let scanned = evaluator.scan_all(&blocks);
    for ((block, prose), found) in doc.blocks.iter().zip(&blocks).zip(scanned) {
        mean.add(evaluator.score_findings(&found), count_words(prose));
        for f in found
            .iter()
            .filter(|f| f.polarity == Polarity::Penalty && f.weight > 0)
        {
            let start = doc.src_start(block.start + f.start);
            let end = doc.src_end(block.start + f.end).max(start);
            let (line, col, end_line, end_col) = place(start..end);
            findings.push(LintFinding {
                file: file.clone(),
                line,
                col,
                end_line,
                end_col,
                rule: f.rule.clone(),
                dimension: f.dimension.as_str(),
                severity: Severity::of_weight(f.weight),
                message: f.message.clone(),
                suggestion: f.suggestion.clone(),
                span: start..end,
                whole_file: false,
            });
        }
    }

    let (gaps, missing_sections) = sections::check(&text, &doc, evaluator);
    let (suppressions, bad) = Suppressions::parse(&doc.comments, |at| lines.line_col(at).0);
    let own = gaps
        .into_iter()
        .map(|g| (g.rule, g.span, g.whole_file))
        .chain(bad.into_iter().map(|b| (b.rule.to_string(), b.span, false)));
    for (rule, span, whole_file) in own {
        let Some(r) = rules::get(&rule) else { continue };
        // a multi-line item or row is shown at its first line
        let (line, col, _, _) = place(span.clone());
        let end = if whole_file {
            span.start
        } else {
            span.end.min(lines.line_end(line)).max(span.start)
        };
        let (end_line, end_col) = lines.line_col(end);
        findings.push(LintFinding {
            file: file.clone(),
            line,
            col,
            end_line,
            end_col,
            rule: r.id.into(),
            dimension: if rule.starts_with("suppress-") {
                "suppression"
            } else {
                "completeness"
            },
            severity: r.severity,
            message: r.message.into(),
            suggestion: r.suggestion.into(),
            span: span.start..end,
            whole_file,
        });
    }

    findings.retain(|f| {
        !(config.allows_rule(&f.rule)
            || suppressions.silences(&f.rule, f.line, f.whole_file)
            || config.allows_phrase(&f.rule, &text, f.span.clone()))
    });
    // stable: at one place, evaluator findings in text order, then lint's own in table order
    // (the sections in the order a post-mortem has them)
    findings.sort_by_key(|f| (f.line, f.col));
    FileReport {
        file,
        text,
        findings,
        scores: mean.finish(evaluator),
        missing_sections,
    }
}

/// `text.split_whitespace().count()`. Lint counts the words of every block of every
/// document, and decoding each char to ask whether it is white space cost about 17
/// instructions a byte; for ASCII text (most prose) this counts the bytes that start a word
/// with two comparisons each (about 10 instructions a byte).
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // `char::is_whitespace` for ASCII: also \x0B, which `u8::is_ascii_whitespace` is not.
    let space = |b: u8| (b == b' ') | (b.wrapping_sub(b'\t') <= b'\r' - b'\t');
    let bytes = text.as_bytes();
    let first = bytes.first().is_some_and(|&b| !space(b));
    let starts = bytes
        .iter()
        .zip(bytes.get(1..).unwrap_or_default())
        .filter(|&(&a, &b)| space(a) & !space(b))
        .count();
    usize::from(first) + starts
}

/// The word-weighted mean of per-block scores: a long paragraph counts for more than a heading.
#[derive(Default)]
struct ScoreMean {
    sums: [u64; 3],
    words: u64,
}

impl ScoreMean {
    fn add(&mut self, s: Scores, words: usize) {
        let w = words as u64;
        self.sums[0] += u64::from(s.blamelessness) * w;
        self.sums[1] += u64::from(s.data) * w;
        self.sums[2] += u64::from(s.concision) * w;
        self.words += w;
    }

    fn finish(self, evaluator: &Evaluator) -> Scores {
        if self.words == 0 {
            return evaluator.score_findings(&[]);
        }
        let avg = |i: usize| ((self.sums[i] + self.words / 2) / self.words) as u8;
        Scores {
            blamelessness: avg(0),
            data: avg(1),
            concision: avg(2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_words_agrees_with_split_whitespace() {
        let texts = [
            "",
            " ",
            "one",
            "  two  words ",
            "tab\tvertical\x0Bform\x0Cfeed\rreturn\nline",
            "no\u{a0}break\u{3000}ideographic\u{2028}line\u{85}next",
            "café — naïve 日本 ’quoted’ \u{200b}zero-width",
            "\u{2003}\u{2003}em spaces\u{2003}",
        ];
        for t in texts {
            assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
        }
    }
}
