//! The response layer of proxies (RFC 3261 16.7) and gateways (RFC 3398 Q.850 causes).

use sip_responses::proxy::{Action, Best, Branch, ProxyError, ResponseContext, MAX_BRANCHES};
use sip_responses::q850::{cause_text, Reason};
use sip_responses::{Code, CodeError, StatusCode};

/// Offers one final `code` on a new branch each; returns the branches.
fn finals(cx: &mut ResponseContext, codes: &[u16]) -> Vec<Branch> {
    codes
        .iter()
        .map(|&code| {
            let b = cx.branch().unwrap();
            cx.offer(b, code).unwrap();
            b
        })
        .collect()
}

fn forward(branch: Branch, code: StatusCode) -> Best<StatusCode> {
    Best::Forward {
        branch,
        code: Code::Known(code),
    }
}

/// Issue 15's proxy program, on branches.
#[test]
fn best_response_program() {
    let mut cx = ResponseContext::new();
    let b: Vec<Branch> = (0..4).map(|_| cx.branch().unwrap()).collect();
    assert_eq!(cx.offer(b[0], 100), Ok(Action::Absorb)); // 100 is hop-by-hop
    assert_eq!(cx.offer(b[0], 183), Ok(Action::Forward)); // other provisionals go upstream
    assert_eq!(cx.offer(b[1], 155), Ok(Action::Forward)); // so does an unknown 1xx
    assert_eq!(cx.offer(b[0], 486), Ok(Action::Store));
    assert_eq!(cx.offer(b[1], 407), Ok(Action::Store));
    assert_eq!(cx.offer(b[2], 700), Err(ProxyError::OutOfRange(700)));
    assert!(!cx.is_complete());
    assert_eq!(cx.pending().collect::<Vec<_>>(), [b[2], b[3]]);
    assert_eq!(cx.transport_error(b[2]), Ok(Action::Store)); // 16.9: a 503
    assert_eq!(cx.timer_c(b[3]), Ok(Action::Store)); // 16.8: no provisional, a 408
    assert!(cx.is_complete());
    assert_eq!(
        cx.best(),
        forward(b[1], StatusCode::ProxyAuthenticationRequired)
    );
    assert_eq!(cx.best().code(), Some(407));
    assert_eq!(cx.challenges().collect::<Vec<_>>(), [b[1]]);
}

#[test]
fn a_6xx_cancels_the_others_and_wins_when_they_end() {
    let mut cx = ResponseContext::new();
    let b: Vec<Branch> = (0..3).map(|_| cx.branch().unwrap()).collect();
    assert_eq!(cx.offer(b[1], 180), Ok(Action::Forward));
    assert_eq!(cx.offer(b[0], 603), Ok(Action::CancelOthers));
    // 9.1: only a branch with a provisional response can be cancelled now.
    assert_eq!(cx.poll_cancel(), Some(b[1]));
    assert_eq!(cx.poll_cancel(), None);
    assert_eq!(cx.offer(b[2], 183), Ok(Action::Forward));
    assert_eq!(
        cx.poll_cancel(),
        Some(b[2]),
        "cancelled once its provisional arrived"
    );
    assert_eq!(cx.branch(), Err(ProxyError::NoNewBranches));
    assert!(
        !cx.is_complete(),
        "16.7 step 5: the 6xx waits for the cancelled branches"
    );
    assert_eq!(cx.offer(b[1], 487), Ok(Action::Store));
    assert_eq!(cx.offer(b[2], 487), Ok(Action::Store));
    assert!(cx.is_complete());
    assert_eq!(cx.best(), forward(b[0], StatusCode::Decline));
}

