//! Reading a Markdown post-mortem with a real parser (pulldown-cmark): the prose the evaluator
//! should judge, mapped back to byte offsets in the file, plus the structure the completeness
//! checks need (headings, list items, table rows) and the HTML comments that carry suppressions.
//!
//! Skipped as prose: fenced and indented code, inline code, autolinks and bare URLs, images,
//! HTML, front matter, log lines pasted without a fence (see `skip`), and block quotes. Block quotes in post-mortems hold chat excerpts, log
//! lines and customer messages: other people's words, quoted, not the author's claims (the
//! evaluator likewise ignores text inside quote marks).

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::skip::{mask_urls, on_log_line};

/// A heading, or a paragraph that opens with a bold label ("**Impact:** 12% of ...").
#[derive(Debug, Clone)]
pub struct Heading {
    /// 1..=6; 7 for a bold label.
    pub level: u8,
    pub text: String,
    pub src: Range<usize>,
}

/// A list item: its plain text (nested items included) and where it is.
#[derive(Debug, Clone)]
pub struct Item {
    /// 1 for a top-level item.
    pub depth: usize,
    pub text: String,
    pub src: Range<usize>,
}

/// A table row: its cells' plain text.
#[derive(Debug, Clone)]
pub struct Row {
    pub table: usize,
    pub header: bool,
    pub cells: Vec<String>,
    pub src: Range<usize>,
}

/// An HTML comment: its text (with the `<!--`/`-->` markers) and where it is.
#[derive(Debug, Clone)]
pub struct Comment {
    pub text: String,
    pub src: Range<usize>,
}

/// A run of prose copied from the file: `len` bytes at `prose` came from `src` (exactly, when
/// `exact`; otherwise the whole run maps to `src`, e.g. for text with escapes or entities).
#[derive(Debug, Clone, Copy)]
struct Seg {
    prose: usize,
    src: usize,
    len: usize,
    exact: bool,
}

#[derive(Debug, Default)]
pub struct Extract {
    /// The prose to evaluate: blocks separated by blank lines, so no sentence crosses blocks.
    pub prose: String,
    /// Ranges of `prose`, one per paragraph, heading, list item text or table cell.
    pub blocks: Vec<Range<usize>>,
    pub headings: Vec<Heading>,
    pub items: Vec<Item>,
    pub rows: Vec<Row>,
    pub comments: Vec<Comment>,
    segs: Vec<Seg>,
}

impl Extract {
    /// The file offset of prose offset `at` (a span's start).
    pub fn src_start(&self, at: usize) -> usize {
        let i = self.segs.partition_point(|s| s.prose <= at);
        match i.checked_sub(1).map(|i| self.segs[i]) {
            Some(s) if s.exact => s.src + (at - s.prose).min(s.len),
            Some(s) => s.src,
            None => 0,
        }
    }

