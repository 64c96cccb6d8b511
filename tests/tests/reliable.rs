//! RFC 3262 (with verified errata 4600 and 4604): the RSeq and RAck values, the UAS and the
//! UAC state machines of `sip-responses-proto` (sans-IO: `send_*`, `handle_*(now, ..)`,
//! `poll_*`), each rule a test with a fake clock, and property tests over random event
//! sequences on both sides.

use core::time::Duration;

use proptest::prelude::*;
use sip_responses::reliable::{
    Body, FinalError, HeaderErrorKind as K, PrackAnswer, RAck, RSeq, Received, ReliableCode,
    Retransmit, SendError, Uac, Uas, UasEvent, REQUIRE_100REL,
};
use sip_responses::{ProvisionalHandler, RawCode, StatusCode, T1};

const MS: Duration = Duration::from_millis(1);

fn rseq(n: u32) -> RSeq {
    RSeq::new(n).unwrap()
}

fn reliable(code: u16) -> ReliableCode {
    ReliableCode::new(code).unwrap()
}

fn raw(code: u16) -> RawCode {
    RawCode::new(code).unwrap()
}

fn uas(initial: u32, cseq: u32, method: &str) -> Uas<'_> {
    Uas::new(rseq(initial), cseq, method, T1::DEFAULT).unwrap()
}

fn rack(text: &str) -> RAck<'_> {
    RAck::parse(text).unwrap()
}

#[test]
fn rseq_values() {
    assert_eq!(RSeq::new(0), None);
    // RSeq is 32-bit (RFC 3262 7.1: "a single numeric value from 1 to 2**32 - 1"); only the
    // first one of a transaction is at most 2^31 - 1 (Section 3). The old type stopped at
    // 2^31 - 1 for every value.
    assert_eq!(RSeq::new(RSeq::MAX).map(RSeq::get), Some(4_294_967_295));
    assert_eq!(RSeq::MAX_INITIAL, 2_147_483_647);
    assert_eq!(
        rseq(RSeq::MAX).next(),
        None,
        "RSeq numbers MUST NOT wrap around"
    );
    assert_eq!(rseq(RSeq::MAX - 1).next(), Some(rseq(RSeq::MAX)));
    assert_eq!(rseq(RSeq::MAX_INITIAL).next(), Some(rseq(1 << 31)));
    assert_eq!(rseq(7).next(), Some(rseq(8)));
    assert_eq!(" 4711 ".parse::<RSeq>(), Ok(rseq(4711)));
    assert_eq!("\t2147483648".parse::<RSeq>(), Ok(rseq(1 << 31)));
    assert_eq!("4294967295".parse::<RSeq>(), Ok(rseq(u32::MAX)));
    assert_eq!("\r\n 4711".parse::<RSeq>(), Ok(rseq(4711)), "SWS may fold");
    assert_eq!(rseq(4711).to_string(), "4711");
    assert_eq!(rseq(4711).header().to_string(), "RSeq: 4711");
    assert_eq!(REQUIRE_100REL, "Require: 100rel");
    let err = |s: &str| {
        s.parse::<RSeq>()
            .map_err(|e| (e.kind(), e.at()))
            .unwrap_err()
    };
    assert_eq!(err(""), (K::Missing, 0));
    assert_eq!(err("0"), (K::Zero, 0));
    assert_eq!(err("4294967296"), (K::TooLarge, 0));
    assert_eq!(err(" 99999999999999999999"), (K::TooLarge, 1));
    assert_eq!(err("12a"), (K::NotDigits, 2));
    assert_eq!(err("-1"), (K::NotDigits, 0));
    assert_eq!(err("47 11"), (K::Trailing, 3));
    assert_eq!(err("4711\r\n"), (K::Trailing, 4));
    assert!(!"0".parse::<RSeq>().unwrap_err().to_string().is_empty());
}

