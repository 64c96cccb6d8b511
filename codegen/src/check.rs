//! Checking a spec: walk the TOML tables, check every rule, and collect a diagnostic with
//! file, line and column for each problem (serde_derive's way: all at once, never the first
//! only).

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeArray, DeTable, DeValue};
use toml::Spanned;

use crate::diag::{Diagnostic, Error};
use crate::names;
use crate::spec::{Flag, Response, Spec};

/// Parses and checks spec `text` (named `file`; `extends` paths resolve against `dir`).
pub(crate) fn check(
    file: &str,
    text: &str,
    dir: Option<&Path>,
    depth: usize,
) -> Result<Spec, Error> {
    let mut cx = Ctx::new(file, text, dir, depth);
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
        (None, None) => Err(Error::one(Diagnostic::file(
            file,
            "the spec could not be parsed",
        ))),
    }
}

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

/// The validation context: every check pushes into `errors`.
struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<Diagnostic>,
    /// The directory `extends` paths resolve against.
    dir: Option<PathBuf>,
    /// How many specs extend this one (to stop cycles).
    depth: usize,
    /// The spec this one extends, once read.
    base: Option<Spec>,
    /// Codes whose [[response]] in this file sets `handling` itself.
    explicit_handling: Vec<u16>,
}

/// How deep `extends` may nest; deeper is taken for a cycle.
const MAX_DEPTH: usize = 8;

type Value<'i> = Spanned<DeValue<'i>>;

impl<'a> Ctx<'a> {
    fn new(file: &'a str, text: &'a str, dir: Option<&Path>, depth: usize) -> Self {
        Ctx {
            file,
            text,
            errors: Vec::new(),
            dir: dir.map(Path::to_owned),
            depth,
            base: None,
            explicit_handling: Vec::new(),
        }
    }

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
        self.unknown_keys(root, "the spec", &["spec", "flags", "handling", "response"]);
        let required_classes = self.class_handling(root);
        let header = self.header(root);
        let mut flags = self.flags(root);
        if let Some(base) = &self.base {
            for flag in &base.flags {
                if !flags.iter().any(|(f, _)| f.name == flag.name) {
                    flags.push((flag.clone(), 0..0));
                }
            }
        }
        let mut responses = Vec::new();
        match root.get("response") {
            None if self.base.is_some() => {}
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
        self.duplicate_codes(&responses);
        // Own entries replace the inherited ones of the same code (overrides).
        let mut merged: Vec<(Response, Option<Range<usize>>)> = Vec::new();
        let mut sources = Vec::new();
        if let Some(base) = self.base.take() {
            sources = base.sources;
            merged.extend(
                base.responses
                    .into_iter()
                    .filter(|b| !responses.iter().any(|(r, _)| r.code == b.code))
                    .map(|b| (b, None)),
            );
        }
        merged.extend(responses.into_iter().map(|(r, span)| (r, Some(span))));
        merged.sort_by_key(|(r, _)| r.code);
        // `[handling]` per class applies to every code of the class, inherited or not, except
        // where a [[response]] of this file sets its own `handling`.
        for (r, _) in &mut merged {
            if required_classes.contains(&r.class_digit())
                && !self.explicit_handling.contains(&r.code)
            {
                r.required = true;
            }
        }
        self.duplicate_idents(&merged);
        self.fallbacks(&merged);
        let (name, description, extends) = header;
        Spec {
            file: self.file.to_owned(),
            name,
            description,
            flags: flags.into_iter().map(|(f, _)| f).collect(),
            responses: merged.into_iter().map(|(r, _)| r).collect(),
            extends,
            sources,
        }
    }

    fn header(&mut self, root: &DeTable<'_>) -> (String, Option<String>, Option<String>) {
        let Some(value) = root.get("spec") else {
            self.error(0..0, "missing `[spec]` table (with `name = \"...\"`)");
            return (String::new(), None, None);
        };
        let Some(table) = value.get_ref().as_table() else {
            self.type_error(value, "spec", "the spec", "a table");
            return (String::new(), None, None);
        };
        self.unknown_keys(table, "[spec]", &["name", "description", "extends"]);
        let name = self.required_string(table, value.span(), "name", "[spec]");
        let description = self.string(table, "description", "[spec]").map(|(s, _)| s);
        let extends = self.string(table, "extends", "[spec]");
        if let Some((target, span)) = &extends {
            self.extend(target, span.clone());
        }
        (
            name.map(|(s, _)| s).unwrap_or_default(),
            description,
            extends.map(|(s, _)| s),
        )
    }

    /// Reads the spec named by `extends`: `"iana"` (the bundled registry) or a path relative
    /// to this spec's directory.
    fn extend(&mut self, target: &str, span: Range<usize>) {
        if self.depth >= MAX_DEPTH {
            self.error(
                span,
                format!("`extends` nests deeper than {MAX_DEPTH} specs; is there a cycle?"),
            );
            return;
        }
        let base = if target == "iana" {
            Ok(Spec::iana())
        } else {
            let path = self.dir.as_deref().unwrap_or(Path::new("")).join(target);
            Spec::read_at_depth(&path, &path.display().to_string(), self.depth + 1)
        };
        match base {
            Ok(base) => self.base = Some(base),
            Err(e) => {
                self.error(
                    span,
                    format!("the spec `{target}` that this spec extends cannot be used"),
                );
                self.errors.extend(e.diagnostics().iter().cloned());
            }
        }
    }

