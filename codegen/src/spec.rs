//! The spec file: TOML in, a validated [`Spec`] out, with every problem reported at once.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

use crate::diag::{Diagnostic, Error};
use crate::names;

/// The bundled IANA registry spec (`spec/iana.toml`).
pub const IANA_TOML: &str = include_str!("../../spec/iana.toml");
/// The name under which the bundled IANA spec reports its locations.
pub const IANA_PATH: &str = "spec/iana.toml";

/// Flags every spec may set without declaring them? None: all flags are declared.
/// Names a flag must not take, because its predicate would clash with a class predicate.
const CLASS_WORDS: &[&str] = &[
    "provisional",
    "success",
    "redirection",
    "client-error",
    "server-error",
    "global-failure",
    "final",
];

/// A validated spec: a set of SIP response codes and what is known about each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// The file it was read from, as named by the user.
    pub file: String,
    /// The spec's name (`[spec] name`).
    pub name: String,
    /// What the spec covers (`[spec] description`).
    pub description: Option<String>,
    /// The declared flags, in file order.
    pub flags: Vec<Flag>,
    /// The response codes, sorted by code.
    pub responses: Vec<Response>,
}

/// A declared flag: a protocol fact a response code can have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The flag's name, e.g. `hop-by-hop`.
    pub name: String,
    /// A one-line meaning.
    pub meaning: String,
}

/// One response code of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The three-digit code, 100..=699.
    pub code: u16,
    /// The reason phrase exactly as registered.
    pub reason: String,
    /// Where the code is defined, e.g. "RFC 3261, Section 21.1.2".
    pub reference: String,
    /// Prose for the doc comment.
    pub description: String,
    /// Names of declared flags this code has.
    pub flags: Vec<String>,
    /// Header fields a response with this code must carry.
    pub headers: Vec<String>,
    /// The Rust variant name (derived from the reason, or the `ident` override).
    pub ident: String,
    /// Whether handlers must implement this code's method (`handling = "required"`).
    pub required: bool,
    /// `file:line:column` of the `[[response]]` table.
    pub location: String,
}

impl Response {
    /// The class digit, 1..=6.
    pub fn class_digit(&self) -> u16 {
        self.code / 100
    }

    /// Whether the code has the flag `name`.
    pub fn has_flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }
}

impl Spec {
    /// The bundled IANA spec.
    ///
    /// # Panics
    /// Never for the bundled file, which the test suite validates.
    pub fn iana() -> Spec {
        match Spec::parse(IANA_PATH, IANA_TOML) {
            Ok(spec) => spec,
            Err(e) => panic!("the bundled IANA spec is invalid:\n{e}"),
        }
    }

    /// Reads and validates the spec at `path`; errors name the path as given.
    pub fn read(path: &Path) -> Result<Spec, Error> {
        Spec::read_named(path, &path.display().to_string())
    }

    /// Reads and validates the spec at `path`; errors name it `file` (e.g. the path as the
    /// user wrote it, where `path` is resolved against a manifest directory).
    pub fn read_named(path: &Path, file: &str) -> Result<Spec, Error> {
        let file = file.to_owned();
        let bytes = std::fs::read(path).map_err(|e| {
            let what = match e.kind() {
                std::io::ErrorKind::NotFound => {
                    format!("spec file not found (looked for {})", path.display())
                }
                _ => format!("spec file could not be read ({}): {e}", path.display()),
            };
            one(Diagnostic::file(&file, what))
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            one(Diagnostic::file(
                &file,
                format!("spec file is not valid UTF-8 (invalid byte at offset {at})"),
            ))
        })?;
        Spec::parse(&file, &text)
    }

    /// Parses and validates spec text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Spec, Error> {
        let mut cx = Ctx {
            file,
            text,
            errors: Vec::new(),
        };
        let (root, syntax) = DeTable::parse_recoverable(text);
        for e in &syntax {
            let span = e.span().unwrap_or(0..0);
            cx.error(span, format!("TOML syntax: {}", e.message().trim_end()));
        }
        // What a broken file parses to is a guess; checking it would only add noise.
        let spec = if syntax.is_empty() {
            Some(cx.spec(root.get_ref()))
        } else {
            None
        };
        match (Error::from_diagnostics(cx.errors), spec) {
            (None, Some(spec)) => Ok(spec),
            (Some(e), _) => Err(e),
            (None, None) => Err(one(Diagnostic::file(file, "the spec could not be parsed"))),
        }
    }

    /// The codes of class `digit` (1..=6).
    pub fn class(&self, digit: u16) -> impl Iterator<Item = &Response> {
        self.responses
            .iter()
            .filter(move |r| r.class_digit() == digit)
    }

    /// The response with `code`, if the spec has it.
    pub fn get(&self, code: u16) -> Option<&Response> {
        self.responses.iter().find(|r| r.code == code)
    }
}