#[test]
fn rack_values() {
    let r = rack("776656 1 INVITE");
    assert_eq!(
        (r.rseq(), r.cseq(), r.method()),
        (rseq(776_656), 1, "INVITE")
    );
    assert_eq!(r.to_string(), "776656 1 INVITE");
    assert_eq!(r.header().to_string(), "RAck: 776656 1 INVITE");
    assert_eq!(rack("  1\t2   X-VENDOR ").method(), "X-VENDOR");
    // Both numbers are 32-bit: the CSeq number of a request within a dialog grows to
    // 2^32 - 1 (RFC 3261 8.1.1.5 with erratum 3102), and RSeq to 2^32 - 1 (RFC 3262 7.1).
    // The old parser refused both from 2^31.
    let top = rack("4294967295 4294967295 PRACK");
    assert_eq!((top.rseq().get(), top.cseq()), (u32::MAX, u32::MAX));
    assert_eq!(rack("1 2147483648 INVITE").cseq(), 1 << 31);
    assert_eq!(rack("2147483648 0 INVITE").rseq().get(), 1 << 31);
    // LWS may fold onto the next line (RFC 3261 25.1: LWS = [*WSP CRLF] 1*WSP).
    for folded in [
        "776656\r\n 1 INVITE",
        "\r\n 776656 1 INVITE", // SWS before the value may fold too
        " \r\n\t776656 1 INVITE",
        "776656\r\n\t1\r\n  INVITE",
        "776656 \t\r\n \t1 INVITE",
        " 776656 1\r\n INVITE ",
    ] {
        assert_eq!(rack(folded), r, "{folded:?}");
    }
    // Method names are case-sensitive (RFC 3262 7.2): `parse` keeps what was written, and
    // `FromStr` borrows only the exact spelling of a known method. The old `FromStr` folded
    // "invite" to "INVITE".
    assert_eq!(rack("1 2 invite").method(), "invite");
    assert_eq!(
        "1 2 invite"
            .parse::<RAck<'_>>()
            .map_err(|e| (e.kind(), e.at())),
        Err((K::UnknownMethod, 4))
    );
    assert_eq!("1 2 INVITE".parse::<RAck<'_>>().unwrap().method(), "INVITE");
    assert_eq!(
        "1 2 X-VENDOR".parse::<RAck<'_>>().map_err(|e| e.kind()),
        Err(K::UnknownMethod)
    );
    assert_eq!(RAck::try_from("3 4 UPDATE").map(|r| r.cseq()), Ok(4));
    let err = |s: &str| RAck::parse(s).map_err(|e| (e.kind(), e.at())).unwrap_err();
    assert_eq!(err(""), (K::Missing, 0));
    assert_eq!(err("1"), (K::Missing, 1));
    assert_eq!(err("1 2"), (K::Missing, 3));
    assert_eq!(err("0 2 INVITE"), (K::Zero, 0));
    assert_eq!(err("4294967296 2 INVITE"), (K::TooLarge, 0));
    assert_eq!(err("1 4294967296 INVITE"), (K::TooLarge, 2));
    assert_eq!(err("undefined 2641 INVITE"), (K::NotDigits, 0)); // SIP.js's bug, refused
                                                                 // The error is at the offending byte now, not at the start of the method (4).
    assert_eq!(err("1 2 IN<VITE"), (K::NotAToken, 6));
    assert_eq!(err("1 2 INVITE extra"), (K::Trailing, 11));
    // A line break that is not a fold: no whitespace after it, a bare LF or CR, two folds.
    assert_eq!(err("1\r\n2 INVITE"), (K::Separator, 1));
    assert_eq!(err("1\n 2 INVITE"), (K::Separator, 1));
    assert_eq!(err("1\r 2 INVITE"), (K::Separator, 1));
    assert_eq!(err("1\r\n \r\n 2 INVITE"), (K::Separator, 4));
    assert_eq!(err("1 2 INVITE\r\n"), (K::Trailing, 10));
    assert_eq!(
        err("\r\n1 2 INVITE"),
        (K::Missing, 0),
        "a fold needs whitespace after it"
    );
    for text in ["", "0 1 A", "1\r\n2 INVITE", "1 2 invite"] {
        let e = text.parse::<RAck<'_>>().unwrap_err();
        assert!(!e.to_string().is_empty(), "{text:?}");
    }
}

#[test]
fn the_uas_numbers_holds_back_and_retransmits() {
    // RFC 3262 Section 3: only 101..=199 may be sent reliably. The type says so now, where
    // the old `send` refused 100 and 200 at run time (SendError::NotReliable).
    assert_eq!(ReliableCode::new(100), None);
    assert_eq!(ReliableCode::new(200), None);
    assert_eq!(ReliableCode::of(&StatusCode::Trying), None);
    let mut uas = uas(100, 5, "INVITE");
    let first = uas
        .send_reliable(Duration::ZERO, reliable(180), Body::Empty)
        .unwrap();
    assert_eq!(first, rseq(100));
    // Section 3: no second reliable provisional until the first is acknowledged.
    assert_eq!(
        uas.send_reliable(Duration::ZERO, reliable(183), Body::Empty),
        Err(SendError::Unacknowledged(first))
    );
    // T1, then doubling: 0.5, 1.5, 3.5, ... and 64*T1 = 32 s after the first send, no PRACK:
    // give up.
    let mut now = Duration::ZERO;
    let mut sent = vec![];
    let mut gave_up = None;
    while let Some(wake) = uas.poll_timeout() {
        assert!(wake > now);
        uas.handle_timeout(wake.checked_sub(MS).unwrap());
        assert_eq!(uas.poll_transmit(), None, "early");
        assert_eq!(uas.poll_event(), None, "early");
        now = wake;
        uas.handle_timeout(now);
        match (uas.poll_transmit(), uas.poll_event()) {
            (Some(r), None) => {
                assert_eq!(
                    r,
                    Retransmit {
                        rseq: first,
                        code: reliable(180)
                    }
                );
                sent.push(now.as_millis());
            }
            (None, Some(UasEvent::GaveUp(r))) => {
                assert_eq!(r, first);
                gave_up = Some(now);
            }
            other => panic!("a due timeout gave {other:?}"),
        }
        assert_eq!(uas.poll_transmit(), None, "handed out once");
        assert_eq!(uas.poll_event(), None, "handed out once");
    }
    assert_eq!(sent, [500, 1500, 3500, 7500, 15500, 31500]);
    // Changed: the machine gives up exactly 64*T1 after the first transmission (RFC 3262
    // Section 3: "retransmitted for 64*T1 seconds without reception of a corresponding
    // PRACK"). The old one gave up only at the next retransmission time past it, 63.5 s.
    assert_eq!(gave_up, Some(T1::DEFAULT.times(64)));
    assert_eq!(now.as_millis(), 32_000);
    assert_eq!(
        uas.poll_timeout(),
        None,
        "given up: no more retransmissions"
    );
    // "the UAS SHOULD reject the original request with a 5xx response"
    assert_eq!(uas.unacknowledged(), Some(first));
    assert_eq!(uas.send_final(now, StatusCode::ServerInternalError), Ok(()));
}

/// The 64*T1 limit runs from the first transmission, whatever the T1 and however late the
/// caller wakes; retransmissions keep the schedule of the first send.
#[test]
fn the_uas_gives_up_64_t1_after_the_first_transmission() {
    let t1 = T1::new(Duration::from_millis(100)).unwrap();
    assert_eq!(T1::new(Duration::ZERO), None);
    let start = Duration::from_secs(7);
    let mut uas = Uas::new(rseq(1), 1, "INVITE", t1).unwrap();
    uas.send_reliable(start, reliable(183), Body::SessionDescription)
        .unwrap();
    assert_eq!(uas.poll_timeout(), Some(start + t1.get()));
    // A caller that sleeps through every retransmission still gives up at 64*T1.
    uas.handle_timeout((start + t1.times(64)).checked_sub(MS).unwrap());
    assert!(uas.poll_transmit().is_some());
    assert_eq!(uas.poll_event(), None);
    assert_eq!(
        uas.poll_timeout(),
        Some(start + t1.times(64)),
        "one retransmission for a late wake-up, the next one doubled from it, capped by 64*T1"
    );
    uas.handle_timeout(start + t1.times(64));
    assert_eq!(uas.poll_transmit(), None);
    assert_eq!(uas.poll_event(), Some(UasEvent::GaveUp(rseq(1))));
    assert_eq!(uas.poll_timeout(), None);
    // The offer is still unacknowledged: a 2xx waits, a 5xx may go.
    assert_eq!(
        uas.send_final(start + t1.times(64), StatusCode::Ok),
        Err(FinalError::OfferUnacknowledged(rseq(1)))
    );
    assert_eq!(
        uas.send_final(start + t1.times(64), StatusCode::ServerInternalError),
        Ok(())
    );
}

/// A caller that wakes late gets one retransmission, not one for every time it slept
/// through, and the next interval doubles from then.
#[test]
fn a_late_wake_up_retransmits_once() {
    let mut uas = uas(1, 1, "INVITE");
    uas.send_reliable(Duration::ZERO, reliable(180), Body::Empty)
        .unwrap();
    let late = Duration::from_secs(10);
    uas.handle_timeout(late);
    assert!(uas.poll_transmit().is_some());
    assert_eq!(uas.poll_timeout(), Some(late + T1::DEFAULT.times(2)));
    uas.handle_timeout(late);
    assert_eq!(uas.poll_transmit(), None, "no burst");
    assert_eq!(uas.send_final(late, StatusCode::BusyHere), Ok(()));
    assert_eq!(
        uas.send_final(late, StatusCode::ServerInternalError),
        Err(FinalError::FinalSent),
        "one final response"
    );
}

#[test]
fn the_uas_answers_pracks() {
    let mut uas = uas(9, 3, "INVITE");
    let r = uas
        .send_reliable(Duration::ZERO, reliable(183), Body::SessionDescription)
        .unwrap();
    assert!(
        !uas.may_send_2xx(),
        "an unacknowledged offer holds back the 2xx"
    );
    assert_eq!(
        uas.send_final(Duration::ZERO, StatusCode::Ok),
        Err(FinalError::OfferUnacknowledged(r))
    );
    assert_eq!(
        uas.send_final(Duration::ZERO, StatusCode::Ringing),
        Err(FinalError::NotFinal(raw(180)))
    );
    // Changed: "9 3 invite" no longer matches. RFC 3262 7.2: "The method name in the RAck
    // header is case sensitive"; the old machine compared it ignoring case.
    for wrong in ["10 3 INVITE", "9 4 INVITE", "9 3 BYE", "9 3 invite"] {
        let answer = uas.handle_prack(Duration::ZERO, &rack(wrong));
        assert_eq!(answer, PrackAnswer::NoMatch, "{wrong}");
        assert_eq!(answer.code(), StatusCode::CallTransactionDoesNotExist);
    }
    let answer = uas.handle_prack(Duration::ZERO, &rack("9\r\n 3 INVITE"));
    assert_eq!(answer, PrackAnswer::Ok, "a folded RAck");
    assert_eq!(answer.code(), StatusCode::Ok);
    assert_eq!(uas.unacknowledged(), None);
    assert!(uas.may_send_2xx());
    assert_eq!(
        uas.handle_prack(Duration::ZERO, &rack("9 3 INVITE")),
        PrackAnswer::NoMatch,
        "481"
    );
    // The next one is numbered one higher.
    let second = uas
        .send_reliable(Duration::from_secs(1), reliable(180), Body::Empty)
        .unwrap();
    assert_eq!(Some(second), r.next());
    assert!(uas.may_send_2xx(), "no session description in the 180");
    // A final response: retransmissions stop, the outstanding one's PRACK still gets 200.
    assert_eq!(
        uas.send_final(Duration::from_secs(1), StatusCode::Ok),
        Ok(())
    );
    assert_eq!(uas.poll_timeout(), None);
    uas.handle_timeout(Duration::from_secs(60));
    assert_eq!(uas.poll_transmit(), None);
    assert_eq!(
        uas.poll_event(),
        None,
        "no give-up after the final response"
    );
    assert_eq!(
        uas.send_reliable(Duration::from_secs(2), reliable(180), Body::Empty),
        Err(SendError::FinalSent)
    );
    assert_eq!(
        uas.handle_prack(Duration::from_secs(2), &rack("10 3 INVITE")),
        PrackAnswer::Ok
    );
}

/// The first RSeq is at most 2^31 - 1 (Section 3); the ones after it run past 2^31 up to
/// 2^32 - 1 (7.1), and the CSeq number is 32-bit.
#[test]
fn the_uas_numbers_past_2_pow_31() {
    let err = Uas::new(rseq(RSeq::MAX_INITIAL + 1), 1, "INVITE", T1::DEFAULT).unwrap_err();
    assert!(err.to_string().contains("2147483648"), "{err}");
    assert!(Uas::new(rseq(RSeq::MAX), 1, "INVITE", T1::DEFAULT).is_err());
    let mut uas = uas(RSeq::MAX_INITIAL, u32::MAX, "INVITE");
    let mut uac = Uac::new(u32::MAX, "INVITE");
    for want in [RSeq::MAX_INITIAL, 1 << 31, (1 << 31) + 1] {
        let r = uas
            .send_reliable(Duration::ZERO, reliable(183), Body::Empty)
            .unwrap();
        assert_eq!(r.get(), want);
        let Received::New(ack) = uac.handle_response(raw(183), Some(r)) else {
            panic!("{r} is the next one")
        };
        // What goes on the wire parses back on the UAS and matches.
        let header = ack.header().to_string();
        assert_eq!(header, format!("RAck: {want} 4294967295 INVITE"));
        let value = header.strip_prefix("RAck: ").unwrap();
        assert_eq!(
            uas.handle_prack(Duration::ZERO, &rack(value)),
            PrackAnswer::Ok
        );
    }
    // The RSeq space ends at 2^32 - 1 (`SendError::Exhausted`), which a UAS starting at
    // 2^31 - 1 or below reaches only after 2^31 acknowledged provisionals: the old test of
    // it (from a first RSeq of the maximum) is now refused by `Uas::new`, and the end is
    // checked on `RSeq` itself.
    assert_eq!(rseq(RSeq::MAX).next(), None);
    assert!(!SendError::Exhausted.to_string().is_empty());
}

#[test]
fn the_uac_takes_them_in_order_per_early_dialog() {
    let mut uac = Uac::new(1, "INVITE");
    let ringing = raw(180);
    // A 100 is never acknowledged, even with an RSeq (Section 4: "this option tag MUST be
    // ignored"), and neither is a 1xx without one.
    assert_eq!(
        uac.handle_response(raw(100), Some(rseq(40))),
        Received::Unreliable
    );
    assert_eq!(uac.handle_response(ringing, None), Received::Unreliable);
    assert_eq!(uac.last(), None);
    let Received::New(r) = uac.handle_response(ringing, Some(rseq(41))) else {
        panic!()
    };
    assert_eq!(r.to_string(), "41 1 INVITE");
    assert_eq!(
        uac.handle_response(ringing, Some(rseq(41))),
        Received::Retransmission
    );
    // Section 4: a gap is neither acknowledged nor processed.
    assert_eq!(
        uac.handle_response(ringing, Some(rseq(43))),
        Received::OutOfOrder { expected: rseq(42) }
    );
    assert!(
        matches!(uac.handle_response(ringing, Some(rseq(42))), Received::New(r) if r.rseq() == rseq(42))
    );
    // Erratum 4604: the kept 43 can be processed now.
    assert!(
        matches!(uac.handle_response(ringing, Some(rseq(43))), Received::New(r) if r.rseq() == rseq(43))
    );
    assert_eq!(
        uac.handle_response(ringing, Some(rseq(40))),
        Received::Retransmission
    );
    assert_eq!(uac.last(), Some(rseq(43)));
    assert_eq!(uac.handle_response(raw(200), None), Received::Final);
    assert_eq!(
        uac.handle_response(ringing, Some(rseq(44))),
        Received::AfterFinal
    );
    assert_eq!(uac.handle_response(raw(100), None), Received::AfterFinal);
    // Erratum 4600: another fork's early dialog numbers on its own.
    let mut fork = Uac::new(1, "INVITE");
    assert!(matches!(
        fork.handle_response(ringing, Some(rseq(7))),
        Received::New(_)
    ));
}

/// RSeq runs past 2^31 (only the first is below it) up to 2^32 - 1, and the CSeq number is
/// 32-bit: the old `RSeq` refused both.
#[test]
fn the_uac_numbers_to_2_pow_32_minus_1() {
    let ringing = raw(180);
    let mut uac = Uac::new(u32::MAX, "INVITE");
    for n in [RSeq::MAX_INITIAL, 1 << 31] {
        assert!(matches!(
            uac.handle_response(ringing, Some(rseq(n))),
            Received::New(_)
        ));
    }
    let mut uac = Uac::new(u32::MAX, "INVITE");
    assert!(matches!(
        uac.handle_response(ringing, Some(rseq(RSeq::MAX - 2))),
        Received::New(_)
    ));
    assert_eq!(
        uac.handle_response(ringing, Some(rseq(RSeq::MAX))),
        Received::OutOfOrder {
            expected: rseq(RSeq::MAX - 1)
        }
    );
    let Received::New(r) = uac.handle_response(ringing, Some(rseq(RSeq::MAX - 1))) else {
        panic!()
    };
    assert_eq!(r.to_string(), "4294967294 4294967295 INVITE");
    assert!(matches!(
        uac.handle_response(ringing, Some(rseq(RSeq::MAX))),
        Received::New(r) if r.rseq().get() == u32::MAX
    ));
    assert_eq!(
        uac.handle_response(ringing, Some(rseq(RSeq::MAX))),
        Received::Retransmission
    );
    assert_eq!(uac.last(), Some(rseq(RSeq::MAX)));
}

/// A reliable provisional reaches its handler method exactly once, however often it is
/// retransmitted: what `Received::New` is for. An unreliable one (a 100, or a 1xx without
/// an RSeq) is dispatched each time and never acknowledged.
#[test]
fn each_reliable_provisional_is_dispatched_once() {
    #[derive(Default)]
    struct Count(Vec<u16>);
    impl ProvisionalHandler<u16> for Count {
        type Output = ();
        fn on_trying(&mut self, c: u16) {
            self.0.push(c);
        }
        fn on_ringing(&mut self, c: u16) {
            self.0.push(c);
        }
        fn on_call_is_being_forwarded(&mut self, c: u16) {
            self.0.push(c);
        }
        fn on_queued(&mut self, c: u16) {
            self.0.push(c);
        }
        fn on_session_progress(&mut self, c: u16) {
            self.0.push(c);
        }
        fn on_early_dialog_terminated(&mut self, c: u16) {
            self.0.push(c);
        }
    }
    let wire = [
        (100, None),
        (183, Some(1)),
        (183, Some(1)),
        (100, Some(1)),
        (180, Some(2)),
        (183, Some(1)),
        (180, Some(2)),
        (181, None),
        (180, Some(2)),
        (182, Some(3)),
        (200, None),
        (182, Some(4)),
    ];
    let mut uac = Uac::new(1, "INVITE");
    let mut handler = Count::default();
    let mut pracks = vec![];
    for (code, n) in wire {
        match uac.handle_response(raw(code), n.map(rseq)) {
            Received::New(r) => {
                pracks.push(r.rseq().get());
                let p = sip_responses::Provisional::from_u16(code).unwrap();
                p.dispatch(&mut handler, code);
            }
            Received::Unreliable => {
                let p = sip_responses::Provisional::from_u16(code).unwrap();
                p.dispatch(&mut handler, code);
            }
            _ => {}
        }
    }
    assert_eq!(handler.0, [100, 183, 100, 180, 181, 182]);
    assert_eq!(pracks, [1, 2, 3]);
}

#[test]
fn may_send_reliably_follows_rfc3262_on_every_code() {
    for &code in StatusCode::ALL {
        let want = (101..=199).contains(&code.code());
        assert_eq!(code.may_send_reliably(), want, "{code}");
        assert_eq!(ReliableCode::of(&code).is_some(), want, "{code}");
    }
    for n in 0..=1000 {
        let want = (101..=199).contains(&n);
        assert_eq!(
            ReliableCode::new(n).map(ReliableCode::get),
            want.then_some(n)
        );
    }
    assert!(sip_responses::Provisional::Ringing.may_send_reliably());
    assert!(!sip_responses::Provisional::Trying.may_send_reliably());
}

/// One step of a random UAS run.
#[derive(Debug, Clone)]
enum Step {
    /// Send this code reliably, with a session description or not.
    Send(u16, bool),
    /// Let this many milliseconds pass, waking at every timeout.
    Wait(u64),
    /// A PRACK: the RSeq's offset from the first, whether the CSeq number is right, the
    /// method as written and the two LWS.
    Prack(u32, bool, &'static str, &'static str, &'static str),
    /// Send a final response (or try to: 1xx and a held-back 2xx are refused).
    Final(u16),
}

const LWS: [&str; 6] = [" ", "\t", "   ", "\r\n ", " \t\r\n\t", "\r\n  "];

fn uas_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (
            prop::sample::select(vec![100u16, 155, 180, 181, 183, 199, 200]),
            any::<bool>()
        )
            .prop_map(|(c, s)| Step::Send(c, s)),
        (0u64..40_000).prop_map(Step::Wait),
        (
            0u32..6,
            prop::bool::weighted(0.8),
            prop::sample::select(vec!["INVITE", "INVITE", "invite", "Invite", "BYE"]),
            prop::sample::select(LWS.to_vec()),
            prop::sample::select(LWS.to_vec()),
        )
            .prop_map(|(r, c, m, a, b)| Step::Prack(r, c, m, a, b)),
        prop::sample::select(vec![180u16, 200, 486, 500, 603]).prop_map(Step::Final),
    ]
}

