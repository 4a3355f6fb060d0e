//! User-facing prose in one place, so the wording can be reviewed together: banners, help
//! texts and coaching lines shared across commands.

/// Shown under `debrief score` when nothing was found at all.
pub const SCORE_NOTHING_FOUND: &str = "nothing to flag: plain, blameless wording";

/// Shown when `score` is given no text at all.
pub const SCORE_EMPTY: &str =
    "nothing to score: the text is empty (pass TEXT, or pipe it on stdin)";

/// The one-line explanation of the three scores.
pub const SCORE_LEGEND: &str =
    "scores are 0-100; 60 or more is what a trained facilitator would accept";

// ---- lint ----

/// Where SARIF consumers send people to learn about the tool (the `informationUri`).
pub const LINT_INFORMATION_URI: &str = "https://github.com/debrief/debrief#lint";

/// `lint` found no Markdown file under a directory it was given.
pub const LINT_NO_MARKDOWN: &str = "no Markdown files (*.md, *.markdown) found here";

/// `lint -` with stdin on a terminal.
pub const LINT_STDIN_TERMINAL: &str =
    "'-' reads the post-mortem from stdin, but stdin is a terminal (pipe a file in)";

/// The text summary when nothing was found.
pub const LINT_CLEAN: &str = "no findings: blameless, evidenced and complete";
