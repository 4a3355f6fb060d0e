//! People the lexicon does not list. Patterns name people with `{name}`, a list of first
//! names, but a team's names are not on any list: "Darnell took the database down" should
//! read like "Dana took the database down". So before matching, a word that reads as a
//! person's name in context (capitalized inside a sentence, not a product, place, day or
//! common word) has its bytes in the matching copy of the text replaced by a listed name
//! of the same length (a *stand-in*). Spans stay where they were, because the length does.
//!
//! The clues are deliberately narrow: a capitalized word at the start of a sentence is
//! usually just the first word, and a capitalized word after "the" or "in" is usually a
//! product or a place ("the Payments team", "in Grafana"). The word lists that rule words
//! out live in the lexicon (`not_names`, `name_cues`).

use std::collections::BTreeMap;
use std::ops::Range;

use rustc_hash::FxHashSet;

use super::text::Text;

/// Words that, right before a capitalized word, make it a thing rather than a person.
const THING_BEFORE: &[&str] = &[
    "the", "a", "an", "our", "their", "your", "my", "its", "this", "that", "these", "those", "in",
    "on", "at", "into", "onto", "via", "of", "for", "using", "through", "per", "across", "within",
    "inside",
];

/// The determiners among `THING_BEFORE`: after one, even a possessive is a thing ("the
/// Postgres's config").
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "our", "their", "your", "my", "its", "this", "that", "these", "those",
];

/// Words that, after "that" and a capitalized word, show the word is the subject of a clause
/// ("that Hamid just didn't read it"), not a thing ("that Postgres cluster").
const SUBJECT_NEXT: &[&str] = &[
    "just",
    "didn't",
    "never",
    "simply",
    "clearly",
    "obviously",
    "really",
    "actually",
    "shouldn't",
    "couldn't",
    "wouldn't",
    "hadn't",
    "hasn't",
    "doesn't",
    "forgot",
    "always",
];

/// Words that open a sentence and may come right before a name: "So Darnell pushed it".
const OPENERS: &[&str] = &[
    "so",
    "then",
    "and",
    "but",
    "yes",
    "no",
    "okay",
    "ok",
    "well",
    "sure",
    "because",
    "maybe",
    "also",
    "now",
    "honestly",
    "frankly",
    "clearly",
    "obviously",
    "apparently",
    "look",
    "listen",
    "right",
    "yeah",
    "agreed",
    "again",
    "sadly",
    "luckily",
    "basically",
    "actually",
    "plus",
    "when",
    "if",
    "once",
    "after",
    "before",
    "since",
    "while",
    "thanks",
    "sorry",
    "ask",
];

pub struct Names {
    /// Names the `{name}` entry lists (already matched as they are).
    listed: FxHashSet<String>,
    /// Capitalized words that are not people (lexicon `not_names`).
    not_names: FxHashSet<String>,
    /// Words that, right after a sentence's capitalized first word, show it is a person
    /// doing something (lexicon `name_cues`: "said", "pushed", "forgot").
    cues: FxHashSet<String>,
    /// Work a person's possessive names (lexicon `name_possessions`: "Tariq's migration").
    possessions: FxHashSet<String>,
    /// A listed name per byte length, to stand in for an unlisted name of that length.
    stand_ins: Vec<Option<String>>,
}

impl Names {
    pub fn new(lexicon: &BTreeMap<String, Vec<String>>) -> Names {
        let words = |entry: &str| -> FxHashSet<String> {
            lexicon
                .get(entry)
                .into_iter()
                .flatten()
                .filter(|w| is_plain(w))
                .cloned()
                .collect()
        };
        let listed = words("name");
        let mut stand_ins: Vec<Option<String>> = Vec::new();
        // The lexicon's order decides which name of each length stands in.
        for name in lexicon.get("name").into_iter().flatten() {
            if !is_plain(name) || !name.is_ascii() {
                continue;
            }
            if stand_ins.len() <= name.len() {
                stand_ins.resize(name.len() + 1, None);
            }
            stand_ins[name.len()].get_or_insert_with(|| name.clone());
        }
        Names {
            listed,
            not_names: words("not_names"),
            cues: words("name_cues"),
            possessions: words("name_possessions"),
            stand_ins,
        }
    }

