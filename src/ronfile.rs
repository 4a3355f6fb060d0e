//! Parsing RON data files with errors that name the file, line and column. Every data loader
//! (phrasebank, scenarios, deck, lint config) goes through here.

use std::sync::Arc;

use ron::extensions::Extensions;
use serde::de::DeserializeOwned;

use crate::diag::{self, Diagnostic};

/// A data file's path (as shown to users) and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    pub text: Arc<str>,
}

impl Source {
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }

    /// A diagnostic at the first occurrence of `needle` at or after byte `from`, or at `from`.
    pub fn diag_at(&self, needle: &str, from: usize, message: impl Into<String>) -> Diagnostic {
        let from = diag::floor_char_boundary(&self.text, from);
        let span = match self.text[from..].find(needle) {
            Some(i) if !needle.is_empty() => (from + i)..(from + i + needle.len()),
            _ => from..from,
        };
        Diagnostic::at(&self.path, &self.text, span, message)
    }

    /// Byte offset of the record that declares `key: "value"` (e.g. `id: "blame-agentive"`).
    pub fn find_key(&self, key: &str, value: &str) -> Option<usize> {
        self.find_key_from(key, value, 0)
    }

    /// `find_key` from byte `from` on (records declared in order are found in one pass).
    pub fn find_key_from(&self, key: &str, value: &str, from: usize) -> Option<usize> {
        crate::phrasebank::find_key_from(&self.text, key, value, from)
    }
}

/// The RON options every data file uses: `Some(..)` may be left out for optional fields.
pub fn options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// Parse one file into `T`; unknown fields are errors (the types deny them).
pub fn parse<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    options().from_str(&source.text).map_err(|e| {
        let message = e.code.to_string();
        let message = lowercase_first(message.trim_end_matches('.'));
        Diagnostic::at_line_col(
            &source.path,
            &source.text,
            e.position.line,
            e.position.col,
            message,
        )
    })
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Thing {
        #[allow(dead_code)]
        name: String,
    }

    #[test]
    fn unknown_field_is_an_error_with_a_place() {
        let src = Source::new("t.ron", "(\n  name: \"x\",\n  colour: 3,\n)");
        let d = parse::<Thing>(&src).unwrap_err();
        assert_eq!((d.line, d.path.as_str()), (3, "t.ron"), "{d}");
        assert!(d.message.contains("colour"), "{d}");
    }

    #[test]
    fn find_key_finds_the_declaration() {
        let src = Source::new("t.ron", "(id: \"a-b\"), (id: \"a\")");
        assert_eq!(src.find_key("id", "a"), Some(14));
    }
}
