//! Responses with their own reason phrase (RFC 3261 21.1.4), ready-made status lines, and the
//! one Reason-Phrase rule shared by the runtime and the spec checker.

use sip_responses::{check_reason_phrase, Status, StatusCode, StatusLine};
use sip_responses_codegen::rfc;

/// Issue 14's program, as written.
#[test]
fn custom_reasons_and_status_lines() {
    const RINGING: &str = StatusCode::Ringing.status_line(); // a const fn
    assert_eq!(RINGING, "SIP/2.0 180 Ringing\r\n");
    let q = Status::with_reason(
        StatusCode::Queued,
        "5 calls queued; expected waiting time is 15 minutes",
    )
    .unwrap();
    assert_eq!(q.code(), StatusCode::Queued);
    assert!(!q.is_registered_reason());
    assert_eq!(
        q.to_string(),
        "182 5 calls queued; expected waiting time is 15 minutes"
    );
    let mut line = String::new();
    q.write_status_line(&mut line).unwrap(); // any core::fmt::Write
    assert_eq!(
        line,
        "SIP/2.0 182 5 calls queued; expected waiting time is 15 minutes\r\n"
    );
    let r = Status::from(StatusCode::Ringing);
    assert!(r.is_registered_reason());
    assert_eq!(r.reason(), "Ringing");
    assert!(Status::with_reason(StatusCode::Ringing, "Ça sonne").is_ok());
    assert!(Status::with_reason(StatusCode::Queued, "x\r\nVia: SIP/2.0/UDP evil").is_err());
    assert!(Status::with_reason(StatusCode::Queued, "50% done").is_err());
    let wire = StatusLine::parse(b"SIP/2.0 182 2 calls ahead of you\r\n").unwrap();
    let s = wire.status::<StatusCode>().unwrap();
    assert_eq!(s.to_string(), "182 2 calls ahead of you");
}

#[test]
fn errors_say_which_character_and_where() {
    let e = Status::with_reason(StatusCode::Queued, "x\r\nVia: evil").unwrap_err();
    assert_eq!((e.found(), e.at()), ('\r', 1));
    assert!(e.to_string().contains("'\\r' at byte 1"), "{e}");
    let e = Status::with_reason(StatusCode::Queued, "50% done").unwrap_err();
    assert_eq!((e.found(), e.at()), ('%', 2));
    assert!(e.to_string().contains("`%` without two hex digits"), "{e}");
    let e = Status::with_reason(StatusCode::Queued, "a <b>").unwrap_err();
    assert_eq!((e.found(), e.at()), ('<', 2));
    assert!(Status::with_reason(StatusCode::Queued, "100%25 done\tnow").is_ok());
    assert!(Status::with_reason(StatusCode::Queued, "").is_ok());
}

#[test]
fn every_code_has_its_status_line_and_registered_status() {
    for &code in StatusCode::ALL {
        let line = code.status_line();
        assert_eq!(line, format!("SIP/2.0 {code}\r\n"));
        let parsed = StatusLine::parse(line.as_bytes()).unwrap();
        assert_eq!(parsed.status::<StatusCode>().unwrap(), Status::from(code));
        let mut written = String::new();
        Status::from(code).write_status_line(&mut written).unwrap();
        assert_eq!(written, line);
    }
    let unknown = StatusLine::parse(b"SIP/2.0 499 Nope\r\n").unwrap();
    assert_eq!(
        unknown.status::<StatusCode>(),
        Err(sip_responses::CodeError::Unknown(499))
    );
}

/// The runtime's check and the spec checker's give the same answer for every ASCII
/// character and escape; the checker refuses more only where a registered phrase needs it
/// (empty, surrounding whitespace, C1 and bidirectional controls).
#[test]
fn runtime_and_spec_checker_agree() {
    let mut samples: Vec<String> = (0u8..=0x7f).map(|b| format!("a{}b", b as char)).collect();
    samples.extend(
        [
            "100%25",
            "%2",
            "%zz",
            "a%",
            "%%41",
            "Ça",
            "日本",
            "a\tb",
            "5 calls; 15 minutes",
        ]
        .map(String::from),
    );
    for s in samples {
        assert_eq!(
            check_reason_phrase(&s).is_ok(),
            rfc::reason_phrase_error(&s).is_none(),
            "{s:?}"
        );
    }
    for extra in ["", " a", "a\u{85}b", "a\u{202E}b"] {
        assert!(rfc::reason_phrase_error(extra).is_some(), "{extra:?}");
    }
}

/// `check_reason_phrase` (eight bytes a step, then byte by byte from the first flagged chunk)
/// against a byte-at-a-time statement of the rule: every ASCII byte, a two-byte character, and
/// `%` escapes whole or cut short, at every position of phrases of 0 to 24 bytes, so each lands
/// at every place in a chunk and in the tail.
#[test]
fn reason_check_agrees_with_the_rule_at_every_position() {
    fn rule(s: &str) -> Result<(), (char, usize)> {
        let b = s.as_bytes();
        for (i, &c) in b.iter().enumerate() {
            let escape = c == b'%'
                && i + 2 < b.len()
                && b[i + 1].is_ascii_hexdigit()
                && b[i + 2].is_ascii_hexdigit();
            let refused = (c < 0x20 && c != b'\t')
                || c == 0x7f
                || b"\"<>[]{}|\\^`#".contains(&c)
                || (c == b'%' && !escape);
            if refused {
                return Err((c as char, i));
            }
        }
        Ok(())
    }
    let mut inserts: Vec<String> = (0u8..=0x7f).map(|b| (b as char).to_string()).collect();
    inserts.extend(["é", "%41", "%4", "%", "%%41", "%4g"].map(String::from));
    let mut checked = 0;
    for len in 0..=24 {
        for at in 0..=len {
            for insert in &inserts {
                let mut s = "a".repeat(at);
                s.push_str(insert);
                s.push_str(&"b".repeat(len - at));
                let got = check_reason_phrase(&s).map_err(|e| (e.found(), e.at()));
                assert_eq!(got, rule(&s), "{s:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 40_000, "{checked}");
}