/// The first RSeq: small, or just below 2^31 so that the run crosses it.
fn first_rseq() -> impl Strategy<Value = u32> {
    prop_oneof![1u32..5, RSeq::MAX_INITIAL - 3..=RSeq::MAX_INITIAL]
}

/// A CSeq number: small, around 2^31, or the largest.
fn cseq_num() -> impl Strategy<Value = u32> {
    prop::sample::select(vec![
        1u32,
        2,
        (1 << 31) - 1,
        1 << 31,
        u32::MAX - 1,
        u32::MAX,
    ])
}

/// The outstanding reliable provisional of the model.
#[derive(Debug, Clone, Copy)]
struct Sent {
    rseq: RSeq,
    code: ReliableCode,
    sdp: bool,
    /// When it was first sent.
    first: Duration,
    /// How many retransmissions went.
    retransmitted: u32,
    gave_up: bool,
}

proptest! {
    /// Any order of sends, waits, PRACKs and final responses: RSeqs run consecutively from
    /// the first (past 2^31), at most one is unacknowledged, a PRACK gets 200 exactly when
    /// its RAck (32-bit CSeq, folded LWS or not) names the outstanding one with the method
    /// spelled exactly, the n-th retransmission goes at T1 * (2^n - 1) after the first
    /// transmission, the UAS gives up exactly 64*T1 after it and retransmits nothing after
    /// the final response, and a 2xx is held back exactly while an offer is unacknowledged.
    #[test]
    fn uas_runs_keep_rfc3262(
        steps in proptest::collection::vec(uas_step(), 0..60),
        start in first_rseq(),
        cseq in cseq_num(),
        t1_ms in prop::sample::select(vec![100u64, 500]),
    ) {
        let t1 = T1::new(Duration::from_millis(t1_ms)).unwrap();
        let mut uas = Uas::new(rseq(start), cseq, "INVITE", t1).unwrap();
        let mut now = Duration::ZERO;
        let mut issued = 0u32;
        let mut outstanding: Option<Sent> = None;
        let mut final_sent = false;
        // The n-th retransmission of what went at `first`.
        let nth = |first: Duration, n: u32| first + t1.get() * (2u32.pow(n) - 1);
        for step in steps {
            match step {
                Step::Send(code, sdp) => {
                    let Some(c) = ReliableCode::new(code) else {
                        prop_assert!(!(101..=199).contains(&code));
                        continue;
                    };
                    let body = if sdp { Body::SessionDescription } else { Body::Empty };
                    let got = uas.send_reliable(now, c, body);
                    if final_sent {
                        prop_assert_eq!(got, Err(SendError::FinalSent));
                    } else if let Some(o) = outstanding {
                        // Section 3: a MUST for the first, a RECOMMENDED this UAS follows
                        // for the ones after it.
                        let want = if o.rseq.get() == start {
                            SendError::Unacknowledged(o.rseq)
                        } else {
                            SendError::PreviousUnacknowledged(o.rseq)
                        };
                        prop_assert_eq!(got, Err(want));
                    } else {
                        let r = got.unwrap();
                        prop_assert_eq!(r.get(), start + issued);
                        issued += 1;
                        outstanding = Some(Sent { rseq: r, code: c, sdp, first: now, retransmitted: 0, gave_up: false });
                    }
                }
                Step::Wait(ms) => {
                    let until = now + Duration::from_millis(ms);
                    while let Some(wake) = uas.poll_timeout().filter(|&w| w <= until) {
                        prop_assert!(wake >= now);
                        now = wake;
                        uas.handle_timeout(now);
                        let o = outstanding.as_mut().unwrap();
                        prop_assert!(!final_sent && !o.gave_up);
                        match (uas.poll_transmit(), uas.poll_event()) {
                            (Some(r), None) => {
                                prop_assert_eq!(r, Retransmit { rseq: o.rseq, code: o.code });
                                o.retransmitted += 1;
                                prop_assert_eq!(now, nth(o.first, o.retransmitted));
                                prop_assert!(now.checked_sub(o.first).unwrap() < t1.times(64));
                            }
                            (None, Some(UasEvent::GaveUp(r))) => {
                                prop_assert_eq!(r, o.rseq);
                                prop_assert_eq!(now.checked_sub(o.first).unwrap(), t1.times(64));
                                o.gave_up = true;
                            }
                            other => prop_assert!(false, "a due timeout gave {:?}", other),
                        }
                    }
                    now = until;
                    uas.handle_timeout(now);
                    prop_assert_eq!(uas.poll_transmit(), None);
                    prop_assert_eq!(uas.poll_event(), None);
                }
                Step::Prack(offset, right_cseq, method, lws1, lws2) => {
                    let n = if right_cseq { cseq } else { cseq ^ 1 };
                    let text = format!("{}{lws1}{n}{lws2}{method}", start + offset);
                    let r = rack(&text);
                    let matches = outstanding.is_some_and(|o| o.rseq == r.rseq())
                        && right_cseq
                        && method == "INVITE";
                    let answer = uas.handle_prack(now, &r);
                    prop_assert_eq!(answer == PrackAnswer::Ok, matches, "{:?}", text);
                    prop_assert_eq!(
                        answer.code(),
                        if matches { StatusCode::Ok } else { StatusCode::CallTransactionDoesNotExist }
                    );
                    if matches {
                        outstanding = None;
                    }
                }
                Step::Final(code) => {
                    let status = StatusCode::from_u16(code).unwrap();
                    let got = uas.send_final(now, status);
                    if code < 200 {
                        prop_assert_eq!(got, Err(FinalError::NotFinal(raw(code))));
                    } else if final_sent {
                        // A request has one final response.
                        prop_assert_eq!(got, Err(FinalError::FinalSent));
                    } else if let Some(o) = outstanding.filter(|o| o.sdp && code < 300) {
                        prop_assert_eq!(got, Err(FinalError::OfferUnacknowledged(o.rseq)));
                    } else {
                        prop_assert_eq!(got, Ok(()));
                        final_sent = true;
                        prop_assert_eq!(uas.poll_timeout(), None);
                    }
                }
            }
            // When to wake: the next retransmission or the 64*T1 limit, while there is
            // something to retransmit.
            let want_wake = outstanding
                .filter(|o| !final_sent && !o.gave_up)
                .map(|o| nth(o.first, o.retransmitted + 1).min(o.first + t1.times(64)));
            prop_assert_eq!(uas.poll_timeout(), want_wake);
            prop_assert_eq!(uas.unacknowledged(), outstanding.map(|o| o.rseq));
            prop_assert_eq!(uas.may_send_2xx(), !outstanding.is_some_and(|o| o.sdp));
        }
    }

    /// Any sequence of responses on one early dialog (100 and other 1xx with or without an
    /// RSeq near 1, 2^31 or 2^32 - 1, and finals): `New` exactly for a 101..=199 with an
    /// RSeq that is the first or one higher than the last new one, a 100 or a 1xx without an
    /// RSeq `Unreliable` (never PRACKed), each RSeq new at most once, its RAck carrying the
    /// 32-bit CSeq, and nothing new after the final response.
    #[test]
    fn uac_runs_keep_rfc3262(
        responses in proptest::collection::vec(
            (prop::sample::select(vec![100u16, 180, 183, 183, 199, 200, 486]), proptest::option::weighted(0.8, 0u32..10)),
            0..40,
        ),
        base in prop::sample::select(vec![1u32, RSeq::MAX_INITIAL - 4, RSeq::MAX - 9]),
        cseq in cseq_num(),
    ) {
        let mut uac = Uac::new(cseq, "INVITE");
        let mut last: Option<u32> = None;
        let mut done = false;
        let mut news = vec![];
        for (code, offset) in responses {
            let n = offset.map(|o| base + o);
            let got = uac.handle_response(raw(code), n.map(rseq));
            let want = if code >= 200 {
                done = true;
                Some(Received::Final)
            } else if done {
                Some(Received::AfterFinal)
            } else if code == 100 || n.is_none() {
                Some(Received::Unreliable)
            } else {
                let n = n.unwrap();
                match last {
                    Some(l) if n <= l => Some(Received::Retransmission),
                    Some(l) if n != l + 1 => Some(Received::OutOfOrder { expected: rseq(l + 1) }),
                    _ => None,
                }
            };
            match (want, got) {
                (Some(want), got) => prop_assert_eq!(got, want),
                (None, Received::New(r)) => {
                    let n = n.unwrap();
                    prop_assert_eq!((r.rseq().get(), r.cseq(), r.method()), (n, cseq, "INVITE"));
                    let header = r.header().to_string();
                    prop_assert_eq!(rack(header.strip_prefix("RAck: ").unwrap()), r);
                    prop_assert!(!news.contains(&n));
                    news.push(n);
                    last = Some(n);
                }
                (None, got) => prop_assert!(false, "want New, got {:?}", got),
            }
            prop_assert_eq!(uac.last().map(RSeq::get), last);
        }
    }
}

