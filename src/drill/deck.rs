//! The vocabulary deck: card types, loading `phrasebank/deck.ron` (embedded, or from
//! `--phrasebank DIR`), and validation with file:line:col for every problem.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::drill::grade::{self, normalize};
use crate::ronfile::{self, Source};

/// Card ids the deck must always hold: the terms a facilitator cannot fumble.
pub const CORE: [&str; 9] = [
    "rca",
    "blast-radius",
    "mttr",
    "slo",
    "telemetry",
    "circuit-breaker",
    "backpressure",
    "dependency-injection",
    "eventual-consistency",
];

/// The deck file: `(cards: [ (id: ..., term: ..., ...), ... ])`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeckFile {
    cards: Vec<Card>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub id: String,
    pub term: String,
    /// Acronym or expansion, spelling variants: every form accepted as this term.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// In our own plain words; never contains the term itself (recall shows it).
    pub definition: String,
    /// A sentence as it might appear in a post-mortem.
    pub example: String,
    /// Terms people mix this one up with, and how they differ.
    #[serde(default)]
    pub confused_with: Vec<Confusion>,
    /// Situations to diagnose: the answer is this card's term.
    pub vignettes: Vec<String>,
    /// Sentences that use this term wrongly, with why.
    #[serde(default)]
    pub misuse: Vec<Misuse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confusion {
    pub id: String,
    pub difference: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Misuse {
    pub sentence: String,
    pub explanation: String,
    /// The card whose term the speaker should have used, if the misuse is a swap (SLA for
    /// SLO); naming it also shows the learner spotted the misuse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meant: Option<String>,
}

impl Card {
    /// The term and every alias.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.term.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Deck {
    pub cards: Vec<Card>,
    index: BTreeMap<String, usize>,
}

impl Deck {
    pub fn new(cards: Vec<Card>) -> Deck {
        let index = cards
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        Deck { cards, index }
    }

    pub fn get(&self, id: &str) -> Option<&Card> {
        self.index.get(id).map(|&i| &self.cards[i])
    }

    /// How `a` differs from `b`, written on either card.
    pub fn difference(&self, a: &str, b: &str) -> Option<&str> {
        let on = |x: &str, y: &str| {
            self.get(x)?
                .confused_with
                .iter()
                .find(|c| c.id == y)
                .map(|c| c.difference.as_str())
        };
        on(a, b).or_else(|| on(b, a))
    }

    /// Cards confused with `id`, in either direction, without duplicates.
    pub fn confusables(&self, id: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        if let Some(card) = self.get(id) {
            out.extend(card.confused_with.iter().map(|c| c.id.as_str()));
        }
        for c in &self.cards {
            if c.id != id
                && c.confused_with.iter().any(|x| x.id == id)
                && !out.contains(&c.id.as_str())
            {
                out.push(&c.id);
            }
        }
        out.retain(|x| self.get(x).is_some());
        out
    }

    /// Parse and validate; all problems at once.
    pub fn load(source: &Source) -> Result<Deck, Vec<Diagnostic>> {
        let file: DeckFile = ronfile::parse(source).map_err(|d| vec![d])?;
        let deck = Deck::new(file.cards);
        let problems = deck.check(source);
        if problems.is_empty() {
            Ok(deck)
        } else {
            Err(problems)
        }
    }

    /// The built-in deck.
    pub fn embedded() -> Result<Deck, Vec<Diagnostic>> {
        let text = crate::embedded::file("phrasebank/deck.ron").unwrap_or("(cards: [])");
        Deck::load(&Source::new("phrasebank/deck.ron", text))
    }

    /// Semantic checks on a parsed deck, each pointing at the card concerned.
    fn check(&self, source: &Source) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        let mut forms: BTreeMap<String, &str> = BTreeMap::new();
        for (n, card) in self.cards.iter().enumerate() {
            let at = card_offset(source, &self.cards, n);
            let here = |needle: &str, msg: String| source.diag_at(needle, at, msg);
            if !seen.insert(card.id.as_str()) {
                problems.push(here("id", format!("duplicate card id '{}'", card.id)));
            }
            for (field, value) in [
                ("id", &card.id),
                ("term", &card.term),
                ("definition", &card.definition),
                ("example", &card.example),
            ] {
                if value.trim().is_empty() {
                    problems.push(here(
                        field,
                        format!("card '{}' has an empty {field}", card.id),
                    ));
                }
            }
            if card.vignettes.is_empty() {
                problems.push(here(
                    "vignettes",
                    format!("card '{}' needs at least one vignette", card.id),
                ));
            }
            for c in &card.confused_with {
                if self.get(&c.id).is_none() {
                    problems.push(here(
                        &format!("\"{}\"", c.id),
                        format!(
                            "card '{}' is confused with unknown card '{}'",
                            card.id, c.id
                        ),
                    ));
                } else if c.id == card.id {
                    problems.push(here(
                        &format!("\"{}\"", c.id),
                        format!("card '{}' is confused with itself", card.id),
                    ));
                }
            }
            if !card.example.trim().is_empty()
                && !card.forms().any(|f| grade::mentions(&card.example, f))
            {
                problems.push(here(
                    "example",
                    format!("the example of '{}' does not use the term", card.id),
                ));
            }
            for m in &card.misuse {
                if let Some(meant) = m.meant.as_deref().filter(|id| self.get(id).is_none()) {
                    problems.push(here(
                        &format!("\"{meant}\""),
                        format!(
                            "a misuse sentence of '{}' means unknown card '{meant}'",
                            card.id
                        ),
                    ));
                }
                if !card.forms().any(|f| grade::mentions(&m.sentence, f)) {
                    let needle: String = m.sentence.chars().take(30).collect();
                    problems.push(here(
                        &needle,
                        format!("a misuse sentence of '{}' does not use the term", card.id),
                    ));
                }
            }
            for form in card.forms() {
                let key = normalize(form);
                if key.is_empty() {
                    continue;
                }
                match forms.get(&key) {
                    Some(other) if *other != card.id => problems.push(here(
                        &format!("\"{form}\""),
                        format!("'{form}' names both '{other}' and '{}'", card.id),
                    )),
                    _ => {
                        forms.insert(key, &card.id);
                    }
                }
                // Recall shows the definition and apply shows a vignette: neither may say the answer.
                if grade::mentions(&card.definition, form) {
                    problems.push(here(
                        "definition",
                        format!(
                            "the definition of '{}' gives away the answer '{form}'",
                            card.id
                        ),
                    ));
                }
                for v in &card.vignettes {
                    if grade::mentions(v, form) {
                        let needle: String = v.chars().take(30).collect();
                        problems.push(here(
                            &needle,
                            format!("a vignette of '{}' gives away the answer '{form}'", card.id),
                        ));
                    }
                }
            }
        }
        for core in CORE {
            if self.get(core).is_none() {
                problems.push(Diagnostic::at(
                    &source.path,
                    &source.text,
                    0..0,
                    format!("the deck lacks the core card '{core}'"),
                ));
            }
        }
        problems
    }
}