    /// `text.lower` with each unlisted name replaced by its stand-in, or `None` when the
    /// text names nobody the lexicon does not list (most texts).
    pub fn matching_copy(&self, text: &Text<'_>) -> Option<String> {
        let found = self.unlisted(text);
        if found.is_empty() {
            return None;
        }
        let mut copy = text.lower.clone().into_bytes();
        for span in found {
            if let Some(stand_in) = self.stand_ins.get(span.len()).and_then(Option::as_ref) {
                copy[span].copy_from_slice(stand_in.as_bytes());
            }
        }
        // Whole words (all of their chars) were replaced by ASCII letters.
        Some(String::from_utf8(copy).unwrap_or_else(|_| text.lower.clone()))
    }

    /// Byte spans of the words read as names of people the lexicon does not list (only
    /// the name: a possessive "'s" is left out).
    pub fn unlisted(&self, text: &Text<'_>) -> Vec<Range<usize>> {
        let original = text.original;
        let mut found: Vec<Range<usize>> = Vec::new();
        // Sentence-initial words that could be names: kept if the same word is a name
        // elsewhere in the text.
        let mut initial: Vec<Range<usize>> = Vec::new();
        let words = &text.words;
        let bytes = original.as_bytes();
        for (k, word) in words.iter().enumerate() {
            // Most words start with a lower-case ASCII letter or a digit: no name.
            let first = bytes[word.start];
            if first < 0x80 && !first.is_ascii_uppercase() {
                continue;
            }
            let Some(name) = name_part(original, word) else {
                continue;
            };
            let lower = &text.lower[name.clone()];
            if self.listed.contains(lower) || self.not_names.contains(lower) {
                continue;
            }
            if !self.stand_ins.get(name.len()).is_some_and(Option::is_some) {
                continue;
            }
            let previous = k
                .checked_sub(1)
                .map(|p| &words[p])
                .filter(|p| same_clause(&original[p.end..word.start]));
            let next = words
                .get(k + 1)
                .filter(|n| original[word.end..n.start].trim().is_empty());
            let next_lower = next.map(|n| &text.lower[n.clone()]);
            if next.is_some_and(|n| is_capitalized(&original[n.clone()]))
                && next_lower.is_some_and(|n| self.not_names.contains(n))
            {
                // "Black Friday", "Play Store".
                continue;
            }
            // The next word is one that usually follows a name ("Darnell pushed"), or the
            // name is followed by where the person works and then such a word ("Leilani
            // from comms drafts ..."; not a plural: "Customers from Spain said ...").
            // Or the name owns a piece of work ("Tariq's migration script broke ..."; not a
            // contraction: "Let's query ...", "That's code freeze").
            let possessive =
                name.end < word.end && !CONTRACTED.split_whitespace().any(|w| w == lower);
            let cue = next_lower.is_some_and(|n| self.cues.contains(n))
                || (possessive && next_lower.is_some_and(|n| self.possessions.contains(n)))
                || (next_lower == Some("from")
                    && !looks_plural(lower)
                    && words[k + 2..words.len().min(k + 6)]
                        .iter()
                        .any(|w| self.cues.contains(&text.lower[w.clone()])));
            match previous {
                None => {
                    if cue {
                        found.push(name);
                    } else {
                        initial.push(name);
                    }
                }
                Some(p) => {
                    let before = &text.lower[p.clone()];
                    // A run of capitalized words is a title or a product ("Root Cause
                    // Analysis", "Cloud Run"); after a comma, a new start ("Honestly, Darnell").
                    let starts_sentence =
                        k == 1 || !same_clause(&original[words[k - 2].end..p.start]);
                    let opener = starts_sentence && OPENERS.contains(&before);
                    let run = is_capitalized(&original[p.clone()])
                        && !original[p.end..word.start].contains(',')
                        && !opener;
                    // After a determiner the word is a thing ("the Postgres cluster"), unless
                    // a word that follows names usually comes next: "that" also joins a
                    // clause ("the problem is that Hamid never read it").
                    let subject = cue || next_lower.is_some_and(|n| SUBJECT_NEXT.contains(&n));
                    // After a preposition, a possessive owning a piece of work or a person's
                    // part is a person too: "a gap on Priyanka's side", "in Tariq's script".
                    let owner = possessive
                        && next_lower.is_some_and(|n| self.possessions.contains(n))
                        && !DETERMINERS.contains(&before);
                    if run
                        || (THING_BEFORE.contains(&before)
                            && !(before == "that" && subject)
                            && !owner)
                    {
                        continue;
                    }
                    found.push(name);
                }
            }
        }
        if !initial.is_empty() && !found.is_empty() {
            let named: FxHashSet<&str> = found.iter().map(|n| &text.lower[n.clone()]).collect();
            initial.retain(|n| named.contains(&text.lower[n.clone()]));
            found.extend(initial);
            found.sort_unstable_by_key(|n| n.start);
        }
        found
    }
}

