//! Text inside Markdown prose that is not the author's prose: bare URLs, and log lines pasted
//! without a code fence. Both are recognised by shape; the parser handles everything else.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Bare URLs in prose (autolinks are skipped by the parser already).
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:https?://|ftp://|www\.)[^\s<>()\[\]]+").expect("url pattern")
});

/// A log line pasted into prose without a code fence: a timestamp with seconds, then a level
/// or a `process:` tag ("14:02:11 ERROR ...", "2024-05-14T14:02:11Z deploy-bot: ...").
static LOG_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*\[?(?:\d{4}-\d{2}-\d{2}[T ])?\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\]?\s+(?:\[?(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRIT|CRITICAL)\]?|[\w.@-]+(?:\[\d+\])?:)",
    )
    .expect("log line pattern")
});

/// Whether the source line holding byte `at` is a log line.
pub fn on_log_line(source: &str, at: usize) -> bool {
    let start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &source[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    line.trim_start()
        .starts_with(|c: char| c.is_ascii_digit() || c == '[')
        && LOG_LINE.is_match(line)
}

/// Bare URLs become spaces (same length, so offsets still map).
pub fn mask_urls(prose: &mut String) {
    let spans: Vec<Range<usize>> = URL.find_iter(prose).map(|m| m.range()).collect();
    if spans.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(prose).into_bytes();
    for span in spans {
        for b in &mut bytes[span] {
            *b = b' ';
        }
    }
    // the URL pattern only matches whole characters, and spaces are ASCII
    *prose = String::from_utf8(bytes).unwrap_or_default();
}
