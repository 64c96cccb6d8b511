//! The generated IANA types agree with spec/iana.toml, entry by entry.

use sip_responses::{Class, CodeError, ParseErrorKind, ResponseCode, StatusCode};
use sip_responses_codegen::{Options, Spec};

#[test]
fn every_spec_entry_round_trips() {
    let spec = Spec::iana();
    assert_eq!(spec.responses.len(), 75);
    assert_eq!(StatusCode::ALL.len(), spec.responses.len());
    for (r, &code) in spec.responses.iter().zip(StatusCode::ALL) {
        assert_eq!(code.code(), r.code);
        assert_eq!(code.reason(), r.reason);
        assert_eq!(code.reference(), r.reference);
        let line = format!("{} {}", r.code, r.reason);
        assert_eq!(code.to_string(), line);
        assert_eq!(code.as_str(), line);
        assert_eq!(line.parse::<StatusCode>(), Ok(code));
        assert_eq!(r.code.to_string().parse::<StatusCode>(), Ok(code));
        assert_eq!(StatusCode::from_u16(r.code), Some(code));
        assert_eq!(StatusCode::try_from(r.code), Ok(code));
        assert_eq!(u16::from(code), r.code);
        assert_eq!(StatusCode::interpret(r.code), Ok(code));
        assert_eq!(Some(code.class()), Class::from_code(r.code));
        assert_eq!(code.required_headers(), r.headers.as_slice());
        assert_eq!(code, r.code);
        assert_eq!(r.code, code);
    }
}

/// The lookup tables (indexed by the code, clamped onto a final `None`) against a search of
/// `ALL`, for every `u16`, on the all-codes enum and each class enum: `from_u16` exactly, and
/// `interpret` by RFC 3261, Section 8.1.3.2 (a class enum has no fallback for the codes of
/// other classes).
#[test]
fn lookups_agree_with_all_for_every_u16() {
    fn check<T: sip_responses::ResponseCode + Copy + PartialEq + std::fmt::Debug>() {
        let find = |code: u16| T::ALL.iter().copied().find(|c| c.code() == code);
        for code in 0..=u16::MAX {
            assert_eq!(T::from_u16(code), find(code), "{code}");
            let interpreted = if (100..=699).contains(&code) {
                let fallback = if code < 200 { 183 } else { code / 100 * 100 };
                find(code)
                    .or_else(|| find(fallback))
                    .ok_or(CodeError::NoFallback(code))
            } else {
                Err(CodeError::OutOfRange(code))
            };
            assert_eq!(T::interpret(code), interpreted, "{code}");
        }
    }
    check::<StatusCode>();
    check::<sip_responses::Provisional>();
    check::<sip_responses::Success>();
    check::<sip_responses::Redirection>();
    check::<sip_responses::ClientError>();
    check::<sip_responses::ServerError>();
    check::<sip_responses::GlobalFailure>();
}

#[test]
fn interpret_follows_rfc3261_8_1_3_2_for_every_unknown_code() {
    for code in 0..=u16::MAX {
        let got = StatusCode::interpret(code);
        match Class::from_code(code) {
            None => assert_eq!(got, Err(CodeError::OutOfRange(code))),
            Some(class) => {
                let want = StatusCode::from_u16(code)
                    .unwrap_or_else(|| StatusCode::from_u16(class.fallback()).unwrap());
                assert_eq!(got, Ok(want), "{code}");
                if StatusCode::from_u16(code).is_none() {
                    let expected = if code < 200 { 183 } else { code / 100 * 100 };
                    assert_eq!(want.code(), expected, "{code}");
                }
            }
        }
    }
}

