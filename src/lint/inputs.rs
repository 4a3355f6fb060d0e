//! The lint shell's file-system side: expanding arguments into files (walking directories with
//! `.gitignore` respected), reading them as UTF-8, and finding each file's config.

use std::collections::HashMap;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::config::{self, Config};
use crate::error::{Error, Result};
use crate::prose;
use crate::ronfile::Source;

/// One thing to lint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

pub const STDIN_NAME: &str = "<stdin>";

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => STDIN_NAME.to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "md" | "markdown"))
}

/// Files named on the command line are linted whatever their extension; directories are walked
/// for `*.md` and `*.markdown`, skipping hidden and git-ignored files. Sorted, duplicates dropped.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if !meta.is_dir() {
            inputs.push(Input::File(path.clone()));
            continue;
        }
        let before = inputs.len();
        let walk = ignore::WalkBuilder::new(path)
            .require_git(false)
            .sort_by_file_path(|a, b| a.cmp(b))
            .build();
        for entry in walk {
            let entry = entry.map_err(|e| {
                Error::Other(format!(
                    "{}: cannot walk the directory: {e}",
                    path.display()
                ))
            })?;
            if entry.file_type().is_some_and(|t| t.is_file()) && is_markdown(entry.path()) {
                inputs.push(Input::File(entry.into_path()));
            }
        }
        if inputs.len() == before {
            return Err(Error::Usage(format!(
                "{}: {}",
                path.display(),
                prose::LINT_NO_MARKDOWN
            )));
        }
    }
    inputs.sort();
    inputs.dedup();
    Ok(inputs)
}

/// The text of an input: UTF-8 (a byte-order mark is dropped), or an error naming the file.
pub fn read(input: &Input) -> Result<String> {
    let name = input.name();
    let bytes = match input {
        Input::Stdin => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                return Err(Error::Usage(prose::LINT_STDIN_TERMINAL.to_string()));
            }
            let mut bytes = Vec::new();
            stdin
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io(&name, e))?;
            bytes
        }
        Input::File(path) => std::fs::read(path).map_err(|e| Error::io(path, e))?,
    };
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::Other(format!(
            "{name}:{line}: not valid UTF-8 (byte {}); lint reads UTF-8 Markdown",
            at + 1
        ))
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// Configs by file, loaded once each: `--config`, else the nearest `debrief.ron` upward.
pub struct Configs {
    fixed: Option<Arc<Config>>,
    by_dir: HashMap<PathBuf, Arc<Config>>,
    by_file: HashMap<PathBuf, Arc<Config>>,
}

impl Configs {
    pub fn new(explicit: Option<&Path>) -> Result<Configs> {
        let fixed = explicit.map(load).transpose()?;
        Ok(Configs {
            fixed,
            by_dir: HashMap::new(),
            by_file: HashMap::new(),
        })
    }

    pub fn for_input(&mut self, input: &Input) -> Result<Arc<Config>> {
        if let Some(c) = &self.fixed {
            return Ok(c.clone());
        }
        let dir = match input {
            Input::Stdin => PathBuf::from("."),
            Input::File(p) => match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            },
        };
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        if let Some(c) = self.by_dir.get(&dir) {
            return Ok(c.clone());
        }
        let config = match config::find_upward(&dir) {
            Some(file) => match self.by_file.get(&file) {
                Some(c) => c.clone(),
                None => {
                    let c = load(&file)?;
                    self.by_file.insert(file, c.clone());
                    c
                }
            },
            None => Arc::new(Config::default()),
        };
        self.by_dir.insert(dir, config.clone());
        Ok(config)
    }
}

fn load(path: &Path) -> Result<Arc<Config>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let source = Source::new(path.display().to_string(), text);
    Config::parse(&source).map(Arc::new).map_err(Error::Invalid)
}