/// Capitalized words whose "'s" is a contraction ("Let's", "It's"), not a possessive.
const CONTRACTED: &str = "let it that what there here who he she where how when why everyone \
                          everybody nobody someone somebody one this today";

/// A lexicon word usable as a word list entry (no regex syntax).
fn is_plain(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
}

/// Whether the text between two words keeps them in one clause for these clues (spaces,
/// or a comma: "Honestly, Darnell took it down" has "Darnell" inside the sentence).
fn same_clause(between: &str) -> bool {
    between.chars().all(|c| c == ' ' || c == ',')
}

/// A word ending in a plural "s" ("customers", "engineers"; not "Jonas", "Marcus", "Chris").
fn looks_plural(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() > 2 && b[b.len() - 1] == b's' && !b"sauio".contains(&b[b.len() - 2])
}

/// First letter upper case, the rest lower case.
fn is_capitalized(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.all(|c| c.is_lowercase() || c == '\'' || c == '’')
}

/// The part of a word that could be a name: a capitalized word of two letters or more
/// (hyphenated parts each capitalized: "Jean-Luc"), without a possessive "'s".
fn name_part(text: &str, word: &Range<usize>) -> Option<Range<usize>> {
    let w = &text[word.clone()];
    let stem = w
        .strip_suffix("'s")
        .or_else(|| w.strip_suffix("’s"))
        .unwrap_or(w);
    // Parts after a hyphen may be capitalized or not: "Jean-Luc", "Hyun-woo".
    let ok = stem.chars().count() >= 2
        && stem.split('-').enumerate().all(|(i, part)| {
            let mut chars = part.chars();
            chars
                .next()
                .is_some_and(|c| c.is_uppercase() || (i > 0 && c.is_lowercase()))
                && part.chars().count() >= 2
                && chars.all(char::is_lowercase)
        });
    ok.then(|| word.start..word.start + stem.len())
        .filter(|_| !common_suffix(stem))
}

