//! The response layer of proxies (RFC 3261 16.7) and gateways (RFC 3398 Q.850 causes).

use sip_responses::proxy::{Action, Best, ResponseContext};
use sip_responses::q850::{cause_text, Reason};
use sip_responses::{CodeError, StatusCode};

/// Issue 15's proxy program, as written.
#[test]
fn best_response_program() {
    let mut cx = ResponseContext::new();
    assert_eq!(cx.offer(100), Ok(Action::Absorb)); // 100 is hop-by-hop
    assert_eq!(cx.offer(183), Ok(Action::Forward)); // other provisionals go upstream at once
    assert_eq!(cx.offer(155), Ok(Action::Forward)); // so does an unknown 1xx
    assert_eq!(cx.offer(486), Ok(Action::Store));
    assert_eq!(cx.offer(407), Ok(Action::Store));
    assert_eq!(cx.offer(503), Ok(Action::Store));
    assert_eq!(cx.offer(700), Err(CodeError::OutOfRange(700)));
    assert_eq!(
        cx.best(),
        Best::Forward {
            index: 4,
            code: 407
        }
    );
    assert_eq!(cx.best().code(), 407);
    assert_eq!(cx.challenges().collect::<Vec<_>>(), vec![4]);
}

#[test]
fn a_6xx_cancels_the_others_and_wins() {
    let mut cx = ResponseContext::new();
    assert_eq!(cx.offer(302), Ok(Action::Store));
    assert_eq!(cx.offer(603), Ok(Action::CancelOthers));
    assert_eq!(cx.offer(486), Ok(Action::Store));
    assert_eq!(
        cx.best(),
        Best::Forward {
            index: 1,
            code: 603
        }
    );
}

#[test]
fn the_lowest_class_wins() {
    let mut cx = ResponseContext::new();
    for code in [503, 486, 302] {
        assert_eq!(cx.offer(code), Ok(Action::Store));
    }
    assert_eq!(
        cx.best(),
        Best::Forward {
            index: 2,
            code: 302
        }
    );
    let mut cx = ResponseContext::new();
    cx.offer(503).unwrap();
    cx.offer(486).unwrap();
    assert_eq!(
        cx.best(),
        Best::Forward {
            index: 1,
            code: 486
        }
    );
}

#[test]
fn a_lone_503_becomes_a_generated_500() {
    let mut cx = ResponseContext::new();
    cx.offer(503).unwrap();
    assert_eq!(cx.best(), Best::Generate(StatusCode::ServerInternalError));
    // Another 5xx is forwarded in preference to the 503.
    cx.offer(504).unwrap();
    assert_eq!(
        cx.best(),
        Best::Forward {
            index: 1,
            code: 504
        }
    );
}

#[test]
fn no_final_response_gives_408() {
    let mut cx = ResponseContext::new();
    assert_eq!(cx.best(), Best::Generate(StatusCode::RequestTimeout));
    cx.offer(180).unwrap();
    assert_eq!(cx.best(), Best::Generate(StatusCode::RequestTimeout));
    assert_eq!(cx.best().code(), 408);
}

#[test]
fn every_2xx_is_forwarded_and_later_finals_absorbed() {
    let mut cx = ResponseContext::new();
    assert_eq!(cx.offer(486), Ok(Action::Store));
    assert_eq!(cx.offer(200), Ok(Action::Forward));
    assert_eq!(cx.offer(202), Ok(Action::Forward));
    assert_eq!(cx.offer(480), Ok(Action::Absorb));
    assert_eq!(cx.offer(600), Ok(Action::Absorb));
    assert_eq!(cx.best(), Best::Done);
}

#[test]
fn resubmission_codes_come_first_within_4xx() {
    for code in [401, 407, 415, 420, 484] {
        let mut cx = ResponseContext::new();
        cx.offer(404).unwrap();
        cx.offer(code).unwrap();
        cx.offer(486).unwrap();
        assert_eq!(cx.best(), Best::Forward { index: 1, code }, "{code}");
        assert!(StatusCode::from_u16(code)
            .unwrap()
            .is_affects_resubmission());
    }
    // Among equals, the first stored wins.
    let mut cx = ResponseContext::new();
    cx.offer(404).unwrap();
    cx.offer(486).unwrap();
    assert_eq!(
        cx.best(),
        Best::Forward {
            index: 0,
            code: 404
        }
    );
}

#[test]
fn challenges_collect_every_401_and_407() {
    let mut cx = ResponseContext::new();
    for code in [401, 486, 407, 401] {
        cx.offer(code).unwrap();
    }
    assert_eq!(cx.challenges().collect::<Vec<_>>(), vec![0, 2, 3]);
}

