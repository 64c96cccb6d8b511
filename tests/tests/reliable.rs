//! RFC 3262 (with verified errata 4600 and 4604): the RSeq and RAck values, the UAS and the
//! UAC state machines, each rule a test with a fake clock, and property tests over random
//! event sequences on both sides.

use core::time::Duration;

use proptest::prelude::*;
use sip_responses::reliable::{
    HeaderErrorKind as K, Prack, RAck, RSeq, Received, SendError, Uac, Uas, UasTimeout,
};
use sip_responses::{ProvisionalHandler, StatusCode};

const T1: Duration = Duration::from_millis(500);

fn rseq(n: u32) -> RSeq {
    RSeq::new(n).unwrap()
}

#[test]
fn rseq_values() {
    assert_eq!(RSeq::new(0), None);
    assert_eq!(RSeq::new(RSeq::MAX).map(RSeq::get), Some(2_147_483_647));
    assert_eq!(RSeq::new(RSeq::MAX + 1), None);
    assert_eq!(rseq(RSeq::MAX).next(), None);
    assert_eq!(rseq(7).next(), Some(rseq(8)));
    assert_eq!(" 4711 ".parse::<RSeq>(), Ok(rseq(4711)));
    assert_eq!(rseq(4711).to_string(), "4711");
    let err = |s: &str| {
        s.parse::<RSeq>()
            .map_err(|e| (e.kind(), e.at()))
            .unwrap_err()
    };
    assert_eq!(err(""), (K::Missing, 0));
    assert_eq!(err("0"), (K::Zero, 0));
    assert_eq!(err("2147483648"), (K::TooLarge, 0));
    assert_eq!(err("99999999999999999999"), (K::TooLarge, 0));
    assert_eq!(err("12a"), (K::NotDigits, 2));
    assert_eq!(err("-1"), (K::NotDigits, 0));
    assert!(!"0".parse::<RSeq>().unwrap_err().to_string().is_empty());
}

