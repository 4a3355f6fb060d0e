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
