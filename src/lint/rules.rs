//! Lint's own rules: the completeness checks and suppression hygiene. (Wording checks come from
//! the phrasebank, the same rules `score` uses, and `debrief explain` documents those.) This
//! table is the one place their ids, severities, messages and suggestions are written; the SARIF
//! rule list and the README read from it.

use super::finding::Severity;

pub struct LintRule {
    pub id: &'static str,
    pub severity: Severity,
    pub message: &'static str,
    pub suggestion: &'static str,
}

const fn rule(
    id: &'static str,
    severity: Severity,
    message: &'static str,
    suggestion: &'static str,
) -> LintRule {
    LintRule {
        id,
        severity,
        message,
        suggestion,
    }
}

use Severity::{Error, Warning};

pub const RULES: &[LintRule] = &[
    rule(
        "section-missing-timeline",
        Error,
        "no timeline section: readers cannot follow what happened when",
        "add a \"Timeline\" heading with timestamped events (detection, escalation, mitigation, recovery)",
    ),
    rule(
        "section-missing-impact",
        Error,
        "no impact section: the blast radius is not stated",
        "add an \"Impact\" heading: who was affected, how many, for how long (e.g. 12% of checkouts failed for 43 minutes)",
    ),
    rule(
        "section-missing-root-cause",
        Error,
        "no root cause or contributing factors section",
        "add a \"Contributing factors\" heading: the conditions, defaults and gaps that made the failure possible",
    ),
    rule(
        "section-missing-action-items",
        Error,
        "no action items section: nothing will change",
        "add an \"Action items\" heading: one list item per change, each with an owner and a due date",
    ),
    rule(
        "section-missing-lessons",
        Warning,
        "no lessons learned section",
        "add a \"Lessons learned\" heading: what went well, what went poorly, where we got lucky",
    ),
    rule(
        "section-missing-metrics",
        Warning,
        "no metrics section: no way to tell whether the action items worked",
        "add a \"Metrics\" heading: the numbers you will track to know the fixes worked (e.g. time to detect, error rate)",
    ),
    rule(
        "action-item-no-owner",
        Error,
        "action item without an owner: an item owned by everyone is owned by no one",
        "name one owner: \"(owner: @dana)\" or an Owner column",
    ),
    rule(
        "action-item-no-deadline",
        Warning,
        "action item without a deadline",
        "add a due date: \"due 2024-07-01\", \"by end of sprint 42\"",
    ),
    rule(
        "timeline-no-timestamps",
        Warning,
        "the timeline has no timestamps",
        "start each event with a time and zone (\"14:02 UTC\") so durations can be measured",
    ),
    rule(
        "impact-no-numbers",
        Warning,
        "the impact section has no numbers",
        "quantify: users or requests affected, error rate, duration, revenue or SLO budget spent",
    ),
    rule(
        "suppress-no-reason",
        Warning,
        "a suppression without a reason",
        "say why after a colon: <!-- debrief-disable RULE: quoting the customer's email verbatim -->",
    ),
    rule(
        "suppress-no-rule",
        Warning,
        "a suppression that names no rule",
        "name the rule ids to silence (see the finding's [rule]), e.g. <!-- debrief-disable blame-human-error: reason -->",
    ),
];

/// The record of one of lint's own rules.
pub fn get(id: &str) -> Option<&'static LintRule> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_messages_follow_the_conventions() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(RULES[..i].iter().all(|o| o.id != r.id), "{} twice", r.id);
            assert!(!r.message.ends_with('.'), "{}", r.id);
            assert!(
                r.message.starts_with(|c: char| c.is_lowercase()),
                "{}",
                r.id
            );
        }
    }
}
