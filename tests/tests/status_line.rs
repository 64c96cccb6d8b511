//! Status lines from the wire: RFC 4475 torture cases that concern the status line, and the
//! rejections RFC 3261 Section 25's grammar implies.

use sip_responses::{CodeError, ParseErrorKind, RawCode, StatusCode, StatusLine};

fn rejects(input: &[u8]) -> (ParseErrorKind, usize) {
    let e = StatusLine::parse(input).expect_err("must be rejected");
    (e.kind(), e.at())
}

/// RFC 4475 `scode01` (Response with Overlarge Status Code): the receiver must reject it as
/// malformed, without overflow or wrap-around.
#[test]
fn rfc4475_overlarge_status_code() {
    let msg = b"SIP/2.0 4294967301 better not break the receiver\r\n\
Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe\r\n\
Call-ID: bzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\r\n\
CSeq: 1 INVITE\r\n\
From: <sip:sender@example.com>;tag=39ansfi3\r\n\
To: <sip:receiver@example.com>;tag=902jndnke3\r\n\
Content-Length: 0\r\n\
Contact: <sip:sender@host5.example.net>\r\n\r\n";
    assert_eq!(rejects(msg), (ParseErrorKind::NotThreeDigits, 11));
}

/// RFC 4475 `unreason` (Unusual Reason Phrase): any UTF-8 is a valid reason phrase.
#[test]
fn rfc4475_unusual_reason_phrase() {
    let msg = "SIP/2.0 200 = 2**3 * 5**2 \u{43d}\u{43e} \u{441}\u{442}\u{43e} \u{434}\u{435}\u{432}\u{44f}\u{43d}\u{43e}\u{441}\u{442}\u{43e} \u{434}\u{435}\u{432}\u{44f}\u{442}\u{44c} - \u{43f}\u{440}\u{43e}\u{441}\u{442}\u{43e}\u{435}\r\nVia: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923\r\n\r\n";
    let line = StatusLine::parse(msg.as_bytes()).unwrap();
    assert_eq!(line.code().get(), 200);
    assert!(line.reason().starts_with("= 2**3 * 5**2 "));
    assert!(line
        .reason()
        .ends_with("\u{43f}\u{440}\u{43e}\u{441}\u{442}\u{43e}\u{435}"));
    assert_eq!(line.code().known::<StatusCode>(), Some(StatusCode::Ok));
}

/// RFC 4475 `noreason` (Empty Reason Phrase): `SIP/2.0 100 ` then CRLF is valid.
#[test]
fn rfc4475_empty_reason_phrase() {
    let msg = b"SIP/2.0 100 \r\nVia: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe\r\n\r\n";
    let line = StatusLine::parse(msg).unwrap();
    assert_eq!(
        (line.code().get(), line.reason(), line.end()),
        (100, "", 14)
    );
    assert_eq!(line.code().known::<StatusCode>(), Some(StatusCode::Trying));
}

/// RFC 4475 `scalar02` (Response Scalar Fields with Overlarge Values): the trouble is in the
/// header fields; the status line itself parses.
#[test]
fn rfc4475_overlarge_scalars_leave_the_status_line_valid() {
    let msg = b"SIP/2.0 503 Service Unavailable\r\nRetry-After: 949302838503028349304023988\r\nCSeq: 1 INVITE\r\n\r\n";
    let line = StatusLine::parse(msg).unwrap();
    assert_eq!(
        line.code().known::<StatusCode>(),
        Some(StatusCode::ServiceUnavailable)
    );
}

