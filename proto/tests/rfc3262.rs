//! One test per RFC 3262 rule the `reliable` machines hold, each quoting its sentence (RFC
//! 3262 with verified errata 4600 and 4604; RFC 3261 where it defines a term).

use core::time::Duration;

use sip_responses_core::{RawCode, StatusCode};
use sip_responses_proto::reliable::{
    Body, FinalError, HeaderErrorKind, PrackAnswer, RAck, RSeq, Received, ReliableCode, SendError,
    Uac, Uas, UasEvent,
};
use sip_responses_proto::T1;

const T1_DEFAULT: T1 = T1::DEFAULT;

fn rseq(n: u32) -> RSeq {
    RSeq::new(n).expect("a test value in 1..=2^32-1")
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn code(c: StatusCode) -> ReliableCode {
    ReliableCode::of(&c).expect("a 101-199 code")
}

fn raw(c: StatusCode) -> RawCode {
    c.into()
}

/// 7.1: "It contains a single numeric value from 1 to 2**32 - 1."
#[test]
fn rseq_runs_to_2_pow_32_minus_1() {
    assert_eq!("2147483648".parse::<RSeq>().map(RSeq::get), Ok(1 << 31));
    assert_eq!("4294967295".parse::<RSeq>().map(RSeq::get), Ok(u32::MAX));
    assert_eq!(
        "4294967296".parse::<RSeq>().map_err(|e| e.kind()),
        Err(HeaderErrorKind::TooLarge)
    );
    assert_eq!(
        "0".parse::<RSeq>().map_err(|e| e.kind()),
        Err(HeaderErrorKind::Zero)
    );
    // RAck's response-num is the same number.
    let rack = RAck::parse("4294967295 1 INVITE").expect("the largest RSeq");
    assert_eq!(rack.rseq().get(), u32::MAX);
}

/// 3: "The value of the header field for the first reliable provisional response in a
/// transaction MUST be between 1 and 2**31 - 1." Only the first: "Because the initial one
/// is chosen to be less than 2**31 - 1, but the maximum is 2**32 - 1, there can be up to
/// 2**31 reliable provisional responses per request".
#[test]
fn only_the_first_rseq_is_below_2_pow_31() {
    assert!(Uas::new(rseq(1 << 31), 1, "INVITE", T1_DEFAULT).is_err());
    let mut uas = Uas::new(rseq(RSeq::MAX_INITIAL), 1, "INVITE", T1_DEFAULT).expect("2^31-1");
    let first = uas
        .send_reliable(ms(0), code(StatusCode::Ringing), Body::Empty)
        .expect("the first");
    assert_eq!(first.get(), RSeq::MAX_INITIAL);
    let prack = RAck::parse("2147483647 1 INVITE").expect("a PRACK");
    assert_eq!(uas.handle_prack(ms(10), &prack), PrackAnswer::Ok);
    // The second goes past 2^31-1.
    let second = uas
        .send_reliable(ms(20), code(StatusCode::SessionProgress), Body::Empty)
        .expect("a second one past 2^31-1");
    assert_eq!(second.get(), 1 << 31);
    // And a UAC acknowledges it.
    let mut uac = Uac::new(1, "INVITE");
    assert!(matches!(
        uac.handle_response(raw(StatusCode::Ringing), Some(first)),
        Received::New(_)
    ));
    let Received::New(rack) = uac.handle_response(raw(StatusCode::SessionProgress), Some(second))
    else {
        panic!("RSeq 2^31 is the next in order");
    };
    assert_eq!(rack.to_string(), "2147483648 1 INVITE");
    assert_eq!(uas.handle_prack(ms(30), &rack), PrackAnswer::Ok);
}

/// 3: "RSeq numbers MUST NOT wrap around."
#[test]
fn rseq_never_wraps() {
    assert_eq!(rseq(u32::MAX).next(), None);
    let mut uac = Uac::new(1, "INVITE");
    let ringing = raw(StatusCode::Ringing);
    assert!(matches!(
        uac.handle_response(ringing, Some(rseq(u32::MAX))),
        Received::New(_)
    ));
    assert_eq!(
        uac.handle_response(ringing, Some(rseq(1))),
        Received::Retransmission
    );
}

/// RFC 3261 12.2.1.1 with erratum 3102: "The initial value of the sequence number (less than
/// 2**31) is chosen so that subsequent requests within the same call will not exceed
/// 2**32-1": CSeq numbers within a dialog are 32-bit, and a re-INVITE may use 100rel.
#[test]
fn cseq_numbers_are_32_bit() {
    let mut uac = Uac::new(3_000_000_000, "INVITE");
    let Received::New(rack) = uac.handle_response(raw(StatusCode::Ringing), Some(rseq(7))) else {
        panic!("the first reliable provisional");
    };
    let text = rack.to_string();
    assert_eq!(text, "7 3000000000 INVITE");
    assert_eq!(RAck::parse(&text), Ok(rack)); // its own parser takes what it writes
    let mut uas = Uas::new(rseq(7), u32::MAX, "INVITE", T1_DEFAULT).expect("a UAS");
    uas.send_reliable(ms(0), code(StatusCode::Ringing), Body::Empty)
        .expect("the first");
    let prack = RAck::parse("7 4294967295 INVITE").expect("CSeq 2^32-1");
    assert_eq!(uas.handle_prack(ms(5), &prack), PrackAnswer::Ok);
    assert_eq!(
        RAck::parse("7 4294967296 INVITE").map_err(|e| (e.kind(), e.at())),
        Err((HeaderErrorKind::TooLarge, 2))
    );
}

/// 3: "If a reliable provisional response is retransmitted for 64*T1 seconds without
/// reception of a corresponding PRACK, the UAS SHOULD reject the original request with a
/// 5xx response", retransmitted "with an interval that starts at T1 seconds and doubles for
/// each retransmission".
#[test]
fn the_uas_gives_up_64_t1_after_the_first_transmission() {
    let mut uas = Uas::new(rseq(1), 1, "INVITE", T1_DEFAULT).expect("a UAS");
    let sent = uas
        .send_reliable(ms(0), code(StatusCode::Ringing), Body::Empty)
        .expect("the first");
    let mut retransmissions = Vec::new();
    let mut gave_up = None;
    let mut wakes = 0;
    while let Some(at) = uas.poll_timeout() {
        wakes += 1; // a machine that never stops asking to wake is a bug, not a hang
        assert!(wakes < 1000, "still waking at {at:?}");
        uas.handle_timeout(at);
        while let Some(r) = uas.poll_transmit() {
            assert_eq!(r.rseq, sent);
            retransmissions.push(at.as_millis());
        }
        if let Some(UasEvent::GaveUp(r)) = uas.poll_event() {
            assert_eq!(r, sent);
            gave_up = Some(at);
        }
    }
    assert_eq!(retransmissions, [500, 1500, 3500, 7500, 15500, 31500]);
    assert_eq!(gave_up, Some(T1_DEFAULT.times(64))); // 32 s, not 63.5 s
}

/// RFC 3261 17.1.1.1 defines T1 as "an estimate of the round-trip time"; a zero T1 would
/// give up at once, so it cannot be made.
#[test]
fn t1_is_never_zero() {
    assert_eq!(T1::new(Duration::ZERO), None);
    assert_eq!(T1::new(ms(1)).map(T1::get), Some(ms(1)));
}

/// 4: "If the response is a 100 (Trying) (as opposed to 101 to 199), this option tag MUST be
/// ignored, and the procedures below MUST NOT be used."
#[test]
fn a_100_is_never_acknowledged() {
    let mut uac = Uac::new(1, "INVITE");
    assert_eq!(
        uac.handle_response(raw(StatusCode::Trying), Some(rseq(1))),
        Received::Unreliable
    );
    // and it does not take a place in the sequence: the 180 with RSeq 1 is new.
    assert!(matches!(
        uac.handle_response(raw(StatusCode::Ringing), Some(rseq(1))),
        Received::New(_)
    ));
    // 3: "A UAS MUST NOT attempt to send a 100 (Trying) response reliably."
    assert_eq!(ReliableCode::of(&StatusCode::Trying), None);
}

/// 7.2: "The method name in the RAck header is case sensitive." A PRACK whose RAck says
/// `invite` does not match an INVITE's reliable provisional, and the value is kept as
/// written.
#[test]
fn rack_methods_are_case_sensitive() {
    let lower = RAck::parse("1 1 invite").expect("a token");
    assert_eq!(lower.method(), "invite");
    assert_eq!(
        "1 1 invite".parse::<RAck<'static>>().map_err(|e| e.kind()),
        Err(HeaderErrorKind::UnknownMethod)
    );
    let mut uas = Uas::new(rseq(1), 1, "INVITE", T1_DEFAULT).expect("a UAS");
    uas.send_reliable(ms(0), code(StatusCode::Ringing), Body::Empty)
        .expect("the first");
    assert_eq!(uas.handle_prack(ms(5), &lower), PrackAnswer::NoMatch);
    let exact = RAck::parse("1 1 INVITE").expect("exact");
    assert_eq!(uas.handle_prack(ms(6), &exact), PrackAnswer::Ok);
}

/// 10 and RFC 3261 25.1: `RAck = "RAck" HCOLON response-num LWS CSeq-num LWS Method` with
/// `LWS = [*WSP CRLF] 1*WSP`: a line fold separates the parts as well as a space.
#[test]
fn rack_takes_folded_lws() {
    let folded = RAck::parse("776656\r\n 1 \t\r\n\tINVITE").expect("folded LWS");
    assert_eq!(
        (folded.rseq().get(), folded.cseq(), folded.method()),
        (776_656, 1, "INVITE")
    );
    // A line break not followed by whitespace is not LWS.
    for (bad, at) in [
        ("1\r\n1 INVITE", 1),
        ("1\n 1 INVITE", 1),
        ("1 \r 1 INVITE", 2),
    ] {
        assert_eq!(
            RAck::parse(bad).map_err(|e| (e.kind(), e.at())),
            Err((HeaderErrorKind::Separator, at)),
            "{bad:?}"
        );
    }
}

/// 3: "The UAS MUST NOT send a second reliable provisional response until the first is
/// acknowledged. After the first, it is RECOMMENDED that the UAS not send an additional
/// reliable provisional response until the previous is acknowledged." The error says
/// which of the two it is.
#[test]
fn the_first_is_a_must_the_rest_a_recommendation() {
    let mut uas = Uas::new(rseq(10), 1, "INVITE", T1_DEFAULT).expect("a UAS");
    let first = uas
        .send_reliable(ms(0), code(StatusCode::Ringing), Body::Empty)
        .expect("the first");
    assert_eq!(
        uas.send_reliable(ms(1), code(StatusCode::SessionProgress), Body::Empty),
        Err(SendError::Unacknowledged(first))
    );
    let prack = RAck::parse("10 1 INVITE").expect("a PRACK");
    assert_eq!(uas.handle_prack(ms(2), &prack), PrackAnswer::Ok);
    let second = uas
        .send_reliable(ms(3), code(StatusCode::SessionProgress), Body::Empty)
        .expect("the second");
    let refused = uas.send_reliable(ms(4), code(StatusCode::Ringing), Body::Empty);
    assert_eq!(refused, Err(SendError::PreviousUnacknowledged(second)));
    let text = refused.map(|_| ()).unwrap_err().to_string();
    assert!(text.contains("recommends"), "{text}");
}

/// 3: "it MUST NOT send a final response until those provisional responses are
/// acknowledged" (a 2xx, when one carried a session description); "A UAS MUST NOT send new
/// reliable provisional responses ... after sending a final response"; "it MUST be prepared
/// to process PRACK requests for those outstanding responses".
#[test]
fn a_2xx_waits_for_the_offer_and_pracks_outlive_the_final() {
    let mut uas = Uas::new(rseq(5), 1, "INVITE", T1_DEFAULT).expect("a UAS");
    let offer = uas
        .send_reliable(
            ms(0),
            code(StatusCode::SessionProgress),
            Body::SessionDescription,
        )
        .expect("the first");
    assert_eq!(
        uas.send_final(ms(1), StatusCode::Ok),
        Err(FinalError::OfferUnacknowledged(offer))
    );
    assert_eq!(
        uas.send_final(ms(1), StatusCode::Ringing),
        Err(FinalError::NotFinal(StatusCode::Ringing.into()))
    );
    // A non-2xx final may go: retransmissions stop, the PRACK is still answered.
    assert_eq!(uas.send_final(ms(2), StatusCode::BusyHere), Ok(()));
    assert_eq!(uas.poll_timeout(), None);
    assert_eq!(
        uas.send_reliable(ms(3), code(StatusCode::Ringing), Body::Empty),
        Err(SendError::FinalSent)
    );
    let prack = RAck::parse("5 1 INVITE").expect("a PRACK");
    assert_eq!(uas.handle_prack(ms(4), &prack).code(), StatusCode::Ok);
    assert_eq!(
        uas.handle_prack(ms(5), &prack).code(),
        StatusCode::CallTransactionDoesNotExist
    );
}

/// 4 with erratum 4604: "If the RSeq value is not one higher than the value of the sequence
/// number, that response MUST NOT be acknowledged with a PRACK, and MUST NOT be processed
/// further by the UAC. An implementation MAY discard the response, or MAY cache the response
/// to be processed (and acknowledged) after receiving the missing responses." Erratum 4600:
/// each fork numbers independently, so one `Uac` per early dialog.
#[test]
fn gaps_are_neither_acknowledged_nor_processed() {
    let ringing = raw(StatusCode::Ringing);
    let mut fork_a = Uac::new(1, "INVITE");
    let mut fork_b = Uac::new(1, "INVITE");
    assert!(matches!(
        fork_a.handle_response(ringing, Some(rseq(100))),
        Received::New(_)
    ));
    assert!(matches!(
        fork_b.handle_response(ringing, Some(rseq(7))),
        Received::New(_)
    ));
    assert_eq!(
        fork_a.handle_response(ringing, Some(rseq(102))),
        Received::OutOfOrder {
            expected: rseq(101)
        }
    );
    assert!(matches!(
        fork_a.handle_response(ringing, Some(rseq(101))),
        Received::New(_)
    ));
    assert!(matches!(
        fork_a.handle_response(ringing, Some(rseq(102))),
        Received::New(_)
    ));
    assert_eq!(
        fork_a.handle_response(StatusCode::Ok, None),
        Received::Final
    );
    assert_eq!(
        fork_a.handle_response(ringing, Some(rseq(103))),
        Received::AfterFinal
    );
}

/// 3: retransmissions go "with an interval that starts at T1 seconds and doubles for each
/// retransmission": a UAS that wakes late sends one, not a burst of the ones it missed.
#[test]
fn a_late_wake_up_sends_one_retransmission() {
    let mut uas = Uas::new(rseq(1), 1, "INVITE", T1_DEFAULT).expect("a UAS");
    uas.send_reliable(ms(0), code(StatusCode::Ringing), Body::Empty)
        .expect("the first");
    let mut sent = 0;
    while uas.poll_timeout().is_some_and(|at| at <= ms(20_000)) {
        uas.handle_timeout(ms(20_000));
        sent += usize::from(uas.poll_transmit().is_some());
    }
    assert_eq!(sent, 1);
    assert_eq!(uas.poll_timeout(), Some(ms(20_000 + 1000)));
}

/// RFC 3261 17.2.1: a server transaction sends one final response; a second `send_final`
/// is refused, and a header value may start with a line fold (RFC 3261 25.1: `HCOLON =
/// *( SP / HTAB ) ":" SWS`, `SWS = [LWS]`).
#[test]
fn one_final_and_a_leading_fold() {
    let mut uas = Uas::new(rseq(1), 1, "INVITE", T1_DEFAULT).expect("a UAS");
    assert_eq!(uas.send_final(ms(0), StatusCode::BusyHere), Ok(()));
    assert_eq!(
        uas.send_final(ms(1), StatusCode::Ok),
        Err(FinalError::FinalSent)
    );
    assert_eq!(RAck::parse("\r\n 1 2 INVITE").map(|r| r.cseq()), Ok(2));
    assert_eq!("\r\n\t7".parse::<RSeq>().map(RSeq::get), Ok(7));
}

/// 3: "If a reliable provisional response is retransmitted for 64*T1 seconds without
/// reception of a corresponding PRACK": a caller that wakes a little late each time still
/// retransmits on T1's doubling schedule (the lateness does not add up) and so sends every
/// retransmission before the 64*T1 limit.
#[test]
fn a_little_late_each_time_keeps_the_schedule() {
    let mut uas = Uas::new(rseq(1), 1, "INVITE", T1_DEFAULT).expect("a UAS");
    uas.send_reliable(ms(0), code(StatusCode::Ringing), Body::Empty)
        .expect("the first");
    let mut sent = Vec::new();
    let mut gave_up = None;
    let mut wakes = 0;
    while let Some(at) = uas.poll_timeout() {
        wakes += 1; // a machine that never stops asking to wake is a bug, not a hang
        assert!(wakes < 1000, "still waking at {at:?}");
        let woke = at + ms(40);
        uas.handle_timeout(woke);
        if uas.poll_transmit().is_some() {
            sent.push(woke.as_millis());
        }
        if uas.poll_event().is_some() {
            gave_up = Some(woke);
        }
    }
    assert_eq!(sent, [540, 1540, 3540, 7540, 15_540, 31_540]);
    assert_eq!(gave_up, Some(ms(32_040)));
}

/// RFC 3262 7.1 and 7.2 (`RSeq = "RSeq" HCOLON response-num`, `RAck = "RAck" HCOLON
/// response-num LWS CSeq-num LWS Method`) with RFC 3261 25.1's LWS and SWS: each refusal names
/// the byte where the value stops following the grammar, and a fold is whitespace only when
/// whitespace follows its CRLF.
#[test]
fn header_errors_point_at_the_byte() {
    let at = |r: Result<RAck<'_>, sip_responses_proto::reliable::HeaderError>| {
        r.map(|_| ()).map_err(|e| (e.kind(), e.at()))
    };
    // A method must be a token (RFC 3261 25.1), and nothing follows it.
    assert_eq!(
        at(RAck::parse("1 1 INV@TE")),
        Err((HeaderErrorKind::NotAToken, 7))
    );
    assert_eq!(
        at(RAck::parse("1 1 INVITE x")),
        Err((HeaderErrorKind::Trailing, 11))
    );
    assert_eq!(
        at(RAck::parse("1 1x INVITE")),
        Err((HeaderErrorKind::NotDigits, 3))
    );
    // LWS at the very end is no separator before a missing method.
    assert_eq!(at(RAck::parse("1 1 ")), Err((HeaderErrorKind::Missing, 4)));
    // `FromStr` borrows only the methods it knows, and says where the other one starts.
    assert_eq!(
        "1 1 FOO "
            .parse::<RAck<'_>>()
            .map(|_| ())
            .map_err(|e| (e.kind(), e.at())),
        Err((HeaderErrorKind::UnknownMethod, 4))
    );
    assert_eq!(
        "5 x".parse::<RSeq>().map_err(|e| (e.kind(), e.at())),
        Err((HeaderErrorKind::Trailing, 2))
    );
    // SWS: a leading fold after a space is whitespace; a CRLF without whitespace after it is
    // not a fold.
    assert_eq!(" \r\n 5".parse::<RSeq>().map(RSeq::get), Ok(5));
    assert!("\r\n5".parse::<RSeq>().is_err());
    let e = RAck::parse("1 1 INV@TE").unwrap_err();
    assert!(e.to_string().contains('7'), "{e}");
}

