//! The phrasebank: rules, lexicon, context cues, scoring and the move model, loaded from
//! `phrasebank/` (embedded) or from a directory given with `--phrasebank DIR`. Loading collects
//! every problem with its file:line:col before failing.

mod moves;
mod rule;
mod settings;
mod snapshot;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

pub use moves::{Check, MoveSpec, Requirement, Spoiler};
pub use rule::{Dimension, Examples, Exception, Measure, Polarity, Rule};
pub use settings::{ConcisionScoring, ContextSettings, DimensionScoring, Scoring};

use crate::beat::BeatKind;
use crate::diag::Diagnostic;
use crate::embedded;
use crate::ronfile::{self, Source};
pub use snapshot::find_key_from;

/// The embedded phrasebank's files, as sources.
fn embedded_sources() -> Vec<Source> {
    embedded::files_under("phrasebank/")
        .map(|(path, text)| Source::new(path, text))
        .collect()
}

/// The snapshot of the embedded phrasebank `build.rs` wrote (empty if the files did not
/// load there: they are then read, and their errors reported, at run time).
static SNAPSHOT: &str = include_str!(concat!(env!("OUT_DIR"), "/phrasebank.json"));

/// What a file of a phrasebank directory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Lexicon,
    Context,
    Scoring,
    Moves,
    Rules,
    /// Not the evaluator's (`deck.ron` belongs to the drill).
    Other,
}

const MOVES: &str = "moves.ron";

impl Role {
    /// The role of a file from its path relative to the phrasebank directory; `None` when the
    /// file has no place in a phrasebank.
    pub fn of(rel: &str) -> Option<Role> {
        match rel {
            "lexicon.ron" => Some(Role::Lexicon),
            "context.ron" => Some(Role::Context),
            "scoring.ron" => Some(Role::Scoring),
            MOVES => Some(Role::Moves),
            "deck.ron" => Some(Role::Other),
            _ if rel.starts_with("rules/") => Some(Role::Rules),
            _ => None,
        }
    }

    fn file(self) -> &'static str {
        match self {
            Role::Lexicon => "lexicon.ron",
            Role::Context => "context.ron",
            Role::Scoring => "scoring.ron",
            Role::Moves => MOVES,
            Role::Rules => "rules/",
            Role::Other => "",
        }
    }
}

/// Where a rule was declared, so later checks (a regex that does not compile) can point at it.
#[derive(Debug, Clone)]
pub struct RuleOrigin {
    pub source: usize,
    pub offset: usize,
}

#[derive(Debug, Clone)]
pub struct Phrasebank {
    pub rules: Vec<Rule>,
    pub lexicon: BTreeMap<String, Vec<String>>,
    pub context: ContextSettings,
    pub scoring: Scoring,
    pub moves: Vec<MoveSpec>,
    pub sources: Vec<Source>,
    pub origins: Vec<RuleOrigin>,
}

impl Phrasebank {
    /// The phrasebank compiled into the binary.
    pub fn embedded() -> Result<Phrasebank, Vec<Diagnostic>> {
        let sources = embedded_sources();
        match Phrasebank::from_snapshot(SNAPSHOT, &sources) {
            Some(bank) => bank,
            None => Phrasebank::from_files(sources, "phrasebank/"),
        }
    }

    /// The embedded phrasebank read from its RON files, as any other phrasebank is.
    #[cfg(test)]
    fn embedded_from_files() -> Result<Phrasebank, Vec<Diagnostic>> {
        Phrasebank::from_files(embedded_sources(), "phrasebank/")
    }