#[test]
fn registry_facts_are_set() {
    assert!(StatusCode::Trying.is_hop_by_hop());
    assert!(!StatusCode::Ringing.is_hop_by_hop());
    assert!(StatusCode::Accepted.is_deprecated());
    assert!(
        StatusCode::Unauthorized.is_challenge()
            && StatusCode::ProxyAuthenticationRequired.is_challenge()
    );
    let retry: Vec<u16> = StatusCode::ALL
        .iter()
        .filter(|c| c.is_retry_after())
        .map(sip_responses::ResponseCode::code)
        .collect();
    assert_eq!(retry, [404, 413, 480, 486, 500, 503, 600, 603]);
    assert_eq!(
        StatusCode::Unauthorized.required_headers(),
        ["WWW-Authenticate"]
    );
    assert_eq!(StatusCode::MethodNotAllowed.required_headers(), ["Allow"]);
    // Names from the issue and the renamed phrases of RFC 8224.
    assert_eq!(StatusCode::CallTransactionDoesNotExist.code(), 481);
    assert_eq!(StatusCode::ServerTimeOut.code(), 504);
    assert_eq!(StatusCode::Ok.code(), 200);
    assert_eq!(StatusCode::Accepted.code(), 202);
    assert_eq!(StatusCode::BadIdentityInfo.reason(), "Bad Identity Info");
    assert_eq!(
        StatusCode::UnsupportedCredential.reason(),
        "Unsupported Credential"
    );
    assert_eq!(
        StatusCode::NotAcceptableAnywhere.as_str(),
        "606 Not Acceptable"
    );
    for code in [
        199, 204, 425, 430, 439, 440, 469, 470, 494, 555, 580, 607, 608,
    ] {
        assert!(StatusCode::from_u16(code).is_some(), "{code}");
    }
}

#[test]
fn text_input_is_checked() {
    let kind = |s: &str| s.parse::<StatusCode>().map_err(|e| (e.kind(), e.at()));
    assert_eq!(kind("486 Anything At All"), Ok(StatusCode::BusyHere));
    assert_eq!(kind("499"), Err((ParseErrorKind::Unknown(499), 0)));
    assert_eq!(kind("799"), Err((ParseErrorKind::OutOfRange(799), 0)));
    assert_eq!(kind("4294967301"), Err((ParseErrorKind::NotThreeDigits, 3)));
    assert_eq!(kind("180\r\n"), Err((ParseErrorKind::MissingSpace, 3)));
    assert_eq!(
        kind("180 Ringing\r\nVia: x"),
        Err((ParseErrorKind::ControlCharacter, 11))
    );
    assert_eq!(StatusCode::try_from(499), Err(CodeError::Unknown(499)));
    assert_eq!(StatusCode::try_from(99), Err(CodeError::OutOfRange(99)));
    let err = "18x".parse::<StatusCode>().unwrap_err().to_string();
    assert_eq!(
        err,
        "the status code must be exactly three digits (at byte 2)"
    );
}

#[test]
fn classes_split_and_convert_losslessly() {
    use sip_responses::{Classified, ClientError, Provisional};
    for &code in StatusCode::ALL {
        let back: StatusCode = match code.classify() {
            Classified::Provisional(c) => c.into(),
            Classified::Success(c) => c.into(),
            Classified::Redirection(c) => c.into(),
            Classified::ClientError(c) => c.into(),
            Classified::ServerError(c) => c.into(),
            Classified::GlobalFailure(c) => c.into(),
        };
        assert_eq!(back, code);
    }
    assert_eq!(
        Provisional::try_from(StatusCode::Queued),
        Ok(Provisional::Queued)
    );
    assert_eq!(
        ClientError::try_from(StatusCode::Ok),
        Err(CodeError::Unknown(200))
    );
    assert_eq!(Provisional::ALL.len(), 6);
    assert_eq!(
        Provisional::interpret(155),
        Ok(Provisional::SessionProgress)
    );
    assert_eq!(Provisional::interpret(486), Err(CodeError::NoFallback(486)));
}

fn generic_reason<T: ResponseCode>(code: u16) -> Option<&'static str> {
    T::from_u16(code).map(|c| c.reason())
}

