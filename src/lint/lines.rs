//! Byte offsets to 1-based lines and columns (columns count chars, as editors and SARIF do).

/// Where each line starts, for quick lookups on long files.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { text, starts }
    }

    /// 1-based line and char column of byte `at`.
    pub fn line_col(&self, at: usize) -> (usize, usize) {
        let at = floor_boundary(self.text, at.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= at);
        let start = self.starts[line - 1];
        (line, self.text[start..at].chars().count() + 1)
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line(&self, line: usize) -> &'a str {
        let start = self
            .starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |&s| s.saturating_sub(1));
        self.text[start..end.max(start)].trim_end_matches('\r')
    }

    /// Byte offset where 1-based line `line` ends (before its line break).
    pub fn line_end(&self, line: usize) -> usize {
        let start = self
            .starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        start + self.line(line).len()
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_chars() {
        let l = Lines::new("ab\n\u{e9}t\u{e9} x\n");
        assert_eq!(l.line_col(0), (1, 1));
        assert_eq!(l.line_col(3), (2, 1));
        let x = "ab\n\u{e9}t\u{e9} x".find('x').unwrap();
        assert_eq!(l.line_col(x), (2, 5));
        assert_eq!(l.line(2), "\u{e9}t\u{e9} x");
        assert_eq!(l.line_end(1), 2);
    }
}
