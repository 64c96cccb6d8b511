//! Rust names derived from SIP names: variants, handler methods, flag predicates.

/// Rust keywords (strict and reserved, all editions) and names that would shadow prelude items.
const RESERVED: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "Some", "None",
    "Option", "Result",
];

/// UpperCamelCase from a reason phrase: words are runs of ASCII letters and digits;
/// each word keeps its first letter upper-cased and the rest lower-cased
/// ("Call/Transaction Does Not Exist" -> `CallTransactionDoesNotExist`, "OK" -> `Ok`).
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

/// snake_case of an UpperCamelCase identifier (`BusyHere` -> `busy_here`).
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

/// The handler method for a variant: `on_` + snake_case (a raw `r#` prefix is dropped).
pub fn handler_method(variant: &str) -> String {
    format!("on_{}", snake_case(variant.trim_start_matches("r#")))
}

/// The predicate for a flag: `is_` + the flag with `-` as `_` (`hop-by-hop` -> `is_hop_by_hop`).
pub fn flag_predicate(flag: &str) -> String {
    format!("is_{}", flag.replace('-', "_"))
}

/// Why `ident` cannot name a generated item, if it cannot.
pub fn check_ident(ident: &str) -> Result<(), String> {
    let mut chars = ident.chars();
    match chars.next() {
        None => return Err("the derived name is empty".into()),
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
    if ident == "_" || RESERVED.contains(&ident) {
        return Err(format!("`{ident}` is a reserved word in Rust"));
    }
    Ok(())
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
    }

    #[test]
    fn checks_identifiers() {
        assert!(check_ident("BusyHere").is_ok());
        assert!(check_ident("Self").is_err());
        assert!(check_ident("9Lives").is_err());
        assert!(check_ident("Busy Here").is_err());
        assert!(check_ident("").is_err());
    }
}
