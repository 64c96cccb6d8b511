//! The table walker: TOML text to a [`WrittenSpec`] spec, each key taken once. Each table's keys are
//! an enum ([`Keys`]) that its walker matches exhaustively, and the "expected one of" list of
//! an unknown key comes from the same enum, so there is no second key list to drift. Rules about a single value (a reason's grammar, a code's range,
//! text without bidi controls) are checked here; rules that span entries or files are not.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diag::{Errors, SourceMap};
use crate::{names, rfc};

/// A string value and where it is.
#[derive(Debug, Clone)]
pub struct Located {
    pub value: String,
    pub span: Range<usize>,
}

/// One file's spec as written, before inheritance.
#[derive(Debug, Default)]
pub struct WrittenSpec {
    /// `[spec]`: its span, `name`, `description`, `extends`.
    pub header_span: Option<Range<usize>>,
    pub name: Option<Located>,
    pub description: Option<Located>,
    pub extends: Option<Located>,
    /// `[flags]`: name, one-line meaning, span of the name.
    pub flags: Vec<(String, String, Range<usize>)>,
    /// `[handling]`: class digit and whether required.
    pub handling: Vec<(u16, bool)>,
    /// `[q850]`: cause -> code (`None` for "none"), with the span of the value.
    pub q850: Vec<(u8, Option<u16>, Range<usize>)>,
    /// `[q850] default`: the code for causes not listed, with its span.
    pub q850_default: Option<(u16, Range<usize>)>,
    /// `[[response]]` tables, or `None` when the key is absent.
    pub responses: Option<Vec<WrittenResponse>>,
    /// Where the `response` key's value is.
    pub responses_span: Option<Range<usize>>,
}

/// One `[[response]]` as written.
#[derive(Debug, Default)]
pub struct WrittenResponse {
    pub span: Range<usize>,
    pub code: Option<(u16, Range<usize>)>,
    pub reason: Option<Located>,
    pub reference: Option<Located>,
    pub description: Option<Located>,
    pub flags: Option<Vec<Located>>,
    pub headers: Option<Vec<WrittenHeader>>,
    pub ident: Option<Located>,
    pub handling: Option<bool>,
    /// `q850`: the ISUP/Q.850 cause a gateway sends for this code (RFC 3398, 8.2.6.1).
    pub q850: Option<u8>,
    /// Whether the walker found a problem in this table (the resolver then skips it).
    pub broken: bool,
}

/// One entry of a response's `headers` as written: a field name (a MUST), or a table with
/// `name` or `one-of` and a `level`.
#[derive(Debug)]
pub struct WrittenHeader {
    /// `level = "should"` (a MUST otherwise).
    pub should: bool,
    /// The field, or the fields of which one is enough.
    pub one_of: Vec<Located>,
}

type Value<'i> = Spanned<DeValue<'i>>;

/// The keys of one table of the spec format, as an enum: [`each`] parses a key into it and
/// the table's walker `match`es it exhaustively, so a key that is listed but not taken (or
/// taken but not listed, in the "expected one of" message) does not compile.
trait Keys: Copy + 'static {
    /// Every key, in the order messages list them.
    const ALL: &'static [Self];
    /// The key as written in a spec.
    fn name(self) -> &'static str;
}

/// Declares a table's key enum: `Variant = "key"` each.
macro_rules! keys {
    ($(#[$doc:meta])* $ty:ident { $($variant:ident = $name:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum $ty { $($variant),* }

        impl Keys for $ty {
            const ALL: &'static [Self] = &[$(Self::$variant),*];
            fn name(self) -> &'static str {
                match self { $(Self::$variant => $name),* }
            }
        }
    };
}

keys! {
    /// The top-level tables.
    RootKey { Spec = "spec", Flags = "flags", Handling = "handling", Q850 = "q850", Response = "response" }
}
keys! {
    /// `[spec]`.
    HeaderKey { Name = "name", Description = "description", Extends = "extends" }
}
keys! {
    /// `[[response]]`.
    ResponseKey {
        Code = "code",
        Reason = "reason",
        Reference = "reference",
        Description = "description",
        Flags = "flags",
        Headers = "headers",
        Ident = "ident",
        Handling = "handling",
        Q850 = "q850",
    }
}

