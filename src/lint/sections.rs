//! Completeness: the sections a post-mortem needs (found by heading synonyms), action items
//! with an owner and a deadline, a timeline with timestamps, an impact with numbers. A promise
//! that "it will never happen again" is caught by the phrasebank's `data-guarantee` rule.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::markdown::{Extract, Heading, Item, Row};
use crate::evaluator::Evaluator;

/// A section the document should have, and the heading words that name it.
pub struct Section {
    /// Also the suffix of the `section-missing-*` rule.
    pub id: &'static str,
    pub synonyms: &'static [&'static str],
}

pub const SECTIONS: &[Section] = &[
    Section {
        id: "timeline",
        synonyms: &[
            "timeline",
            "chronology",
            "sequence of events",
            "what happened",
            "events",
            "incident log",
        ],
    },
    Section {
        id: "impact",
        synonyms: &[
            "impact",
            "blast radius",
            "affected",
            "who was affected",
            "scope",
            "severity",
            "customer impact",
            "user impact",
        ],
    },
    Section {
        id: "root-cause",
        synonyms: &[
            "root cause",
            "root causes",
            "contributing factor",
            "contributing factors",
            "causes",
            "cause",
            "causal analysis",
            "analysis",
            "why it happened",
            "what went wrong",
            "five whys",
            "5 whys",
            "trigger",
        ],
    },
    Section {
        id: "action-items",
        synonyms: &[
            "action items",
            "action item",
            "actions",
            "follow up",
            "follow ups",
            "followups",
            "next steps",
            "remediation",
            "remediations",
            "corrective actions",
            "preventive actions",
            "repair items",
            "todo",
            "to do",
            "tasks",
        ],
    },
    Section {
        id: "lessons",
        synonyms: &[
            "lessons learned",
            "lessons",
            "learnings",
            "what went well",
            "what went poorly",
            "what went badly",
            "where we got lucky",
            "takeaways",
            "retrospective",
            "reflections",
        ],
    },
    Section {
        id: "metrics",
        synonyms: &[
            "metrics",
            "measuring success",
            "measures of success",
            "success criteria",
            "tracking progress",
            "progress tracking",
            "kpi",
            "kpis",
            "indicators",
            "how we will know",
            "how we ll know",
        ],
    },
];

/// A completeness finding before it gets a position: rule id and file byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub rule: String,
    pub span: Range<usize>,
    pub whole_file: bool,
}

static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:[01]?\d|2[0-3]):[0-5]\d\b|\b\d{4}-\d{2}-\d{2}\b|\bt\s?[+-]\s?\d+|\b\d{1,2}\s?(?:am|pm)\b",
    )
    .expect("timestamp pattern")
});

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|half|dozens?|percent)\b",
    )
    .expect("number pattern")
});

static OWNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[\s(\[])@[a-z0-9][\w.-]*|\b(?:owners?|assignee|assigned to|dri|responsible)\s*[:=]\s*\S")
        .expect("owner pattern")
});

static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b\d{4}-\d{2}-\d{2}\b|\b(?:due|deadline|target date|eta)\s*[:=]\s*\S|\bq[1-4]\b",
    )
    .expect("deadline pattern")
});

static EMPTY_CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:|-+|\?+|tbd|tba|n/?a|none|unassigned|todo)\s*$").expect("empty cell")
});

/// Heading text reduced to lowercase words, padded with spaces for whole-word lookups.
fn normalize(heading: &str) -> String {
    let words: Vec<String> = heading
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    format!(" {} ", words.join(" "))
}

fn names(section: &Section, heading: &Heading) -> bool {
    let norm = normalize(&heading.text);
    section
        .synonyms
        .iter()
        .any(|s| norm.contains(&format!(" {s} ")))
}

/// The file range a heading governs: up to the next heading of the same or a higher level
/// (a bold label governs up to the next heading or label).
fn extent(headings: &[Heading], i: usize, len: usize) -> Range<usize> {
    let h = &headings[i];
    let end = headings[i + 1..]
        .iter()
        .find(|n| h.level == 7 || n.level <= h.level)
        .map_or(len, |n| n.src.start);
    h.src.start..end.max(h.src.end)
}

/// All completeness gaps in a document, and the ids of the missing sections.
pub fn check(source: &str, doc: &Extract, evaluator: &Evaluator) -> (Vec<Gap>, Vec<&'static str>) {
    let mut headings = doc.headings.clone();
    headings.sort_by_key(|h| h.src.start);
    let mut gaps = Vec::new();
    let mut missing = Vec::new();
    for section in SECTIONS {
        let Some(i) = headings.iter().position(|h| names(section, h)) else {
            missing.push(section.id);
            gaps.push(Gap {
                rule: format!("section-missing-{}", section.id),
                span: 0..0,
                whole_file: true,
            });
            continue;
        };
        let range = extent(&headings, i, source.len());
        let body = &source[headings[i].src.end.min(range.end)..range.end];
        let at = headings[i].src.clone();
        match section.id {
            "timeline" if !TIMESTAMP.is_match(body) && !TIMESTAMP.is_match(&headings[i].text) => {
                gaps.push(gap("timeline-no-timestamps", at))
            }
            "impact" if !NUMBER.is_match(body) && !NUMBER.is_match(&headings[i].text) => {
                gaps.push(gap("impact-no-numbers", at))
            }
            "action-items" => gaps.extend(action_items(doc, &range, evaluator)),
            _ => {}
        }
    }
    (gaps, missing)
}

