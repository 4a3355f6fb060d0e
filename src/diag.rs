//! Diagnostics that point at a place in a file: `path:line:col`, a message, and a rustc-style
//! frame around the offending text. Every loader (phrasebank, scenarios, deck, config) reports
//! through this type so users see one shape of error everywhere.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use annotate_snippets::{Level, Renderer, Snippet};

/// One problem at one place in one file. Lines and columns are 1-based; columns count chars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
    /// The file's text and the byte span to underline, when known.
    pub source: Option<(Arc<str>, Range<usize>)>,
}

impl Diagnostic {
    /// A problem at a byte offset of `source`.
    pub fn at(
        path: &str,
        source: &Arc<str>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        let (line, col) = line_col(source, start);
        Diagnostic {
            path: path.to_string(),
            line,
            col,
            message: message.into(),
            source: Some((Arc::clone(source), start..end)),
        }
    }

    /// A problem at a known 1-based line and column of `source`.
    pub fn at_line_col(
        path: &str,
        source: &Arc<str>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        let start = offset_of(source, line, col);
        let end = next_char_end(source, start);
        Diagnostic::at(path, source, start..end, message)
    }

    /// A problem with a file as a whole (it cannot be read, say).
    pub fn whole_file(path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_string(),
            line: 1,
            col: 1,
            message: message.into(),
            source: None,
        }
    }

    /// The rustc-style frame: `error: message`, ` --> path:line:col`, the line, a caret.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        match &self.source {
            Some((src, span)) => {
                // Frame only the lines around the span so huge files render fast.
                let (window_start, window_end) = line_window(src, span.clone());
                let window = &src[window_start..window_end];
                // Underline at most the rest of the first line, and at most 60 chars of it.
                let line_end = src[span.start..]
                    .find('\n')
                    .map_or(src.len(), |i| span.start + i);
                let end = span
                    .end
                    .min(line_end)
                    .min(floor_char_boundary(src, span.start + 60))
                    .max(span.start);
                let local = (span.start - window_start)..(end - window_start);
                let first_line = self.line - src[window_start..span.start].matches('\n').count();
                let message = Level::Error.title(&self.message).snippet(
                    Snippet::source(window)
                        .line_start(first_line)
                        .origin(&self.path)
                        .annotation(Level::Error.span(local).label("here")),
                );
                renderer.render(message).to_string()
            }
            None => format!("error: {}\n --> {}", self.message, self.path),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.col, self.message
        )
    }
}

/// 1-based line and char column of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(src, offset.min(src.len()));
    let before = &src[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = src[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Byte offset of a 1-based line and char column (clamped to the text).
pub fn offset_of(src: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match src[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return src.len(),
        }
    }
    let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    src[start..line_end]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line_end, |(i, _)| start + i)
}

fn next_char_end(src: &str, at: usize) -> usize {
    src[at..].chars().next().map_or(at, |c| at + c.len_utf8())
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whole lines covering `span`, at most a few hundred bytes either side of it.
fn line_window(src: &str, span: Range<usize>) -> (usize, usize) {
    let start = src[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = src[span.end..]
        .find('\n')
        .map_or(src.len(), |i| span.end + i);
    let start = if span.start - start > 400 {
        floor_char_boundary(src, span.start - 200)
    } else {
        start
    };
    let end = if end - span.end > 400 {
        floor_char_boundary(src, span.end + 200)
    } else {
        end
    };
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let src = "ab\nçd x";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, src.find('x').unwrap()), (2, 4));
        assert_eq!(offset_of(src, 2, 4), src.find('x').unwrap());
    }

    #[test]
    fn render_names_the_place() {
        let src: Arc<str> = Arc::from("one\ntwo bad\nthree\n");
        let d = Diagnostic::at("f.ron", &src, 8..11, "unexpected thing");
        assert_eq!(d.to_string(), "f.ron:2:5: unexpected thing");
        let frame = d.render(false);
        assert!(frame.contains("f.ron:2:5"), "{frame}");
        assert!(frame.contains("two bad"), "{frame}");
    }
}