    /// `[handling]`: `"4xx" = "required"` makes every 4xx method of `ResponseHandler` required.
    fn class_handling(&mut self, root: &DeTable<'_>) -> Vec<u16> {
        let Some(value) = root.get("handling") else {
            return Vec::new();
        };
        let Some(table) = value.get_ref().as_table() else {
            self.type_error(
                value,
                "handling",
                "the spec",
                "a table of class = \"required\"",
            );
            return Vec::new();
        };
        let mut required = Vec::new();
        for (key, value) in table.iter() {
            let digit = match key.get_ref().as_bytes() {
                [d @ b'1'..=b'6', b'x', b'x'] => u16::from(d - b'0'),
                _ => {
                    self.error(
                        key.span(),
                        format!(
                            "`{}` in [handling] is not a class: use 1xx .. 6xx",
                            key.get_ref()
                        ),
                    );
                    continue;
                }
            };
            match value.get_ref().as_str() {
                Some("required") => required.push(digit),
                Some("default") => {}
                _ => self.error(
                    value.span(),
                    "a class's handling must be \"required\" or \"default\"",
                ),
            }
        }
        required
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
        let inherited = code
            .as_ref()
            .and_then(|(c, _)| self.base.as_ref()?.get(*c).cloned());
        let (reason, reference, description) = match &inherited {
            None => (
                self.required_string(table, span.clone(), "reason", &what),
                self.required_string(table, span.clone(), "reference", &what),
                self.required_string(table, span.clone(), "description", &what),
            ),
            Some(base) => {
                let own = |cx: &mut Self, key: &str, value: &str| {
                    cx.string(table, key, &what)
                        .or_else(|| Some((value.to_owned(), span.clone())))
                };
                (
                    own(self, "reason", &base.reason),
                    own(self, "reference", &base.reference),
                    own(self, "description", &base.description),
                )
            }
        };
        if let Some((reason, rspan)) = &reason {
            self.check_reason(reason, rspan.clone(), &what);
            if let Some(base) = inherited.as_ref().filter(|b| b.reason != *reason) {
                let d = Diagnostic::at(
                    self.file,
                    self.text,
                    rspan.clone(),
                    format!("code {} is redefined as \"{reason}\", but the spec it extends defines it as \"{}\"", base.code, base.reason),
                )
                .note(format!("{} is defined at {}", base.code, base.location))
                .note("an extending spec may change flags, headers, handling and description, not the reason");
                self.errors.push(d);
            }
        }
        let inherit =
            |f: fn(&Response) -> Vec<String>| inherited.as_ref().map(f).unwrap_or_default();
        let mut flag_names = if table.contains_key("flags") {
            Vec::new()
        } else {
            inherit(|b| b.flags.clone())
        };
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
        let mut headers = if table.contains_key("headers") {
            Vec::new()
        } else {
            inherit(|b| b.headers.clone())
        };
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
        if let (Some((c, _)), true) = (&code, table.contains_key("handling")) {
            self.explicit_handling.push(*c);
        }
        let required = match self.string(table, "handling", &what) {
            None => inherited.as_ref().is_some_and(|b| b.required),
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
            None if inherited
                .as_ref()
                .is_some_and(|b| Some(&b.reason) == reason.as_ref().map(|(r, _)| r)) =>
            {
                inherited
                    .as_ref()
                    .map(|b| b.ident.clone())
                    .unwrap_or_default()
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

    fn duplicate_codes(&mut self, responses: &[(Response, Range<usize>)]) {
        for (i, (r, span)) in responses.iter().enumerate() {
            if let Some((first, _)) = responses[..i].iter().find(|(e, _)| e.code == r.code) {
                let message = format!(
                    "duplicate code {} (first defined at {})",
                    r.code, first.location
                );
                self.error(span.clone(), message);
            }
        }
    }

    /// Two codes with one Rust name; reported on the entry of this file.
    fn duplicate_idents(&mut self, merged: &[(Response, Option<Range<usize>>)]) {
        for (i, (r, span)) in merged.iter().enumerate() {
            for (other, other_span) in &merged[..i] {
                if other.ident != r.ident || other.code == r.code {
                    continue;
                }
                let (here, there, span) = match (span, other_span) {
                    (Some(span), _) => (r, other, span),
                    (None, Some(span)) => (other, r, span),
                    (None, None) => continue,
                };
                let message = format!(
                    "codes {} and {} both derive the Rust name `{}`",
                    other.code, r.code, r.ident
                );
                let d = Diagnostic::at(self.file, self.text, span.clone(), message)
                    .note(format!("{} is defined at {}", there.code, there.location))
                    .note(format!(
                        "set `ident = \"...\"` in the [[response]] of {} to name it apart",
                        here.code
                    ));
                self.errors.push(d);
            }
        }
    }

    /// RFC 3261 8.1.3.2: unknown 1xx codes are treated as 183, unknown final xyz as x00.
    fn fallbacks(&mut self, responses: &[(Response, Option<Range<usize>>)]) {
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
                    span.clone().unwrap_or(0..0),
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