/// Endings of common nouns and adjectives rarely found on a name: "Monitoring", "Replication",
/// "Deployment", "Availability" at the start of a line or in a title.
fn common_suffix(word: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "tion", "sion", "ment", "ness", "ity", "ance", "ence", "ics", "ism", "able", "ible",
    ];
    (word.len() > 5 && word.ends_with("ing")) || SUFFIXES.iter().any(|s| word.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        let mut lexicon = BTreeMap::new();
        let list = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        lexicon.insert(
            "name".into(),
            list(&[
                "ana", "dana", "marta", "adrian", "jessica", "mohammed", "bob",
            ]),
        );
        lexicon.insert(
            "not_names".into(),
            list(&["kafka", "friday", "black", "who"]),
        );
        lexicon.insert("name_cues".into(), list(&["pushed", "said"]));
        lexicon.insert("name_possessions".into(), list(&["migration", "query"]));
        Names::new(&lexicon)
    }

    fn found(text: &str) -> Vec<&str> {
        let prepared = Text::new(text);
        names()
            .unlisted(&prepared)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn a_capitalized_word_inside_a_sentence_is_a_name() {
        assert_eq!(
            found("Honestly, Darnell took the database down."),
            ["Darnell"]
        );
        assert_eq!(found("It was Bogdan's change."), ["Bogdan"]);
        assert_eq!(found("We think Jean-Luc ran it."), ["Jean-Luc"]);
        assert_eq!(found("So Hyun-woo owns it."), ["Hyun-woo"]);
        assert_eq!(found("I asked Zoë about it."), ["Zoë"]);
    }

    #[test]
    fn listed_names_and_things_are_not() {
        assert!(found("Then Dana pushed it.").is_empty(), "listed");
        assert!(
            found("Then Kafka dropped messages.").is_empty(),
            "not_names"
        );
        assert!(found("We saw it in Grafana and on the Payments dashboard.").is_empty());
        assert!(found("It broke on Black Friday.").is_empty());
        assert!(found("We opened a ticket with AWS.").is_empty(), "acronym");
        assert!(found("The Root Cause Analysis section is empty.").is_empty());
        assert!(found("We restarted that Postgres replica twice.").is_empty());
    }

    /// "that" is a determiner before a thing and a conjunction before a clause's subject.
    #[test]
    fn after_that_a_subject_is_a_name() {
        assert_eq!(
            found("The problem is that Hamid just didn't read the alert."),
            ["Hamid"]
        );
        assert!(found("We know that Postgres holds the lock.").is_empty());
    }

    /// After a preposition a capitalized word is a thing ("in Grafana"), unless it owns a
    /// piece of work; after a determiner it stays a thing even then.
    #[test]
    fn a_possessive_after_a_preposition_is_a_name() {
        assert_eq!(found("The gap was in Tariq's migration."), ["Tariq"]);
        assert!(found("The gap was in Grafana's panel.").is_empty());
        assert!(found("The gap was in the Postgres's query.").is_empty());
        assert!(
            found("The gap was on Kafka's query.").is_empty(),
            "not_names"
        );
    }

    #[test]
    fn a_first_word_needs_a_clue() {
        assert!(found("Latency was high.").is_empty());
        assert!(found("Sure, we can look.").is_empty());
        assert_eq!(found("Darnell pushed it."), ["Darnell"]);
        // A question word before a cue verb is not a name ("who" is in not_names).
        assert!(found("Who pushed it?").is_empty());
        // Where the person works may stand between the name and the clue.
        assert_eq!(found("Leilani from comms pushed it."), ["Leilani"]);
        assert_eq!(
            found("Farid from security architecture said so."),
            ["Farid"]
        );
        assert!(found("Customers from the south pushed back.").is_empty());
        // The same word inside another sentence makes it a name everywhere.
        assert_eq!(
            found("Darnell took it down. We asked Darnell."),
            ["Darnell", "Darnell"]
        );
        // A possessive first word owning a piece of work is a person; a contraction is not.
        assert_eq!(found("Tariq's migration broke the catalog."), ["Tariq"]);
        assert!(found("Let's query the booking table.").is_empty());
        assert!(found("Friday's migration went out late.").is_empty());
    }

    #[test]
    fn stand_ins_keep_the_length_and_the_offsets() {
        let text = "Honestly, Darnell took it down and Bilal's fix helped.";
        let prepared = Text::new(text);
        let copy = names().matching_copy(&prepared).unwrap();
        assert_eq!(copy.len(), text.len());
        assert_eq!(
            copy,
            "honestly, jessica took it down and marta's fix helped."
        );
        let zoe = "I asked Zoë.";
        let copy = names().matching_copy(&Text::new(zoe)).unwrap();
        assert_eq!(copy, "i asked dana.");
    }
}
