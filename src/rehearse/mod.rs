//! `debrief rehearse`: a simulated post-mortem. The pure core is `Session` (session.rs); the
//! shells drive it: the REPL on a terminal (repl.rs), the scripted runner for `--answers` or
//! piped stdin (runner.rs), and the machine interface `--jsonl` (jsonl.rs). Every shell saves
//! the transcript and scorecard under the data dir when the meeting ends, however it ends.

pub mod event;
mod jsonl;
pub mod record;
pub mod render;
mod repl;
mod runner;
pub mod scorecard;
pub mod session;

use std::cell::RefCell;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use crate::ctx::Ctx;
use crate::error::{Error, Outcome, Result};
use crate::evaluator::Evaluator;
use crate::scenario;

pub use event::{Command, Event};
pub use session::Session;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario id or path to a .ron file [default: the first built-in scenario]
    #[arg(long, value_name = "ID|PATH")]
    pub scenario: Option<String>,
    /// Seed for the line variants (same seed + answers = same run) [default: from the clock]
    #[arg(long)]
    pub seed: Option<u64>,
    /// Read answers from FILE (one per line; lines starting with ':' are commands)
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Print the final transcript and scorecard as JSON
    #[arg(long)]
    pub json: bool,
    /// Machine interface: JSON events on stdout, one response per stdin line when asked
    #[arg(long, conflicts_with_all = ["json", "answers"])]
    pub jsonl: bool,
    /// Time your answers by the wall clock instead of simulated speaking time (REPL and --jsonl)
    #[arg(long)]
    pub realtime: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome> {
    let started = record::Started::now();
    let (scenario, answers, seed) = setup(
        args.scenario.as_deref(),
        args.answers.as_deref(),
        args.seed,
        &started,
    )?;
    let session = Session::new(scenario, seed);
    with_shell(ctx, started, args.realtime, |shell| {
        if args.jsonl {
            jsonl::run(session, shell)
        } else if let Some(text) = answers {
            runner::run(session, shell, runner::Input::Text(text), args.json)
        } else if args.json || !std::io::stdin().is_terminal() {
            runner::run(session, shell, runner::Input::Stdin, args.json)
        } else {
            repl::run(session, shell)
        }
    })
}

/// What a meeting needs before it starts: the scenario (built-in id or file), the answers
/// file's text (read now, so a missing file is an error before anything is shown), and the
/// seed (from the clock when none is given).
pub(crate) fn setup(
    scenario: Option<&str>,
    answers: Option<&std::path::Path>,
    seed: Option<u64>,
    started: &record::Started,
) -> Result<(Arc<scenario::Scenario>, Option<String>, u64)> {
    let scenario = Arc::new(scenario::resolve(scenario)?);
    let answers = match answers {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?),
        None => None,
    };
    let seed =
        seed.unwrap_or_else(|| started.unix_s.wrapping_mul(6_364_136_223_846_793_005) % 1_000_000);
    Ok((scenario, answers, seed))
}

/// Run `f` with a shell whose evaluator is being built on a second thread. The evaluator
/// takes longer to build than everything else; it is built while the brief and the first
/// lines are on screen, and the session needs it only for the first answer.
pub(crate) fn with_shell<T>(
    ctx: &Ctx,
    started: record::Started,
    realtime: bool,
    f: impl FnOnce(&Shell<'_, '_>) -> Result<T>,
) -> Result<T> {
    // A user's own phrasebank may be broken: check it before the meeting starts, so its
    // problems come first with exit 2 rather than after the brief. (The built-in one is
    // tested; it is built on the second thread while the brief is on screen.)
    if ctx.phrasebank_dir().is_some() {
        ctx.evaluator()?;
    }
    std::thread::scope(|scope| {
        let shell = Shell {
            ctx,
            started,
            realtime,
            evaluator: RefCell::new(Some(scope.spawn(|| ctx.evaluator()))),
        };
        f(&shell)
    })
}

type Building<'s> = std::thread::ScopedJoinHandle<'s, Result<Arc<Evaluator>>>;

/// What every shell needs besides the session.
pub(crate) struct Shell<'a, 's> {
    pub ctx: &'a Ctx,
    pub started: record::Started,
    pub realtime: bool,
    evaluator: RefCell<Option<Building<'s>>>,
}

impl Shell<'_, '_> {
    /// Wait for the evaluator (once) and hand it to the session; call before every `step`.
    pub fn ready(&self, session: &mut Session) -> Result<()> {
        if let Some(building) = self.evaluator.borrow_mut().take() {
            let evaluator = building
                .join()
                .map_err(|_| Error::Other("the evaluator could not be built".into()))??;
            session.set_evaluator(evaluator);
        }
        Ok(())
    }

    /// With `--realtime`, the wall time since `asked`, for the session's clock.
    pub fn elapsed_s(&self, asked: std::time::Instant) -> Option<u32> {
        self.realtime
            .then(|| u32::try_from(asked.elapsed().as_secs()).unwrap_or(u32::MAX))
    }

    /// Step the session once the evaluator is there.
    pub fn step(&self, session: &mut Session, command: Command) -> Result<Vec<Event>> {
        self.ready(session)?;
        Ok(session.step(command))
    }

    /// Save the record; a failure to save is reported but never loses the printed transcript.
    pub fn save(&self, session: &Session) -> Result<Option<PathBuf>> {
        record::save(self.ctx, session, &self.started, self.realtime)
    }
}

impl Shell<'_, '_> {
    /// Keep what was said when a shell fails half-way (stdout closed, stdin unreadable): end
    /// the meeting, save it, then report the failure.
    pub fn salvage<T>(&self, session: &mut Session, result: Result<T>) -> Result<T> {
        if result.is_err() {
            if !session.is_over() {
                let _ = self.step(session, Command::Quit);
            }
            if let Ok(Some(path)) = self.save(session) {
                self.note(&format!("saved to {}", path.display()));
            }
        }
        result
    }

    /// A one-line note on stderr, so stdout stays the transcript or the event stream.
    pub fn note(&self, message: &str) {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{message}");
        }
    }
}
