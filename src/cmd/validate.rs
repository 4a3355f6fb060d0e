//! `debrief validate [PATH...]`: check phrasebank, scenario and deck files. Every problem is
//! reported with file:line:col; exit 1 when there are any.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::cli::ValidateArgs;
use crate::ctx::Ctx;
use crate::diag::Diagnostic;
use crate::embedded;
use crate::error::{Error, Outcome, Result};
use crate::evaluator::Evaluator;
use crate::phrasebank::{Phrasebank, Role};
use crate::ronfile::Source;
use crate::{drill, scenario};

/// What kind of data a file holds, from its place and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rules,
    PhrasebankPart,
    Deck,
    Scenario,
}

fn kind_of(path: &Path, text: &str) -> Kind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let in_rules = path
        .parent()
        .and_then(|p| p.file_name())
        .is_some_and(|n| n == "rules");
    match name {
        "deck.ron" => Kind::Deck,
        "lexicon.ron" | "context.ron" | "scoring.ron" | "moves.ron" => Kind::PhrasebankPart,
        _ if in_rules => Kind::Rules,
        _ if text.contains("cast:") || text.contains("phases:") => Kind::Scenario,
        _ if text.contains("term:") => Kind::Deck,
        _ if text.contains("dimension:") => Kind::Rules,
        _ => Kind::Scenario,
    }
}

pub fn run(args: ValidateArgs, ctx: &Ctx) -> Result<Outcome> {
    let (problems, checked) = if args.paths.is_empty() {
        validate_embedded(ctx)?
    } else {
        validate_paths(&args.paths, ctx)?
    };
    let mut out = io::stdout().lock();
    if problems.is_empty() {
        writeln!(out, "{checked} file(s) checked: no problems")?;
        return Ok(Outcome::Success);
    }
    for d in &problems {
        writeln!(out, "{}", d.render(ctx.color))?;
    }
    writeln!(
        out,
        "{} problem(s) in {checked} file(s) checked",
        problems.len()
    )?;
    Ok(Outcome::Findings)
}

/// The embedded phrasebank (or `--phrasebank DIR`), scenarios and deck.
fn validate_embedded(ctx: &Ctx) -> Result<(Vec<Diagnostic>, usize)> {
    let mut problems = Vec::new();
    let evaluator = match ctx.evaluator() {
        Ok(e) => Some(e),
        Err(Error::Invalid(diags)) => {
            // The bank may load and only fail to compile: then check what does compile.
            let bank = match ctx.phrasebank_dir() {
                Some(dir) => Phrasebank::from_dir(dir),
                None => Phrasebank::embedded(),
            };
            problems.extend(bank.map_or(diags, check_bank));
            None
        }
        Err(e) => return Err(e),
    };
    if let Some(e) = &evaluator {
        problems.extend(e.check_examples());
    }
    let mut checked = embedded::files_under("phrasebank/").count();
    for (path, text) in embedded::files_under("scenarios/") {
        checked += 1;
        problems.extend(scenario::validate_source(
            &Source::new(path, text),
            evaluator.as_deref(),
        ));
    }
    if let Some(text) = embedded::file("phrasebank/deck.ron") {
        problems.extend(drill::validate_deck_source(&Source::new(
            "phrasebank/deck.ron",
            text,
        )));
    }
    Ok((problems, checked))
}