#[test]
fn generic_code_works_over_the_trait() {
    assert_eq!(generic_reason::<StatusCode>(180), Some("Ringing"));
    assert_eq!(generic_reason::<sip_responses::Success>(180), None);
    assert_eq!(<StatusCode as ResponseCode>::ALL.len(), 75);
}

/// core/src/iana.rs is generated; this fails when it is stale against spec/iana.toml or
/// the generator. Refresh: `cargo run --bin sip-responses -- generate -o core/src/iana.rs`.
#[test]
fn checked_in_iana_source_is_fresh() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/src/iana.rs");
    let on_disk = std::fs::read_to_string(path).unwrap();
    let fresh = sip_responses_codegen::format_source(
        sip_responses_codegen::generate_spec(&Spec::iana(), &Options::default()).unwrap(),
        &sip_responses_codegen::generated_header("spec/iana.toml"),
    )
    .unwrap();
    assert!(
        on_disk == fresh,
        "core/src/iana.rs is stale: run `cargo run --bin sip-responses -- generate -o core/src/iana.rs`"
    );
}

/// The codegen crate's bundled spec is the top-level `spec/iana.toml` (a symlink, so the
/// packaged crate carries the same file; a checkout without symlinks would break here).
#[test]
fn bundled_spec_is_the_top_level_spec() {
    let top =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/iana.toml")).unwrap();
    assert_eq!(sip_responses_codegen::IANA_TOML, top);
}

/// http-style names (`StatusCode::OK`, `BUSY_HERE`): what code written against `http` or
/// rsip spells, as constants equal to the variants, in patterns too.
#[test]
fn http_style_names_are_constants_usable_in_patterns() {
    assert_eq!(StatusCode::OK, StatusCode::Ok);
    assert_eq!(StatusCode::BUSY_HERE.code(), 486);
    assert_eq!(
        StatusCode::REQUEST_URI_TOO_LONG,
        StatusCode::RequestUriTooLong
    );
    assert_eq!(
        StatusCode::CALL_TRANSACTION_DOES_NOT_EXIST,
        StatusCode::CallTransactionDoesNotExist
    );
    let what = |code: StatusCode| match code {
        StatusCode::OK => "ok",
        StatusCode::BUSY_HERE | StatusCode::BUSY_EVERYWHERE => "busy",
        StatusCode::Ringing => "ringing", // variants and constants mix
        _ => "other",
    };
    assert_eq!(what(StatusCode::Ok), "ok");
    assert_eq!(what("600".parse().unwrap()), "busy");
    assert_eq!(what(StatusCode::RINGING), "ringing");
    assert_eq!(what(StatusCode::Decline), "other");
}

/// Every code has its constant, named as `snake_case` in capitals, and a spec whose code
/// would give a constant the name of a generated item (`ALL`, `REASON`, ...) is refused.
#[test]
fn every_code_has_an_http_style_constant_and_clashes_are_refused() {
    let code = sip_responses_codegen::generate_spec(&Spec::iana(), &Options::default())
        .unwrap()
        .to_string();
    for r in &Spec::iana().responses {
        let name = sip_responses_codegen::names::http_const(&r.ident).unwrap();
        assert!(
            code.contains(&format!(" {name} {} {} ;", r.ident, r.code)),
            "{name}"
        );
    }
    let err = Spec::parse(
        "t.toml",
        "[spec]\nname = \"t\"\n[[response]]\ncode = 200\nreason = \"OK\"\nreference = \"R\"\ndescription = \"D\"\nident = \"StatusLine\"\n",
    )
    .unwrap_err();
    let lines: Vec<String> = err.diagnostics().iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        ["t.toml:3:1: code 200 gives the http-style constant `STATUS_LINE`, the name of an item generated on the enum (set `ident = \"...\"` in the [[response]] of 200 to name it apart)"]
    );
}