#[test]
fn the_lowest_class_then_the_lowest_code_wins() {
    let mut cx = ResponseContext::new();
    let b = finals(&mut cx, &[503, 486, 302]);
    assert_eq!(cx.best(), forward(b[2], StatusCode::MovedTemporarily));
    let mut cx = ResponseContext::new();
    let b = finals(&mut cx, &[486, 480, 404]);
    assert_eq!(
        cx.best(),
        forward(b[2], StatusCode::NotFound),
        "lowest code, not earliest"
    );
    // An unknown code is forwarded as it came.
    let mut cx = ResponseContext::new();
    let b = finals(&mut cx, &[499, 500]);
    assert!(
        matches!(cx.best(), Best::Forward { branch, code: Code::Unknown(raw) } if branch == b[0] && raw.get() == 499)
    );
}

#[test]
fn a_lone_503_becomes_a_generated_500() {
    let mut cx = ResponseContext::new();
    finals(&mut cx, &[503]);
    assert_eq!(cx.best(), Best::Generate(StatusCode::ServerInternalError));
    let b = finals(&mut cx, &[504]);
    assert_eq!(cx.best(), forward(b[0], StatusCode::ServerTimeOut));
}

#[test]
fn no_final_response_gives_408() {
    let mut cx = ResponseContext::new();
    assert!(cx.is_complete(), "no branch: nothing to wait for");
    assert_eq!(cx.best(), Best::Generate(StatusCode::RequestTimeout));
    let b = cx.branch().unwrap();
    cx.offer(b, 180).unwrap();
    assert_eq!(cx.best().code(), Some(408));
    // 16.8: Timer C on a branch with a provisional: CANCEL it, do not invent a 408.
    assert_eq!(cx.timer_c(b), Ok(Action::Absorb));
    assert_eq!(cx.poll_cancel(), Some(b));
    assert!(!cx.is_complete());
    assert_eq!(cx.offer(b, 487), Ok(Action::Store));
    assert_eq!(cx.best(), forward(b, StatusCode::RequestTerminated));
}

#[test]
fn every_2xx_is_forwarded_and_later_finals_absorbed() {
    let mut cx = ResponseContext::new();
    let b: Vec<Branch> = (0..4).map(|_| cx.branch().unwrap()).collect();
    assert_eq!(cx.offer(b[0], 486), Ok(Action::Store));
    assert_eq!(cx.offer(b[3], 180), Ok(Action::Forward));
    assert_eq!(cx.offer(b[1], 200), Ok(Action::Forward));
    assert_eq!(
        cx.poll_cancel(),
        Some(b[3]),
        "16.7 step 10: cancel the pending branches"
    );
    assert_eq!(cx.offer(b[2], 202), Ok(Action::Forward));
    assert_eq!(cx.offer(b[3], 480), Ok(Action::Absorb));
    assert_eq!(cx.best(), Best::Done);
    assert_eq!(cx.best().code(), None);
}

#[test]
fn retransmissions_and_late_responses_are_absorbed() {
    let mut cx = ResponseContext::new();
    let (a, b) = (cx.branch().unwrap(), cx.branch().unwrap());
    assert_eq!(cx.offer(a, 486), Ok(Action::Store));
    assert_eq!(
        cx.offer(a, 486),
        Ok(Action::Absorb),
        "a retransmitted final"
    );
    assert_eq!(
        cx.offer(a, 180),
        Ok(Action::Absorb),
        "a provisional after the final"
    );
    assert_eq!(cx.offer(b, 404), Ok(Action::Store));
    assert_eq!(cx.best(), forward(b, StatusCode::NotFound));
    cx.final_sent();
    // Once a final went upstream only a 2xx follows it (16.7 step 5).
    let mut cx = ResponseContext::new();
    let (a, b) = (cx.branch().unwrap(), cx.branch().unwrap());
    cx.offer(a, 486).unwrap();
    cx.final_sent();
    assert_eq!(cx.offer(b, 180), Ok(Action::Absorb));
    assert_eq!(cx.offer(b, 200), Ok(Action::Forward));
    assert_eq!(cx.branch(), Err(ProxyError::NoNewBranches));
    assert_eq!(cx.offer(Branch::clone(&b), 200), Ok(Action::Absorb));
    let other = ResponseContext::new().branch().unwrap();
    let mut fresh = ResponseContext::new();
    assert_eq!(fresh.offer(other, 200), Err(ProxyError::UnknownBranch(0)));
    let mut full = ResponseContext::new();
    for _ in 0..MAX_BRANCHES {
        full.branch().unwrap();
    }
    assert_eq!(full.branch(), Err(ProxyError::TooManyBranches));
}

