//! The spec model: what a validated spec says, with no code that builds it (that is
//! [`crate::pipeline`], which produces it; no stage imports from the stage that calls it).

use std::path::PathBuf;

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
    /// Whether the spec builds on the bundled IANA registry (`extends = "iana"`, directly or
    /// through the specs it extends), so that it has every IANA code.
    pub extends_iana: bool,
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
    /// Header fields a response with this code must carry: the MUST entries of
    /// [`Self::header_requirements`] that name one field.
    pub headers: Vec<String>,
    /// Every `headers` entry: a field (or one of several) with its RFC 2119 level.
    pub header_requirements: Vec<HeaderRequirement>,
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

/// A header field a response carries, or one of several (a `headers` entry of the spec).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderRequirement {
    /// SHOULD (`level = "should"`) rather than MUST.
    pub should: bool,
    /// The field, or the fields of which one is enough (never empty).
    pub one_of: Vec<String>,
}

impl HeaderRequirement {
    /// `MUST Allow`, `SHOULD Permission-Missing`, `MUST one of Accept, Accept-Encoding`.
    #[must_use]
    pub fn describe(&self) -> String {
        let level = if self.should { "SHOULD" } else { "MUST" };
        match self.one_of.as_slice() {
            [one] => format!("{level} {one}"),
            many => format!("{level} one of {}", many.join(", ")),
        }
    }
}

impl Response {
    /// The class digit, 1..=6.
    #[must_use]
    pub fn class_digit(&self) -> u16 {
        self.code / 100
    }

    /// A stand-in for a variant that maps to no entry, so that a failed derive can still
    /// emit impls that compile next to its errors (thiserror's way: the user sees the real
    /// error, not a cascade). Never part of a spec; kept here so that the macro crate does
    /// not build a `Response` itself.
    #[doc(hidden)]
    #[must_use]
    pub fn unmapped(ident: &str, code: u16) -> Response {
        Response {
            code,
            reason: "Unmapped".to_owned(),
            reference: String::new(),
            description: String::new(),
            flags: Vec::new(),
            headers: Vec::new(),
            header_requirements: Vec::new(),
            ident: ident.to_owned(),
            required: false,
            q850: None,
            location: String::new(),
        }
    }

    /// Whether the code has the flag `name`.
    #[must_use]
    pub fn has_flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }
}

impl Spec {
    /// The codes of class `digit` (1..=6).
    pub fn class(&self, digit: u16) -> impl Iterator<Item = &Response> {
        self.responses
            .iter()
            .filter(move |r| r.class_digit() == digit)
    }

    /// The response with `code`, if the spec has it.
    #[must_use]
    pub fn get(&self, code: u16) -> Option<&Response> {
        self.responses
            .binary_search_by_key(&code, |r| r.code)
            .ok()
            .map(|i| &self.responses[i])
    }
}
