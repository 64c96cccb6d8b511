//! Properties: round trips for every IANA code, and no panic on arbitrary input.

use proptest::prelude::*;
use sip_responses::{ParseErrorKind, StatusCode, StatusLine};
use sip_responses_codegen::Spec;

proptest! {
    #[test]
    fn display_then_parse_returns_the_same_code(i in 0..StatusCode::ALL.len()) {
        let code = StatusCode::ALL[i];
        prop_assert_eq!(code.to_string().parse::<StatusCode>(), Ok(code));
        let line = format!("SIP/2.0 {code}\r\n");
        let parsed = StatusLine::parse(line.as_bytes()).unwrap();
        prop_assert_eq!(parsed.code().known::<StatusCode>(), Some(code));
        prop_assert_eq!(parsed.reason(), code.reason());
    }

    /// Status lines that are mostly well formed, with odd bytes in the reason or its
    /// separator: the lenient parser agrees with the strict one wherever the strict one
    /// accepts (the check is `fuzz::lenient_status_line`, the fuzz target's body).
    #[test]
    fn lenient_and_strict_parsers_agree(
        code in 0u16..1000,
        sep in prop::sample::select(vec![&b" "[..], b"", b"  ", b"\t"]),
        reason in proptest::collection::vec(prop::sample::select(vec![b'a', b' ', b'\t', 0xe9, 0xc3, 0xa9, 0x01, 0x7f, b'\r', b'\n', 0, b'%', b'<']), 0..12),
        end in prop::sample::select(vec![&b"\r\n"[..], b"\n", b"", b"\r\nVia: x\r\n"]),
    ) {
        let mut line = format!("SIP/2.0 {code:03}").into_bytes();
        line.extend_from_slice(sep);
        line.extend_from_slice(&reason);
        line.extend_from_slice(end);
        sip_responses_tests::fuzz::lenient_status_line(&line);
    }

    #[test]
    fn status_line_parse_never_panics_and_borrows_the_input(input in proptest::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(line) = StatusLine::parse(&input) {
            let reason = line.reason().as_bytes();
            let start = reason.as_ptr() as usize - input.as_ptr() as usize;
            prop_assert!(start + reason.len() <= input.len());
            prop_assert_eq!(&input[start..start + reason.len()], reason);
            prop_assert!((100..=699).contains(&line.code().get()));
            prop_assert!(line.end() <= input.len());
        }
    }

    #[test]
    fn near_valid_status_lines_never_panic(code in "[0-9]{0,12}", reason in "[ -~\t\r\n\u{80}-\u{10ffff}]{0,20}") {
        let line = format!("SIP/2.0 {code} {reason}\r\n");
        match StatusLine::parse(line.as_bytes()) {
            Ok(parsed) => prop_assert_eq!(parsed.code().get().to_string(), code),
            Err(e) => prop_assert!(e.at() <= line.len()),
        }
    }

    #[test]
    fn from_str_never_panics(input in "\\PC{0,24}") {
        match input.parse::<StatusCode>() {
            Ok(code) => prop_assert!(input.starts_with(&code.code().to_string())),
            Err(e) => prop_assert!(e.at() <= input.len() || e.kind() == ParseErrorKind::Empty),
        }
    }

    #[test]
    fn spec_parser_never_panics(text in "(\\[spec\\]|\\[\\[response\\]\\]|code = [0-9]{1,5}|reason = \"[ -~]{0,8}\"|name = \"x\"|flags = \\[\"a\"\\]|extends = \"iana\"|[ -~\n]{0,12}|\n){0,16}") {
        // Valid or not, the result is a value: a spec, or diagnostics with locations.
        match Spec::parse("fuzz.toml", &text) {
            Ok(spec) => prop_assert!(!spec.responses.is_empty()),
            Err(e) => prop_assert!(!e.diagnostics().is_empty()),
        }
    }
}