#[test]
fn resubmission_codes_come_first_within_4xx() {
    for code in [401, 407, 415, 420, 484] {
        let mut cx = ResponseContext::new();
        let b = finals(&mut cx, &[404, code, 486]);
        assert_eq!(
            cx.best(),
            forward(b[1], StatusCode::from_u16(code).unwrap()),
            "{code}"
        );
        assert!(StatusCode::from_u16(code)
            .unwrap()
            .is_affects_resubmission());
    }
    let mut cx = ResponseContext::new();
    let b = finals(&mut cx, &[404, 404]);
    assert_eq!(
        cx.best(),
        forward(b[0], StatusCode::NotFound),
        "equal codes: the earliest"
    );
}

#[test]
fn challenges_collect_every_401_and_407() {
    let mut cx = ResponseContext::new();
    let b = finals(&mut cx, &[401, 486, 407, 401]);
    assert_eq!(cx.challenges().collect::<Vec<_>>(), [b[0], b[2], b[3]]);
}

#[test]
fn the_caller_cancels() {
    let mut cx = ResponseContext::new();
    let (a, b) = (cx.branch().unwrap(), cx.branch().unwrap());
    cx.offer(a, 180).unwrap();
    cx.cancel_all(); // 16.10
    assert_eq!(cx.poll_cancel(), Some(a));
    assert_eq!(cx.poll_cancel(), None);
    cx.offer(b, 100).unwrap(); // hop-by-hop, but a provisional: b can be cancelled now
    assert_eq!(cx.poll_cancel(), Some(b));
    cx.offer(a, 487).unwrap();
    cx.offer(b, 487).unwrap();
    assert!(cx.is_complete());
    assert_eq!(cx.best(), forward(a, StatusCode::RequestTerminated));
}

/// What Kamailio 5.6.3's tm module forwards, forking one INVITE to three UASes with fixed
/// answers (the measurements), against the context fed the same events in arrival
/// order. Where they differ, RFC 3261 decides: Kamailio keeps the reason of a 503 it turns
/// into 500 ("500 Service Unavailable"); the context generates 500 with its registered
/// reason, since 16.7 step 6 says the proxy generates it.
#[test]
fn kamailio_forking_outcomes() {
    enum E {
        Final(u16),
        Silent,
    }
    use E::{Final as F, Silent as S};
    let cases: [(&[E], Option<u16>); 8] = [
        (&[F(486), F(407), F(503)], Some(407)),
        (&[F(503), F(503), F(503)], Some(500)),
        (&[F(486), F(603), F(200)], None), // the 200 after the 603 goes upstream
        (&[F(401), F(407), F(486)], Some(401)),
        (&[S, S, S], Some(408)),
        (&[F(302), F(486), F(500)], Some(302)),
        (&[F(486), F(415), F(480)], Some(415)),
        (&[F(500), F(503), S], Some(408)),
    ];
    for (events, want) in cases {
        let mut cx = ResponseContext::new();
        let branches: Vec<Branch> = events.iter().map(|_| cx.branch().unwrap()).collect();
        let mut forwarded_2xx = false;
        for (b, e) in branches.iter().zip(events) {
            match e {
                F(code) => forwarded_2xx |= cx.offer(*b, *code).unwrap() == Action::Forward,
                S => {}
            }
        }
        for (b, e) in branches.iter().zip(events) {
            if matches!(e, S) {
                cx.timer_c(*b).unwrap();
            }
        }
        assert!(cx.is_complete());
        assert_eq!(cx.best().code(), want, "{:?}", want);
        assert_eq!(forwarded_2xx, want.is_none());
    }
    // Both challenges of {401, 407, 486} are merged.
    let mut cx = ResponseContext::new();
    let b = finals(&mut cx, &[401, 407, 486]);
    assert_eq!(cx.challenges().collect::<Vec<_>>(), [b[0], b[1]]);
}