#[test]
fn extension_codes_keep_their_wire_value() {
    let line = StatusLine::parse(b"SIP/2.0 155 Vendor Thing\r\n").unwrap();
    assert_eq!(line.code(), RawCode::new(155).unwrap());
    assert_eq!(line.code().known::<StatusCode>(), None);
    assert_eq!(
        line.code().interpret::<StatusCode>(),
        Ok(StatusCode::SessionProgress)
    );
    let line = StatusLine::parse(b"SIP/2.0 499 Whatever\r\n").unwrap();
    assert_eq!(
        line.code().interpret::<StatusCode>(),
        Ok(StatusCode::BadRequest)
    );
    assert_eq!(
        line.code().interpret::<sip_responses::Provisional>(),
        Err(CodeError::NoFallback(499))
    );
    assert_eq!(line.reason(), "Whatever");
    assert_eq!(
        StatusLine::parse(b"sip/2.0 180 Ringing\r\n")
            .unwrap()
            .code()
            .get(),
        180
    );
    assert_eq!(
        StatusLine::parse(b"SIP/2.0 180 Tab\there\r\n")
            .unwrap()
            .reason(),
        "Tab\there"
    );
}

#[test]
fn rejections_say_why_and_where() {
    assert_eq!(rejects(b""), (ParseErrorKind::Empty, 0));
    assert_eq!(
        rejects(b"SIP/3.0 180 Ringing\r\n"),
        (ParseErrorKind::BadVersion, 4)
    );
    assert_eq!(
        rejects(b"HTTP/1.1 200 OK\r\n"),
        (ParseErrorKind::BadVersion, 0)
    );
    assert_eq!(
        rejects(b"SIP/2.01 180 Ringing\r\n"),
        (ParseErrorKind::BadVersion, 7)
    );
    assert_eq!(rejects(b"180 Ringing\r\n"), (ParseErrorKind::BadVersion, 0));
    assert_eq!(
        rejects(b"SIP/2.0180 Ringing\r\n"),
        (ParseErrorKind::BadVersion, 7)
    );
    assert_eq!(
        rejects(b"SIP/2.0  180 Ringing\r\n"),
        (ParseErrorKind::NotThreeDigits, 8)
    );
    assert_eq!(
        rejects(b"SIP/2.0 18 Ringing\r\n"),
        (ParseErrorKind::NotThreeDigits, 10)
    );
    assert_eq!(
        rejects(b"SIP/2.0 1800 Ringing\r\n"),
        (ParseErrorKind::NotThreeDigits, 11)
    );
    assert_eq!(
        rejects(b"SIP/2.0 799 Nope\r\n"),
        (ParseErrorKind::OutOfRange(799), 8)
    );
    assert_eq!(
        rejects(b"SIP/2.0 099 Nope\r\n"),
        (ParseErrorKind::OutOfRange(99), 8)
    );
    assert_eq!(
        rejects(b"SIP/2.0 0486 Busy Here\r\n"),
        (ParseErrorKind::NotThreeDigits, 11)
    );
    assert_eq!(
        rejects(b"SIP/2.0 180Ringing\r\n"),
        (ParseErrorKind::MissingSpace, 11)
    );
    assert_eq!(
        rejects(b"SIP/2.0 180\r\n"),
        (ParseErrorKind::MissingSpace, 11)
    );
    assert_eq!(
        rejects(b"SIP/2.0 180 Ring\x00ing\r\n"),
        (ParseErrorKind::ControlCharacter, 16)
    );
    assert_eq!(
        rejects(b"SIP/2.0 180 Ring\x7fing\r\n"),
        (ParseErrorKind::ControlCharacter, 16)
    );
    assert_eq!(
        rejects(b"SIP/2.0 180 Ringing"),
        (ParseErrorKind::MissingLineEnd, 19)
    );
    assert_eq!(
        rejects(b"SIP/2.0 180 Ringing\n"),
        (ParseErrorKind::MissingLineEnd, 19)
    );
    assert_eq!(
        rejects(b"SIP/2.0 180 Ringing\rX"),
        (ParseErrorKind::MissingLineEnd, 19)
    );
    assert_eq!(
        rejects(b"SIP/2.0 180 \xc3\x28\r\n"),
        (ParseErrorKind::InvalidUtf8, 12)
    );
    let message = StatusLine::parse(b"SIP/2.0 180 Ringing")
        .unwrap_err()
        .to_string();
    assert_eq!(message, "expected CRLF at byte 19");
}