/// Issue 15's gateway program, as written.
#[test]
fn q850_program() {
    assert_eq!(StatusCode::BusyHere.q850_cause(), Some(17));
    assert_eq!(StatusCode::TemporarilyUnavailable.q850_cause(), Some(18));
    assert_eq!(StatusCode::from_q850(17), Some(StatusCode::BusyHere));
    assert_eq!(StatusCode::from_q850(16), None); // normal clearing is a BYE, not a response
}

/// RFC 3398 Section 8.2.6.1: SIP response received -> cause value in the REL; every row.
const SIP_TO_Q850: &[(u16, u8)] = &[
    (400, 41),
    (401, 21),
    (402, 21),
    (403, 21),
    (404, 1),
    (405, 63),
    (406, 79),
    (407, 21),
    (408, 102),
    (410, 22),
    (413, 127),
    (414, 127),
    (415, 79),
    (416, 127),
    (420, 127),
    (421, 127),
    (423, 127),
    (480, 18),
    (481, 41),
    (482, 25),
    (483, 25),
    (484, 28),
    (485, 1),
    (486, 17),
    (500, 41),
    (501, 79),
    (502, 38),
    (503, 41),
    (504, 102),
    (505, 127),
    (513, 127),
    (600, 17),
    (603, 21),
    (604, 1),
];

/// RFC 3398 Section 7.2.4.1: ISUP cause value -> SIP response; every row.
const Q850_TO_SIP: &[(u8, Option<u16>)] = &[
    (1, Some(404)),
    (2, Some(404)),
    (3, Some(404)),
    (16, None),
    (17, Some(486)),
    (18, Some(408)),
    (19, Some(480)),
    (20, Some(480)),
    (21, Some(403)),
    (22, Some(410)),
    (23, Some(410)),
    (26, Some(404)),
    (27, Some(502)),
    (28, Some(484)),
    (29, Some(501)),
    (31, Some(480)),
    (34, Some(503)),
    (38, Some(503)),
    (41, Some(503)),
    (42, Some(503)),
    (47, Some(503)),
    (55, Some(403)),
    (57, Some(403)),
    (58, Some(503)),
    (65, Some(488)),
    (70, Some(488)),
    (79, Some(501)),
    (87, Some(403)),
    (88, Some(503)),
    (102, Some(504)),
    (111, Some(500)),
    (127, Some(500)),
];

#[test]
fn every_rfc3398_sip_to_cause_row() {
    for &(code, cause) in SIP_TO_Q850 {
        let status = StatusCode::from_u16(code).unwrap();
        assert_eq!(status.q850_cause(), Some(cause), "{code}");
    }
    // Codes the table leaves out have no cause (487 and 488 and 606 are named there as
    // "no mapping" or "by Warning header").
    for &status in StatusCode::ALL {
        if !SIP_TO_Q850.iter().any(|(c, _)| *c == status.code()) {
            assert_eq!(status.q850_cause(), None, "{status}");
        }
    }
}

#[test]
fn every_rfc3398_cause_to_sip_row_and_the_default() {
    for &(cause, code) in Q850_TO_SIP {
        assert_eq!(
            StatusCode::from_q850(cause).map(StatusCode::code),
            code,
            "cause {cause}"
        );
    }
    // Vendors differ from the RFC here: cause 102 is 504 in RFC 3398, not 408.
    assert_eq!(StatusCode::from_q850(102), Some(StatusCode::ServerTimeOut));
    // A cause the table does not list gets the default, 500.
    for cause in (0..=127u8).filter(|c| !Q850_TO_SIP.iter().any(|(q, _)| q == c)) {
        assert_eq!(
            StatusCode::from_q850(cause),
            Some(StatusCode::ServerInternalError),
            "cause {cause}"
        );
    }
}

/// Every cause value 0..=127 against the transcription of Q.850's table kept with the tests
/// (`tests/data/q850-causes.tsv`): exactly the listed causes have a name, each the listed one.
#[test]
fn q850_names_match_the_transcription() {
    let table = include_str!("../data/q850-causes.tsv");
    let listed: Vec<(u8, &str)> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (cause, name) = l.split_once('\t').unwrap();
            (cause.parse().unwrap(), name)
        })
        .collect();
    assert_eq!(listed.len(), 69);
    for cause in 0..=u8::MAX {
        let want = listed.iter().find(|(c, _)| *c == cause).map(|(_, n)| *n);
        assert_eq!(cause_text(cause), want, "cause {cause}");
    }
}

#[test]
fn reason_header_fields() {
    assert_eq!(
        Reason::q850(17).unwrap().header().to_string(),
        "Reason: Q.850;cause=17;text=\"User busy\""
    );
    assert_eq!(
        Reason::sip(StatusCode::BusyHere).to_string(),
        "SIP;cause=486;text=\"Busy Here\""
    );
    assert_eq!(Reason::q850(24), None);
    for &(_, cause) in SIP_TO_Q850 {
        assert!(cause_text(cause).is_some(), "{cause}");
    }
    for &(cause, _) in Q850_TO_SIP {
        assert!(cause_text(cause).is_some(), "{cause}");
    }
}