/// 3: "the UAS MUST NOT send a second reliable provisional response until the first is
/// acknowledged": the UAS says which one awaits its PRACK, and the UAC which it received
/// last; the refusals say why.
#[test]
fn the_machines_say_what_is_outstanding() {
    let mut uas = Uas::new(rseq(9), 1, "INVITE", T1_DEFAULT).expect("a UAS");
    assert_eq!(uas.unacknowledged(), None);
    uas.send_reliable(ms(0), code(StatusCode::Ringing), Body::Empty)
        .expect("the first");
    assert_eq!(uas.unacknowledged(), Some(rseq(9)));
    let prack = RAck::parse("9 1 INVITE").expect("a RAck");
    assert_eq!(uas.handle_prack(ms(5), &prack), PrackAnswer::Ok);
    assert_eq!(uas.unacknowledged(), None);
    let mut uac = Uac::new(1, "INVITE");
    assert_eq!(uac.last(), None);
    uac.handle_response(raw(StatusCode::Ringing), Some(rseq(4)));
    assert_eq!(uac.last(), Some(rseq(4)));
    let too_big = Uas::new(rseq(1 << 31), 1, "INVITE", T1_DEFAULT).unwrap_err();
    assert!(too_big.to_string().contains("2147483648"), "{too_big}");
    let not_final = uas.send_final(ms(6), StatusCode::Ringing).unwrap_err();
    assert!(matches!(not_final, FinalError::NotFinal(_)), "{not_final}");
    assert!(not_final.to_string().contains("180"), "{not_final}");
}