/// Where card `n` starts in the file: its `id: "..."` (the nth one for duplicates).
fn card_offset(source: &Source, cards: &[Card], n: usize) -> usize {
    let id = &cards[n].id;
    let earlier = cards[..n].iter().filter(|c| &c.id == id).count();
    let mut from = 0;
    let mut found = None;
    for _ in 0..=earlier {
        let rest = Source::new(source.path.clone(), &source.text[from..]);
        match rest.find_key("id", id) {
            Some(i) => {
                found = Some(from + i);
                from += i + 2;
            }
            None => break,
        }
    }
    found.unwrap_or(0)
}

/// Every problem in a deck file (for `debrief validate`).
pub fn validate_source(source: &Source) -> Vec<Diagnostic> {
    match Deck::load(source) {
        Ok(_) => Vec::new(),
        Err(d) => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: &str, term: &str) -> String {
        format!(
            "(id: \"{id}\", term: \"{term}\", definition: \"a thing\", example: \"an example\", vignettes: [\"a story\"])"
        )
    }

    fn core_cards() -> String {
        CORE.iter()
            .map(|c| card(c, &c.replace('-', "_")))
            .collect::<Vec<_>>()
            .join(",\n")
    }

    #[test]
    fn problems_name_their_place() {
        let text = format!(
            "(cards: [\n{},\n(id: \"x\", term: \"X thing\", definition: \"d\", example: \"e\", vignettes: [\"v\"],\n confused_with: [(id: \"nope\", difference: \"d\")]),\n{}\n])",
            core_cards(),
            card("x", "other")
        );
        let src = Source::new("deck.ron", text);
        let problems = validate_source(&src);
        let msgs: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("deck.ron:12:") && m.contains("unknown card 'nope'")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("deck.ron:13:") && m.contains("duplicate card id 'x'")),
            "{msgs:?}"
        );
    }

    #[test]
    fn missing_core_and_unknown_fields_are_reported() {
        let src = Source::new("deck.ron", format!("(cards: [{}])", card("a", "A thing")));
        let msgs: Vec<String> = validate_source(&src)
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert!(
            msgs.iter().any(|m| m.contains("core card 'mttr'")),
            "{msgs:?}"
        );
        let src = Source::new("deck.ron", "(cards: [(id: \"a\", term: \"A\", colour: 1)])");
        let msgs: Vec<String> = validate_source(&src)
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert!(
            msgs[0].starts_with("deck.ron:1:") && msgs[0].contains("colour"),
            "{msgs:?}"
        );
    }

    #[test]
    fn a_definition_that_names_the_term_is_a_problem() {
        let text = format!(
            "(cards: [{},\n(id: \"sla\", term: \"SLA\", definition: \"an SLA is a contract\", example: \"e\", vignettes: [\"v\"])])",
            core_cards()
        );
        let msgs: Vec<String> = validate_source(&Source::new("d.ron", text))
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("gives away the answer 'SLA'")),
            "{msgs:?}"
        );
    }
}