/// A spec that extends the registry changes both jobs through data, not code.
#[test]
fn a_vendor_spec_changes_the_behaviour_through_data() {
    use sip_responses_tests::gateway_vendor::VendorStatus;
    assert_eq!(
        VendorStatus::from_q850(102),
        Some(VendorStatus::RequestTimeout)
    );
    assert_eq!(VendorStatus::from_q850(17), Some(VendorStatus::BusyHere)); // inherited
    assert_eq!(
        VendorStatus::from_q850(24),
        Some(VendorStatus::TemporarilyUnavailable)
    );
    assert_eq!(VendorStatus::BadRequest.q850_cause(), Some(31));
    let mut cx = ResponseContext::<VendorStatus>::for_set().unwrap();
    cx.offer(404).unwrap();
    cx.offer(486).unwrap();
    assert_eq!(
        cx.best(),
        Best::Forward {
            index: 1,
            code: 486
        }
    );
    assert_eq!(
        ResponseContext::<VendorStatus>::for_set().unwrap().best(),
        Best::Generate(VendorStatus::RequestTimeout)
    );
}

/// RFC 3326's grammar: what parses, what it parses to, and a typed error with its byte for
/// each way a value can be wrong; what `Display` writes parses back to the same value.
#[test]
fn reason_values_parse() {
    use sip_responses::q850::{ReasonError, ReasonErrorKind as K};
    fn ok(v: &str) -> Reason<'_> {
        Reason::parse(v).unwrap()
    }
    assert_eq!(
        ok("SIP;cause=200;text=\"Call completed elsewhere\""),
        Reason::Sip {
            cause: 200,
            text: Some("Call completed elsewhere")
        }
    );
    assert_eq!(
        ok("q.850;CAUSE=16"),
        Reason::Q850 {
            cause: 16,
            text: None
        }
    );
    assert_eq!(
        ok(" Q.850 ;\tcause = 31 ; text = \"say \\\"hi\\\"\" ; x-ext=1;flag"),
        Reason::Q850 {
            cause: 31,
            text: Some("say \\\"hi\\\"")
        }
    );
    assert_eq!(
        ok("preemption;cause=1;text=\"UA Preemption\""),
        Reason::Other {
            protocol: "preemption",
            cause: Some(1),
            text: Some("UA Preemption")
        }
    );
    let err = |v: &str| -> (K, usize) {
        let e: ReasonError = Reason::parse(v).unwrap_err();
        assert!(!e.to_string().is_empty());
        (e.kind(), e.at())
    };
    assert_eq!(err(""), (K::NotAToken, 0));
    assert_eq!(err("SIP cause=1"), (K::ExpectedSemicolon, 4));
    assert_eq!(err("SIP;cause="), (K::CauseNotDigits, 10));
    assert_eq!(err("SIP;cause=4x6"), (K::ExpectedSemicolon, 11));
    assert_eq!(err("SIP;cause=99"), (K::CauseOutOfRange, 10));
    assert_eq!(err("SIP;cause=99999999999"), (K::CauseOutOfRange, 10));
    assert_eq!(err("Q.850;cause=128"), (K::CauseOutOfRange, 12));
    assert_eq!(err("Q.850;text=\"x\""), (K::MissingCause, 0));
    assert_eq!(err("SIP;cause=486;text=Busy"), (K::TextNotQuoted, 19));
    assert_eq!(err("SIP;cause=486;text=\"Busy"), (K::UnterminatedText, 19));
    assert_eq!(err("SIP;cause=486;cause=487"), (K::Duplicate("cause"), 14));
    assert_eq!(err("SIP;;cause=486"), (K::NotAToken, 4));
    for &code in StatusCode::ALL {
        let reason = Reason::sip(code);
        assert_eq!(Reason::parse(&reason.to_string()), Ok(reason), "{code}");
    }
    for cause in 0..=127 {
        if let Some(reason) = Reason::q850(cause) {
            assert_eq!(Reason::parse(&reason.to_string()), Ok(reason), "{cause}");
        }
    }
    // Several values in one field; a comma inside the quotes does not separate them.
    let list: Vec<_> = Reason::parse_list(
        "SIP;cause=580;text=\"Precondition, failed\", Q.850;cause=47, SIP;cause=x",
    )
    .collect();
    assert_eq!(
        list[..2],
        [
            Ok(Reason::Sip {
                cause: 580,
                text: Some("Precondition, failed")
            }),
            Ok(Reason::Q850 {
                cause: 47,
                text: None
            }),
        ]
    );
    assert_eq!(list[2].unwrap_err().kind(), K::CauseNotDigits);
    assert_eq!(list[2].unwrap_err().at(), 69); // the `x`, counted in the whole value
    assert_eq!(list.len(), 3);
}
