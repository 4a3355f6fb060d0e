//! `debrief drill`: spaced-repetition quizzing on post-mortem vocabulary. This file is the
//! shell: arguments, loading the deck and the progress file, saving every answer under a lock,
//! and choosing the front end (REPL, scripted runner, JSON Lines). The quiz itself is pure
//! (`quiz.rs`), as are grading (`grade.rs`) and scheduling (`leitner.rs`).

pub mod deck;
pub mod event;
pub mod grade;
pub mod jsonl;
pub mod leitner;
pub mod mode;
pub mod quiz;
pub mod render;
pub mod repl;
pub mod runner;
pub mod stats;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::ctx::Ctx;
use crate::diag::Diagnostic;
use crate::error::{Error, Outcome, Result};
use crate::ronfile::Source;
use crate::store::{Loaded, Store};

use deck::Deck;
use leitner::{Day, Progress};
use quiz::{Command, Event, Mode, Options, Quiz};

/// The progress file, relative to the data dir.
pub const PROGRESS: &str = "drill/progress.json";
/// The lock that serializes read-modify-write of the progress file.
const LOCK: &str = "drill";

#[derive(Debug, clap::Args)]
#[command(after_help = crate::prose::DRILL_HELP)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Question mode: recall, reverse, choice, apply, misuse or mixed
    #[arg(long, default_value = "mixed", value_name = "MODE")]
    pub mode: String,
    /// How many cards to ask (missed cards come back on top of these)
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub count: usize,
    /// Seed for card order, modes and choices (same seed + answers = same run)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Read answers from FILE, one per line (lines starting with ':' are commands)
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Print the results and summary as JSON at the end instead of text
    #[arg(long, conflicts_with = "jsonl")]
    pub json: bool,
    /// Machine interface: JSON events on stdout, one answer per stdin line when asked
    #[arg(long, conflicts_with = "answers")]
    pub jsonl: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Cards per box, due today, accuracy per term, streak
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// List the cards
    Deck {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome> {
    let deck = load_deck(ctx)?;
    match args.action {
        Some(Action::Deck { json }) => return stats::print_deck(&deck, json, ctx),
        Some(Action::Stats { json }) => {
            let store = ctx.store()?;
            let progress = load_progress(ctx, &store)?;
            return stats::print_stats(&deck, &progress, today()?, json, ctx);
        }
        None => {}
    }
    let mode: Mode = args.mode.parse().map_err(Error::Usage)?;
    if args.count == 0 {
        return Err(Error::Usage("--count must be at least 1".into()));
    }
    let today = today()?;
    let store = ctx.store()?;
    let progress = load_progress(ctx, &store)?;
    let seed = args.seed.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    let options = Options {
        mode,
        count: args.count,
        seed,
    };
    let mut driver = Driver {
        quiz: Quiz::new(deck, progress, today, options),
        store,
        today,
        ctx,
    };
    if args.jsonl {
        return jsonl::run(&mut driver, io::stdin().lock());
    }
    if let Some(path) = &args.answers {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        return runner::run(&mut driver, io::BufReader::new(file), args.json, path);
    }
    if io::stdin().is_terminal() && !args.json {
        return repl::run(&mut driver);
    }
    runner::run(
        &mut driver,
        io::stdin().lock(),
        args.json,
        &PathBuf::from("<stdin>"),
    )
}

/// The quiz plus what the shell needs to persist it: every `Record` event is saved as it
/// comes (under the lock, onto a fresh read), so an interrupted session keeps its answers.
pub struct Driver<'a> {
    pub quiz: Quiz,
    store: Store,
    today: Day,
    ctx: &'a Ctx,
}

impl Driver<'_> {
    pub fn start(&mut self) -> Result<Vec<Event>> {
        let events = self.quiz.start();
        self.save(&events)?;
        Ok(events)
    }

    pub fn step(&mut self, command: Command) -> Result<Vec<Event>> {
        let events = self.quiz.step(command);
        self.save(&events)?;
        Ok(events)
    }

    pub fn color(&self) -> bool {
        self.ctx.color
    }

    fn save(&self, events: &[Event]) -> Result<()> {
        for event in events {
            if let Event::Record {
                card,
                record,
                seen_delta,
                correct_delta,
                answer_streak,
            } = event
            {
                self.store.with_lock(LOCK, || {
                    let mut progress = read_progress(self.ctx, &self.store)?;
                    progress.merge(
                        card,
                        record,
                        (*seen_delta, *correct_delta),
                        *answer_streak,
                        self.today,
                    );
                    self.store.write_json(PROGRESS, &progress).map(|_| ())
                })?;
            }
        }
        Ok(())
    }
}

/// The deck from `--phrasebank DIR/deck.ron` when there is one, else the built-in deck.
pub fn load_deck(ctx: &Ctx) -> Result<Deck> {
    if let Some(dir) = ctx.phrasebank_dir() {
        let path = dir.join("deck.ron");
        if path.is_file() {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            return Deck::load(&Source::new(path.display().to_string(), text))
                .map_err(Error::Invalid);
        }
    }
    Deck::embedded().map_err(Error::Invalid)
}

pub fn load_progress(ctx: &Ctx, store: &Store) -> Result<Progress> {
    store.with_lock(LOCK, || read_progress(ctx, store))
}

/// Read the progress file; a damaged one is set aside (never overwritten) with a warning.
fn read_progress(ctx: &Ctx, store: &Store) -> Result<Progress> {
    Ok(match store.read_json::<Progress>(PROGRESS)? {
        Loaded::Found(p) => p,
        Loaded::Missing => Progress::new(),
        Loaded::SetAside { moved_to, reason } => {
            ctx.warn(&format!(
                "drill progress could not be read ({reason}); kept it as {} and started a fresh record",
                moved_to.display()
            ));
            Progress::new()
        }
    })
}

/// Today (UTC), or `DEBRIEF_TODAY=YYYY-MM-DD` (for tests and for trying the schedule out).
pub fn today() -> Result<Day> {
    if let Some(s) = std::env::var_os("DEBRIEF_TODAY").filter(|s| !s.is_empty()) {
        let s = s.to_string_lossy();
        return s
            .parse()
            .map_err(|e| Error::Usage(format!("DEBRIEF_TODAY: {e}")));
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(Day((secs / 86_400) as i64))
}

/// Write a block of text to stdout.
pub(crate) fn emit(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Every problem in the deck file.
pub fn validate_deck_source(source: &Source) -> Vec<Diagnostic> {
    deck::validate_source(source)
}