    /// A phrasebank directory laid out like `phrasebank/`.
    pub fn from_dir(dir: &Path) -> Result<Phrasebank, Vec<Diagnostic>> {
        let mut sources = Vec::new();
        let mut problems = Vec::new();
        let shown = dir.display().to_string();
        read_ron_files(dir, &mut sources, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        let prefix = if shown.ends_with('/') {
            shown
        } else {
            format!("{shown}/")
        };
        Phrasebank::from_files(sources, &prefix)
    }

    /// Files whose roles follow from their paths below `prefix`.
    fn from_files(sources: Vec<Source>, prefix: &str) -> Result<Phrasebank, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut with_roles = Vec::new();
        for source in sources {
            let rel = source.path.strip_prefix(prefix).unwrap_or(&source.path);
            match Role::of(rel) {
                Some(role) => with_roles.push((role, source)),
                None => problems.push(Diagnostic::whole_file(
                    &source.path,
                    "not a phrasebank file (expected lexicon.ron, context.ron, scoring.ron, moves.ron, deck.ron or rules/*.ron)",
                )),
            }
        }
        match Phrasebank::from_sources(with_roles, prefix) {
            Ok(bank) if problems.is_empty() => Ok(bank),
            Ok(_) => Err(problems),
            Err(more) => {
                problems.extend(more);
                Err(problems)
            }
        }
    }

