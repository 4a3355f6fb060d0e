//! `debrief workshop`: a team takes turns in the facilitator's seat. The meeting is a
//! rehearsal (same scenarios, same session core); the seat passes to the next player after
//! every moment answered, each answer counts for the player who gave it, and the end shows a
//! leaderboard beside the team's scorecard. Shells: an interactive REPL that names who is in
//! the seat, a scripted run (`--answers FILE` or piped stdin, answers taken in seat order), and
//! `--jsonl` (the rehearsal's events plus `seat`, a `player` on each `feedback`, and a
//! `leaderboard` on `end`).

pub mod seats;

use std::io::{self, BufRead, IsTerminal, Write};

use colored::Colorize;
use rustyline::error::ReadlineError;
use serde::Serialize;

use crate::ctx::Ctx;
use crate::error::{Error, Outcome, Result};
use crate::rehearse::record::Started;
use crate::rehearse::scorecard::Scorecard;
use crate::rehearse::session::Line;
use crate::rehearse::{self, render, with_shell, Command, Event, Session, Shell};

pub use seats::{Seats, Standing};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
The seat passes to the next player after every moment answered (or skipped with :skip).
Scripted: --answers FILE or piped stdin, one answer per line, taken in seat order.
The meeting is saved like a rehearsal (debrief history); the leaderboard goes to
DATA_DIR/workshops/.")]
pub struct Args {
    /// Who takes the facilitator's seat, in turn order (2 to 8 names, comma-separated)
    #[arg(long, value_delimiter = ',', required = true, value_name = "NAMES")]
    pub players: Vec<String>,
    /// Scenario id or path to a .ron file [default: the first built-in scenario]
    #[arg(long, value_name = "ID|PATH")]
    pub scenario: Option<String>,
    /// Seed for the line variants (same seed + answers = same run) [default: from the clock]
    #[arg(long)]
    pub seed: Option<u64>,
    /// Read answers from FILE (one per line, in seat order; ':' lines are commands)
    #[arg(long, value_name = "FILE")]
    pub answers: Option<std::path::PathBuf>,
    /// Print the transcript, scorecard and leaderboard as JSON at the end
    #[arg(long)]
    pub json: bool,
    /// Machine interface: JSON events on stdout, one response per stdin line when asked
    #[arg(long, conflicts_with_all = ["json", "answers"])]
    pub jsonl: bool,
}

pub fn run(args: Args, ctx: &Ctx) -> Result<Outcome> {
    let mut seats = Seats::new(&args.players).map_err(Error::Usage)?;
    let started = Started::now();
    let (scenario, answers, seed) = rehearse::setup(
        args.scenario.as_deref(),
        args.answers.as_deref(),
        args.seed,
        &started,
    )?;
    let mut session = Session::new(scenario, seed);
    with_shell(ctx, started, false, |shell| {
        let mut unused = 0;
        let played = if args.jsonl {
            play_jsonl(&mut session, shell, &mut seats)
        } else {
            let mut source = match answers {
                Some(text) => Source::Lines(
                    text.lines()
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                        .into_iter(),
                ),
                None if args.json || !io::stdin().is_terminal() => Source::Stdin,
                None => Source::Terminal(Box::new(
                    rustyline::DefaultEditor::new()
                        .map_err(|e| Error::Other(format!("cannot start the terminal: {e}")))?,
                )),
            };
            let played = play_text(&mut session, shell, &mut seats, &mut source, args.json);
            unused = source.unused();
            played
        };
        shell.salvage(&mut session, played)?;
        finish(&session, shell, &seats, args.json, args.jsonl, unused)
    })
}

/// Where answers come from in the text shells.
enum Source {
    Lines(std::vec::IntoIter<String>),
    Stdin,
    Terminal(Box<rustyline::DefaultEditor>),
}