#[test]
fn rack_values() {
    let rack = RAck::parse("776656 1 INVITE").unwrap();
    assert_eq!(
        (rack.rseq(), rack.cseq(), rack.method()),
        (rseq(776_656), 1, "INVITE")
    );
    assert_eq!(rack.to_string(), "776656 1 INVITE");
    assert_eq!(
        RAck::parse("  1\t2   X-VENDOR ").unwrap().method(),
        "X-VENDOR"
    );
    assert_eq!("1 2 invite".parse::<RAck<'_>>().unwrap().method(), "INVITE");
    let err = |s: &str| RAck::parse(s).map_err(|e| (e.kind(), e.at())).unwrap_err();
    assert_eq!(err(""), (K::Missing, 0));
    assert_eq!(err("1"), (K::Missing, 1));
    assert_eq!(err("1 2"), (K::Missing, 3));
    assert_eq!(err("0 2 INVITE"), (K::Zero, 0));
    assert_eq!(err("1 2147483648 INVITE"), (K::TooLarge, 2));
    assert_eq!(err("undefined 2641 INVITE"), (K::NotDigits, 0)); // SIP.js's bug, refused
    assert_eq!(err("1 2 IN<VITE"), (K::NotAToken, 4));
    assert_eq!(err("1 2 INVITE extra"), (K::Trailing, 11));
    assert_eq!(
        "1 2 X-VENDOR".parse::<RAck<'_>>().map_err(|e| e.kind()),
        Err(K::UnknownMethod)
    );
}

#[test]
fn the_uas_numbers_holds_back_and_retransmits() {
    let mut uas = Uas::new(rseq(100), 5, "INVITE", T1);
    assert_eq!(
        uas.send(Duration::ZERO, 100, false),
        Err(SendError::NotReliable(100))
    );
    assert_eq!(
        uas.send(Duration::ZERO, 200, false),
        Err(SendError::NotReliable(200))
    );
    let first = uas.send(Duration::ZERO, 180, false).unwrap();
    assert_eq!(first, rseq(100));
    // Section 3: no second reliable provisional until the first is acknowledged.
    assert_eq!(
        uas.send(Duration::ZERO, 183, false),
        Err(SendError::Unacknowledged(first))
    );
    // T1, then doubling: 0.5, 1.5, 3.5, ... until 64*T1 = 32 s after the first send.
    let mut now = Duration::ZERO;
    let mut sent = vec![];
    while let Some(wake) = uas.poll_timeout() {
        assert!(wake > now);
        assert_eq!(
            uas.handle_timeout(wake - Duration::from_millis(1)),
            None,
            "early"
        );
        now = wake;
        match uas.handle_timeout(now) {
            Some(UasTimeout::Retransmit(r)) => {
                assert_eq!(r, first);
                sent.push(now.as_millis());
            }
            Some(UasTimeout::GiveUp(r)) => {
                assert_eq!(r, first);
                break;
            }
            None => panic!("a due timeout did nothing"),
        }
    }
    assert_eq!(sent, [500, 1500, 3500, 7500, 15500, 31500]);
    assert_eq!(now.as_millis(), 63500);
    assert_eq!(
        uas.poll_timeout(),
        None,
        "given up: no more retransmissions"
    );
}

#[test]
fn the_uas_answers_pracks() {
    let mut uas = Uas::new(rseq(9), 3, "INVITE", T1);
    let r = uas.send(Duration::ZERO, 183, true).unwrap();
    assert!(
        !uas.may_send_2xx(),
        "an unacknowledged offer holds back the 2xx"
    );
    for wrong in ["10 3 INVITE", "9 4 INVITE", "9 3 BYE"] {
        assert_eq!(
            uas.prack(&RAck::parse(wrong).unwrap()),
            Prack::NoMatch,
            "{wrong}"
        );
    }
    assert_eq!(uas.prack(&RAck::parse("9 3 invite").unwrap()), Prack::Ok);
    assert_eq!(uas.unacknowledged(), None);
    assert!(uas.may_send_2xx());
    assert_eq!(
        uas.prack(&RAck::parse("9 3 INVITE").unwrap()),
        Prack::NoMatch,
        "481"
    );
    // The next one is numbered one higher.
    assert_eq!(
        uas.send(Duration::from_secs(1), 180, false),
        Ok(r.next().unwrap())
    );
    assert!(uas.may_send_2xx(), "no session description in the 180");
    // A final response: retransmissions stop, the outstanding one's PRACK still gets 200.
    uas.final_sent();
    assert_eq!(uas.poll_timeout(), None);
    assert_eq!(uas.handle_timeout(Duration::from_secs(60)), None);
    assert_eq!(
        uas.send(Duration::from_secs(2), 180, false),
        Err(SendError::FinalSent)
    );
    assert_eq!(uas.prack(&RAck::parse("10 3 INVITE").unwrap()), Prack::Ok);
    // The RSeq space ends at 2^31 - 1.
    let mut last = Uas::new(rseq(RSeq::MAX), 1, "INVITE", T1);
    let r = last.send(Duration::ZERO, 180, false).unwrap();
    assert_eq!(
        last.prack(&RAck::parse(&format!("{r} 1 INVITE")).unwrap()),
        Prack::Ok
    );
    assert_eq!(
        last.send(Duration::ZERO, 180, false),
        Err(SendError::Exhausted)
    );
}

#[test]
fn the_uac_takes_them_in_order_per_early_dialog() {
    let mut uac = Uac::new(1, "INVITE");
    let Received::New(rack) = uac.receive(rseq(41)) else {
        panic!()
    };
    assert_eq!(rack.to_string(), "41 1 INVITE");
    assert_eq!(uac.receive(rseq(41)), Received::Retransmission);
    // Section 4: a gap is neither acknowledged nor processed.
    assert_eq!(
        uac.receive(rseq(43)),
        Received::OutOfOrder { expected: rseq(42) }
    );
    assert!(matches!(uac.receive(rseq(42)), Received::New(r) if r.rseq() == rseq(42)));
    // Erratum 4604: the kept 43 can be processed now.
    assert!(matches!(uac.receive(rseq(43)), Received::New(r) if r.rseq() == rseq(43)));
    assert_eq!(uac.receive(rseq(40)), Received::Retransmission);
    uac.final_received();
    assert_eq!(uac.receive(rseq(44)), Received::AfterFinal);
    // Erratum 4600: another fork's early dialog numbers on its own.
    let mut fork = Uac::new(1, "INVITE");
    assert!(matches!(fork.receive(rseq(7)), Received::New(_)));
}

/// A reliable provisional reaches its handler method exactly once, however often it is
/// retransmitted: what `Received::New` is for.
#[test]
fn each_reliable_provisional_is_dispatched_once() {
    #[derive(Default)]
    struct Count(Vec<u16>);
    impl ProvisionalHandler<u16> for Count {
        type Output = ();
        fn on_trying(&mut self, c: u16) {
            self.0.push(c)
        }
        fn on_ringing(&mut self, c: u16) {
            self.0.push(c)
        }
        fn on_call_is_being_forwarded(&mut self, c: u16) {
            self.0.push(c)
        }
        fn on_queued(&mut self, c: u16) {
            self.0.push(c)
        }
        fn on_session_progress(&mut self, c: u16) {
            self.0.push(c)
        }
        fn on_early_dialog_terminated(&mut self, c: u16) {
            self.0.push(c)
        }
    }
    let wire = [
        (1, 183),
        (1, 183),
        (2, 180),
        (1, 183),
        (2, 180),
        (2, 180),
        (3, 182),
    ];
    let mut uac = Uac::new(1, "INVITE");
    let mut handler = Count::default();
    for (n, code) in wire {
        if let Received::New(_) = uac.receive(rseq(n)) {
            let p = sip_responses::Provisional::from_u16(code).unwrap();
            p.dispatch(&mut handler, code);
        }
    }
    assert_eq!(handler.0, [183, 180, 182]);
}

#[test]
fn may_send_reliably_follows_rfc3262_on_every_code() {
    for &code in StatusCode::ALL {
        let want = (101..=199).contains(&code.code());
        assert_eq!(code.may_send_reliably(), want, "{code}");
    }
    assert!(sip_responses::Provisional::Ringing.may_send_reliably());
    assert!(!sip_responses::Provisional::Trying.may_send_reliably());
}

/// One event of a random UAS run.
#[derive(Debug, Clone)]
enum UasEvent {
    Send(u16, bool),
    Wait(u64),
    Prack(u32, u32, bool),
    Final,
}

fn uas_event() -> impl Strategy<Value = UasEvent> {
    prop_oneof![
        (
            prop::sample::select(vec![100u16, 180, 181, 183, 199, 200]),
            any::<bool>()
        )
            .prop_map(|(c, s)| UasEvent::Send(c, s)),
        (0u64..40_000).prop_map(UasEvent::Wait),
        (0u32..6, 0u32..3, any::<bool>()).prop_map(|(r, c, m)| UasEvent::Prack(r, c, m)),
        Just(UasEvent::Final),
    ]
}

proptest! {
    /// Any order of sends, waits, PRACKs and a final response: RSeqs run consecutively from
    /// the first, at most one is unacknowledged, a PRACK gets 200 exactly when it names the
    /// outstanding one, retransmission intervals double from T1 and stop at 64*T1 or at the
    /// final response, and a 2xx is held back exactly while an offer is unacknowledged.
    #[test]
    fn uas_runs_keep_rfc3262(events in proptest::collection::vec(uas_event(), 0..60), start in 1u32..5) {
        let mut uas = Uas::new(rseq(start), 1, "INVITE", T1);
        let mut now = Duration::ZERO;
        let mut issued: Vec<RSeq> = vec![];
        let mut outstanding: Option<(RSeq, bool, Duration)> = None;
        let mut final_sent = false;
        let mut last_interval: Option<Duration> = None;
        for event in events {
            match event {
                UasEvent::Send(code, sdp) => {
                    let got = uas.send(now, code, sdp);
                    if !(101..=199).contains(&code) {
                        prop_assert_eq!(got, Err(SendError::NotReliable(code)));
                    } else if final_sent {
                        prop_assert_eq!(got, Err(SendError::FinalSent));
                    } else if let Some((r, _, _)) = outstanding {
                        prop_assert_eq!(got, Err(SendError::Unacknowledged(r)));
                    } else {
                        let r = got.unwrap();
                        prop_assert_eq!(r.get(), start + issued.len() as u32);
                        issued.push(r);
                        outstanding = Some((r, sdp, now));
                        last_interval = None;
                    }
                }
                UasEvent::Wait(ms) => {
                    now += Duration::from_millis(ms);
                    while let Some(wake) = uas.poll_timeout() {
                        if wake > now { break; }
                        let (r, _, first) = outstanding.unwrap();
                        prop_assert!(!final_sent);
                        match uas.handle_timeout(now) {
                            Some(UasTimeout::Retransmit(got)) => {
                                prop_assert_eq!(got, r);
                                prop_assert!(now - first < T1 * 64);
                                let interval = uas.poll_timeout().unwrap() - now;
                                match last_interval {
                                    None => prop_assert_eq!(interval, T1 * 2),
                                    Some(last) => prop_assert_eq!(interval, last * 2),
                                }
                                last_interval = Some(interval);
                            }
                            Some(UasTimeout::GiveUp(got)) => {
                                prop_assert_eq!(got, r);
                                prop_assert!(now - first >= T1 * 64);
                            }
                            None => prop_assert!(false, "a due timeout did nothing"),
                        }
                    }
                }
                UasEvent::Prack(r, cseq, invite) => {
                    let text = format!("{} {} {}", start + r, cseq, if invite { "INVITE" } else { "BYE" });
                    let rack = RAck::parse(&text).unwrap();
                    let matches = outstanding.is_some_and(|(o, _, _)| o == rack.rseq()) && cseq == 1 && invite;
                    let answer = uas.prack(&rack);
                    prop_assert_eq!(answer == Prack::Ok, matches);
                    if matches { outstanding = None; }
                }
                UasEvent::Final => {
                    uas.final_sent();
                    final_sent = true;
                    prop_assert_eq!(uas.poll_timeout(), None);
                }
            }
            prop_assert_eq!(uas.unacknowledged(), outstanding.map(|(r, _, _)| r));
            prop_assert_eq!(uas.may_send_2xx(), !outstanding.is_some_and(|(_, sdp, _)| sdp));
        }
    }

    /// Any sequence of RSeqs and a final response on one early dialog: `New` exactly for the
    /// first and for each one higher than the last new one, each RSeq new at most once, and
    /// nothing new after the final response.
    #[test]
    fn uac_runs_keep_rfc3262(rseqs in proptest::collection::vec(1u32..12, 0..40), final_at in 0usize..40) {
        let mut uac = Uac::new(7, "INVITE");
        let mut last: Option<u32> = None;
        let mut news = vec![];
        for (i, n) in rseqs.into_iter().enumerate() {
            if i == final_at { uac.final_received(); }
            let got = uac.receive(rseq(n));
            let want_new = i < final_at && last.is_none_or(|l| n == l + 1);
            prop_assert_eq!(matches!(got, Received::New(_)), want_new, "{:?}", got);
            if let Received::New(rack) = got {
                prop_assert_eq!((rack.rseq().get(), rack.cseq(), rack.method()), (n, 7, "INVITE"));
                prop_assert!(!news.contains(&n));
                news.push(n);
                last = Some(n);
            }
            prop_assert_eq!(uac.last().map(RSeq::get), last);
        }
    }
}