    /// Parse and check a set of files with known roles; `prefix` names missing files.
    pub fn from_sources(
        files: Vec<(Role, Source)>,
        prefix: &str,
    ) -> Result<Phrasebank, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut rules = Vec::new();
        let mut origins = Vec::new();
        let mut sources = Vec::new();
        let (mut lexicon, mut context, mut scoring, mut moves) = (None, None, None, None);
        let mut seen_roles = Vec::new();
        for (index, (role, source)) in files.into_iter().enumerate() {
            let result = match role {
                Role::Lexicon => ronfile::parse(&source).map(|v| lexicon = Some(v)),
                Role::Context => ronfile::parse(&source).map(|v| context = Some(v)),
                Role::Scoring => ronfile::parse(&source).map(|v| scoring = Some(v)),
                Role::Moves => ronfile::parse(&source).map(|v| moves = Some(v)),
                Role::Other => Ok(()),
                Role::Rules => ronfile::parse::<Vec<Rule>>(&source).map(|file_rules| {
                    let offsets = snapshot::rule_offsets(&source.text, &file_rules);
                    origins.extend(offsets.into_iter().map(|offset| RuleOrigin {
                        source: index,
                        offset,
                    }));
                    rules.extend(file_rules);
                }),
            };
            seen_roles.push(role);
            if let Err(d) = result {
                problems.push(d);
            }
            sources.push(source);
        }
        for (role, found) in [
            (Role::Lexicon, lexicon.is_some()),
            (Role::Context, context.is_some()),
            (Role::Scoring, scoring.is_some()),
            (Role::Moves, moves.is_some()),
        ] {
            if !found && !seen_roles.contains(&role) {
                problems.push(Diagnostic::whole_file(
                    &format!("{prefix}{}", role.file()),
                    "missing phrasebank file",
                ));
            }
        }
        if rules.is_empty() && problems.is_empty() {
            problems.push(Diagnostic::whole_file(
                &format!("{prefix}rules/"),
                "no rules found",
            ));
        }
        let (Some(lexicon), Some(context), Some(scoring), Some(moves)) =
            (lexicon, context, scoring, moves)
        else {
            return Err(problems);
        };
        let bank = Phrasebank {
            rules,
            lexicon,
            context,
            scoring,
            moves,
            sources,
            origins,
        };
        problems.extend(bank.check());
        if problems.is_empty() {
            Ok(bank)
        } else {
            Err(problems)
        }
    }

    /// The embedded phrasebank from the snapshot `build.rs` made of `sources` (the embedded
    /// files); `None` if there is none or it does not fit them (the files are then read).
    fn from_snapshot(
        json: &str,
        sources: &[Source],
    ) -> Option<Result<Phrasebank, Vec<Diagnostic>>> {
        let snapshot: snapshot::Snapshot = serde_json::from_str(json).ok()?;
        let mut rule_files = snapshot.rule_files;
        let (mut rules, mut origins) = (Vec::new(), Vec::new());
        // In the order of the files, as `from_sources` reads them.
        for (index, source) in sources.iter().enumerate() {
            let rel = source.path.strip_prefix("phrasebank/")?;
            match Role::of(rel)? {
                Role::Rules => {}
                _ => continue,
            }
            let at = rule_files.iter().position(|f| f.path == source.path)?;
            let file = rule_files.swap_remove(at);
            if file.offsets.len() != file.rules.len() {
                return None;
            }
            origins.extend(file.offsets.into_iter().map(|offset| RuleOrigin {
                source: index,
                offset,
            }));
            rules.extend(file.rules);
        }
        if !rule_files.is_empty() || rules.is_empty() {
            return None;
        }
        let bank = Phrasebank {
            rules,
            lexicon: snapshot.lexicon,
            context: snapshot.context,
            scoring: snapshot.scoring,
            moves: snapshot.moves,
            sources: sources.to_vec(),
            origins,
        };
        let problems = bank.check();
        Some(if problems.is_empty() {
            Ok(bank)
        } else {
            Err(problems)
        })
    }

    /// A diagnostic pointing at `needle` inside rule `index`'s record (or at the record).
    pub fn rule_diag(&self, index: usize, needle: &str, message: impl Into<String>) -> Diagnostic {
        let origin = &self.origins[index];
        self.sources[origin.source].diag_at(needle, origin.offset, message)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn move_spec(&self, kind: BeatKind) -> Option<&MoveSpec> {
        self.moves.iter().find(|m| m.kind == kind)
    }

    /// Structural checks that need no compiled patterns.
    fn check(&self) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        let mut signals = BTreeSet::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let id = &rule.id;
            if !seen.insert(id.as_str()) {
                problems.push(self.rule_diag(i, id, format!("duplicate rule id '{id}'")));
            }
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                problems.push(self.rule_diag(
                    i,
                    id,
                    format!("rule id '{id}' must be kebab-case (a-z, 0-9, -)"),
                ));
            }
            if rule.phrases.is_empty() && rule.patterns.is_empty() && rule.measure.is_none() {
                problems.push(self.rule_diag(
                    i,
                    id,
                    format!("rule '{id}' has no phrases, patterns or measure"),
                ));
            }
            for (kind, list) in [
                ("matches", &rule.examples.matches),
                ("no_match", &rule.examples.no_match),
            ] {
                if list.len() < 2 {
                    problems.push(self.rule_diag(
                        i,
                        "examples",
                        format!(
                            "rule '{id}' needs at least two `{kind}` examples, has {}",
                            list.len()
                        ),
                    ));
                }
            }
            if rule.dimension != Dimension::Move && rule.weight == 0 {
                problems.push(self.rule_diag(
                    i,
                    "dimension",
                    format!("rule '{id}' scores a dimension but has weight 0"),
                ));
            }
            if rule.dimension == Dimension::Move && rule.signals.is_empty() {
                problems.push(self.rule_diag(
                    i,
                    "dimension",
                    format!("move rule '{id}' carries no signals"),
                ));
            }
            for phrase in &rule.phrases {
                if phrase.trim().is_empty() || phrase.chars().any(|c| c.is_ascii_uppercase()) {
                    problems.push(self.rule_diag(
                        i,
                        phrase,
                        format!("phrase {phrase:?} must be non-empty lowercase"),
                    ));
                }
            }
            for pattern in rule
                .patterns
                .iter()
                .chain(rule.exceptions.iter().map(|e| &e.pattern))
            {
                for name in lexicon_refs(pattern) {
                    if !self.lexicon.contains_key(name) {
                        problems.push(self.rule_diag(
                            i,
                            pattern,
                            format!("unknown lexicon entry {{{name}}}"),
                        ));
                    }
                }
            }
            signals.extend(rule.signals.iter().map(String::as_str));
        }
        let moves_source = self.sources.iter().find(|s| s.path.ends_with(MOVES));
        let at_moves = |needle: &str, message: String| match moves_source {
            Some(s) => s.diag_at(needle, 0, message),
            None => Diagnostic::whole_file(MOVES, message),
        };
        for kind in BeatKind::ALL {
            let count = self.moves.iter().filter(|m| m.kind == kind).count();
            if count != 1 {
                problems.push(at_moves(
                    "",
                    format!("beat kind {kind} must have exactly one move, has {count}"),
                ));
            }
        }
        for spec in &self.moves {
            let checks = spec
                .requires
                .iter()
                .chain(&spec.better_with)
                .flat_map(|r| r.any.iter())
                .chain(
                    spec.spoilers
                        .iter()
                        .flat_map(|s| std::iter::once(&s.when).chain(&s.unless)),
                );
            for check in checks {
                if let Check::Signal(name) = check {
                    if !signals.contains(name.as_str()) {
                        problems.push(at_moves(
                            &format!("Signal(\"{name}\")"),
                            format!("signal '{name}' is carried by no rule"),
                        ));
                    }
                }
            }
        }
        problems
    }
}