impl Source {
    /// The next non-blank line, or None at the end (or Ctrl-C / Ctrl-D on a terminal).
    fn next(&mut self, player: &str) -> Result<Option<String>> {
        loop {
            let line = match self {
                Source::Lines(lines) => lines.next(),
                Source::Stdin => {
                    let mut l = String::new();
                    let n = io::stdin()
                        .lock()
                        .read_line(&mut l)
                        .map_err(|e| Error::io("<stdin>", e))?;
                    (n > 0).then_some(l)
                }
                Source::Terminal(editor) => match editor.readline(&format!("{player}> ")) {
                    Ok(l) => {
                        let _ = editor.add_history_entry(l.as_str());
                        Some(l)
                    }
                    Err(ReadlineError::Interrupted | ReadlineError::Eof) => None,
                    Err(e) => return Err(Error::Other(format!("cannot read the terminal: {e}"))),
                },
            };
            match line {
                Some(l) if l.trim().is_empty() => continue,
                other => return Ok(other.map(|l| l.trim_end_matches(['\n', '\r']).to_string())),
            }
        }
    }

    /// The non-blank lines of an answers file the meeting did not reach (only a file is
    /// read to its end: stdin may be a pipe someone still holds open).
    fn unused(&mut self) -> usize {
        match self {
            Source::Lines(lines) => lines.filter(|l| !l.trim().is_empty()).count(),
            Source::Stdin | Source::Terminal(_) => 0,
        }
    }

    fn echoes(&self) -> bool {
        !matches!(self, Source::Terminal(_))
    }
}

/// Step the session and give the turn it records (if any) to the player in the seat.
fn step(
    session: &mut Session,
    shell: &Shell<'_, '_>,
    seats: &mut Seats,
    command: Command,
) -> Result<Vec<Event>> {
    let before = session.turns().len();
    let events = shell.step(session, command)?;
    for _ in before..session.turns().len() {
        seats.answered();
    }
    Ok(events)
}

fn play_text(
    session: &mut Session,
    shell: &Shell<'_, '_>,
    seats: &mut Seats,
    source: &mut Source,
    json: bool,
) -> Result<()> {
    let mut out = io::stdout().lock();
    let show = |out: &mut io::StdoutLock<'_>, events: &[Event]| -> Result<()> {
        if !json {
            render::write_events(out, events)?;
        }
        Ok(())
    };
    if !json {
        writeln!(out, "{} {}", "Workshop:".bold(), seats.players().join(", "))?;
    }
    show(&mut out, &session.start())?;
    while !session.is_over() {
        let player = seats.current().to_string();
        if !json {
            writeln!(out, "{}", format!("── {player} has the floor").cyan())?;
        }
        out.flush()?;
        let events = match source.next(&player)? {
            None => step(session, shell, seats, Command::Quit)?,
            Some(line) => {
                if !json && source.echoes() {
                    writeln!(out, "{}: {}", player.bold(), line.trim())?;
                }
                match Command::parse(&line) {
                    Ok(cmd) => step(session, shell, seats, cmd)?,
                    Err(text) => vec![Event::Notice { text }],
                }
            }
        };
        show(&mut out, &events)?;
    }
    Ok(())
}

fn play_jsonl(session: &mut Session, shell: &Shell<'_, '_>, seats: &mut Seats) -> Result<()> {
    let mut out = io::stdout().lock();
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let start = session.start();
    emit(&mut out, &start, seats, None, None)?;
    let mut line = String::new();
    while !session.is_over() {
        line.clear();
        let read = input
            .read_line(&mut line)
            .map_err(|e| Error::io("<stdin>", e))?;
        let player = seats.current().to_string();
        let events = if read == 0 {
            step(session, shell, seats, Command::Quit)?
        } else {
            match Command::parse(line.trim_end_matches(['\n', '\r'])) {
                Ok(cmd) => step(session, shell, seats, cmd)?,
                Err(text) => {
                    let mut v = vec![Event::Notice { text }];
                    v.extend(step(session, shell, seats, Command::Help)?);
                    v
                }
            }
        };
        let board = session
            .is_over()
            .then(|| seats.leaderboard(session.turns()));
        emit(&mut out, &events, seats, Some(&player), board)?;
    }
    Ok(())
}