fn gap(rule: &str, span: Range<usize>) -> Gap {
    Gap {
        rule: rule.to_string(),
        span,
        whole_file: false,
    }
}

fn has_owner(text: &str, evaluator: &Evaluator) -> bool {
    OWNER.is_match(text) || evaluator.evaluate(text, None).signals.contains("owner")
}

fn has_deadline(text: &str, evaluator: &Evaluator) -> bool {
    DEADLINE.is_match(text) || evaluator.evaluate(text, None).signals.contains("deadline")
}

/// Owner and deadline for each top-level list item and table row in the section.
fn action_items(doc: &Extract, range: &Range<usize>, evaluator: &Evaluator) -> Vec<Gap> {
    let inside = |src: &Range<usize>| range.start <= src.start && src.start < range.end;
    let items: Vec<&Item> = doc.items.iter().filter(|i| inside(&i.src)).collect();
    let top = items.iter().map(|i| i.depth).min().unwrap_or(1);
    let mut gaps = Vec::new();
    for item in items.iter().filter(|i| i.depth == top) {
        if item.text.trim().is_empty() {
            continue;
        }
        if !has_owner(&item.text, evaluator) {
            gaps.push(gap("action-item-no-owner", item.src.clone()));
        }
        if !has_deadline(&item.text, evaluator) {
            gaps.push(gap("action-item-no-deadline", item.src.clone()));
        }
    }
    let rows: Vec<&Row> = doc.rows.iter().filter(|r| inside(&r.src)).collect();
    for table in dedup_tables(&rows) {
        let header = rows.iter().find(|r| r.table == table && r.header);
        let column = |words: &[&str]| {
            header.and_then(|h| {
                h.cells.iter().position(|c| {
                    let n = normalize(c);
                    words.iter().any(|w| n.contains(&format!(" {w} ")))
                })
            })
        };
        let owner_col = column(&["owner", "owners", "assignee", "who", "dri", "responsible"]);
        let due_col = column(&["due", "deadline", "date", "when", "eta", "target"]);
        for row in rows.iter().filter(|r| r.table == table && !r.header) {
            let text = row.cells.join(" | ");
            if row.cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let owned = match owner_col {
                Some(c) => row.cells.get(c).is_some_and(|v| !EMPTY_CELL.is_match(v)),
                None => has_owner(&text, evaluator),
            };
            let dated = match due_col {
                Some(c) => row.cells.get(c).is_some_and(|v| !EMPTY_CELL.is_match(v)),
                None => has_deadline(&text, evaluator),
            };
            if !owned {
                gaps.push(gap("action-item-no-owner", row.src.clone()));
            }
            if !dated {
                gaps.push(gap("action-item-no-deadline", row.src.clone()));
            }
        }
    }
    gaps
}

fn dedup_tables(rows: &[&Row]) -> Vec<usize> {
    let mut tables: Vec<usize> = rows.iter().map(|r| r.table).collect();
    tables.dedup();
    tables
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::markdown::extract;

    fn rules(md: &str) -> Vec<String> {
        let ev = Evaluator::embedded().unwrap();
        let doc = extract(md);
        check(md, &doc, &ev).0.into_iter().map(|g| g.rule).collect()
    }

    #[test]
    fn synonyms_name_sections() {
        let md = "# Chronology\n10:02 paged\n## Blast radius\n3% of users\n## Contributing factors\nx\n## Follow-ups\n- add alert (owner: @kim, due 2024-07-01)\n## Learnings\nx\n## How we will know\nx\n";
        assert!(rules(md).is_empty(), "{:?}", rules(md));
    }

    #[test]
    fn items_without_owner_or_deadline_are_reported() {
        let md = "## Action items\n- add an alert\n- fix retries (owner: @kim, due 2024-07-01)\n";
        let r = rules(md);
        assert_eq!(
            r.iter().filter(|r| r.starts_with("action-item")).count(),
            2,
            "{r:?}"
        );
    }

    #[test]
    fn owner_in_a_nested_item_counts() {
        let md = "## Action items\n- Add a canary stage\n  - Owner: Dana\n  - Due: 2024-08-01\n";
        let r = rules(md);
        assert!(!r.iter().any(|r| r.starts_with("action-item")), "{r:?}");
    }

    #[test]
    fn table_columns_are_read() {
        let md = "## Action items\n| Action | Owner | Due |\n|---|---|---|\n| add alert | @kim | 2024-07-01 |\n| fix retries | TBD | |\n";
        let r = rules(md);
        assert!(r.contains(&"action-item-no-owner".to_string()));
        assert!(r.contains(&"action-item-no-deadline".to_string()));
    }

    #[test]
    fn timeline_and_impact_need_content() {
        let md = "## Timeline\nthen things happened\n## Impact\nmany users were sad\n";
        let r = rules(md);
        assert!(r.contains(&"timeline-no-timestamps".to_string()));
        assert!(r.contains(&"impact-no-numbers".to_string()));
    }
}
