//! Grading typed answers, fairly: case, punctuation and hyphens do not matter; aliases count;
//! acronyms must match exactly (MTTD is not MTTR); longer terms forgive a small typo (with a
//! note). When an answer names another card, we say which, so the caller can explain the
//! difference.

use crate::drill::deck::Deck;

/// Lowercase words separated by single spaces; punctuation and hyphens become spaces, and a
/// leading article is dropped ("the blast radius" is "blast radius").
pub fn normalize(s: &str) -> String {
    let lowered: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else if c == '\'' || c == '\u{2019}' {
                '\0'
            } else {
                ' '
            }
        })
        .filter(|&c| c != '\0')
        .collect();
    let words: Vec<&str> = lowered.split_whitespace().collect();
    let words = match words.as_slice() {
        [first, rest @ ..] if !rest.is_empty() && matches!(*first, "a" | "an" | "the") => rest,
        all => all,
    };
    words.join(" ")
}

/// An acronym is one short word in capitals (MTTR, SLO, RCA): no typo is forgiven there,
/// because a one-letter slip names a different term.
pub fn is_acronym(form: &str) -> bool {
    let form = form.trim();
    (2..=6).contains(&form.chars().count())
        && form
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Typos forgiven for a form of this many characters.
fn tolerance(form: &str) -> usize {
    match form.chars().count() {
        0..=4 => 0,
        5..=11 => 1,
        _ => 2,
    }
}

/// Does `text` use `form` as words (plural allowed)? Used to keep definitions from giving
/// the answer away.
pub fn mentions(text: &str, form: &str) -> bool {
    let text = normalize(text);
    let form = normalize(form);
    let hay: Vec<&str> = text.split(' ').collect();
    let needle: Vec<&str> = form.split(' ').collect();
    if form.is_empty() || needle.len() > hay.len() {
        return false;
    }
    hay.windows(needle.len()).any(|w| {
        w.iter()
            .zip(&needle)
            .enumerate()
            .all(|(i, (h, n))| h == n || (i + 1 == needle.len() && h.strip_suffix('s') == Some(n)))
    })
}

/// Which card an answer names, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    /// Exactly one of the card's forms.
    Exact(String),
    /// Close to `form` of the card, within the typo tolerance.
    Typo {
        id: String,
        form: String,
    },
    Nothing,
}

impl Named {
    pub fn id(&self) -> Option<&str> {
        match self {
            Named::Exact(id) | Named::Typo { id, .. } => Some(id),
            Named::Nothing => None,
        }
    }
}

/// The card `answer` names; when it is close to several, `prefer` wins a tie.
pub fn identify(deck: &Deck, answer: &str, prefer: &str) -> Named {
    let whole = normalize(answer);
    if whole.is_empty() {
        return Named::Nothing;
    }
    // "mean time to recovery (MTTR)": the whole, the part outside and the part inside.
    let mut variants = vec![whole.clone()];
    if let (Some(open), Some(close)) = (answer.find('('), answer.rfind(')')) {
        if open < close {
            variants.push(normalize(&answer[..open]));
            variants.push(normalize(&answer[open + 1..close]));
        }
    }
    let exact: Vec<&str> = deck
        .cards
        .iter()
        .filter(|c| {
            c.forms().any(|f| {
                let key = normalize(f);
                // "SLOs" is still SLO; only the plural is allowed on top of an exact acronym.
                variants
                    .iter()
                    .any(|v| *v == key || (is_acronym(f) && *v == format!("{key}s")))
            })
        })
        .map(|c| c.id.as_str())
        .collect();
    if exact.contains(&prefer) {
        return Named::Exact(prefer.to_string());
    }
    if let Some(first) = exact.first() {
        return Named::Exact((*first).to_string());
    }
    let mut best: Option<(usize, bool, &str, &str)> = None;
    for card in &deck.cards {
        for form in card.forms().filter(|f| !is_acronym(f)) {
            let key = normalize(form);
            let tol = tolerance(&key);
            if tol == 0 {
                continue;
            }
            let d = strsim::osa_distance(&whole, &key);
            if d > tol {
                continue;
            }
            let rank = (d, card.id != prefer);
            if best.is_none_or(|(bd, bp, _, _)| rank < (bd, bp)) {
                best = Some((d, card.id != prefer, card.id.as_str(), form));
            }
        }
    }
    match best {
        Some((_, _, id, form)) => Named::Typo {
            id: id.to_string(),
            form: form.to_string(),
        },
        None => Named::Nothing,
    }
}

