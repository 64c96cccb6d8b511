//! Rust names: how they derive from SIP names, and the one registry of every name the
//! generator emits (types, variants, associated items, handler methods, flag predicates),
//! which specs and options are checked against so that a clash is a spec error with a
//! location, never a rustc error in the user's crate.

use crate::rfc::CLASSES;

/// Rust keywords (strict and reserved, all editions).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names a generated type must not take: primitives (generated code names `u16`, `bool`
/// and `str` unqualified), prelude types and variants, and the generic parameters of the
/// generated handler code.
const TAKEN_TYPES: &[&str] = &[
    "bool",
    "char",
    "str",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f32",
    "f64",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Copy",
    "Clone",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Default",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Iterator",
    "Into",
    "From",
    "TryFrom",
    "TryInto",
    "ToString",
    "ToOwned",
    "AsRef",
    "AsMut",
    "Ctx",
    "H",
];

/// Every associated item the generator puts on a generated or derived enum, besides the
/// flag predicates: a variant must not take one of these names (`Self::Error` would be
/// ambiguous between a variant and `TryFrom::Error`).
pub const ASSOCIATED: &[&str] = &[
    "ALL",
    "FACTS",
    "BY_CODE",
    "INTERPRET",
    "POSITION",
    "facts",
    "position",
    "lift",
    "status_code",
    "code",
    "reason",
    "reference",
    "as_str",
    "status_line",
    "class",
    "is_final",
    "may_send_reliably",
    "is_provisional",
    "is_success",
    "is_redirection",
    "is_client_error",
    "is_server_error",
    "is_global_failure",
    "required_headers",
    "header_requirements",
    "flags",
    "q850_cause",
    "from_q850",
    "from_u16",
    "from_bytes",
    "interpret",
    "dispatch",
    "dispatch_code",
    "classify",
    // Associated types of the trait impls.
    "Error",
    "Err",
    "Output",
    // Reserved: items of earlier versions (one table per fact, where `FACTS` is one table of
    // rows now), still refused so that what a spec or a derived enum may be named does not
    // change with the runtime's internals.
    "CODE",
    "REASON",
    "REFERENCE",
    "AS_STR",
    "STATUS_LINE",
    "FLAGS",
    "HEADERS",
    "HEADER_REQUIREMENTS",
    "Q850",
    "from_position",
];

/// The types a spec generates besides the all-codes enum, before the prefix.
pub fn generated_types() -> impl Iterator<Item = &'static str> {
    CLASSES
        .iter()
        .map(|c| c.name)
        .chain(["Classified", "ResponseHandler", "ProvisionalHandler"])
}

/// `UpperCamelCase` from a reason phrase: words are runs of ASCII letters and digits;
/// each word keeps its first letter upper-cased and the rest lower-cased
/// ("Call/Transaction Does Not Exist" -> `CallTransactionDoesNotExist`, "OK" -> `Ok`).
#[must_use]
pub fn variant_ident(reason: &str) -> String {
    let mut out = String::new();
    for word in reason.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

/// `snake_case` of an `UpperCamelCase` identifier (`BusyHere` -> `busy_here`).
#[must_use]
pub fn snake_case(ident: &str) -> String {
    let mut out = String::new();
    for (i, c) in ident.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The names of [`ASSOCIATED`] a generated enum's http-style constant may take: `CODE`, the
/// codes' table only a derived enum had (reserved since).
pub const DERIVED_ONLY: &[&str] = &["CODE"];

/// Whether the http-style constant `name` would clash with an item generated on an
/// all-codes enum.
#[must_use]
pub fn http_const_clashes(name: &str) -> bool {
    ASSOCIATED.contains(&name) && !DERIVED_ONLY.contains(&name)
}

/// The http-style constant for a variant, `SCREAMING_SNAKE_CASE` (`BusyHere` -> `BUSY_HERE`,
/// `Ok` -> `OK`), as `http::StatusCode` and rsip name codes; `None` where it would be the
/// variant's own name (a one-letter variant).
#[must_use]
pub fn http_const(variant: &str) -> Option<String> {
    let name = snake_case(variant.trim_start_matches("r#")).to_ascii_uppercase();
    (name != variant).then_some(name)
}

/// The handler method for a variant: `on_` + `snake_case` (a raw `r#` prefix is dropped).
#[must_use]
pub fn handler_method(variant: &str) -> String {
    format!("on_{}", snake_case(variant.trim_start_matches("r#")))
}

/// The handler method for the codes of `class` a set has no RFC 3261 8.1.3.2 target for
/// (183, or the x00): `on_other_` + the class in `snake_case` (`on_other_client_error`). It
/// receives the code that arrived.
#[must_use]
pub fn other_method(class: &crate::rfc::Class) -> String {
    format!("on_other_{}", snake_case(class.name))
}

/// Whether `method` is a class's [`other_method`], which no code's method may be.
#[must_use]
pub fn is_other_method(method: &str) -> bool {
    CLASSES.iter().any(|c| other_method(c) == method)
}

/// The predicate for a flag: `is_` + the flag with `-` as `_` (`hop-by-hop` -> `is_hop_by_hop`).
#[must_use]
pub fn flag_predicate(flag: &str) -> String {
    format!("is_{}", flag.replace('-', "_"))
}

/// Why `ident` cannot be an identifier at all, if it cannot.
///
/// # Errors
/// The reason, as a sentence.
pub fn check_ident(ident: &str) -> Result<(), String> {
    let mut chars = ident.chars();
    match chars.next() {
        None => return Err("the name is empty".into()),
        Some(c) if !(c.is_ascii_alphabetic() || c == '_') => {
            return Err(format!("`{ident}` does not start with a letter"));
        }
        _ => {}
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "`{ident}` is not an identifier (ASCII letters, digits, `_`)"
        ));
    }
    if ident == "_" || KEYWORDS.contains(&ident) {
        return Err(format!("`{ident}` is a reserved word in Rust"));
    }
    Ok(())
}