/// The public helpers take any offset: near `usize::MAX` they return errors, never panic.
#[test]
fn helpers_take_any_offset() {
    use sip_responses::parse::{code_at, reason_phrase};
    for at in [usize::MAX, usize::MAX - 1, usize::MAX - 2, 4, 3] {
        assert!(code_at(b"486", at).is_err(), "{at}");
    }
    assert_eq!(code_at(b"x486", 1).ok(), Some(486));
    let e = reason_phrase(b"a\x01", usize::MAX).unwrap_err();
    assert_eq!(e.at(), usize::MAX);
    let e = reason_phrase(b"a\xff", usize::MAX - 1).unwrap_err();
    assert_eq!(e.at(), usize::MAX);
    assert_eq!(
        reason_phrase(b"Busy Here", usize::MAX).ok(),
        Some("Busy Here")
    );
}

/// What `StatusLine::parse` must give as the reason of `SIP/2.0 NNN <reason>` CRLF, written
/// the plain way: the reason runs to the first control byte other than HTAB, must end in CRLF, and is
/// the reason only if it is UTF-8 (checked with `from_utf8`, byte by byte).
fn reference(reason: &[u8]) -> Option<String> {
    let end = reason
        .iter()
        .position(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
        .unwrap_or(reason.len());
    if end != reason.len() {
        return None; // a control byte inside: the line is refused
    }
    std::str::from_utf8(reason).ok().map(str::to_owned)
}

/// The parser reads a reason as `&str` without a second UTF-8 pass when its scan saw only
/// ASCII (the crate's one `unsafe`, in `parse::reason_str`). Held against `from_utf8` for
/// every registered code with its reason, and for reasons of every length 0..=24 with a
/// non-ASCII, invalid or control byte at every position (the scan's word path and its
/// byte-at-a-time path both), before a CRLF and the rest of a message.
#[test]
fn reasons_agree_with_from_utf8_at_every_position() {
    let mut checked = 0;
    let mut check = |code: u16, reason: &[u8]| {
        let mut wire = format!("SIP/2.0 {code} ").into_bytes();
        wire.extend_from_slice(reason);
        wire.extend_from_slice(b"\r\nVia: SIP/2.0/UDP h\r\n\r\n");
        let got = StatusLine::parse(&wire).ok().map(|l| l.reason().to_owned());
        assert_eq!(got, reference(reason), "{code} {reason:?}");
        checked += 1;
    };
    for code in StatusCode::ALL {
        check(code.code(), code.reason().as_bytes());
    }
    let odd: [&[u8]; 7] = [
        b"\x80",
        b"\xff",
        b"\xc3\xa9",
        b"\xe2\x82",
        b"\xc3",
        b"\x00",
        b"\x7f",
    ];
    for len in 0..=24 {
        for at in 0..=len {
            for bytes in odd {
                let mut reason = vec![b'a'; len];
                reason.splice(at..at, bytes.iter().copied());
                check(486, &reason);
            }
        }
    }
    assert!(checked > 2_000, "{checked}");
}

/// A relay forwards a code its set does not know, and an odd-but-readable status line, with
/// the code and the reason unchanged, through typed values.
#[test]
fn a_relay_forwards_unknown_codes_and_odd_lines_unchanged() {
    use sip_responses::{Code, LenientStatusLine, RawCode, Status};

    // An unknown code: a typed value that keeps the number and the reason.
    let line = StatusLine::parse(b"SIP/2.0 499 Custom Reason\r\nVia: x\r\n").unwrap();
    let relayed: Status<'_, Code<StatusCode>> = line.relay::<StatusCode>();
    assert_eq!(relayed.code(), Code::Unknown(RawCode::new(499).unwrap()));
    assert_eq!(relayed.reason(), "Custom Reason");
    assert!(!relayed.is_registered_reason());
    let mut out = String::new();
    relayed.write_status_line(&mut out).unwrap();
    assert_eq!(out, "SIP/2.0 499 Custom Reason\r\n");
    assert_eq!(relayed.to_string(), "499 Custom Reason");
    // A known code through the same path keeps the received reason, and the registered
    // line is written in one piece when the reason is the registered one.
    let known = StatusLine::parse(b"SIP/2.0 486 Busy Here\r\n")
        .unwrap()
        .relay::<StatusCode>();
    assert_eq!(known.code(), Code::Known(StatusCode::BusyHere));
    assert!(known.is_registered_reason());
    out.clear();
    known.write_status_line(&mut out).unwrap();
    assert_eq!(out, StatusCode::BusyHere.status_line());
    // The code type on its own: every u16, parsed and converted.
    for code in 0..=u16::MAX {
        let typed = Code::<StatusCode>::from_u16(code);
        assert_eq!(typed.is_some(), (100..=699).contains(&code), "{code}");
        if let Some(typed) = typed {
            assert_eq!(typed.get(), code);
            assert_eq!(typed.raw().digits(), format!("{code} "));
            assert_eq!(typed.known().copied(), StatusCode::from_u16(code));
            assert_eq!(format!("{code}").parse::<Code<StatusCode>>(), Ok(typed));
            assert_eq!(Code::<StatusCode>::try_from(code), Ok(typed));
            assert_eq!(RawCode::try_from(code).map(u16::from), Ok(code));
            assert_eq!(
                format!("{code}").parse::<RawCode>().map(RawCode::get),
                Ok(code)
            );
            assert_eq!(typed.class(), typed.raw().class());
            match typed {
                Code::Known(c) => assert_eq!(typed.reason(), c.reason()),
                Code::Unknown(raw) => assert_eq!(typed.reason(), raw.class().name()),
            }
        } else {
            assert_eq!(
                Code::<StatusCode>::try_from(code),
                Err(sip_responses::CodeError::OutOfRange(code))
            );
        }
    }
    assert_eq!(RawCode::from(StatusCode::Ringing).get(), 180);
    assert_eq!(Code::from(StatusCode::Ringing).to_string(), "180 Ringing");
    assert_eq!(
        "499 Vendor"
            .parse::<Code<StatusCode>>()
            .unwrap()
            .to_string(),
        "499"
    );

    // Odd peers: the strict parser refuses, the lenient one reads the code, keeps the raw
    // reason and the line's bytes, and says what it relaxed.
    for (wire, code, reason, what) in [
        (
            &b"SIP/2.0 486 Occup\xe9\r\nVia: x\r\n"[..],
            486,
            &b"Occup\xe9"[..],
            "not_utf8",
        ),
        (b"SIP/2.0 200\r\nVia: x\r\n", 200, b"", "missing_space"),
        (
            b"SIP/2.0 180 Ring\x01ing\r\n",
            180,
            b"Ring\x01ing",
            "control_character",
        ),
    ] {
        assert!(StatusLine::parse(wire).is_err());
        let line = LenientStatusLine::parse(wire).unwrap();
        assert_eq!((line.code().get(), line.reason_bytes()), (code, reason));
        let relaxed = line.relaxed();
        let flags = [
            ("not_utf8", relaxed.not_utf8),
            ("missing_space", relaxed.missing_space),
            ("control_character", relaxed.control_character),
        ];
        for (name, set) in flags {
            assert_eq!(set, name == what, "{wire:?}: {name}");
        }
        assert_eq!(line.as_bytes(), &wire[..line.end()]);
        assert!(line.as_bytes().ends_with(b"\r\n"));
    }
    // What is wrong outside the reason is refused as strictly, with the strict error.
    for wire in [
        &b"SIP/2.0 0486 x\r\n"[..],
        b"SIP/2.0 4860 x\r\n",
        b"SIP/2.1 200 OK\r\n",
        b"SIP/2.0 799 Nope\r\n",
        b"SIP/2.0 200 OK",
        b"SIP/2.0 200 O\x00K\r\n",
        b"SIP/2.0 200 OK\n",
        b"SIP/2.0 200x\r\n",
    ] {
        assert!(LenientStatusLine::parse(wire).is_err(), "{wire:?}");
    }
    assert_eq!(
        LenientStatusLine::parse(b"SIP/2.0 0486 x\r\n")
            .unwrap_err()
            .kind(),
        ParseErrorKind::NotThreeDigits
    );
}