fn one(d: Diagnostic) -> Error {
    Error::one(d)
}

/// The validation context: every check pushes into `errors`.
struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<Diagnostic>,
}

type Value<'i> = Spanned<DeValue<'i>>;

impl Ctx<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors
            .push(Diagnostic::at(self.file, self.text, span, message));
    }

    fn location(&self, span: Range<usize>) -> String {
        Diagnostic::at(self.file, self.text, span, "").location()
    }

    /// Reports keys of `table` not in `known`.
    fn unknown_keys(&mut self, table: &DeTable<'_>, what: &str, known: &[&str]) {
        for (key, _) in table.iter() {
            if !known.contains(&key.get_ref().as_ref()) {
                self.error(
                    key.span(),
                    format!(
                        "unknown key `{}` in {what}; expected one of: {}",
                        key.get_ref(),
                        known.join(", ")
                    ),
                );
            }
        }
    }

    fn string(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        what: &str,
    ) -> Option<(String, Range<usize>)> {
        let value = table.get(key)?;
        if let Some(s) = value.get_ref().as_str() {
            Some((s.to_owned(), value.span()))
        } else {
            self.type_error(value, key, what, "a string");
            None
        }
    }

    fn required_string(
        &mut self,
        table: &DeTable<'_>,
        table_span: Range<usize>,
        key: &str,
        what: &str,
    ) -> Option<(String, Range<usize>)> {
        if table.get(key).is_none() {
            self.error(table_span, format!("missing key `{key}` in {what}"));
            return None;
        }
        let (s, span) = self.string(table, key, what)?;
        if s.trim().is_empty() {
            self.error(span, format!("`{key}` in {what} is empty"));
            return None;
        }
        Some((s, span))
    }

    fn strings(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        what: &str,
    ) -> Vec<(String, Range<usize>)> {
        let Some(value) = table.get(key) else {
            return Vec::new();
        };
        let Some(array) = value.get_ref().as_array() else {
            self.type_error(value, key, what, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in array {
            match item.get_ref().as_str() {
                Some(s) => out.push((s.to_owned(), item.span())),
                None => self.type_error(item, key, what, "a string"),
            }
        }
        out
    }

    fn type_error(&mut self, value: &Value<'_>, key: &str, what: &str, expected: &str) {
        self.error(
            value.span(),
            format!(
                "`{key}` in {what} must be {expected}, found {}",
                value.get_ref().type_str()
            ),
        );
    }

    fn spec(&mut self, root: &DeTable<'_>) -> Spec {
        self.unknown_keys(root, "the spec", &["spec", "flags", "response"]);
        let header = self.header(root);
        let flags = self.flags(root);
        let mut responses = Vec::new();
        match root.get("response") {
            None => self.error(0..0, "the spec has no `[[response]]` tables"),
            Some(v) => match v.get_ref().as_array() {
                Some(array) => responses = self.responses(array, &flags),
                None => self.type_error(
                    v,
                    "response",
                    "the spec",
                    "an array of tables ([[response]])",
                ),
            },
        }
        responses.sort_by_key(|(r, _): &(Response, Range<usize>)| r.code);
        self.duplicates(&responses);
        self.fallbacks(&responses);
        let (name, description) = header;
        Spec {
            file: self.file.to_owned(),
            name,
            description,
            flags: flags.into_iter().map(|(f, _)| f).collect(),
            responses: responses.into_iter().map(|(r, _)| r).collect(),
        }
    }

    fn header(&mut self, root: &DeTable<'_>) -> (String, Option<String>) {
        let Some(value) = root.get("spec") else {
            self.error(0..0, "missing `[spec]` table (with `name = \"...\"`)");
            return (String::new(), None);
        };
        let Some(table) = value.get_ref().as_table() else {
            self.type_error(value, "spec", "the spec", "a table");
            return (String::new(), None);
        };
        self.unknown_keys(table, "[spec]", &["name", "description"]);
        let name = self.required_string(table, value.span(), "name", "[spec]");
        let description = self.string(table, "description", "[spec]").map(|(s, _)| s);
        (name.map(|(s, _)| s).unwrap_or_default(), description)
    }

    fn flags(&mut self, root: &DeTable<'_>) -> Vec<(Flag, Range<usize>)> {
        let Some(value) = root.get("flags") else {
            return Vec::new();
        };
        let Some(table) = value.get_ref().as_table() else {
            self.type_error(value, "flags", "the spec", "a table of flag = \"meaning\"");
            return Vec::new();
        };
        let mut flags: Vec<(Flag, Range<usize>)> = Vec::new();
        for (key, meaning) in table.iter() {
            let name = key.get_ref().to_string();
            let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !name.ends_with('-')
                && !name.contains("--");
            if !valid {
                self.error(
                    key.span(),
                    format!("flag name `{name}` must be lowercase words joined by `-` (e.g. `hop-by-hop`)"),
                );
                continue;
            }
            if CLASS_WORDS.contains(&name.as_str()) {
                self.error(
                    key.span(),
                    format!(
                        "flag name `{name}` clashes with the class predicate `is_{}`",
                        name.replace('-', "_")
                    ),
                );
                continue;
            }
            let Some(text) = meaning.get_ref().as_str() else {
                self.type_error(meaning, &name, "[flags]", "a string (its one-line meaning)");
                continue;
            };
            if text.trim().is_empty() || text.contains(['\n', '\r']) {
                self.error(
                    meaning.span(),
                    format!("flag `{name}` needs a one-line meaning"),
                );
                continue;
            }
            flags.push((
                Flag {
                    name,
                    meaning: text.to_owned(),
                },
                key.span(),
            ));
        }
        flags
    }

    fn responses(
        &mut self,
        array: &DeArray<'_>,
        flags: &[(Flag, Range<usize>)],
    ) -> Vec<(Response, Range<usize>)> {
        let mut out = Vec::new();
        for item in array {
            let Some(table) = item.get_ref().as_table() else {
                self.type_error(item, "response", "the spec", "a table");
                continue;
            };
            if let Some(r) = self.response(table, item.span(), flags) {
                out.push(r);
            }
        }
        out
    }

    fn response(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        flags: &[(Flag, Range<usize>)],
    ) -> Option<(Response, Range<usize>)> {
        const KEYS: &[&str] = &[
            "code",
            "reason",
            "reference",
            "description",
            "flags",
            "headers",
            "ident",
            "handling",
        ];
        let errors_before = self.errors.len();
        self.unknown_keys(table, "[[response]]", KEYS);
        let code = self.code(table, span.clone());
        let what = match &code {
            Some((c, _)) => format!("[[response]] {c}"),
            None => "[[response]]".to_owned(),
        };
        let reason = self.required_string(table, span.clone(), "reason", &what);
        if let Some((reason, rspan)) = &reason {
            self.check_reason(reason, rspan.clone(), &what);
        }
        let reference = self.required_string(table, span.clone(), "reference", &what);
        let description = self.required_string(table, span.clone(), "description", &what);
        let mut flag_names = Vec::new();
        for (flag, fspan) in self.strings(table, "flags", &what) {
            if flags.iter().any(|(f, _)| f.name == flag) {
                flag_names.push(flag);
            } else {
                let declared: Vec<&str> = flags.iter().map(|(f, _)| f.name.as_str()).collect();
                self.error(
                    fspan,
                    format!(
                        "flag `{flag}` is not declared in `[flags]` (declared: {})",
                        if declared.is_empty() {
                            "none".to_owned()
                        } else {
                            declared.join(", ")
                        }
                    ),
                );
            }
        }
        let mut headers = Vec::new();
        for (header, hspan) in self.strings(table, "headers", &what) {
            let token = !header.is_empty()
                && header
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b));
            if token {
                headers.push(header);
            } else {
                self.error(
                    hspan,
                    format!("`{header}` is not a header field name (RFC 3261 token)"),
                );
            }
        }
        let required = match self.string(table, "handling", &what) {
            None => false,
            Some((h, _)) if h == "required" => true,
            Some((h, _)) if h == "default" => false,
            Some((h, hspan)) => {
                self.error(
                    hspan,
                    format!("`handling` must be \"required\" or \"default\", found \"{h}\""),
                );
                false
            }
        };
        let ident = match self.string(table, "ident", &what) {
            Some((ident, ispan)) => {
                if let Err(why) = names::check_ident(&ident) {
                    self.error(ispan, format!("`ident` {why}"));
                }
                ident
            }
            None => {
                let derived = reason
                    .as_ref()
                    .map(|(r, _)| names::variant_ident(r))
                    .unwrap_or_default();
                if let (Some((_, rspan)), Err(why)) = (&reason, names::check_ident(&derived)) {
                    self.errors.push(
                        Diagnostic::at(
                            self.file,
                            self.text,
                            rspan.clone(),
                            format!("the reason of {what} derives no usable Rust name: {why}"),
                        )
                        .note("set `ident = \"...\"` in this [[response]] to name the variant"),
                    );
                }
                derived
            }
        };
        if self.errors.len() > errors_before {
            return None;
        }
        let (code, _) = code?;
        let location = self.location(span.clone());
        Some((
            Response {
                code,
                reason: reason?.0,
                reference: reference?.0,
                description: description?.0,
                flags: flag_names,
                headers,
                ident,
                required,
                location,
            },
            span,
        ))
    }

    fn code(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Option<(u16, Range<usize>)> {
        let Some(value) = table.get("code") else {
            self.error(span, "missing key `code` in [[response]]");
            return None;
        };
        let Some(int) = value.get_ref().as_integer() else {
            self.type_error(value, "code", "[[response]]", "an integer");
            return None;
        };
        match i64::from_str_radix(int.as_str(), int.radix()) {
            Ok(c @ 100..=699) => u16::try_from(c).ok().map(|c| (c, value.span())),
            _ => {
                self.error(
                    value.span(),
                    format!("code {} is outside 100..=699", int.as_str()),
                );
                None
            }
        }
    }

    fn check_reason(&mut self, reason: &str, span: Range<usize>, what: &str) {
        if reason.trim() != reason {
            self.error(
                span,
                format!("the reason of {what} has leading or trailing whitespace"),
            );
        } else if let Some(c) = reason.chars().find(|c| c.is_control()) {
            self.error(
                span,
                format!("the reason of {what} contains the control character {c:?}; a reason phrase is one line of text"),
            );
        }
    }

    fn duplicates(&mut self, responses: &[(Response, Range<usize>)]) {
        for (i, (r, span)) in responses.iter().enumerate() {
            let earlier = &responses[..i];
            if let Some((first, _)) = earlier.iter().find(|(e, _)| e.code == r.code) {
                let message = format!(
                    "duplicate code {} (first defined at {})",
                    r.code, first.location
                );
                self.error(span.clone(), message);
            } else if let Some((first, _)) = earlier.iter().find(|(e, _)| e.ident == r.ident) {
                let message = format!(
                    "codes {} and {} both derive the Rust name `{}`",
                    first.code, r.code, r.ident
                );
                let d = Diagnostic::at(self.file, self.text, span.clone(), message)
                    .note(format!("{} is defined at {}", first.code, first.location))
                    .note(format!(
                        "set `ident = \"...\"` in the [[response]] of {} to name it apart",
                        r.code
                    ));
                self.errors.push(d);
            }
        }
    }

    /// RFC 3261 8.1.3.2: unknown 1xx codes are treated as 183, unknown final xyz as x00.
    fn fallbacks(&mut self, responses: &[(Response, Range<usize>)]) {
        for digit in 1..=6u16 {
            let Some((first, span)) = responses.iter().find(|(r, _)| r.class_digit() == digit)
            else {
                continue;
            };
            let fallback = if digit == 1 { 183 } else { digit * 100 };
            if !responses.iter().any(|(r, _)| r.code == fallback) {
                let d = Diagnostic::at(
                    self.file,
                    self.text,
                    span.clone(),
                    format!(
                        "the spec uses class {digit}xx (code {}) but lacks code {fallback}, which RFC 3261 Section 8.1.3.2 needs as that class's fallback",
                        first.code
                    ),
                )
                .note(format!("add a [[response]] with code = {fallback}"));
                self.errors.push(d);
            }
        }
    }
}
