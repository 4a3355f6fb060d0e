//! The command line: global options and one subcommand per job. Each job's own options live
//! next to its code (`rehearse::Args`, `drill::Args`, ...); this file only assembles them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::beat::BeatKind;

#[derive(Debug, Parser)]
#[command(
    name = "debrief",
    version,
    about = "Rehearse and run blameless post-mortems: a coach for the person leading the meeting",
    long_about = None,
    propagate_version = true,
    after_help = "Start here:  debrief rehearse        (a simulated post-mortem, about 10 minutes)\nExit codes:  0 success, 1 the thing checked fell short, 2 usage, I/O or data errors"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Where sessions, progress and history are kept [default: $DEBRIEF_HOME, else the XDG data dir]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// When to use color (also honours NO_COLOR)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Use the phrasebank in DIR instead of the built-in one
    #[arg(long, global = true, value_name = "DIR")]
    pub phrasebank: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rehearse a post-mortem: characters speak, you facilitate, the room reacts
    Rehearse(crate::rehearse::Args),
    /// List and show the built-in scenarios
    Scenarios(crate::scenario::cli::Args),
    /// Quiz yourself on reliability vocabulary with spaced repetition
    Drill(crate::drill::Args),
    /// Score one response for blamelessness, data and concision
    Score(ScoreArgs),
    /// Check written post-mortems (Markdown) for blame, guesswork and missing sections
    Lint(crate::lint::Args),
    /// Check phrasebank and scenario files; every problem with file:line:col
    Validate(ValidateArgs),
    /// Show a rule's record: message, rationale, suggestion, examples
    Explain(ExplainArgs),
    /// List past rehearsals
    History(crate::history::HistoryArgs),
    /// Show a past rehearsal's report
    Report(crate::history::ReportArgs),
    /// Run a team workshop: take turns in the facilitator's seat
    Workshop(crate::workshop::Args),
    /// Print shell completions
    Completions(CompletionsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The response to score (reads stdin when absent or "-")
    pub text: Option<String>,
    /// The beat kind it answers, to judge the move too
    #[arg(long, value_name = "KIND", value_parser = parse_beat_kind)]
    pub after: Option<BeatKind>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ScoreFormat::Text)]
    pub format: ScoreFormat,
    /// Stream: read JSON Lines {"id","text","after"} from stdin, write one verdict per line
    #[arg(long, conflicts_with_all = ["text", "after", "format"])]
    pub jsonl: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files or directories to check [default: the built-in phrasebank and scenarios]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id (see --list)
    #[arg(required_unless_present = "list")]
    pub rule: Option<String>,
    /// List every rule with its one-line message
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print completions for
    pub shell: clap_complete::Shell,
}

pub fn parse_beat_kind(s: &str) -> Result<BeatKind, String> {
    s.parse::<BeatKind>().map_err(|e| e.to_string())
}