/// Why `ident` cannot name a type or variant without a warning: it must be `UpperCamelCase`
/// (an ASCII capital, then ASCII letters and digits), not all capitals (clippy's
/// `upper_case_acronyms`), and no keyword.
///
/// # Errors
/// The reason, as a sentence.
pub fn check_camel(ident: &str) -> Result<(), String> {
    check_ident(ident)?;
    if !ident.starts_with(|c: char| c.is_ascii_uppercase())
        || !ident.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(format!(
            "`{ident}` is not UpperCamelCase (a capital letter, then letters and digits, no `_`)"
        ));
    }
    if ident.len() > 1 && !ident.chars().any(|c| c.is_ascii_lowercase()) {
        return Err(format!(
            "`{ident}` is all capitals; write it in UpperCamelCase (e.g. `{}`)",
            variant_ident(ident)
        ));
    }
    Ok(())
}

/// Why `ident` cannot name a variant: [`check_camel`], and not the name of a generated
/// associated item.
///
/// # Errors
/// The reason, as a sentence.
pub fn check_variant(ident: &str) -> Result<(), String> {
    check_camel(ident)?;
    if ASSOCIATED.contains(&ident) {
        return Err(format!(
            "`{ident}` is the name of an item generated on the enum (`Self::{ident}` would be ambiguous)"
        ));
    }
    let method = handler_method(ident);
    if is_other_method(&method) {
        return Err(format!(
            "`{ident}` would give the handler method `{method}`, which is the method for the codes of a class whose RFC 3261 8.1.3.2 target a set lacks"
        ));
    }
    Ok(())
}

/// Why `name` cannot be a flag, if it cannot: lowercase words joined by `-`, and no flag
/// whose predicate is a generated associated function.
///
/// # Errors
/// The reason, as a sentence.
pub fn check_flag(name: &str) -> Result<(), String> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
        && !name.contains("--");
    if !valid {
        return Err(format!(
            "flag name `{name}` must be lowercase words joined by `-` (e.g. `hop-by-hop`)"
        ));
    }
    let predicate = flag_predicate(name);
    if ASSOCIATED.contains(&predicate.as_str()) {
        return Err(format!(
            "flag name `{name}` clashes with the generated method `{predicate}`"
        ));
    }
    Ok(())
}

/// Why a type name (the all-codes enum's name, or a prefixed generated type) is unusable.
///
/// # Errors
/// The reason, as a sentence.
pub fn check_type(name: &str) -> Result<(), String> {
    check_camel(name)?;
    if TAKEN_TYPES.contains(&name) {
        return Err(format!(
            "`{name}` would shadow a primitive or prelude name the generated code uses"
        ));
    }
    Ok(())
}