    /// The file offset just past prose offset `at - 1` (a span's end).
    pub fn src_end(&self, at: usize) -> usize {
        let i = self.segs.partition_point(|s| s.prose < at);
        match i.checked_sub(1).map(|i| self.segs[i]) {
            Some(s) if s.exact => s.src + (at - s.prose).min(s.len),
            Some(s) => s.src + s.len.max(1),
            None => 0,
        }
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// Builder state while walking the events.
#[derive(Default)]
struct Walk {
    out: Extract,
    /// Nesting of things whose text is not prose (code, quotes, images, autolinks, front matter).
    skip: usize,
    /// Whether each open link is an autolink (its text is the URL).
    links: Vec<bool>,
    list_depth: usize,
    open_items: Vec<usize>,
    heading: Option<Heading>,
    /// A paragraph that may be a bold-label pseudo-heading: (src, label so far, strong depth).
    label: Option<Label>,
    row: Option<Row>,
    cell: Option<String>,
    tables: usize,
    in_head: bool,
    html_block: Option<Comment>,
    block_start: usize,
}

struct Label {
    src: Range<usize>,
    text: String,
    /// Still inside the opening `**...**`.
    open: bool,
    /// The paragraph began with strong text, so it may be a label.
    candidate: bool,
    /// Plain text came first: not a label.
    dead: bool,
    /// Saw text after the strong part (then it must start with ':' or the label end with ':').
    after: Option<String>,
}

impl Walk {
    fn block_break(&mut self) {
        // nested blocks of an item stay apart in its text ("Add a canary" / "Owner: Dana")
        for &i in &self.open_items {
            let text = &mut self.out.items[i].text;
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
        }
        let p = &mut self.out.prose;
        if p.len() > self.block_start {
            let mut end = p.len();
            while end > self.block_start && p.as_bytes()[end - 1].is_ascii_whitespace() {
                end -= 1;
            }
            if end > self.block_start {
                self.out.blocks.push(self.block_start..end);
            }
            p.push_str("\n\n");
            self.block_start = p.len();
        }
    }

    fn push_prose(&mut self, text: &str, src: Range<usize>, source: &str) {
        let exact = source.get(src.clone()) == Some(text);
        self.out.segs.push(Seg {
            prose: self.out.prose.len(),
            src: src.start,
            len: if exact { text.len() } else { src.len() },
            exact,
        });
        self.out.prose.push_str(text);
    }

    /// Plain text for the structures (headings, items, cells), code included.
    fn push_plain(&mut self, text: &str) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(text);
        }
        for &i in &self.open_items {
            self.out.items[i].text.push_str(text);
        }
        if let Some(c) = &mut self.cell {
            c.push_str(text);
        }
        if let Some(l) = &mut self.label {
            if l.open {
                l.text.push_str(text);
            } else if l.candidate {
                l.after.get_or_insert_with(String::new).push_str(text);
            } else {
                l.dead = true;
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::CodeBlock(_) | Tag::BlockQuote(_) | Tag::MetadataBlock(_) | Tag::Image { .. } => {
                self.block_break();
                self.skip += 1;
            }
            Tag::HtmlBlock => {
                self.block_break();
                self.html_block = Some(Comment {
                    text: String::new(),
                    src: range,
                });
            }
            Tag::Link { link_type, .. } => {
                let auto = matches!(link_type, LinkType::Autolink | LinkType::Email);
                self.links.push(auto);
                if auto {
                    self.skip += 1;
                }
            }
            Tag::Paragraph => {
                self.block_break();
                if self.skip == 0 && self.list_depth == 0 && self.cell.is_none() {
                    self.label = Some(Label {
                        src: range,
                        text: String::new(),
                        open: false,
                        candidate: false,
                        dead: false,
                        after: None,
                    });
                }
            }
            Tag::Strong => {
                if let Some(l) = &mut self.label {
                    if !l.candidate && !l.dead {
                        l.open = true;
                        l.candidate = true;
                    }
                }
            }
            Tag::Heading { level, .. } => {
                self.block_break();
                self.heading = Some(Heading {
                    level: level as u8,
                    text: String::new(),
                    src: range,
                });
            }
            Tag::List(_) => {
                self.block_break();
                self.list_depth += 1;
            }
            Tag::Item => {
                self.block_break();
                self.out.items.push(Item {
                    depth: self.list_depth,
                    text: String::new(),
                    src: range,
                });
                self.open_items.push(self.out.items.len() - 1);
            }
            Tag::Table(_) => {
                self.block_break();
                self.tables += 1;
            }
            Tag::TableHead => {
                self.in_head = true;
                self.row = Some(self.new_row(range));
            }
            Tag::TableRow => self.row = Some(self.new_row(range)),
            Tag::TableCell => {
                self.block_break();
                self.cell = Some(String::new());
            }
            _ => {}
        }
    }

    fn new_row(&self, src: Range<usize>) -> Row {
        Row {
            table: self.tables,
            header: self.in_head,
            cells: Vec::new(),
            src,
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::CodeBlock
            | TagEnd::BlockQuote(_)
            | TagEnd::MetadataBlock(_)
            | TagEnd::Image => {
                self.skip = self.skip.saturating_sub(1);
                self.block_break();
            }
            TagEnd::HtmlBlock => {
                if let Some(c) = self.html_block.take() {
                    if c.text.contains("<!--") {
                        self.out.comments.push(c);
                    }
                }
            }
            TagEnd::Link if self.links.pop() == Some(true) => {
                self.skip = self.skip.saturating_sub(1);
            }
            TagEnd::Strong => {
                if let Some(l) = &mut self.label {
                    l.open = false;
                }
            }
            TagEnd::Paragraph => {
                if let Some(l) = self.label.take() {
                    let label = l.text.trim();
                    let after = l.after.as_deref().map(str::trim_start);
                    let is_label = l.candidate
                        && !label.is_empty()
                        && (label.ends_with(':')
                            || after.is_none_or(|a| a.is_empty() || a.starts_with(':')));
                    if is_label {
                        self.out.headings.push(Heading {
                            level: 7,
                            text: label.trim_end_matches(':').to_string(),
                            src: l.src,
                        });
                    }
                }
                self.block_break();
            }
            TagEnd::Heading(_) => {
                if let Some(h) = self.heading.take() {
                    self.out.headings.push(h);
                }
                self.block_break();
            }
            TagEnd::List(_) => {
                self.list_depth = self.list_depth.saturating_sub(1);
                self.block_break();
            }
            TagEnd::Item => {
                self.open_items.pop();
                self.block_break();
            }
            TagEnd::TableHead => {
                self.in_head = false;
                if let Some(r) = self.row.take() {
                    self.out.rows.push(r);
                }
            }
            TagEnd::TableRow => {
                if let Some(r) = self.row.take() {
                    self.out.rows.push(r);
                }
            }
            TagEnd::TableCell => {
                if let (Some(c), Some(r)) = (self.cell.take(), &mut self.row) {
                    r.cells.push(c.trim().to_string());
                }
                self.block_break();
            }
            TagEnd::Table => self.block_break(),
            _ => {}
        }
    }
}

/// Parse `source` and pull out prose and structure.
pub fn extract(source: &str) -> Extract {
    let mut w = Walk::default();
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => w.start(tag, range),
            Event::End(tag) => w.end(tag),
            Event::Text(text) => {
                if let Some(c) = &mut w.html_block {
                    // raw text inside an HTML block is HTML, not prose
                    c.text.push_str(&text);
                    continue;
                }
                w.push_plain(&text);
                if w.skip == 0 && !on_log_line(source, range.start) {
                    w.push_prose(&text, range, source);
                }
            }
            Event::Code(text) => {
                w.push_plain(&text);
                if w.skip == 0 {
                    // keep word edges, drop the code itself
                    w.out.prose.push(' ');
                }
            }
            Event::Html(html) => match &mut w.html_block {
                Some(c) => c.text.push_str(&html),
                None if html.contains("<!--") => w.out.comments.push(Comment {
                    text: html.to_string(),
                    src: range,
                }),
                None => {}
            },
            Event::InlineHtml(html) if html.contains("<!--") => {
                w.out.comments.push(Comment {
                    text: html.to_string(),
                    src: range,
                });
            }
            Event::SoftBreak => {
                w.push_plain(" ");
                if w.skip == 0 {
                    // a wrapped line is still the same sentence
                    w.out.prose.push(' ');
                }
            }
            Event::HardBreak => {
                w.push_plain(" ");
                if w.skip == 0 {
                    w.out.prose.push('\n');
                }
            }
            Event::Rule => w.block_break(),
            _ => {}
        }
    }
    w.block_break();
    let mut out = w.out;
    mask_urls(&mut out.prose);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose_of(md: &str) -> String {
        extract(md).prose
    }

    #[test]
    fn code_quotes_and_urls_are_not_prose() {
        let md = "Intro text.\n\n```\nBob broke it\n```\n\n> Bob: my fault\n\nSee `kubectl` at https://example.com/x now.\n";
        let p = prose_of(md);
        assert!(p.contains("Intro text."));
        assert!(!p.contains("Bob"), "{p}");
        assert!(!p.contains("kubectl"));
        assert!(!p.contains("example.com"));
        assert!(p.contains("now."));
    }

    #[test]
    fn unfenced_log_lines_are_not_prose() {
        let md = "The logs read:\n14:02:11 ERROR Ravi broke it\n2024-05-14T14:02:12Z deploy-bot: rollback\n14:03 UTC the rate fell.\n";
        let p = prose_of(md);
        assert!(!p.contains("Ravi"), "{p}");
        assert!(!p.contains("rollback"), "{p}");
        assert!(p.contains("the rate fell"), "{p}");
    }

    #[test]
    fn spans_map_back_to_the_file() {
        let md = "# Title\n\nSome *emphasised* words here.\n";
        let e = extract(md);
        let at = e.prose.find("words").unwrap();
        let src = e.src_start(at);
        assert_eq!(&md[src..src + 5], "words");
        assert_eq!(e.src_end(at + 5), src + 5);
    }

    #[test]
    fn headings_items_rows_and_labels() {
        let md = "## Action items\n\n- fix it (owner: @kim)\n  - sub\n\n| a | Owner |\n|---|---|\n| x | y |\n\n**Impact:** 12% of users\n\n<!-- debrief-disable x: y -->\n";
        let e = extract(md);
        assert_eq!(e.headings[0].text, "Action items");
        assert_eq!(e.headings[1].text, "Impact");
        assert_eq!(e.headings[1].level, 7);
        assert_eq!(e.items[0].depth, 1);
        assert!(e.items[0].text.contains("sub"));
        assert_eq!(e.rows.len(), 2);
        assert!(e.rows[0].header);
        assert_eq!(e.rows[1].cells, vec!["x", "y"]);
        assert_eq!(e.comments.len(), 1);
    }
}