#[test]
fn for_set_needs_408_and_500_exactly() {
    use sip_responses_tests::derived::Common;
    // `Common` has 400 (the 8.1.3.2 fallback for 408) but not 408 itself.
    assert_eq!(
        ResponseContext::<Common>::for_set().map(|_| ()),
        Err(CodeError::Unknown(408))
    );
    assert!(ResponseContext::<StatusCode>::for_set().is_ok());
}

proptest::proptest! {
    /// Any order of responses, Timer C and transport errors over up to five branches: no
    /// panic; the context is complete exactly when every branch has a final; and `best()`
    /// agrees with a plain restatement of RFC 3261 16.7 step 6 over the finals that count.
    #[test]
    fn best_follows_a_restatement_of_16_7(
        events in proptest::collection::vec((0usize..5, 0u8..14), 0..40),
        count in 0usize..5,
    ) {
        let codes = [100u16, 180, 183, 200, 302, 401, 404, 407, 486, 500, 503, 504, 603, 0];
        let mut cx = ResponseContext::new();
        let branches: Vec<Branch> = (0..=count).map(|_| cx.branch().unwrap()).collect();
        let mut finals: Vec<Option<u16>> = vec![None; branches.len()];
        let mut provisional = vec![false; branches.len()];
        let mut any_2xx = false;
        for (which, what) in events {
            let i = which % branches.len();
            let b = branches[i];
            let code = codes[usize::from(what)];
            let after_2xx = any_2xx;
            let action = match code {
                0 if provisional[i] => cx.timer_c(b).unwrap(),
                0 => { let a = cx.timer_c(b).unwrap(); if finals[i].is_none() { finals[i] = Some(408); } a }
                c => cx.offer(b, c).unwrap(),
            };
            if code != 0 {
                if code < 200 && finals[i].is_none() { provisional[i] = true; }
                if code >= 200 && finals[i].is_none() {
                    finals[i] = Some(code);
                    proptest::prop_assert!(after_2xx || action != Action::Absorb, "a first final counts, unless after a 2xx");
                }
            }
            any_2xx |= finals.iter().flatten().any(|c| (200..300).contains(c));
        }
        proptest::prop_assert_eq!(cx.is_complete(), finals.iter().all(Option::is_some));
        let want: Option<u16> = if any_2xx { None } else {
            let stored: Vec<u16> = finals.iter().flatten().copied().collect();
            let in_class = |d: u16| stored.iter().copied().filter(move |c| c / 100 == d);
            let class = [6u16, 3, 4, 5].into_iter().find(|&d| in_class(d).next().is_some());
            match class {
                None => Some(408),
                Some(4) => {
                    let resub: Vec<u16> = in_class(4).filter(|c| [401, 407].contains(c)).collect();
                    resub.iter().min().or(in_class(4).collect::<Vec<_>>().iter().min()).copied()
                }
                Some(5) => match in_class(5).filter(|&c| c != 503).min() { Some(c) => Some(c), None => Some(500) },
                Some(d) => in_class(d).min(),
            }
        };
        proptest::prop_assert_eq!(cx.best().code(), want);
    }
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
    let (a, b) = (cx.branch().unwrap(), cx.branch().unwrap());
    cx.offer(a, 404).unwrap();
    cx.offer(b, 486).unwrap();
    // The vendor spec flags 486 `affects-resubmission`: preferred to the lower 404.
    assert_eq!(
        cx.best(),
        Best::Forward {
            branch: b,
            code: Code::Known(VendorStatus::BusyHere)
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
