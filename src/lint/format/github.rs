//! `--format github`: one workflow command per finding, which GitHub Actions shows as an
//! annotation on the file: `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::msg`.
//! Escaping follows the workflow-command rules: `%`, CR and LF everywhere, plus `:` and `,` in
//! property values.

use crate::lint::finding::FileReport;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for f in reports.iter().flat_map(|r| &r.findings) {
        let mut message = f.message.to_string();
        if !f.suggestion.is_empty() {
            message.push_str("\ntry: ");
            message.push_str(&f.suggestion);
        }
        out.push_str(&format!(
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            f.severity,
            escape_property(&f.file),
            f.line,
            f.col,
            f.end_line,
            f.end_col,
            escape_property(&f.rule),
            escape_data(&message),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_workflow_rules() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a,b:c%"), "a%2Cb%3Ac%25");
    }
}
