//! What every command gets: the resolved global options (color, data dir, phrasebank) and the
//! evaluator, built once on first use.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::cli::{ColorChoice, Global};
use crate::error::{Error, Result};
use crate::evaluator::Evaluator;
use crate::phrasebank::Phrasebank;
use crate::store::{self, Store};

pub struct Ctx {
    /// Color on stdout.
    pub color: bool,
    /// Color on stderr.
    pub color_err: bool,
    data_dir: Option<PathBuf>,
    phrasebank_dir: Option<PathBuf>,
    evaluator: OnceLock<Arc<Evaluator>>,
}

impl Ctx {
    pub fn new(global: &Global) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |tty: bool| match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        let color = decide(std::io::stdout().is_terminal());
        let color_err = decide(std::io::stderr().is_terminal());
        colored::control::set_override(color);
        Ctx {
            color,
            color_err,
            data_dir: global.data_dir.clone(),
            phrasebank_dir: global.phrasebank.clone(),
            evaluator: OnceLock::new(),
        }
    }

    /// The evaluator over `--phrasebank DIR`, or the embedded phrasebank.
    pub fn evaluator(&self) -> Result<Arc<Evaluator>> {
        if let Some(e) = self.evaluator.get() {
            return Ok(Arc::clone(e));
        }
        let bank = match &self.phrasebank_dir {
            Some(dir) => Phrasebank::from_dir(dir),
            None => Phrasebank::embedded(),
        }
        .map_err(Error::Invalid)?;
        let evaluator = Arc::new(Evaluator::new(bank).map_err(Error::Invalid)?);
        // The built-in phrasebank is checked by the tests; a user's own is compiled in full
        // now, so a pattern too big to compile is an error rather than a rule quietly lost.
        if self.phrasebank_dir.is_some() {
            let problems = evaluator.compile_eagerly();
            if !problems.is_empty() {
                return Err(Error::Invalid(problems));
            }
        }
        Ok(Arc::clone(self.evaluator.get_or_init(|| evaluator)))
    }

    pub fn data_dir(&self) -> Result<PathBuf> {
        match &self.data_dir {
            Some(d) => Ok(d.clone()),
            None => store::default_data_dir(),
        }
    }

    pub fn store(&self) -> Result<Store> {
        Ok(Store::new(self.data_dir()?))
    }

    /// Print a warning on stderr (colored when stderr is a terminal).
    pub fn warn(&self, message: &str) {
        use colored::Colorize;
        let label = if self.color_err {
            "warning".yellow().bold().to_string()
        } else {
            "warning".to_string()
        };
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{label}: {message}");
        }
    }
}

// Added for the drill, which reads `deck.ron` from `--phrasebank DIR` when it is there.
impl Ctx {
    /// The `--phrasebank DIR` given, if any.
    pub fn phrasebank_dir(&self) -> Option<&std::path::Path> {
        self.phrasebank_dir.as_deref()
    }
}