/// The `{name}` references in a pattern (not regex repetitions like `{2}` or `{1,3}`).
pub fn lexicon_refs(pattern: &str) -> impl Iterator<Item = &str> {
    pattern.split('{').skip(1).filter_map(|part| {
        let name = part.split('}').next()?;
        let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        (is_name && part.contains('}')).then_some(name)
    })
}

fn read_ron_files(dir: &Path, sources: &mut Vec<Source>, problems: &mut Vec<Diagnostic>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(Diagnostic::whole_file(
                &dir.display().to_string(),
                format!("cannot read directory: {e}"),
            ));
            return;
        }
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            read_ron_files(&path, sources, problems);
        } else if path.extension().is_some_and(|e| e == "ron") {
            let shown = path.display().to_string();
            match fs::read(&path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => sources.push(Source::new(shown, text)),
                    Err(e) => {
                        let at = e.utf8_error().valid_up_to();
                        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                        let src = Source::new(shown.clone(), text);
                        problems.push(Diagnostic::at(
                            &shown,
                            &src.text,
                            at..at + 1,
                            "file is not valid UTF-8",
                        ));
                    }
                },
                Err(e) => problems.push(Diagnostic::whole_file(
                    &shown,
                    format!("cannot read file: {e}"),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_refs_skip_repetitions() {
        let refs: Vec<_> = lexicon_refs(r"{person}\s+\d{2}x{1,3} {role_noun}").collect();
        assert_eq!(refs, ["person", "role_noun"]);
    }

    /// The snapshot `build.rs` made must be there (or start-up silently reads the RON files,
    /// a fifth of `debrief score`'s start-up) and must hold exactly what the files do.
    #[test]
    fn the_snapshot_holds_what_the_files_do() {
        let sources = embedded_sources();
        let snapshot = Phrasebank::from_snapshot(SNAPSHOT, &sources)
            .expect("build.rs wrote a snapshot of the embedded phrasebank")
            .unwrap_or_else(|d| panic!("{d:?}"));
        let files = Phrasebank::embedded_from_files().unwrap_or_else(|d| panic!("{d:?}"));
        assert!(snapshot.rules.len() > 60);
        assert_eq!(snapshot.rules, files.rules);
        assert_eq!(snapshot.lexicon, files.lexicon);
        assert_eq!(snapshot.context, files.context);
        assert_eq!(snapshot.scoring, files.scoring);
        assert_eq!(snapshot.moves, files.moves);
        let places = |bank: &Phrasebank| -> Vec<(String, usize)> {
            bank.origins
                .iter()
                .map(|o| (bank.sources[o.source].path.clone(), o.offset))
                .collect()
        };
        assert_eq!(places(&snapshot), places(&files));
        // A snapshot that does not fit the files (here: a rules file it does not hold) is
        // not used.
        let mut more = sources.clone();
        more.push(Source::new("phrasebank/rules/zz-new.ron", "[]"));
        assert!(Phrasebank::from_snapshot(SNAPSHOT, &more).is_none());
        assert!(Phrasebank::from_snapshot("", &sources).is_none());
    }
}