/// Events as JSON lines, the rehearsal's plus the workshop's: a `seat` event before every
/// `await`, the player who answered on `feedback`, the leaderboard on `end`.
fn emit(
    out: &mut impl Write,
    events: &[Event],
    seats: &Seats,
    answered_by: Option<&str>,
    board: Option<Vec<Standing>>,
) -> Result<()> {
    for e in events {
        // Keys keep the rehearsal's order ("type" first); the workshop's keys go after them.
        let mut line = json(e)?;
        match e {
            Event::Await { .. } => {
                let seat = json(&Seat {
                    kind: "seat",
                    player: seats.current(),
                })?;
                writeln!(out, "{seat}")?;
            }
            Event::Feedback { .. } => {
                if let Some(p) = answered_by {
                    line.pop();
                    line.push_str(&format!(",\"player\":{}}}", json(p)?));
                }
            }
            Event::End { .. } => {
                if let Some(b) = &board {
                    line.pop();
                    line.push_str(&format!(",\"leaderboard\":{}}}", json(b)?));
                }
            }
            _ => {}
        }
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct Seat<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    player: &'a str,
}

/// One line of JSON.
fn json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Other(e.to_string()))
}

#[derive(Serialize)]
struct Record<'a> {
    scenario: &'a str,
    seed: u64,
    started: String,
    players: &'a [String],
    /// For each turn of the session, who answered it.
    seats: Vec<&'a str>,
    leaderboard: &'a [Standing],
    scorecard: Option<&'a Scorecard>,
}

#[derive(Serialize)]
struct Final<'a> {
    #[serde(flatten)]
    record: &'a Record<'a>,
    transcript: &'a [Line],
}

/// Save the meeting (as a rehearsal) and the workshop record; print the leaderboard.
fn finish(
    session: &Session,
    shell: &Shell<'_, '_>,
    seats: &Seats,
    json: bool,
    jsonl: bool,
    unused: usize,
) -> Result<Outcome> {
    let board = seats.leaderboard(session.turns());
    let saved = shell.save(session)?;
    let record = Record {
        scenario: &session.scenario().id,
        seed: session.scorecard().map_or(0, |c| c.seed),
        started: shell.started.iso(),
        players: seats.players(),
        seats: (0..session.turns().len())
            .map(|t| seats.player_of(t).unwrap_or(""))
            .collect(),
        leaderboard: &board,
        scorecard: session.scorecard(),
    };
    let mut out = io::stdout().lock();
    if json {
        let doc = Final {
            record: &record,
            transcript: session.transcript(),
        };
        let text = serde_json::to_string_pretty(&doc).map_err(|e| Error::Other(e.to_string()))?;
        writeln!(out, "{text}")?;
    } else if !jsonl {
        writeln!(out, "\n{}", leaderboard_text(&board))?;
    }
    out.flush()?;
    if unused > 0 {
        shell.note(&format!(
            "the meeting ended with {unused} answer line(s) unused"
        ));
    }
    if let Some(path) = &saved {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let store = shell.ctx.store()?;
        let board_path = store.write_json(format!("workshops/{stem}.json"), &record)?;
        shell.note(&format!(
            "saved to {} and {}",
            path.display(),
            board_path.display()
        ));
    }
    Ok(Outcome::Success)
}

fn leaderboard_text(board: &[Standing]) -> String {
    let mut s = format!("{}\n", "━━ Leaderboard".bold());
    s.push_str(&format!(
        "  {:<3} {:<16} {:>7}  {:>5} {:>5} {:>7}  {:>5}\n",
        "", "player", "overall", "blame", "data", "concise", "moves"
    ));
    for (i, b) in board.iter().enumerate() {
        s.push_str(&format!(
            "  {:<3} {:<16} {:>7}  {:>5} {:>5} {:>7}  {:>5}{}\n",
            format!("{}.", i + 1),
            b.player,
            b.overall,
            b.scores.blamelessness,
            b.scores.data,
            b.scores.concision,
            format!("{}/{}", b.moves.met, b.moves.total),
            if b.turns == 0 { "  (no turns)" } else { "" }
        ));
    }
    s.trim_end().to_string()
}