fn validate_paths(paths: &[PathBuf], ctx: &Ctx) -> Result<(Vec<Diagnostic>, usize)> {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            if path.join("lexicon.ron").is_file() {
                // A whole phrasebank directory.
                match Phrasebank::from_dir(path) {
                    Ok(bank) => problems.extend(check_bank(bank)),
                    Err(diags) => problems.extend(diags),
                }
                if let Ok(text) = fs::read_to_string(path.join("deck.ron")) {
                    let shown = path.join("deck.ron").display().to_string();
                    problems.extend(drill::validate_deck_source(&Source::new(shown, text)));
                }
                files.push(path.clone());
                continue;
            }
            collect(path, &mut files)?;
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(Error::Usage(format!(
                "{}: no such file or directory",
                path.display()
            )));
        }
    }
    let evaluator = ctx.evaluator().ok();
    let mut parts = Vec::new();
    let mut checked = 0;
    for path in &files {
        if path.is_dir() {
            checked += 1;
            continue;
        }
        checked += 1;
        let shown = path.display().to_string();
        let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let src = Source::new(shown.clone(), lossy);
                problems.push(Diagnostic::at(
                    &shown,
                    &src.text,
                    at..at + 1,
                    "file is not valid UTF-8",
                ));
                continue;
            }
        };
        let source = Source::new(shown, text);
        match kind_of(path, &source.text) {
            Kind::Scenario => {
                problems.extend(scenario::validate_source(&source, evaluator.as_deref()))
            }
            Kind::Deck => problems.extend(drill::validate_deck_source(&source)),
            Kind::Rules => parts.push((Role::Rules, source)),
            Kind::PhrasebankPart => {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                parts.push((Role::of(name).unwrap_or(Role::Rules), source));
            }
        }
    }
    if !parts.is_empty() {
        problems.extend(check_with_builtin(parts));
    }
    Ok((problems, checked))
}

/// Rule files and other phrasebank parts given one by one are checked in the company of the
/// built-in phrasebank, each replacing the built-in file of its kind; a rule file replaces the
/// built-in rule file of the same name (an edited copy of `rules/blame.ron` is not a second
/// set of the same rules), and adds its rules when there is none.
fn check_with_builtin(files: Vec<(Role, Source)>) -> Vec<Diagnostic> {
    const PREFIX: &str = "phrasebank/";
    let replaced: Vec<Role> = files
        .iter()
        .map(|(r, _)| *r)
        .filter(|r| *r != Role::Rules)
        .collect();
    let file_name = |s: &Source| -> Option<String> {
        Some(Path::new(&s.path).file_name()?.to_str()?.to_string())
    };
    let replaced_rules: Vec<String> = files
        .iter()
        .filter(|(r, _)| *r == Role::Rules)
        .filter_map(|(_, s)| file_name(s))
        .collect();
    let mut all: Vec<(Role, Source)> = embedded::files_under(PREFIX)
        .filter_map(|(p, t)| Role::of(&p[PREFIX.len()..]).map(|role| (role, Source::new(p, t))))
        .filter(|(role, _)| !replaced.contains(role))
        .filter(|(role, s)| {
            *role != Role::Rules || !file_name(s).is_some_and(|n| replaced_rules.contains(&n))
        })
        .collect();
    all.extend(files);
    match Phrasebank::from_sources(all, PREFIX) {
        Ok(bank) => check_bank(bank),
        Err(d) => d,
    }
}

/// Every problem of a loaded phrasebank: patterns that do not compile and rule examples that
/// do not behave. A pattern that does not compile stops the evaluator from being built, so the
/// rules with such patterns are set aside and the examples of all the others are still checked:
/// validation reports every problem, not only the first kind it meets.
fn check_bank(bank: Phrasebank) -> Vec<Diagnostic> {
    let diags = match Evaluator::new(bank.clone()) {
        Ok(e) => return e.check_examples(),
        Err(diags) => diags,
    };
    let broken: BTreeSet<usize> = diags.iter().filter_map(|d| rule_of(&bank, d)).collect();
    if broken.is_empty() {
        return diags;
    }
    let mut rest = bank;
    (rest.rules, rest.origins) = std::mem::take(&mut rest.rules)
        .into_iter()
        .zip(std::mem::take(&mut rest.origins))
        .enumerate()
        .filter(|(i, _)| !broken.contains(i))
        .map(|(_, kept)| kept)
        .unzip();
    let mut problems = diags;
    let more = match Evaluator::new(rest) {
        Ok(e) => e.check_examples(),
        Err(more) => more,
    };
    for d in more {
        if !problems.contains(&d) {
            problems.push(d);
        }
    }
    problems
}

/// The rule a diagnostic points into: the last rule declared before its place in its file.
fn rule_of(bank: &Phrasebank, d: &Diagnostic) -> Option<usize> {
    let (_, span) = d.source.as_ref()?;
    bank.origins
        .iter()
        .enumerate()
        .filter(|(_, o)| bank.sources[o.source].path == d.path && o.offset <= span.start)
        .max_by_key(|(_, o)| o.offset)
        .map(|(i, _)| i)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "ron") {
            out.push(p);
        }
    }
    Ok(())
}