/// Every problem with the generated type names for `name` and `prefix`: each must be usable,
/// and all must differ (`--name XSuccess --prefix X` clashes with the 2xx enum).
#[must_use]
pub fn check_types(name: &str, prefix: &str) -> Vec<(TypePart, String)> {
    let mut problems = Vec::new();
    if let Err(why) = check_type(name) {
        problems.push((TypePart::Name, format!("type name: {why}")));
    }
    if !prefix.is_empty() {
        if let Err(why) = check_ident(prefix) {
            problems.push((TypePart::Prefix, format!("type prefix: {why}")));
            return problems;
        }
    }
    for ty in generated_types() {
        let full = format!("{prefix}{ty}");
        if full == name {
            problems.push((TypePart::Name, format!(
                "type name `{name}` is also the name of the generated `{ty}` type; choose another name or prefix"
            )));
        } else if let Err(why) = check_type(&full) {
            problems.push((
                TypePart::Prefix,
                format!("type prefix `{prefix}` gives `{full}`: {why}"),
            ));
        }
    }
    problems
}

/// Which of the two type-name options a problem of [`check_types`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypePart {
    /// The all-codes enum's name.
    Name,
    /// The prefix of the other types.
    Prefix,
}

/// Spec text made safe for a doc comment: line breaks normalized to `\n`, tabs as spaces,
/// control and
/// bidirectional characters escaped (rustc refuses a bare CR in a doc comment and denies
/// bidi controls), leading indentation removed (rustdoc would run an indented block as a
/// doctest), and code fences and link brackets escaped.
#[must_use]
pub fn doc_text(text: &str) -> String {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(normalized.len());
    for (i, line) in normalized.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.trim_start();
        if line.starts_with('~') {
            out.push('\\');
        }
        for c in line.chars() {
            match c {
                '[' | ']' | '`' | '<' | '>' => {
                    out.push('\\');
                    out.push(c);
                }
                // Tabs are a lint in doc comments (clippy's tabs_in_doc_comments).
                '\t' => out.push(' '),
                c if c.is_control() || crate::rfc::is_bidi_control(c) => {
                    out.push_str(&c.escape_unicode().to_string());
                }
                c => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_variants_from_reasons() {
        assert_eq!(variant_ident("OK"), "Ok");
        assert_eq!(
            variant_ident("Call/Transaction Does Not Exist"),
            "CallTransactionDoesNotExist"
        );
        assert_eq!(variant_ident("Server Time-out"), "ServerTimeOut");
        assert_eq!(variant_ident("Request-URI Too Long"), "RequestUriTooLong");
        assert_eq!(variant_ident("  "), "");
    }

    #[test]
    fn derives_methods_and_predicates() {
        assert_eq!(
            handler_method("CallIsBeingForwarded"),
            "on_call_is_being_forwarded"
        );
        assert_eq!(handler_method("Ok"), "on_ok");
        assert_eq!(handler_method("r#Self"), "on_self");
        assert_eq!(flag_predicate("hop-by-hop"), "is_hop_by_hop");
        assert_eq!(other_method(&CLASSES[3]), "on_other_client_error");
        assert_eq!(other_method(&CLASSES[0]), "on_other_provisional");
        assert!(is_other_method("on_other_global_failure"));
        assert!(!is_other_method("on_bad_request"));
    }

    #[test]
    fn checks_identifiers() {
        assert!(check_variant("BusyHere").is_ok());
        for bad in [
            "Self",
            "9Lives",
            "Busy Here",
            "",
            "Busy_Here",
            "ok",
            "OK",
            "Error",
            "Err",
            "ALL",
            "BY_CODE",
            "INTERPRET",
            "POSITION",
            "OtherClientError",
            "OtherProvisional",
        ] {
            assert!(check_variant(bad).is_err(), "{bad}");
        }
        assert!(check_type("u16").is_err());
        assert!(check_types("StatusCode", "").is_empty());
        assert_eq!(check_types("XSuccess", "X").len(), 1);
        assert_eq!(check_types("Provisional", "").len(), 1);
        assert!(!check_types("Status", "u").is_empty());
        assert!(check_flag("final").is_err());
        assert!(check_flag("hop-by-hop").is_ok());
    }

    #[test]
    fn doc_text_is_safe() {
        assert_eq!(doc_text("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(doc_text("    code\n```"), "code\n\\`\\`\\`");
        assert_eq!(doc_text("x\u{202E}y [link]"), "x\\u{202e}y \\[link\\]");
    }
}
