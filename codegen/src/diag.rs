//! Diagnostics: what is wrong, and where (file, line, column), rendered like rustc.
//!
//! [`Errors`] is the collecting context every stage pushes into (`serde_derive`'s way: all
//! problems at once). It keeps at most [`MAX_KEPT`] diagnostics and counts the rest, and a
//! [`SourceMap`] finds lines by binary search, so even a file with 40,000 errors is reported
//! in linear time and bounded memory.
//!
//! Rendering is ours, not annotate-snippets' (rustc's renderer), after comparing the two on
//! our cases (the hostile corpus' tabs-and-wide-characters spec, and a 300-character line cut
//! around the problem): annotate-snippets 0.12 draws the same picture (same header, gutter,
//! caret column), so it would add nothing users see, and it would cost them: it needs Rust
//! 1.88 (this crate's MSRV is 1.85, and every build script that uses the `Builder` compiles
//! it) and brings anstyle and unicode-width into build scripts. The proc macros do not render
//! at all (a span points at the attribute; the message carries `file:line:column`), so a
//! [`Diagnostic`] stays plain data every surface can use. Revisit when the MSRV passes 1.88.

use std::fmt;
use std::fmt::Write as _;
use std::ops::Range;

/// How many diagnostics an [`Error`] keeps; the rest are counted.
pub const MAX_KEPT: usize = 50;
/// The widest source snippet shown, in characters; longer lines are cut around the problem.
const MAX_SNIPPET: usize = 100;

/// One problem found in a spec, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in, as the user named it.
    pub file: String,
    /// 1-based line, or 0 when the problem concerns the whole file (see
    /// [`Diagnostic::is_whole_file`]).
    pub line: usize,
    /// 1-based column (in characters), or 0 when the problem concerns the whole file.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// The source line the problem is on (cut to a window around the problem when long).
    pub source_line: Option<String>,
    /// Where the underline starts in `source_line`, in characters (rendering state).
    pub(crate) caret: usize,
    /// Width of the underline in characters (rendering state).
    pub(crate) width: usize,
    /// Further notes, each rendered as `= note: ...`.
    pub notes: Vec<String>,
}

/// A file's text with its line starts, for turning byte offsets into lines and columns.
pub struct SourceMap<'a> {
    file: &'a str,
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> SourceMap<'a> {
    /// Indexes `text`, the contents of `file`.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceMap {
            file,
            text,
            line_starts,
        }
    }

    /// The file's name, as the user knows it.
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// The text at `span` (empty when `span` is not inside the text).
    pub fn slice(&self, span: Range<usize>) -> &'a str {
        self.text.get(span).unwrap_or_default()
    }

    /// 1-based line and column (in characters) of byte `offset`, and the line's byte range.
    fn position(&self, offset: usize) -> (usize, usize, Range<usize>, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let index = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[index];
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        let column = self.text[start..offset].chars().count() + 1;
        (index + 1, column, start..end, offset)
    }

    /// `file:line:column` of byte `offset`.
    pub fn location(&self, offset: usize) -> String {
        let (line, column, ..) = self.position(offset);
        format!("{}:{line}:{column}", self.file)
    }

    /// A problem at a byte range.
    pub fn at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, column, range, start) = self.position(span.start);
        let line_text = self.text[range.clone()].trim_end_matches('\r');
        let end = span.end.min(range.start + line_text.len()).max(start);
        let width = self
            .text
            .get(start..end)
            .map_or(1, |s| s.chars().count().max(1));
        // A window of at most MAX_SNIPPET characters around the problem.
        let before = column - 1;
        let skip = before.saturating_sub(MAX_SNIPPET / 3);
        let mut snippet: String = line_text.chars().skip(skip).take(MAX_SNIPPET).collect();
        let mut caret = before - skip;
        if skip > 0 {
            snippet.insert_str(0, "...");
            caret += 3;
        }
        if line_text.chars().count() > skip + MAX_SNIPPET {
            snippet.push_str("...");
        }
        let width = width.min(snippet.chars().count().saturating_sub(caret).max(1));
        Diagnostic {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
            source_line: Some(snippet),
            caret,
            width,
            notes: Vec::new(),
        }
    }
}