keys! {
    /// A table in a response's `headers`: `{ name = "Allow" }`, `{ one-of = [...] }`.
    HeaderFieldKey { Name = "name", OneOf = "one-of", Level = "level" }
}

/// How a text value may look.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// One line, non-empty.
    Line,
    /// One line, may be empty (an optional `description` of the spec).
    OptionalLine,
    /// Prose over several lines, non-empty.
    Prose,
}

/// Walks spec `text`; every problem goes to `errors`.
pub fn read_tables(map: &SourceMap<'_>, text: &str, errors: &mut Errors) -> WrittenSpec {
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        for e in &syntax {
            let span = e.span().unwrap_or(0..0);
            errors.at(
                map,
                span,
                format!("TOML syntax: {}", e.message().trim_end()),
            );
        }
        // What a broken file parses to is a guess; walking it would only add noise.
        return WrittenSpec::default();
    }
    let mut w = Walker { map, errors };
    w.root(root.get_ref())
}

struct Walker<'m, 'e> {
    map: &'m SourceMap<'m>,
    errors: &'e mut Errors,
}

/// A table's entries in file order (the table's own order is by key), so that diagnostics
/// read top to bottom.
fn in_file_order<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(&'t Spanned<std::borrow::Cow<'i, str>>, &'t Value<'i>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

/// Iterates `table`'s entries, calling `take` with each known key; a key the table does not
/// know is reported with the list of `K`'s keys.
fn each<'i, K: Keys>(
    w: &mut Walker<'_, '_>,
    table: &DeTable<'i>,
    what: &str,
    mut take: impl FnMut(&mut Walker<'_, '_>, K, &Value<'i>),
) {
    for (key, value) in in_file_order(table) {
        if let Some(&k) = K::ALL.iter().find(|k| k.name() == key.get_ref()) {
            take(w, k, value);
        } else {
            let known: Vec<&str> = K::ALL.iter().map(|k| k.name()).collect();
            w.error(
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

impl Walker<'_, '_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors.at(self.map, span, message);
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

    fn root(&mut self, root: &DeTable<'_>) -> WrittenSpec {
        let mut raw = WrittenSpec::default();
        each(self, root, "the spec", |w, key, value| match key {
            RootKey::Spec => w.header(value, &mut raw),
            RootKey::Flags => raw.flags = w.flags(value),
            RootKey::Handling => raw.handling = w.class_handling(value),
            RootKey::Q850 => w.q850_table(value, &mut raw),
            RootKey::Response => {
                raw.responses_span = Some(value.span());
                raw.responses = Some(w.responses(value));
            }
        });
        if raw.header_span.is_none() {
            self.error(0..0, "missing `[spec]` table (with `name = \"...\"`)");
        }
        raw
    }

    fn header(&mut self, value: &Value<'_>, raw: &mut WrittenSpec) {
        raw.header_span = Some(value.span());
        let Some(table) = value.get_ref().as_table() else {
            self.type_error(value, "spec", "the spec", "a table");
            return;
        };
        each(self, table, "[spec]", |w, key: HeaderKey, value| {
            let (what, name) = ("[spec]", key.name());
            match key {
                HeaderKey::Name => raw.name = w.text(value, name, what, Shape::Line),
                HeaderKey::Description => {
                    raw.description = w.text(value, name, what, Shape::OptionalLine);
                }
                HeaderKey::Extends => raw.extends = w.text(value, name, what, Shape::Line),
            }
        });
        if table.get("name").is_none() {
            self.error(value.span(), "missing key `name` in [spec]");
        }
    }

    /// A string checked for its shape: no bidirectional controls anywhere, no control
    /// characters but tab (and line breaks in prose), non-empty unless optional.
    fn text(&mut self, value: &Value<'_>, key: &str, what: &str, shape: Shape) -> Option<Located> {
        let Some(s) = value.get_ref().as_str() else {
            self.type_error(value, key, what, "a string");
            return None;
        };
        let span = value.span();
        if shape != Shape::OptionalLine && s.trim().is_empty() {
            self.error(span, format!("`{key}` in {what} is empty"));
            return None;
        }
        let bad = s.chars().find(|&c| {
            rfc::is_bidi_control(c)
                || (c.is_control()
                    && c != '\t'
                    && !(shape == Shape::Prose && (c == '\n' || c == '\r')))
        });
        if let Some(c) = bad {
            let why = if rfc::is_bidi_control(c) {
                format!("the bidirectional control character {c:?}")
            } else if shape == Shape::Prose {
                format!("the control character {c:?}")
            } else {
                format!("the control character {c:?}; it must be one line")
            };
            self.error(span, format!("`{key}` in {what} contains {why}"));
            return None;
        }
        Some(Located {
            value: s.to_owned(),
            span,
        })
    }

    fn class_handling(&mut self, value: &Value<'_>) -> Vec<(u16, bool)> {
        let Some(table) = value.get_ref().as_table() else {
            self.type_error(
                value,
                "handling",
                "the spec",
                "a table of class = \"required\"",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in in_file_order(table) {
            let digit = if let [d @ b'1'..=b'6', b'x', b'x'] = key.get_ref().as_bytes() {
                u16::from(d - b'0')
            } else {
                self.error(
                    key.span(),
                    format!(
                        "`{}` in [handling] is not a class: use 1xx .. 6xx",
                        key.get_ref()
                    ),
                );
                continue;
            };
            if let Some(required) = self.handling(value, "a class's handling") {
                if digit == 1 && !required {
                    self.error(
                        value.span(),
                        "`\"1xx\" = \"default\"` in [handling]: every provisional (1xx) method of a handler is required by design (a stack that forgets a provisional response must not compile); remove the key",
                    );
                    continue;
                }
                out.push((digit, required));
            }
        }
        out
    }

    /// A Q.850 cause value, 0..=127.
    fn cause(&mut self, value: &Value<'_>, what: &str) -> Option<u8> {
        let cause = value
            .get_ref()
            .as_integer()
            .filter(|i| i.radix() == 10)
            .and_then(|i| i.as_str().parse::<u8>().ok())
            .filter(|c| *c <= 127);
        if cause.is_none() {
            self.error(
                value.span(),
                format!("{what} must be a Q.850 cause value, a decimal integer in 0..=127"),
            );
        }
        cause
    }

    /// `[q850]`: `CAUSE = CODE` or `CAUSE = "none"`, and `default = CODE`.
    fn q850_table(&mut self, value: &Value<'_>, raw: &mut WrittenSpec) {
        let Some(table) = value.get_ref().as_table() else {
            self.type_error(value, "q850", "the spec", "a table of cause = code");
            return;
        };
        for (key, value) in in_file_order(table) {
            let name = key.get_ref();
            let code = match value.get_ref() {
                DeValue::String(s) if s == "none" && name != "default" => Some(None),
                DeValue::Integer(i) if i.radix() == 10 => i
                    .as_str()
                    .parse::<u16>()
                    .ok()
                    .filter(|c| rfc::CODES.contains(c))
                    .map(Some),
                _ => None,
            };
            let Some(code) = code else {
                self.error(
                    value.span(),
                    format!(
                        "`{name}` in [q850] must be a response code in 100..=699{}",
                        if name == "default" {
                            ""
                        } else {
                            " or \"none\""
                        }
                    ),
                );
                continue;
            };
            if name == "default" {
                raw.q850_default = code.map(|c| (c, value.span()));
                continue;
            }
            match name
                .parse::<u8>()
                .ok()
                .filter(|c| *c <= 127 && !name.starts_with('+'))
            {
                Some(cause) => raw.q850.push((cause, code, value.span())),
                None => self.error(
                    key.span(),
                    format!("`{name}` in [q850] is not a Q.850 cause value (0..=127) or `default`"),
                ),
            }
        }
    }

    fn handling(&mut self, value: &Value<'_>, what: &str) -> Option<bool> {
        match value.get_ref().as_str() {
            Some("required") => Some(true),
            Some("default") => Some(false),
            _ => {
                self.error(
                    value.span(),
                    format!("{what} must be \"required\" or \"default\""),
                );
                None
            }
        }
    }

    fn flags(&mut self, value: &Value<'_>) -> Vec<(String, String, Range<usize>)> {
        let Some(table) = value.get_ref().as_table() else {
            self.type_error(value, "flags", "the spec", "a table of flag = \"meaning\"");
            return Vec::new();
        };
        let mut flags = Vec::new();
        for (key, meaning) in in_file_order(table) {
            let name = key.get_ref().to_string();
            if let Err(why) = names::check_flag(&name) {
                self.error(key.span(), why);
                continue;
            }
            if let Some(meaning) = self.text(meaning, &name, "[flags]", Shape::Line) {
                flags.push((name, meaning.value, key.span()));
            }
        }
        flags
    }

    fn responses(&mut self, value: &Value<'_>) -> Vec<WrittenResponse> {
        let Some(array) = value.get_ref().as_array() else {
            self.type_error(
                value,
                "response",
                "the spec",
                "an array of tables ([[response]])",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in array {
            match item.get_ref().as_table() {
                Some(table) => out.push(self.response(table, item.span())),
                None => self.type_error(item, "response", "the spec", "a table"),
            }
        }
        out
    }

    fn response(&mut self, table: &DeTable<'_>, span: Range<usize>) -> WrittenResponse {
        let before = self.errors.len();
        let mut r = WrittenResponse {
            span: span.clone(),
            ..WrittenResponse::default()
        };
        // The code first, so that messages about the other keys can name it.
        if let Some(value) = table.get("code") {
            r.code = self.code(value);
        } else {
            self.error(span, "missing key `code` in [[response]]");
        }
        let what = match &r.code {
            Some((c, _)) => format!("[[response]] {c}"),
            None => "[[response]]".to_owned(),
        };
        each(self, table, "[[response]]", |w, key: ResponseKey, value| {
            let name = key.name();
            match key {
                ResponseKey::Code => {}
                ResponseKey::Reason => r.reason = w.reason(value, &what),
                ResponseKey::Reference => r.reference = w.text(value, name, &what, Shape::Line),
                ResponseKey::Description => {
                    r.description = w.text(value, name, &what, Shape::Prose);
                }
                ResponseKey::Flags => r.flags = Some(w.strings(value, name, &what)),
                ResponseKey::Headers => r.headers = Some(w.headers(value, &what)),
                ResponseKey::Ident => {
                    r.ident = w.text(value, name, &what, Shape::Line).filter(|t| {
                        let checked = names::check_variant(&t.value);
                        if let Err(why) = &checked {
                            w.error(t.span.clone(), format!("`ident` of {what}: {why}"));
                        }
                        checked.is_ok()
                    });
                }
                ResponseKey::Handling => {
                    r.handling = w.handling(value, "`handling`");
                    if r.handling == Some(false) && r.code.as_ref().is_some_and(|(c, _)| *c < 200) {
                        w.error(value.span(), format!("`handling = \"default\"` on {what}: every provisional (1xx) method of a handler is required by design (a stack that forgets a provisional response must not compile); remove the key"));
                    }
                }
                ResponseKey::Q850 => r.q850 = w.cause(value, &format!("`q850` in {what}")),
            }
        });
        r.broken = self.errors.len() > before;
        r
    }

    fn code(&mut self, value: &Value<'_>) -> Option<(u16, Range<usize>)> {
        let Some(int) = value.get_ref().as_integer() else {
            self.type_error(value, "code", "[[response]]", "an integer");
            return None;
        };
        let written = &self.map_text(value.span());
        if int.radix() != 10 {
            self.error(
                value.span(),
                format!("code `{written}` must be written in decimal, as three digits"),
            );
            return None;
        }
        match int.as_str().parse::<u16>() {
            Ok(c) if rfc::CODES.contains(&c) => Some((c, value.span())),
            _ => {
                self.error(value.span(), format!("code {written} is outside 100..=699"));
                None
            }
        }
    }

    /// The code as written in the file (for messages).
    fn map_text(&self, span: Range<usize>) -> String {
        self.map.slice(span).chars().take(40).collect()
    }

    fn reason(&mut self, value: &Value<'_>, what: &str) -> Option<Located> {
        let Some(s) = value.get_ref().as_str() else {
            self.type_error(value, "reason", what, "a string");
            return None;
        };
        if let Some((_, why)) = rfc::reason_phrase_error(s) {
            self.error(value.span(), format!("the reason of {what} {why}"));
            return None;
        }
        Some(Located {
            value: s.to_owned(),
            span: value.span(),
        })
    }

    fn strings(&mut self, value: &Value<'_>, key: &str, what: &str) -> Vec<Located> {
        let Some(array) = value.get_ref().as_array() else {
            self.type_error(value, key, what, "an array of strings");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in array {
            match item.get_ref().as_str() {
                Some(s) => out.push(Located {
                    value: s.to_owned(),
                    span: item.span(),
                }),
                None => self.type_error(item, key, what, "a string"),
            }
        }
        out
    }

    /// `headers`: each entry a field name (a MUST) or `{ name = "...", level = "should" }` or
    /// `{ one-of = ["...", "..."], level = "must" }`; every name an RFC 3261 token, named
    /// once per code (case-insensitively).
    fn headers(&mut self, value: &Value<'_>, what: &str) -> Vec<WrittenHeader> {
        let Some(array) = value.get_ref().as_array() else {
            self.type_error(
                value,
                "headers",
                what,
                "an array of header field names or tables ({ name = \"...\" }, { one-of = [...] })",
            );
            return Vec::new();
        };
        let mut out: Vec<WrittenHeader> = Vec::new();
        for item in array {
            let header = match item.get_ref() {
                DeValue::String(_) => {
                    self.header_name(item, "headers", what)
                        .map(|name| WrittenHeader {
                            should: false,
                            one_of: vec![name],
                        })
                }
                DeValue::Table(table) => self.header_table(table, item.span(), what),
                _ => {
                    self.type_error(
                        item,
                        "headers",
                        what,
                        "a header field name or a table ({ name = \"...\" }, { one-of = [...] })",
                    );
                    None
                }
            };
            let Some(header) = header else { continue };
            for name in &header.one_of {
                let twice = out
                    .iter()
                    .flat_map(|h| &h.one_of)
                    .any(|n| n.value.eq_ignore_ascii_case(&name.value));
                if twice {
                    self.error(
                        name.span.clone(),
                        format!("`{}` is named twice in `headers` of {what}", name.value),
                    );
                }
            }
            out.push(header);
        }
        out
    }

    /// `{ name = "...", level = "..." }` or `{ one-of = [...], level = "..." }`.
    fn header_table(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        what: &str,
    ) -> Option<WrittenHeader> {
        let before = self.errors.len();
        let entry = format!("a `headers` table of {what}");
        let (mut name, mut one_of, mut should) = (None, None, false);
        each(
            self,
            table,
            &entry,
            |w, key: HeaderFieldKey, value| match key {
                HeaderFieldKey::Name => name = w.header_name(value, "name", &entry),
                HeaderFieldKey::OneOf => {
                    let Some(array) = value.get_ref().as_array() else {
                        w.type_error(value, "one-of", &entry, "an array of header field names");
                        return;
                    };
                    let names: Vec<Located> = array
                        .iter()
                        .filter_map(|item| w.header_name(item, "one-of", &entry))
                        .collect();
                    if names.len() == array.len() && names.len() < 2 {
                        w.error(
                        value.span(),
                        format!("`one-of` in {entry} names fewer than two fields; write `name = \"...\"` for one"),
                    );
                    }
                    one_of = Some(names);
                }
                HeaderFieldKey::Level => match value.get_ref().as_str() {
                    Some("must") => should = false,
                    Some("should") => should = true,
                    _ => w.error(
                        value.span(),
                        format!("`level` in {entry} must be \"must\" or \"should\" (RFC 2119)"),
                    ),
                },
            },
        );
        let one_of = match (name, one_of) {
            (Some(name), None) => vec![name],
            (None, Some(names)) => names,
            (None, None) if self.errors.len() == before => {
                self.error(
                    span,
                    format!("{entry} needs `name = \"...\"` or `one-of = [...]`"),
                );
                return None;
            }
            (Some(_), Some(_)) => {
                self.error(
                    span,
                    format!("{entry} has both `name` and `one-of`: keep one"),
                );
                return None;
            }
            _ => return None,
        };
        (self.errors.len() == before).then_some(WrittenHeader { should, one_of })
    }

    /// A header field name: an RFC 3261 token.
    fn header_name(&mut self, value: &Value<'_>, key: &str, what: &str) -> Option<Located> {
        let Some(s) = value.get_ref().as_str() else {
            self.type_error(value, key, what, "a header field name (a string)");
            return None;
        };
        let token = !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.!%*_+'~".contains(&b));
        if !token {
            self.error(
                value.span(),
                format!("`{s}` is not a header field name (RFC 3261 token)"),
            );
            return None;
        }
        Some(Located {
            value: s.to_owned(),
            span: value.span(),
        })
    }
}
