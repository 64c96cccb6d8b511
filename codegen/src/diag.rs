//! Diagnostics: what is wrong, and where (file, line, column), rendered like rustc.

use std::fmt;
use std::ops::Range;

/// One problem found in a spec, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in, as the user named it.
    pub file: String,
    /// 1-based line, or 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters), or 0 when the problem concerns the whole file.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// The source line the problem is on, for the snippet.
    pub source_line: Option<String>,
    /// Width of the underline in characters.
    pub width: usize,
    /// Further notes, each rendered as `= note: ...`.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A problem with a whole file (missing, unreadable, not UTF-8).
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_owned(),
            line: 0,
            column: 0,
            message: message.into(),
            source_line: None,
            width: 0,
            notes: Vec::new(),
        }
    }

    /// A problem at a byte range of `text`, the contents of `file`.
    pub fn at(file: &str, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let (line, column, source_line) = locate(text, span.start);
        let end = span.end.clamp(span.start, text.len());
        let width = text
            .get(span.start.min(end)..end)
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count().max(1));
        Diagnostic {
            file: file.to_owned(),
            line,
            column,
            message: message.into(),
            source_line: Some(source_line),
            width,
            notes: Vec::new(),
        }
    }

    /// Adds a note.
    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// `file:line:column`, or just `file` for whole-file problems.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        }
    }

    /// Renders the diagnostic; `color` adds ANSI colours for a terminal.
    pub fn render(&self, color: bool) -> String {
        let (red, blue, bold, reset) = if color {
            ("\x1b[1;31m", "\x1b[1;34m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "", "")
        };
        let mut out = format!("{red}error{reset}{bold}: {}{reset}\n", self.message);
        let gutter = " ".repeat(self.line.to_string().len());
        out.push_str(&format!("{gutter}{blue}-->{reset} {}\n", self.location()));
        if let Some(src) = &self.source_line {
            out.push_str(&format!("{gutter} {blue}|{reset}\n"));
            out.push_str(&format!(
                "{blue}{}{reset} {blue}|{reset} {src}\n",
                self.line
            ));
            let pad = " ".repeat(self.column.saturating_sub(1));
            let carets = "^".repeat(self.width);
            out.push_str(&format!(
                "{gutter} {blue}|{reset} {pad}{red}{carets}{reset}\n"
            ));
        }
        for note in &self.notes {
            out.push_str(&format!(
                "{gutter} {blue}={reset} {bold}note{reset}: {note}\n"
            ));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:column: message`, then the notes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)?;
        for note in &self.notes {
            write!(f, " ({note})")?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of byte `offset`, and the line's text.
fn locate(text: &str, offset: usize) -> (usize, usize, String) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = text[line_start..offset].chars().count() + 1;
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let source = text[line_start..line_end].trim_end_matches('\r').to_owned();
    (line, column, source)
}

/// Every problem found in one or more specs; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    diagnostics: Vec<Diagnostic>,
}

impl Error {
    /// Wraps collected diagnostics; `None` if there are none.
    pub fn from_diagnostics(diagnostics: Vec<Diagnostic>) -> Option<Self> {
        (!diagnostics.is_empty()).then_some(Error { diagnostics })
    }

    /// An error of one problem.
    pub fn one(diagnostic: Diagnostic) -> Self {
        Error {
            diagnostics: vec![diagnostic],
        }
    }

    /// The individual problems, in the order they were found.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Renders every problem like rustc does, with snippets and carets.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&d.render(color));
            out.push('\n');
        }
        let n = self.diagnostics.len();
        out.push_str(&format!(
            "error: could not use the spec due to {n} previous error{}\n",
            if n == 1 { "" } else { "s" }
        ));
        out
    }
}

impl fmt::Display for Error {
    /// One line per problem: `file:line:column: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_columns() {
        let text = "a = 1\nbb = \"é x\"\n";
        let at = text.find('x').unwrap();
        let d = Diagnostic::at("f.toml", text, at..at + 1, "bad");
        assert_eq!((d.line, d.column), (2, 9));
        assert_eq!(d.source_line.as_deref(), Some("bb = \"é x\""));
        assert_eq!(d.to_string(), "f.toml:2:9: bad");
        let rendered = d.render(false);
        assert!(rendered.contains("--> f.toml:2:9"), "{rendered}");
        assert!(
            rendered.contains("2 | bb = \"é x\"\n  |         ^"),
            "{rendered}"
        );
    }
}