/// The verdict on a typed answer for the card `expected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    pub correct: bool,
    /// The right spelling, when a typo was forgiven.
    pub typo: Option<String>,
    /// The other card the answer named, when it was wrong.
    pub named: Option<String>,
}

pub fn grade(deck: &Deck, expected: &str, answer: &str) -> Grade {
    match identify(deck, answer, expected) {
        Named::Exact(id) if id == expected => Grade {
            correct: true,
            typo: None,
            named: None,
        },
        Named::Typo { id, form } if id == expected => Grade {
            correct: true,
            typo: Some(form),
            named: None,
        },
        other => Grade {
            correct: false,
            typo: None,
            named: other.id().map(str::to_string),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::deck::Card;

    fn card(id: &str, term: &str, aliases: &[&str]) -> Card {
        Card {
            id: id.into(),
            term: term.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            definition: String::new(),
            example: String::new(),
            confused_with: vec![],
            vignettes: vec![],
            misuse: vec![],
        }
    }

    fn deck() -> Deck {
        Deck::new(vec![
            card(
                "mttr",
                "MTTR",
                &["mean time to recovery", "mean time to restore"],
            ),
            card("mttd", "MTTD", &["mean time to detect"]),
            card("slo", "SLO", &["service level objective"]),
            card("sla", "SLA", &["service level agreement"]),
            card("circuit-breaker", "circuit breaker", &[]),
            card("toil", "toil", &[]),
        ])
    }

    #[test]
    fn acronyms_match_exactly_and_name_the_confusion() {
        let d = deck();
        assert!(grade(&d, "mttr", "MTTR").correct);
        assert!(grade(&d, "mttr", " mttr ").correct);
        let g = grade(&d, "mttr", "MTTD");
        assert_eq!((g.correct, g.named.as_deref()), (false, Some("mttd")));
        let g = grade(&d, "slo", "SLA");
        assert_eq!((g.correct, g.named.as_deref()), (false, Some("sla")));
        assert!(!grade(&d, "mttr", "MTR").correct);
        assert!(
            grade(&d, "slo", "SLOs").correct,
            "a plural acronym is the same term"
        );
        assert!(!grade(&d, "mttr", "MTTRS2").correct);
    }

    #[test]
    fn longer_terms_forgive_a_small_typo_with_a_note() {
        let d = deck();
        let g = grade(&d, "circuit-breaker", "circiut breaker");
        assert!(g.correct);
        assert_eq!(g.typo.as_deref(), Some("circuit breaker"));
        assert!(grade(&d, "circuit-breaker", "Circuit-Breaker")
            .typo
            .is_none());
        assert!(!grade(&d, "circuit-breaker", "circus breakers").correct);
        assert!(
            !grade(&d, "toil", "tool").correct,
            "short words need the exact spelling"
        );
    }

    #[test]
    fn aliases_articles_and_parentheses_are_accepted() {
        let d = deck();
        assert!(grade(&d, "mttr", "Mean time to restore").correct);
        assert!(grade(&d, "mttr", "mean time to recovery (MTTR)").correct);
        assert!(grade(&d, "circuit-breaker", "a circuit breaker").correct);
        assert!(grade(&d, "slo", "service-level objective").correct);
    }

    #[test]
    fn mentions_finds_words_not_substrings() {
        assert!(mentions("Breach the SLOs and pay", "SLO"));
        assert!(!mentions("a slogan", "SLO"));
        assert!(mentions(
            "when the circuit breaker opens",
            "circuit breaker"
        ));
    }
}
