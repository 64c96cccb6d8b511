//! The spec model, and the pipeline that produces it:
//! [`load`](crate::load) (bounded file I/O, `extends`) -> [`walk`](crate::walk) (TOML, each
//! key once) -> [`resolve`](crate::resolve) (inheritance) -> [`valid`](crate::valid) (checks
//! across entries) -> a [`Spec`]. No stage calls back into an earlier one.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Error, Errors, SourceMap};
use crate::load::{self, Chain, Target};

/// The bundled IANA registry spec (`spec/iana.toml`).
pub const IANA_TOML: &str = include_str!("../spec/iana.toml");
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
    /// `[q850]`: the SIP response for each listed ISUP/Q.850 cause (`None`: no response,
    /// e.g. cause 16, normal clearing), sorted by cause (RFC 3398, Section 7.2.4.1).
    pub q850: Vec<(u8, Option<u16>)>,
    /// `[q850] default`: the response for a cause not listed.
    pub q850_default: Option<u16>,
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
    /// The ISUP/Q.850 cause a gateway releases the PSTN call with on this response
    /// (`q850`, RFC 3398 Section 8.2.6.1).
    pub q850: Option<u8>,
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
        let loaded = load::read(path, file)?;
        build(
            file,
            &loaded.text,
            Some(path),
            &mut vec![(loaded.canonical, file.to_owned())],
        )
    }

    /// Parses and validates spec text; `file` names it in errors, and an `extends` path
    /// resolves against its directory.
    pub fn parse(file: &str, text: &str) -> Result<Spec, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        build(file, text, Some(Path::new(file)), &mut Chain::new())
    }

    /// The codes of class `digit` (1..=6).
    pub fn class(&self, digit: u16) -> impl Iterator<Item = &Response> {
        self.responses
            .iter()
            .filter(move |r| r.class_digit() == digit)
    }

    /// The response with `code`, if the spec has it.
    pub fn get(&self, code: u16) -> Option<&Response> {
        self.responses
            .binary_search_by_key(&code, |r| r.code)
            .ok()
            .map(|i| &self.responses[i])
    }
}

/// The pipeline for one file: walk it, build what it extends, resolve, check.
/// `chain` holds the files being read around it (for cycles); `path` is where it is.
fn build(file: &str, text: &str, path: Option<&Path>, chain: &mut Chain) -> Result<Spec, Error> {
    let map = SourceMap::new(file, text);
    let mut errors = Errors::default();
    let raw = crate::walk::walk(&map, text, &mut errors);
    let mut sources: Vec<PathBuf> = path
        .filter(|_| !chain.is_empty())
        .map(Path::to_owned)
        .into_iter()
        .collect();
    let base = match &raw.extends {
        None => None,
        Some(target) => match base(target, path, chain, &map) {
            Ok(base) => {
                sources.extend(base.sources.iter().cloned());
                Some(base)
            }
            Err(e) => {
                // The base's own problems, and nothing that follows from its absence.
                errors.extend(e);
                return Err(errors.finish().err().unwrap_or_else(|| {
                    Error::one(Diagnostic::file(file, "the spec it extends cannot be used"))
                }));
            }
        },
    };
    let resolved = crate::resolve::resolve(raw, base.as_ref(), &map, &mut errors);
    crate::valid::check(&resolved, &map, &mut errors);
    errors.finish()?;
    Ok(Spec {
        file: file.to_owned(),
        name: resolved.name,
        description: resolved.description,
        flags: resolved.flags,
        responses: resolved.entries.into_iter().map(|e| e.response).collect(),
        extends: resolved.extends,
        sources,
        q850: resolved.q850,
        q850_default: resolved.q850_default,
    })
}

/// The spec `extends` names, built; problems are located at the `extends` value.
fn base(
    target: &crate::walk::Text,
    from: Option<&Path>,
    chain: &mut Chain,
    map: &SourceMap<'_>,
) -> Result<Spec, Error> {
    let at = |message: String| Error::one(map.at(target.span.clone(), message));
    let path = match load::target(&target.value, from) {
        Target::Iana => return Ok(Spec::iana()),
        Target::File(path) => path,
    };
    if chain.len() >= load::MAX_DEPTH {
        return Err(at(format!(
            "`extends` nests deeper than {} specs",
            load::MAX_DEPTH
        )));
    }
    // Named the way the user named the extending file, so messages read as typed.
    let name = Path::new(map.file())
        .parent()
        .unwrap_or(Path::new(""))
        .join(&target.value)
        .display()
        .to_string();
    let loaded = load::read(&path, &name).map_err(|e| match e.diagnostics() {
        [d] if d.line == 0 => at(format!(
            "the spec `{}` that this spec extends cannot be used: {}",
            target.value, d.message
        )),
        _ => e,
    })?;
    if let Some(cycle) = load::cycle(chain, &loaded.canonical, &name) {
        return Err(at(cycle));
    }
    chain.push((loaded.canonical.clone(), name.clone()));
    let built = build(&name, &loaded.text, Some(&path), chain);
    chain.pop();
    built.map_err(|e| {
        e.note_first(format!(
            "`{name}` is the spec that {} extends",
            map.location(target.span.start)
        ))
    })
}