proptest! {
    /// The invariants of the `rseq_rack` fuzz target over inputs assembled from the parts
    /// that matter (numbers around 2^31 and 2^32, SP, HTAB, CRLF folds and bare CR or LF,
    /// methods in either case, a non-token byte), on the stable toolchain: RAck-shaped
    /// values, mostly valid, and loose sequences of the same parts.
    #[test]
    fn rseq_rack_fuzz_invariants(
        shaped in (
            prop::sample::select(NUMBERS.to_vec()),
            prop::sample::select(SEPARATORS.to_vec()),
            prop::sample::select(NUMBERS.to_vec()),
            prop::sample::select(SEPARATORS.to_vec()),
            prop::sample::select(METHODS.to_vec()),
            prop::sample::select(vec!["", " ", "\t", "\r\n", " x"]),
        ),
        loose in proptest::collection::vec(
            prop::sample::select([&NUMBERS[..], &SEPARATORS[..], &METHODS[..]].concat()),
            0..8,
        ),
    ) {
        let (a, b, c, d, e, f) = shaped;
        for text in [format!("{a}{b}{c}{d}{e}{f}"), loose.concat()] {
            sip_responses_tests::fuzz::rseq_rack(text.as_bytes());
        }
    }
}

const NUMBERS: [&str; 9] = [
    "0",
    "1",
    "07",
    "4711",
    "2147483647",
    "2147483648",
    "4294967295",
    "4294967296",
    "",
];
const SEPARATORS: [&str; 9] = [
    " ", "\t", "  ", "\r\n ", " \r\n\t", "\r\n", "\r ", "\n ", "",
];
const METHODS: [&str; 7] = ["INVITE", "invite", "Invite", "PRACK", "X-V", "IN<V", "é"];

/// Each refusal of `send_final` says why, naming the code or the RSeq it is about (RFC 3262
/// Section 3: "unless the final response is 2xx and any of the unacknowledged reliable
/// provisional responses contained a session description. In that case, it MUST NOT send a
/// final response until those provisional responses are acknowledged"). Kills the mutant that
/// writes nothing in `FinalError`'s `Display`.
#[test]
fn final_errors_say_why() {
    assert_eq!(
        FinalError::NotFinal(raw(180)).to_string(),
        "180 is not a final response"
    );
    assert_eq!(
        FinalError::FinalSent.to_string(),
        "a final response was already sent"
    );
    assert_eq!(
        FinalError::OfferUnacknowledged(rseq(7)).to_string(),
        "a 2xx must wait for the PRACK of RSeq 7, which carried a session description"
    );
}
