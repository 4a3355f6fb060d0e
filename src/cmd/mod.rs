//! Small commands that sit directly on the evaluator and phrasebank.

pub mod completions;
pub mod explain;
pub mod score;
pub mod validate;
