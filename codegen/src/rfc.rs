//! The RFC 3261 rules every stage needs, written once: the six classes, the Section 8.1.3.2
//! fallbacks, which handler methods are required, and the Section 25 Reason-Phrase grammar.
//! The checker, the generator, the CLI and the derive all read them from here.

/// One response class (RFC 3261, Section 7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Class {
    /// The leading digit, 1..=6.
    pub digit: u16,
    /// The Rust name of the class enum and of `Class`'s variant, e.g. `ClientError`.
    pub name: &'static str,
    /// The predicate on every generated enum, e.g. `is_client_error`.
    pub predicate: &'static str,
    /// A one-line description, used in docs and by the CLI.
    pub doc: &'static str,
}

/// The six classes, in order.
pub const CLASSES: [Class; 6] = [
    Class { digit: 1, name: "Provisional", predicate: "is_provisional", doc: "1xx provisional responses: request received, continuing to process it." },
    Class { digit: 2, name: "Success", predicate: "is_success", doc: "2xx success responses: the action was received, understood and accepted." },
    Class { digit: 3, name: "Redirection", predicate: "is_redirection", doc: "3xx redirection responses: further action is needed to complete the request." },
    Class { digit: 4, name: "ClientError", predicate: "is_client_error", doc: "4xx client error responses: bad syntax, or the request cannot be fulfilled at this server." },
    Class { digit: 5, name: "ServerError", predicate: "is_server_error", doc: "5xx server error responses: the server failed to fulfill an apparently valid request." },
    Class { digit: 6, name: "GlobalFailure", predicate: "is_global_failure", doc: "6xx global failure responses: the request cannot be fulfilled at any server." },
];

/// The lowest and highest SIP status code.
pub const CODES: core::ops::RangeInclusive<u16> = 100..=699;

/// The class of `code`, if it is in 100..=699.
#[must_use]
pub fn class_of(code: u16) -> Option<&'static Class> {
    crate::rules::class_digit(code).map(|digit| &CLASSES[usize::from(digit - 1)])
}

/// RFC 3261, Section 8.1.3.2: what an unknown code of class `digit` is treated as: 183 for
/// 1xx, x00 for the final classes (`rules::fallback`, the runtime's own rule).
#[must_use]
pub const fn class_fallback(digit: u16) -> u16 {
    crate::rules::fallback(digit * 100)
}

/// Whether a handler must implement the method of `code` itself, given whether the spec marks
/// it `handling = "required"` and whether the set has the class's x00: every 1xx, each x00,
/// and any final code whose x00 is missing (it has nothing to fall back to).
#[must_use]
pub fn handler_required(code: u16, marked_required: bool, set_has_x00: bool) -> bool {
    let digit = code / 100;
    digit == 1 || code == digit * 100 || marked_required || !set_has_x00
}

/// Why `reason` is not a Reason-Phrase of RFC 3261, Section 25, with the byte offset of the
/// first offending character:
///
/// ```text
/// Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HTAB)
/// ```
///
/// That leaves out every control character but HTAB, and `"`, `<`, `>`, `[`, `]`, `{`, `}`,
/// `|`, `\`, `^`, backtick, `#`, and `%` unless two hex digits follow it (an escape). A
/// registered phrase must also be non-empty and not start or end with whitespace.
#[must_use]
pub fn reason_phrase_error(reason: &str) -> Option<(usize, String)> {
    if reason.is_empty() {
        return Some((0, "is empty".to_owned()));
    }
    if reason.starts_with([' ', '\t']) || reason.ends_with([' ', '\t']) {
        return Some((0, "has leading or trailing whitespace".to_owned()));
    }
    // What a registered phrase must be beyond the grammar: no control character at all
    // (C1 controls are UTF8-NONASCII to the grammar) and no bidi control.
    let stricter = reason.char_indices().find_map(|(at, c)| match c {
        '\t' => None,
        c if c.is_control() => Some((at, format!("the control character {c:?}"))),
        c if is_bidi_control(c) => Some((at, format!("the bidirectional control character {c:?}"))),
        _ => None,
    });
    // The grammar itself: the one rule the runtime's `check_reason_phrase` applies too.
    let grammar = crate::rules::reason_phrase_refused(reason.as_bytes()).map(|at| {
        let what = match reason.as_bytes()[at] {
            b'%' => "a `%` without two hex digits after it".to_owned(),
            b => format!("the character {:?}", char::from(b)),
        };
        (at, what)
    });
    let first = match (stricter, grammar) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    first.map(|(at, what)| {
        (
            at,
            format!("contains {what} at byte {at}, which RFC 3261 Section 25 does not allow in a Reason-Phrase"),
        )
    })
}

/// The Unicode bidirectional controls (U+202A..=U+202E, U+2066..=U+2069) and the marks
/// U+200E/U+200F, U+061C: invisible characters that reorder text, refused in spec text
/// (rustc denies them in doc comments and literals, the "Trojan Source" lints).
#[must_use]
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallbacks_and_classes() {
        assert_eq!(class_fallback(1), 183);
        assert_eq!(class_fallback(4), 400);
        assert_eq!(class_of(486).map(|c| c.name), Some("ClientError"));
        assert_eq!(class_of(99), None);
        assert_eq!(class_of(700), None);
        assert!(handler_required(180, false, true));
        assert!(handler_required(400, false, true));
        assert!(!handler_required(486, false, true));
        assert!(handler_required(486, true, true));
        assert!(handler_required(486, false, false));
    }

    #[test]
    fn reason_phrase_grammar() {
        for ok in [
            "OK",
            "Ça sonne",
            "5 calls queued; expected waiting time is 15 minutes",
            "a\tb",
            "100%25 done",
            "Bad Identity-Info",
        ] {
            assert_eq!(reason_phrase_error(ok), None, "{ok}");
        }
        for bad in [
            "",
            " x",
            "x ",
            "a\"b",
            "<x>",
            "[x]",
            "{x}",
            "a|b",
            "a\\b",
            "a^b",
            "a`b",
            "#1",
            "50% done",
            "5%4",
            "a\rb",
            "a\nb",
            "a\u{7f}b",
            "a\u{202E}b",
        ] {
            assert!(reason_phrase_error(bad).is_some(), "{bad:?}");
        }
    }
}
