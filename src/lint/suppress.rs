//! Inline suppressions, written as HTML comments so they never show in rendered Markdown:
//! `<!-- debrief-disable RULE[, RULE]: reason -->` ... `<!-- debrief-enable RULE -->`, and
//! `<!-- debrief-disable-next-line RULE: reason -->`. A rule may end in `*` (`blame-*`). A
//! missing reason still suppresses but is itself reported, so exceptions stay explained.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::markdown::Comment;

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<!--\s*debrief-(disable-next-line|disable|enable)\b(.*?)-->")
        .expect("directive pattern")
});

/// Lines (1-based, inclusive) where some rules are off.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Region {
    rules: Vec<String>,
    lines: Range<usize>,
    /// A `disable` (not next-line): also silences whole-file findings for its rules.
    block: bool,
}

/// A problem with a directive itself, at a byte span of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadDirective {
    pub rule: &'static str,
    pub span: Range<usize>,
}

#[derive(Debug, Default)]
pub struct Suppressions {
    regions: Vec<Region>,
}

fn matches(pattern: &str, rule: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => rule.starts_with(prefix),
        None => pattern == rule,
    }
}

impl Suppressions {
    /// Read the directives in `comments`; `line_of` maps a byte offset to its 1-based line.
    pub fn parse(
        comments: &[Comment],
        line_of: impl Fn(usize) -> usize,
    ) -> (Suppressions, Vec<BadDirective>) {
        let mut regions: Vec<Region> = Vec::new();
        let mut bad = Vec::new();
        for comment in comments {
            for m in DIRECTIVE.captures_iter(&comment.text) {
                let whole = m.get(0).map_or(0..0, |g| g.range());
                let span = comment.src.start + whole.start..comment.src.start + whole.end;
                let body = m.get(2).map_or("", |g| g.as_str());
                let (rules_part, reason) = match body.split_once(':') {
                    Some((r, why)) => (r, why.trim()),
                    None => (body, ""),
                };
                let rules: Vec<String> = rules_part
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|r| !r.is_empty())
                    .map(str::to_string)
                    .collect();
                let kind = m.get(1).map_or("", |g| g.as_str());
                if rules.is_empty() {
                    bad.push(BadDirective {
                        rule: "suppress-no-rule",
                        span,
                    });
                    continue;
                }
                let first = line_of(span.start);
                let last = line_of(span.end.saturating_sub(1));
                match kind {
                    "enable" => {
                        // close every open region naming these rules; rules it named besides
                        // them stay off in a new region from here
                        let mut reopened = Vec::new();
                        for region in regions
                            .iter_mut()
                            .filter(|r| r.block && r.lines.end == usize::MAX)
                        {
                            if !region.rules.iter().any(|p| rules.contains(p)) {
                                continue;
                            }
                            region.lines.end = first;
                            let rest: Vec<String> = region
                                .rules
                                .iter()
                                .filter(|p| !rules.contains(p))
                                .cloned()
                                .collect();
                            if !rest.is_empty() {
                                reopened.push(Region {
                                    rules: rest,
                                    lines: first..usize::MAX,
                                    block: true,
                                });
                            }
                        }
                        regions.extend(reopened);
                    }
                    _ => {
                        if reason.is_empty() {
                            bad.push(BadDirective {
                                rule: "suppress-no-reason",
                                span: span.clone(),
                            });
                        }
                        let block = kind == "disable";
                        let lines = if block {
                            first..usize::MAX
                        } else {
                            last + 1..last + 2
                        };
                        regions.push(Region {
                            rules,
                            lines,
                            block,
                        });
                    }
                }
            }
        }
        (Suppressions { regions }, bad)
    }

    /// Whether `rule` is off at 1-based `line` (or, for a whole-file finding, anywhere).
    pub fn silences(&self, rule: &str, line: usize, whole_file: bool) -> bool {
        self.regions.iter().any(|r| {
            r.rules.iter().any(|p| matches(p, rule))
                && if whole_file {
                    r.block
                } else {
                    r.lines.contains(&line)
                }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sup(md: &str) -> (Suppressions, Vec<BadDirective>) {
        let doc = crate::lint::markdown::extract(md);
        let lines = crate::lint::lines::Lines::new(md);
        Suppressions::parse(&doc.comments, |at| lines.line_col(at).0)
    }

    #[test]
    fn regions_and_next_line() {
        let md = "a\n\n<!-- debrief-disable blame-*: quoting the ticket -->\n\nb\n\n<!-- debrief-enable blame-* -->\n\nc\n<!-- debrief-disable-next-line data-guess: from the vendor -->\nd\n\ne\n";
        let (s, bad) = sup(md);
        assert!(bad.is_empty());
        assert!(!s.silences("blame-agentive", 1, false));
        assert!(s.silences("blame-agentive", 5, false));
        assert!(!s.silences("blame-agentive", 9, false));
        assert!(s.silences("data-guess", 11, false));
        assert!(!s.silences("data-guess", 13, false));
    }

    #[test]
    fn missing_reason_and_rule_are_reported() {
        let (s, bad) =
            sup("<!-- debrief-disable section-missing-metrics -->\n\n<!-- debrief-disable -->\n");
        let rules: Vec<_> = bad.iter().map(|b| b.rule).collect();
        assert_eq!(rules, vec!["suppress-no-reason", "suppress-no-rule"]);
        assert!(s.silences("section-missing-metrics", 1, true));
    }

    #[test]
    fn directives_inside_code_are_ignored() {
        let (s, _) = sup("```\n<!-- debrief-disable blame-*: x -->\n```\n\nb\n");
        assert!(!s.silences("blame-agentive", 5, false));
    }
}