/// Columns a character takes in a terminal: tabs are shown as four spaces, East Asian wide
/// characters and most emoji take two, combining marks none.
fn display_width(c: char) -> usize {
    match c {
        '\t' => 4,
        '\u{0300}'..='\u{036F}' | '\u{200B}'..='\u{200F}' | '\u{FE00}'..='\u{FE0F}' => 0,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{1F300}'..='\u{1F64F}'
        | '\u{1F900}'..='\u{1F9FF}'
        | '\u{20000}'..='\u{3FFFD}' => 2,
        c if c.is_control() => 0,
        _ => 1,
    }
}

fn width_of(s: impl Iterator<Item = char>) -> usize {
    s.map(display_width).sum()
}

impl Diagnostic {
    /// Whether the problem is about the whole file (it cannot be read, say), not a place in
    /// it: then `line` and `column` are 0 and there is no source line.
    #[must_use]
    pub fn is_whole_file(&self) -> bool {
        self.line == 0
    }

    /// A problem with a whole file (missing, unreadable, too large).
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_owned(),
            line: 0,
            column: 0,
            message: message.into(),
            source_line: None,
            caret: 0,
            width: 0,
            notes: Vec::new(),
        }
    }

    /// A problem at a byte range of `text`, the contents of `file`. (The checker indexes each
    /// file's lines once instead of calling this per problem.)
    pub fn at(file: &str, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        SourceMap::new(file, text).at(span, message)
    }

    /// Adds a note.
    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// `file:line:column`, or just `file` for whole-file problems.
    #[must_use]
    pub fn location(&self) -> String {
        if self.is_whole_file() {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        }
    }

    /// Renders the diagnostic; `color` adds ANSI colours for a terminal. Tabs in the snippet
    /// are shown as four spaces and the carets line up under wide characters.
    #[must_use]
    pub fn render(&self, color: bool) -> String {
        use fmt::Write;
        let (red, blue, bold, reset) = if color {
            ("\x1b[1;31m", "\x1b[1;34m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "", "")
        };
        let mut out = format!("{red}error{reset}{bold}: {}{reset}\n", self.message);
        let gutter = " ".repeat(self.line.to_string().len());
        let _ = writeln!(out, "{gutter}{blue}-->{reset} {}", self.location());
        if let Some(src) = &self.source_line {
            let shown: String = src
                .chars()
                .map(|c| match c {
                    '\t' => "    ".to_owned(),
                    c if c.is_control() => String::new(),
                    c => c.to_string(),
                })
                .collect();
            let pad = " ".repeat(width_of(src.chars().take(self.caret)));
            let carets = "^".repeat(width_of(src.chars().skip(self.caret).take(self.width)).max(1));
            let _ = writeln!(out, "{gutter} {blue}|{reset}");
            let _ = writeln!(out, "{blue}{}{reset} {blue}|{reset} {shown}", self.line);
            let _ = writeln!(out, "{gutter} {blue}|{reset} {pad}{red}{carets}{reset}");
        }
        for note in &self.notes {
            let _ = writeln!(out, "{gutter} {blue}={reset} {bold}note{reset}: {note}");
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

/// The collecting context: every check pushes here, and at the end there is an [`Error`]
/// or none. Keeps the first [`MAX_KEPT`] diagnostics and counts the others.
#[derive(Debug, Default)]
pub struct Errors {
    kept: Vec<Diagnostic>,
    omitted: usize,
}

impl Errors {
    /// How many problems were pushed.
    pub fn len(&self) -> usize {
        self.kept.len() + self.omitted
    }

    /// Whether another diagnostic would be kept (to skip building one that would not).
    pub fn full(&self) -> bool {
        self.kept.len() >= MAX_KEPT
    }

    /// Adds a problem.
    pub fn push(&mut self, d: Diagnostic) {
        if self.full() {
            self.omitted += 1;
        } else {
            self.kept.push(d);
        }
    }

    /// Adds a problem at `span` of `map`, building the diagnostic only when it is kept.
    pub fn at(&mut self, map: &SourceMap<'_>, span: Range<usize>, message: impl Into<String>) {
        if self.full() {
            self.omitted += 1;
        } else {
            self.kept.push(map.at(span, message));
        }
    }

    /// Adds every problem of another error.
    pub fn extend(&mut self, e: Error) {
        for d in e.diagnostics {
            self.push(d);
        }
        self.omitted += e.omitted;
    }

    /// The error, if any problem was pushed.
    pub fn finish(self) -> Result<(), Error> {
        if self.kept.is_empty() {
            Ok(())
        } else {
            Err(Error {
                diagnostics: self.kept,
                omitted: self.omitted,
            })
        }
    }
}

/// Every problem found in one or more specs; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    diagnostics: Vec<Diagnostic>,
    omitted: usize,
}

impl Error {
    /// Wraps collected diagnostics; `None` if there are none.
    #[must_use]
    pub fn from_diagnostics(diagnostics: Vec<Diagnostic>) -> Option<Self> {
        let mut errors = Errors::default();
        for d in diagnostics {
            errors.push(d);
        }
        errors.finish().err()
    }

    /// An error of one problem.
    #[must_use]
    pub fn one(diagnostic: Diagnostic) -> Self {
        Error {
            diagnostics: vec![diagnostic],
            omitted: 0,
        }
    }

    /// The individual problems kept, in the order they were found (at most [`MAX_KEPT`]).
    #[must_use]
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// How many further problems were found but not kept.
    #[must_use]
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    /// Adds a note to the first problem.
    #[must_use]
    pub(crate) fn note_first(mut self, note: String) -> Self {
        if let Some(first) = self.diagnostics.first_mut() {
            first.notes.push(note);
        }
        self
    }

    /// Renders every problem like rustc does, with snippets and carets.
    #[must_use]
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&d.render(color));
            out.push('\n');
        }
        if self.omitted > 0 {
            let _ = write!(
                out,
                "... and {} more error{} not shown\n\n",
                self.omitted,
                if self.omitted == 1 { "" } else { "s" }
            );
        }
        let n = self.diagnostics.len() + self.omitted;
        let _ = writeln!(
            out,
            "error: could not use the spec due to {n} previous error{}",
            if n == 1 { "" } else { "s" }
        );
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
        if self.omitted > 0 {
            write!(f, "\n... and {} more", self.omitted)?;
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

    #[test]
    fn carets_line_up_under_tabs_and_wide_characters() {
        let text = "\tname = \"漢字\" x\n";
        let at = text.find('x').unwrap();
        let rendered = Diagnostic::at("f.toml", text, at..at + 1, "bad").render(false);
        assert!(
            rendered.contains(&format!(
                "1 |     name = \"漢字\" x\n  | {}^",
                " ".repeat(18)
            )),
            "{rendered}"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_problem() {
        let text = format!("{}x{}", "a".repeat(5000), "b".repeat(5000));
        let d = Diagnostic::at("f.toml", &text, 5000..5001, "bad");
        assert_eq!(d.column, 5001);
        let src = d.source_line.clone().unwrap();
        assert!(src.chars().count() <= MAX_SNIPPET + 6, "{src}");
        assert_eq!(src.chars().nth(d.caret), Some('x'));
    }

    #[test]
    fn keeps_a_bounded_number() {
        let map = SourceMap::new("f.toml", "a\n");
        let mut errors = Errors::default();
        for _ in 0..1000 {
            errors.at(&map, 0..1, "bad");
        }
        assert_eq!(errors.len(), 1000);
        let e = errors.finish().unwrap_err();
        assert_eq!(
            (e.diagnostics().len(), e.omitted()),
            (MAX_KEPT, 1000 - MAX_KEPT)
        );
        assert!(e
            .render(false)
            .contains("... and 950 more errors not shown"));
    }
}
