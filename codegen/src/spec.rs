//! The spec model and how to get one: read a file (or the bundled IANA text), then
//! [`crate::check`] walks it and reports every problem at once.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Error};

/// The bundled IANA registry spec (`spec/iana.toml`).
pub const IANA_TOML: &str = include_str!("../../spec/iana.toml");
/// The name under which the bundled IANA spec reports its locations.
pub const IANA_PATH: &str = "spec/iana.toml";

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
    /// The response codes, sorted by code (inherited ones included).
    pub responses: Vec<Response>,
    /// What the spec extends (`[spec] extends`), as written.
    pub extends: Option<String>,
    /// Every file read to build the spec: the spec and the specs it extends.
    pub sources: Vec<PathBuf>,
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
        Spec::iana_ref().clone()
    }

    /// The bundled IANA spec, parsed once per process (a proc macro serves many derives in
    /// one compilation; it is the same constant text for all of them).
    ///
    /// # Panics
    /// Never for the bundled file, which the test suite validates.
    pub fn iana_ref() -> &'static Spec {
        static IANA: std::sync::OnceLock<Spec> = std::sync::OnceLock::new();
        IANA.get_or_init(|| match Spec::parse(IANA_PATH, IANA_TOML) {
            Ok(spec) => spec,
            Err(e) => panic!("the bundled IANA spec is invalid:\n{e}"),
        })
    }

    /// Reads and validates the spec at `path`; errors name the path as given.
    pub fn read(path: &Path) -> Result<Spec, Error> {
        Spec::read_named(path, &path.display().to_string())
    }

    /// Reads and validates the spec at `path`; errors name it `file` (e.g. the path as the
    /// user wrote it, where `path` is resolved against a manifest directory).
    pub fn read_named(path: &Path, file: &str) -> Result<Spec, Error> {
        Spec::read_at_depth(path, file, 0)
    }

    pub(crate) fn read_at_depth(path: &Path, file: &str, depth: usize) -> Result<Spec, Error> {
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
        let mut spec = Spec::parse_in(&file, &text, path.parent(), depth)?;
        spec.sources.insert(0, path.to_owned());
        Ok(spec)
    }

    /// Parses and validates spec text; `file` names it in errors, and an `extends` path
    /// resolves against its directory.
    pub fn parse(file: &str, text: &str) -> Result<Spec, Error> {
        Spec::parse_in(file, text, Path::new(file).parent(), 0)
    }

    fn parse_in(file: &str, text: &str, dir: Option<&Path>, depth: usize) -> Result<Spec, Error> {
        crate::check::check(file, text, dir, depth)
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

pub(crate) fn one(d: Diagnostic) -> Error {
    Error::one(d)
}
