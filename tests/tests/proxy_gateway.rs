//! The response layer of proxies (RFC 3261 16.7 to 16.10, the sans-IO `ResponseContext` of
//! `sip-responses-proto`) and gateways (RFC 3398 Q.850 causes).

use core::time::Duration;

use sip_responses::proxy::{
    Action, Best, Branch, EndCause, ProxyError, ProxyEvent, RequestKind, ResponseContext, TimerC,
    MAX_BRANCHES,
};
use sip_responses::q850::{cause_text, Reason};
use sip_responses::{Code, CodeError, StatusCode, T1};

const NOW: Duration = Duration::ZERO;

/// A code from the wire, known to the IANA set or not.
fn code(n: u16) -> Code<StatusCode> {
    Code::from_u16(n).unwrap()
}

fn invite() -> ResponseContext {
    ResponseContext::new(RequestKind::Invite)
}

/// `code` arrives on `branch` now.
fn respond(cx: &mut ResponseContext, branch: Branch, n: u16) -> Result<Action, ProxyError> {
    cx.handle_response(NOW, branch, code(n))
}

/// Offers one final `code` on a new branch each; returns the branches.
fn finals(cx: &mut ResponseContext, codes: &[u16]) -> Vec<Branch> {
    codes
        .iter()
        .map(|&n| {
            let b = cx.add_branch(NOW).unwrap();
            respond(cx, b, n).unwrap();
            b
        })
        .collect()
}

fn forward(branch: Branch, code: StatusCode) -> Option<Best<StatusCode>> {
    Some(Best::Forward {
        branch,
        code: Code::Known(code),
    })
}

fn generate(code: StatusCode) -> Option<Best<StatusCode>> {
    Some(Best::Generate(code))
}

/// Issue 15's proxy program, on branches.
#[test]
fn best_response_program() {
    let mut cx = invite();
    let b: Vec<Branch> = (0..4).map(|_| cx.add_branch(NOW).unwrap()).collect();
    assert_eq!(respond(&mut cx, b[0], 100), Ok(Action::Absorb)); // 100 is hop-by-hop
    assert_eq!(respond(&mut cx, b[0], 183), Ok(Action::Forward)); // other provisionals go upstream
    assert_eq!(respond(&mut cx, b[1], 155), Ok(Action::Forward)); // so does an unknown 1xx
    assert_eq!(respond(&mut cx, b[0], 486), Ok(Action::Store));
    assert_eq!(respond(&mut cx, b[1], 407), Ok(Action::Store));
    // Changed: a code outside 100..=699 is refused where it is made into a `Code`, before
    // the context sees it (the old `offer(b, 700)` answered ProxyError::OutOfRange).
    assert_eq!(Code::<StatusCode>::from_u16(700), None);
    assert_eq!(
        Code::<StatusCode>::try_from(700),
        Err(CodeError::OutOfRange(700))
    );
    assert!(!cx.is_complete());
    assert_eq!(cx.pending().collect::<Vec<_>>(), [b[2], b[3]]);
    assert_eq!(cx.poll_final(), None, "16.7 step 6 waits for every branch");
    assert_eq!(cx.handle_transport_error(NOW, b[2]), Ok(Action::Store)); // 16.9: a 503
                                                                         // 16.8: Timer C on b[3], which had no provisional: a 408.
    assert_eq!(cx.poll_timeout(), Some(TimerC::DEFAULT.get()));
    cx.handle_timeout(TimerC::DEFAULT.get());
    assert!(cx.is_complete());
    let best = cx.poll_final();
    assert_eq!(best, forward(b[1], StatusCode::ProxyAuthenticationRequired));
    assert_eq!(
        best.and_then(|b| b.code()).map(sip_responses::RawCode::get),
        Some(407)
    );
    assert_eq!(cx.poll_final(), None, "handed out once");
    assert_eq!(cx.challenges().collect::<Vec<_>>(), [b[1]]);
}

#[test]
fn a_6xx_cancels_the_others_and_wins_when_they_end() {
    let mut cx = invite();
    let b: Vec<Branch> = (0..3).map(|_| cx.add_branch(NOW).unwrap()).collect();
    assert_eq!(respond(&mut cx, b[1], 180), Ok(Action::Forward));
    // Changed: the 6xx is stored like any final (the old `Action::CancelOthers` is gone);
    // the CANCELs it calls for come from `poll_cancel`.
    assert_eq!(respond(&mut cx, b[0], 603), Ok(Action::Store));
    // 9.1: only a branch with a provisional response can be cancelled now.
    assert_eq!(cx.poll_cancel(NOW), Some(b[1]));
    assert_eq!(cx.poll_cancel(NOW), None);
    assert_eq!(respond(&mut cx, b[2], 183), Ok(Action::Forward));
    assert_eq!(
        cx.poll_cancel(NOW),
        Some(b[2]),
        "cancelled once its provisional arrived"
    );
    assert_eq!(cx.add_branch(NOW), Err(ProxyError::NoNewBranches));
    assert!(
        !cx.is_complete(),
        "16.7 step 5: the 6xx waits for the cancelled branches"
    );
    assert_eq!(cx.poll_final(), None);
    assert_eq!(respond(&mut cx, b[1], 487), Ok(Action::Store));
    assert_eq!(respond(&mut cx, b[2], 487), Ok(Action::Store));
    assert!(cx.is_complete());
    assert_eq!(cx.poll_final(), forward(b[0], StatusCode::Decline));
}

#[test]
fn the_lowest_class_then_the_lowest_code_wins() {
    let mut cx = invite();
    let b = finals(&mut cx, &[503, 486, 302]);
    assert_eq!(cx.poll_final(), forward(b[2], StatusCode::MovedTemporarily));
    let mut cx = invite();
    let b = finals(&mut cx, &[486, 480, 404]);
    assert_eq!(
        cx.poll_final(),
        forward(b[2], StatusCode::NotFound),
        "lowest code, not earliest"
    );
    // An unknown code is forwarded as it came.
    let mut cx = invite();
    let b = finals(&mut cx, &[499, 500]);
    assert!(
        matches!(cx.poll_final(), Some(Best::Forward { branch, code: Code::Unknown(raw) }) if branch == b[0] && raw.get() == 499)
    );
}

#[test]
fn a_lone_503_becomes_a_generated_500() {
    let mut cx = invite();
    finals(&mut cx, &[503]);
    assert_eq!(cx.poll_final(), generate(StatusCode::ServerInternalError));
    // Changed: the old test added the 504 to the same context after asking `best()`; a
    // final went upstream by then, so it is a context of its own now.
    let mut cx = invite();
    let b = finals(&mut cx, &[503, 504]);
    assert_eq!(cx.poll_final(), forward(b[1], StatusCode::ServerTimeOut));
    // A transport error (16.9) counts as a 503: alone, a generated 500; beside a received
    // 5xx, that one.
    let mut cx = invite();
    let a = cx.add_branch(NOW).unwrap();
    assert_eq!(cx.handle_transport_error(NOW, a), Ok(Action::Store));
    assert_eq!(cx.poll_final(), generate(StatusCode::ServerInternalError));
    let mut cx = invite();
    let a = cx.add_branch(NOW).unwrap();
    let b = finals(&mut cx, &[500]);
    cx.handle_transport_error(NOW, a).unwrap();
    assert_eq!(
        cx.poll_final(),
        forward(b[0], StatusCode::ServerInternalError)
    );
}

#[test]
fn no_final_response_gives_408() {
    let mut cx = invite();
    assert!(cx.is_complete(), "no branch: nothing to wait for");
    assert_eq!(cx.poll_final(), generate(StatusCode::RequestTimeout));
    // Changed: the old `best()` could be asked while a branch was pending (it said 408);
    // `poll_final` answers only once every branch ended (16.7 step 6).
    let mut cx = invite();
    let b = cx.add_branch(NOW).unwrap();
    assert_eq!(respond(&mut cx, b, 180), Ok(Action::Forward));
    assert_eq!(cx.poll_final(), None);
    // 16.8: Timer C on a branch with a provisional: CANCEL it, do not invent a 408.
    let c = TimerC::DEFAULT.get();
    assert_eq!(cx.poll_timeout(), Some(c));
    cx.handle_timeout(c);
    assert_eq!(cx.poll_cancel(c), Some(b));
    assert!(!cx.is_complete());
    assert_eq!(cx.poll_final(), None);
    assert_eq!(respond(&mut cx, b, 487), Ok(Action::Store));
    assert_eq!(cx.poll_final(), forward(b, StatusCode::RequestTerminated));
}

/// Timer C runs per INVITE branch from its creation, restarts on a 101..=199 (16.7 step 2)
/// but not on a 100, and a branch that was cancelled and never answered ends 64*T1 after the
/// CANCEL (9.1).
#[test]
fn timer_c_restarts_on_provisionals_and_a_cancelled_branch_gives_up() {
    assert_eq!(TimerC::new(Duration::from_secs(180)), None);
    let c = Duration::from_secs(1);
    let t1 = T1::new(Duration::from_millis(10)).unwrap();
    let mut cx = invite()
        .with_timer_c(TimerC::below_rfc_minimum(c).unwrap())
        .with_t1(t1);
    let a = cx.add_branch(NOW).unwrap();
    let b = cx.add_branch(Duration::from_millis(100)).unwrap();
    assert_eq!(cx.poll_timeout(), Some(c));
    let at = Duration::from_millis(500);
    assert_eq!(cx.handle_response(at, a, code(100)), Ok(Action::Absorb));
    assert_eq!(cx.poll_timeout(), Some(c), "a 100 does not restart Timer C");
    assert_eq!(cx.handle_response(at, a, code(180)), Ok(Action::Forward));
    assert_eq!(
        cx.poll_timeout(),
        Some(c + Duration::from_millis(100)),
        "b's"
    );
    assert_eq!(cx.pending().collect::<Vec<_>>(), [a, b]);
    // b's Timer C: no provisional, a 408 stands in.
    cx.handle_timeout(c + Duration::from_millis(100));
    assert_eq!(cx.pending().collect::<Vec<_>>(), [a]);
    assert_eq!(cx.poll_timeout(), Some(at + c));
    // a's Timer C: it had a 180, so it is cancelled; nothing answers the CANCEL.
    cx.handle_timeout(at + c);
    assert_eq!(cx.poll_cancel(at + c), Some(a));
    assert_eq!(cx.poll_timeout(), Some(at + c + t1.times(64)));
    cx.handle_timeout(
        (at + c + t1.times(64))
            .checked_sub(Duration::from_millis(1))
            .unwrap(),
    );
    assert!(!cx.is_complete());
    cx.handle_timeout(at + c + t1.times(64));
    assert!(cx.is_complete());
    assert_eq!(cx.poll_timeout(), None);
    assert_eq!(cx.poll_final(), generate(StatusCode::RequestTimeout));
    // A request other than INVITE has no Timer C.
    let mut cx = ResponseContext::new(RequestKind::NonInvite);
    cx.add_branch(NOW).unwrap();
    assert_eq!(cx.poll_timeout(), None);
}

/// Within 4xx a response that arrived beats the 408 that Timer C or a transaction timeout
/// stood for, which is generated, never forwarded (the type says which).
#[test]
fn a_received_4xx_beats_the_408_a_timeout_stood_for() {
    let mut cx = invite();
    let silent = cx.add_branch(NOW).unwrap();
    let b = finals(&mut cx, &[486]);
    cx.handle_timeout(TimerC::DEFAULT.get());
    assert!(cx.is_complete());
    // The old context ranked Timer C's 408 as a response of `silent` and forwarded it
    // (408 < 486); RFC 3261 16.7 step 6 chooses among the responses received.
    assert_eq!(cx.poll_final(), forward(b[0], StatusCode::BusyHere));
    // A 408 a branch returned is forwarded; one a timeout stood for is generated.
    let mut cx = invite();
    let silent = [silent, cx.add_branch(NOW).unwrap()][1];
    let b = finals(&mut cx, &[408]);
    cx.handle_transaction_timeout(NOW, silent).unwrap();
    assert_eq!(cx.poll_final(), forward(b[0], StatusCode::RequestTimeout));
    let mut cx = invite();
    let silent = cx.add_branch(NOW).unwrap();
    assert_eq!(
        cx.handle_transaction_timeout(NOW, silent),
        Ok(Action::Store)
    );
    assert_eq!(
        cx.handle_transaction_timeout(NOW, silent),
        Ok(Action::Absorb),
        "ended already"
    );
    assert_eq!(cx.poll_final(), generate(StatusCode::RequestTimeout));
    // The stand-in 408 is still a 4xx: it beats a received 5xx.
    let mut cx = invite();
    let silent = cx.add_branch(NOW).unwrap();
    finals(&mut cx, &[500]);
    cx.handle_transaction_timeout(NOW, silent).unwrap();
    assert_eq!(cx.poll_final(), generate(StatusCode::RequestTimeout));
}

#[test]
fn every_2xx_is_forwarded_and_later_finals_absorbed() {
    let mut cx = invite();
    let b: Vec<Branch> = (0..4).map(|_| cx.add_branch(NOW).unwrap()).collect();
    assert_eq!(respond(&mut cx, b[0], 486), Ok(Action::Store));
    assert_eq!(respond(&mut cx, b[3], 180), Ok(Action::Forward));
    assert_eq!(respond(&mut cx, b[1], 200), Ok(Action::Forward));
    assert_eq!(
        cx.poll_cancel(NOW),
        Some(b[3]),
        "16.7 step 10: cancel the pending branches"
    );
    assert_eq!(respond(&mut cx, b[2], 202), Ok(Action::Forward));
    assert_eq!(respond(&mut cx, b[3], 480), Ok(Action::Absorb));
    assert!(cx.is_complete());
    // Changed: `Best::Done` is gone: nothing is left to send once a 2xx went upstream.
    assert_eq!(cx.poll_final(), None);
}

#[test]
fn retransmissions_and_late_responses_are_absorbed() {
    let mut cx = invite();
    let (a, b) = (cx.add_branch(NOW).unwrap(), cx.add_branch(NOW).unwrap());
    assert_eq!(respond(&mut cx, a, 486), Ok(Action::Store));
    assert_eq!(
        respond(&mut cx, a, 486),
        Ok(Action::Absorb),
        "a retransmitted final"
    );
    assert_eq!(
        respond(&mut cx, a, 180),
        Ok(Action::Absorb),
        "a provisional after the final"
    );
    assert_eq!(respond(&mut cx, b, 404), Ok(Action::Store));
    assert_eq!(cx.poll_final(), forward(b, StatusCode::NotFound));
    // Once a final went upstream only a 2xx to an INVITE follows it (16.7 step 5), also on a
    // branch whose final arrived.
    assert_eq!(respond(&mut cx, b, 200), Ok(Action::Forward));
    assert_eq!(respond(&mut cx, a, 486), Ok(Action::Absorb));
    // Changed: a final goes upstream only through `poll_final` (every branch ended) or a
    // 2xx, so "a final went upstream while b is pending" is a 2xx on a.
    let mut cx = invite();
    let (a, b) = (cx.add_branch(NOW).unwrap(), cx.add_branch(NOW).unwrap());
    assert_eq!(respond(&mut cx, a, 200), Ok(Action::Forward));
    assert_eq!(respond(&mut cx, b, 180), Ok(Action::Absorb));
    assert_eq!(respond(&mut cx, b, 200), Ok(Action::Forward));
    assert_eq!(cx.add_branch(NOW), Err(ProxyError::NoNewBranches));
    // Changed: a retransmitted 2xx to an INVITE is forwarded too (RFC 6026 makes the
    // transaction pass 2xx retransmissions to the proxy core, which forwards them); the
    // old context absorbed it.
    assert_eq!(respond(&mut cx, b, 200), Ok(Action::Forward));
    // To a request other than INVITE, only the first 2xx goes upstream.
    let mut cx = ResponseContext::new(RequestKind::NonInvite);
    let (a, b) = (cx.add_branch(NOW).unwrap(), cx.add_branch(NOW).unwrap());
    assert_eq!(respond(&mut cx, a, 200), Ok(Action::Forward));
    assert_eq!(respond(&mut cx, a, 200), Ok(Action::Absorb));
    assert_eq!(respond(&mut cx, b, 202), Ok(Action::Absorb));
    assert_eq!(cx.poll_final(), None);
    // A branch belongs to its context. Changed: the old context took any index below its
    // count, so another context's branch 0 was refused only by a context without branches.
    let other = invite().add_branch(NOW).unwrap();
    let mut fresh = invite();
    assert_eq!(
        respond(&mut fresh, other, 200),
        Err(ProxyError::UnknownBranch(other))
    );
    fresh.add_branch(NOW).unwrap();
    assert_eq!(other.index(), 0);
    assert_eq!(
        respond(&mut fresh, other, 200),
        Err(ProxyError::UnknownBranch(other))
    );
    assert_eq!(
        fresh.handle_transport_error(NOW, other),
        Err(ProxyError::UnknownBranch(other))
    );
    let mut full = invite();
    for _ in 0..MAX_BRANCHES {
        full.add_branch(NOW).unwrap();
    }
    assert_eq!(full.add_branch(NOW), Err(ProxyError::TooManyBranches));
    for e in [
        ProxyError::TooManyBranches,
        ProxyError::NoNewBranches,
        ProxyError::UnknownBranch(other),
    ] {
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn resubmission_codes_come_first_within_4xx() {
    for code in [401, 407, 415, 420, 484] {
        let mut cx = invite();
        let b = finals(&mut cx, &[404, code, 486]);
        assert_eq!(
            cx.poll_final(),
            forward(b[1], StatusCode::from_u16(code).unwrap()),
            "{code}"
        );
        assert!(StatusCode::from_u16(code)
            .unwrap()
            .is_affects_resubmission());
    }
    let mut cx = invite();
    let b = finals(&mut cx, &[404, 404]);
    assert_eq!(
        cx.poll_final(),
        forward(b[0], StatusCode::NotFound),
        "equal codes: the earliest"
    );
}

#[test]
fn challenges_collect_every_401_and_407() {
    let mut cx = invite();
    let b = finals(&mut cx, &[401, 486, 407, 401]);
    assert_eq!(cx.challenges().collect::<Vec<_>>(), [b[0], b[2], b[3]]);
}

#[test]
fn the_caller_cancels() {
    let mut cx = invite();
    let (a, b) = (cx.add_branch(NOW).unwrap(), cx.add_branch(NOW).unwrap());
    respond(&mut cx, a, 180).unwrap();
    cx.handle_cancel(NOW); // 16.10
    assert_eq!(cx.poll_cancel(NOW), Some(a));
    assert_eq!(cx.poll_cancel(NOW), None);
    assert_eq!(cx.add_branch(NOW), Err(ProxyError::NoNewBranches));
    respond(&mut cx, b, 100).unwrap(); // hop-by-hop, but a provisional: b can be cancelled now
    assert_eq!(cx.poll_cancel(NOW), Some(b));
    respond(&mut cx, a, 487).unwrap();
    respond(&mut cx, b, 487).unwrap();
    assert!(cx.is_complete());
    assert_eq!(cx.poll_final(), forward(a, StatusCode::RequestTerminated));
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
    /// What goes upstream at the end.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Want {
        /// The response a branch returned, forwarded.
        Forward(u16),
        /// A response the proxy generates (16.7 step 6).
        Generate(u16),
        /// Nothing: a 2xx went upstream already.
        Nothing,
    }
    use Want::{Forward as Fw, Generate as Gen};
    use E::{Final as F, Silent as S};
    let cases: [(&[E], Want); 8] = [
        (&[F(486), F(407), F(503)], Fw(407)),
        (&[F(503), F(503), F(503)], Gen(500)),
        (&[F(486), F(603), F(200)], Want::Nothing), // the 200 after the 603 goes upstream
        (&[F(401), F(407), F(486)], Fw(401)),
        (&[S, S, S], Gen(408)),
        (&[F(302), F(486), F(500)], Fw(302)),
        (&[F(486), F(415), F(480)], Fw(415)),
        // Timer C's 408 is the only 4xx: it beats the 5xx, and is generated (the old
        // context forwarded it as the silent branch's).
        (&[F(500), F(503), S], Gen(408)),
    ];
    for (events, want) in cases {
        let mut cx = invite();
        let branches: Vec<Branch> = events.iter().map(|_| cx.add_branch(NOW).unwrap()).collect();
        let mut forwarded_2xx = false;
        for (b, e) in branches.iter().zip(events) {
            match e {
                F(n) => forwarded_2xx |= respond(&mut cx, *b, *n).unwrap() == Action::Forward,
                S => {}
            }
        }
        // The silent branches' Timer C.
        cx.handle_timeout(TimerC::DEFAULT.get());
        assert!(cx.is_complete());
        let got = match cx.poll_final() {
            Some(Best::Forward { code, .. }) => Fw(code.get()),
            Some(Best::Generate(code)) => Gen(code.code()),
            Some(Best::NoResponse) | None => Want::Nothing,
        };
        assert_eq!(got, want);
        assert_eq!(forwarded_2xx, want == Want::Nothing);
    }
    // Both challenges of {401, 407, 486} are merged.
    let mut cx = invite();
    let b = finals(&mut cx, &[401, 407, 486]);
    assert_eq!(cx.challenges().collect::<Vec<_>>(), [b[0], b[1]]);
}

#[test]
fn for_set_needs_408_and_500_exactly() {
    use sip_responses_tests::derived::Common;
    // `Common` has 400 (the 8.1.3.2 fallback for 408) but not 408 itself.
    assert_eq!(
        ResponseContext::<Common>::for_set(RequestKind::Invite).map(|_| ()),
        Err(CodeError::Unknown(408))
    );
    assert!(ResponseContext::<StatusCode>::for_set(RequestKind::NonInvite).is_ok());
}

/// One event of a random proxy run.
#[derive(Debug, Clone)]
enum Event {
    /// A response with this code on the branch (an index, modulo the branches).
    Respond(usize, u16),
    /// Time passes, waking at every timeout.
    Wait(u64),
    /// 16.9.
    TransportError(usize),
    /// Timer B or F of the branch's client transaction.
    TransactionTimeout(usize),
    /// The caller's CANCEL (16.10).
    Cancel,
    /// One more target.
    AddBranch,
    /// The proxy recurses on the branch's response (a 3xx's contacts, or a 416; 16.7 step
    /// 4): this many new branches, then the branch ends without its response stored.
    Recurse(usize, usize),
}

fn event() -> impl proptest::strategy::Strategy<Value = Event> {
    use proptest::prelude::*;
    let codes = vec![
        100u16, 180, 183, 200, 302, 401, 404, 407, 408, 415, 480, 486, 499, 500, 503, 504, 603,
    ];
    prop_oneof![
        8 => (0usize..8, prop::sample::select(codes)).prop_map(|(b, c)| Event::Respond(b, c)),
        3 => (0u64..1500).prop_map(Event::Wait),
        1 => (0usize..8).prop_map(Event::TransportError),
        1 => (0usize..8).prop_map(Event::TransactionTimeout),
        1 => Just(Event::Cancel),
        1 => Just(Event::AddBranch),
        1 => (0usize..8, 0usize..3).prop_map(|(b, n)| Event::Recurse(b, n)),
    ]
}

/// The model of one branch.
#[derive(Debug, Clone, Default)]
struct Model {
    ended: bool,
    provisional: bool,
    timer_c: Option<Duration>,
    cancel: bool,
    cancel_sent: Option<Duration>,
    /// Time ended it, not yet told (`poll_event`).
    ended_by: Option<EndCause>,
}

/// The proxy wants every pending branch cancelled (16.7 step 10, 16.10): of an INVITE only
/// (9.1: "A CANCEL request SHOULD NOT be sent to cancel a request other than INVITE").
fn cancel_pending(model: &mut [Model], invite: bool) {
    for m in model.iter_mut().filter(|m| !m.ended && invite) {
        m.cancel = true;
    }
}

/// RFC 3261 16.7 step 6 restated over the responses stored, in arrival order (`None`: a 408
/// or 503 that a timeout or a transport error stood for): a 6xx, else the lowest class;
/// within it the lowest code, the earliest among equal codes; within 4xx the received
/// responses that affect resubmission, then the other received ones, then a generated 408;
/// within 5xx a received one other than 503, else a generated 500; no response: a generated
/// 408. For a non-INVITE request RFC 4320 4.2 takes every 408 out ("MUST NOT send a
/// response with Status-Code of 408 to a non-INVITE request"), and where nothing is left,
/// nothing is sent.
fn restate_16_7(stored: &[(Option<Branch>, u16)], is_invite: bool) -> Best<StatusCode> {
    if !is_invite {
        let counted: Vec<_> = stored.iter().copied().filter(|&(_, c)| c != 408).collect();
        return match restate_16_7(&counted, true) {
            Best::Generate(StatusCode::RequestTimeout) => Best::NoResponse,
            best => best,
        };
    }
    let received = |class: u16, keep: &dyn Fn(u16) -> bool| {
        stored
            .iter()
            .filter(|(from, c)| from.is_some() && c / 100 == class && keep(*c))
            .min_by_key(|(_, c)| *c)
            .map(|&(from, c)| Best::Forward {
                branch: from.unwrap(),
                code: code(c),
            })
    };
    let any = |class: u16| stored.iter().any(|(_, c)| c / 100 == class);
    let resubmission = |c: u16| [401, 407, 415, 420, 484].contains(&c);
    if any(6) {
        return received(6, &|_| true).unwrap();
    }
    if any(3) {
        return received(3, &|_| true).unwrap();
    }
    if any(4) {
        return received(4, &resubmission)
            .or_else(|| received(4, &|_| true))
            .unwrap_or(Best::Generate(StatusCode::RequestTimeout));
    }
    if any(5) {
        return received(5, &|c| c != 503)
            .unwrap_or(Best::Generate(StatusCode::ServerInternalError));
    }
    Best::Generate(StatusCode::RequestTimeout)
}

proptest::proptest! {
    /// Any order of responses, time (Timer C, 64*T1 after a CANCEL), transport errors,
    /// transaction timeouts, the caller's CANCEL, new branches and recursion (16.7 step 4),
    /// for an INVITE or not (no CANCEL then, 9.1): no
    /// panic; each action, each CANCEL, each wake-up time and the completion are what RFC
    /// 3261 16.7 to 16.10 say; and `poll_final()`, asked after every event, hands out once
    /// what a plain restatement of 16.7 step 6 chooses over the responses that count
    /// (within 4xx a received response beats the 408 Timer C stood for; what was generated
    /// and what is forwarded is in the type).
    #[test]
    fn best_follows_a_restatement_of_16_7(
        events in proptest::collection::vec(event(), 0..50),
        count in 0usize..5,
        is_invite in proptest::bool::weighted(0.8),
    ) {
        use proptest::{prop_assert, prop_assert_eq};
        let timer_c = Duration::from_secs(1);
        let t1 = T1::new(Duration::from_millis(5)).unwrap();
        let kind = if is_invite { RequestKind::Invite } else { RequestKind::NonInvite };
        let mut cx = ResponseContext::new(kind)
            .with_timer_c(TimerC::below_rfc_minimum(timer_c).unwrap())
            .with_t1(t1);
        let mut now = Duration::ZERO;
        let mut branches: Vec<Branch> = vec![];
        let mut model: Vec<Model> = vec![];
        let mut stored: Vec<(Option<Branch>, u16)> = vec![];
        let mut challenges: Vec<Branch> = vec![];
        let (mut final_sent, mut closed) = (false, false);
        let add = |now: Duration, cx: &mut ResponseContext, branches: &mut Vec<Branch>, model: &mut Vec<Model>, closed: bool| {
            let got = cx.add_branch(now);
            if closed {
                prop_assert_eq!(got, Err(ProxyError::NoNewBranches));
            } else if branches.len() == MAX_BRANCHES {
                prop_assert_eq!(got, Err(ProxyError::TooManyBranches));
            } else {
                let b = got.unwrap();
                prop_assert_eq!(b.index(), branches.len());
                branches.push(b);
                model.push(Model { timer_c: is_invite.then_some(now + timer_c), ..Model::default() });
            }
            Ok(())
        };
        for _ in 0..=count {
            add(now, &mut cx, &mut branches, &mut model, closed)?;
        }
        // Time passes to `at` in the model (`handle_timeout`).
        let timeout = |at: Duration, model: &mut Vec<Model>, stored: &mut Vec<(Option<Branch>, u16)>, final_sent: bool| {
            for m in model.iter_mut().filter(|m| !m.ended) {
                if let Some(sent) = m.cancel_sent {
                    // 9.1: 64*T1 after the CANCEL, the branch counts as cancelled.
                    if at >= sent + t1.times(64) {
                        m.ended = true;
                        m.ended_by = Some(EndCause::CancelUnanswered);
                    }
                } else if m.timer_c.is_some_and(|c| at >= c) {
                    // 16.8: cancel a branch that had a provisional; else as if a 408 came.
                    if m.provisional {
                        m.timer_c = None;
                        m.cancel = true;
                    } else {
                        m.ended = true;
                        m.ended_by = Some(EndCause::TimerC);
                        if !final_sent {
                            stored.push((None, 408));
                        }
                    }
                }
            }
        };
        for event in events {
            let stand_in = |i: usize, n: u16, model: &mut Vec<Model>, stored: &mut Vec<(Option<Branch>, u16)>| {
                let m = &mut model[i];
                if m.ended {
                    return Action::Absorb;
                }
                m.ended = true;
                if final_sent {
                    return Action::Absorb;
                }
                stored.push((None, n));
                Action::Store
            };
            match event {
                Event::Respond(..)
                | Event::TransportError(_)
                | Event::TransactionTimeout(_)
                | Event::Recurse(..)
                    if branches.is_empty() => {}
                Event::Respond(which, n) => {
                    let i = which % branches.len();
                    let b = branches[i];
                    let got = cx.handle_response(now, b, code(n)).unwrap();
                    let m = &mut model[i];
                    let want = if n < 200 {
                        if m.ended {
                            Action::Absorb
                        } else {
                            m.provisional = true;
                            // 16.7 step 2: a 101..=199 restarts Timer C.
                            if n != 100 && m.timer_c.is_some() {
                                m.timer_c = Some(now + timer_c);
                            }
                            if n == 100 || final_sent { Action::Absorb } else { Action::Forward }
                        }
                    } else if n < 300 && (is_invite || !m.ended) {
                        let first = !final_sent;
                        m.ended = true;
                        final_sent = true;
                        closed = true;
                        cancel_pending(&mut model, is_invite);
                        // Every 2xx to an INVITE; the first to another request.
                        if is_invite || first { Action::Forward } else { Action::Absorb }
                    } else if m.ended || final_sent {
                        m.ended = true;
                        Action::Absorb
                    } else {
                        m.ended = true;
                        stored.push((Some(b), n));
                        if n == 401 || n == 407 {
                            challenges.push(b);
                        }
                        if n >= 600 {
                            closed = true;
                            cancel_pending(&mut model, is_invite);
                        }
                        Action::Store
                    };
                    prop_assert_eq!(got, want, "{} on branch {}", n, i);
                }
                Event::TransportError(which) => {
                    let i = which % branches.len();
                    let got = cx.handle_transport_error(now, branches[i]).unwrap();
                    prop_assert_eq!(got, stand_in(i, 503, &mut model, &mut stored));
                }
                Event::TransactionTimeout(which) => {
                    let i = which % branches.len();
                    let got = cx.handle_transaction_timeout(now, branches[i]).unwrap();
                    prop_assert_eq!(got, stand_in(i, 408, &mut model, &mut stored));
                }
                Event::Cancel => {
                    cx.handle_cancel(now);
                    closed = true;
                    cancel_pending(&mut model, is_invite);
                }
                Event::AddBranch => add(now, &mut cx, &mut branches, &mut model, closed)?,
                Event::Recurse(which, new) => {
                    let i = which % branches.len();
                    for _ in 0..new {
                        add(now, &mut cx, &mut branches, &mut model, closed)?;
                    }
                    prop_assert_eq!(cx.handle_recursion(now, branches[i]), Ok(()));
                    model[i].ended = true;
                }
                Event::Wait(ms) => {
                    let until = now + Duration::from_millis(ms);
                    loop {
                        let wake = model
                            .iter()
                            .filter(|m| !m.ended)
                            .filter_map(|m| m.cancel_sent.map(|s| s + t1.times(64)).or(m.timer_c))
                            .min();
                        prop_assert_eq!(cx.poll_timeout(), wake);
                        let Some(wake) = wake.filter(|&w| w <= until) else { break };
                        prop_assert!(wake >= now);
                        now = wake;
                        cx.handle_timeout(now);
                        timeout(now, &mut model, &mut stored, final_sent);
                        // Call the polls after every handle_*, as a caller does.
                        for (i, m) in model.iter_mut().enumerate() {
                            if m.cancel && m.cancel_sent.is_none() && m.provisional && !m.ended {
                                prop_assert_eq!(cx.poll_cancel(now), Some(branches[i]));
                                m.cancel_sent = Some(now);
                            }
                        }
                        prop_assert_eq!(cx.poll_cancel(now), None);
                    }
                    now = until;
                    cx.handle_timeout(now);
                    timeout(now, &mut model, &mut stored, final_sent);
                }
            }
            // 9.1: a branch the proxy wants cancelled gets its CANCEL once it had a
            // provisional response and while it has no final one; each once.
            for (i, m) in model.iter_mut().enumerate() {
                if m.cancel && m.cancel_sent.is_none() && m.provisional && !m.ended {
                    prop_assert_eq!(cx.poll_cancel(now), Some(branches[i]));
                    m.cancel_sent = Some(now);
                }
            }
            prop_assert_eq!(cx.poll_cancel(now), None);
            // A branch time ended is told once, so that its client transaction stops.
            for (i, m) in model.iter_mut().enumerate() {
                if let Some(cause) = m.ended_by.take() {
                    let want = ProxyEvent::BranchEnded { branch: branches[i], cause };
                    prop_assert_eq!(cx.poll_event(), Some(want));
                }
            }
            prop_assert_eq!(cx.poll_event(), None);
            let complete = model.iter().all(|m| m.ended);
            prop_assert_eq!(cx.is_complete(), complete);
            let pending: Vec<Branch> = branches.iter().zip(&model).filter(|(_, m)| !m.ended).map(|(b, _)| *b).collect();
            prop_assert_eq!(cx.pending().collect::<Vec<_>>(), pending);
            let want = (complete && !final_sent).then(|| restate_16_7(&stored, is_invite));
            prop_assert_eq!(cx.poll_final(), want, "stored {:?}", stored);
            if want.is_some() {
                final_sent = true;
                closed = true;
            }
            prop_assert_eq!(cx.challenges().collect::<Vec<_>>(), challenges.clone());
        }
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
    let mut cx = ResponseContext::<VendorStatus>::for_set(RequestKind::Invite).unwrap();
    let (a, b) = (cx.add_branch(NOW).unwrap(), cx.add_branch(NOW).unwrap());
    let vendor = |n| Code::<VendorStatus>::from_u16(n).unwrap();
    cx.handle_response(NOW, a, vendor(404)).unwrap();
    cx.handle_response(NOW, b, vendor(486)).unwrap();
    // The vendor spec flags 486 `affects-resubmission`: preferred to the lower 404.
    assert_eq!(
        cx.poll_final(),
        Some(Best::Forward {
            branch: b,
            code: Code::Known(VendorStatus::BusyHere)
        })
    );
    assert_eq!(
        ResponseContext::<VendorStatus>::for_set(RequestKind::Invite)
            .unwrap()
            .poll_final(),
        Some(Best::Generate(VendorStatus::RequestTimeout))
    );
}

/// RFC 3326's grammar: what parses, what it parses to, and a typed error with its byte for
/// each way a value can be wrong; what `Display` writes parses back to the same value.
#[test]
fn reason_values_parse() {
    use sip_responses::q850::{Protocol, ValueError, ValueErrorKind as K};
    fn ok(v: &str) -> Reason<'_> {
        Reason::parse(v).unwrap()
    }
    fn parts(r: Reason<'_>) -> (Protocol<'_>, Option<u32>, Option<String>) {
        (r.protocol(), r.cause(), r.text().map(str::to_owned))
    }
    assert_eq!(
        parts(ok("SIP;cause=200;text=\"Call completed elsewhere\"")),
        (
            Protocol::Sip,
            Some(200),
            Some("Call completed elsewhere".to_owned())
        )
    );
    assert_eq!(
        ok("SIP;cause=200")
            .sip_code()
            .map(sip_responses::RawCode::get),
        Some(200)
    );
    assert_eq!(
        parts(ok("q.850;CAUSE=16")),
        (Protocol::Q850, Some(16), None)
    );
    let extended = ok(" Q.850 ;\tcause = 31 ; text = \"say \\\"hi\\\"\" ; x-ext=1;flag");
    assert_eq!(
        parts(extended),
        (Protocol::Q850, Some(31), Some("say \\\"hi\\\"".to_owned()))
    );
    // Extension parameters survive a parse and a write (RFC 3326's reason-extension).
    assert_eq!(
        extended.extensions().collect::<Vec<_>>(),
        ["x-ext=1", "flag"]
    );
    assert_eq!(
        extended.to_string(),
        "Q.850;cause=31;text=\"say \\\"hi\\\"\";x-ext=1;flag"
    );
    assert_eq!(Reason::parse(&extended.to_string()), Ok(extended));
    assert_eq!(
        parts(ok("preemption;cause=1;text=\"UA Preemption\"")),
        (
            Protocol::Other("preemption"),
            Some(1),
            Some("UA Preemption".to_owned())
        )
    );
    let err = |v: &str| -> (K, usize) {
        let e: ValueError = Reason::parse(v).unwrap_err();
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
    assert_eq!(
        err("SIP;cause=486;text=\"a\u{7}b\""),
        (K::TextNotQuotable, 21)
    );
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
            Reason::new("SIP", Some(580), Some("Precondition, failed")),
            Reason::new("Q.850", Some(47), None),
        ]
    );
    assert_eq!(list[2].unwrap_err().kind(), K::CauseNotDigits);
    assert_eq!(list[2].unwrap_err().at(), 69); // the `x`, counted in the whole value
    assert_eq!(list.len(), 3);
}

/// RFC 3326's grammar on what a relay or gateway builds: a text with a line break (a second
/// header line), a cause out of its protocol's range and a protocol that is not a token are
/// refused; every code a relay carries, one the set does not know included, makes a `SIP`
/// value.
#[test]
fn reason_values_built_from_parts_are_checked() {
    use sip_responses::q850::{Protocol, ValueError, ValueErrorKind as K};
    use sip_responses::Code;
    fn kind(r: Result<Reason<'_>, ValueError>) -> Result<(), (K, usize)> {
        r.map(|_| ()).map_err(|e| (e.kind(), e.at()))
    }
    assert_eq!(
        kind(Reason::new(
            "Q.850",
            Some(16),
            Some("Busy\r\nVia: SIP/2.0/UDP evil")
        )),
        Err((K::TextNotQuotable, 4))
    );
    assert_eq!(
        kind(Reason::new("Q.850", Some(16), Some("say \"hi\""))),
        Err((K::TextNotQuotable, 4))
    );
    assert_eq!(
        kind(Reason::new("Q.850", Some(16), Some("say \\\"hi\\\""))),
        Ok(())
    );
    assert_eq!(
        kind(Reason::new("Q.850", Some(9999), None)),
        Err((K::CauseOutOfRange, 0))
    );
    assert_eq!(
        kind(Reason::new("SIP", Some(99), None)),
        Err((K::CauseOutOfRange, 0))
    );
    assert_eq!(
        kind(Reason::new("SIP", None, None)),
        Err((K::MissingCause, 0))
    );
    assert_eq!(
        kind(Reason::new("bad proto", Some(1), None)),
        Err((K::NotAToken, 3))
    );
    assert_eq!(kind(Reason::new("", None, None)), Err((K::NotAToken, 0)));
    let relayed: Code<StatusCode> = Code::try_from(499).unwrap();
    let reason = Reason::sip(relayed);
    assert_eq!(
        (reason.protocol(), reason.cause(), reason.text()),
        (Protocol::Sip, Some(499), None)
    );
    assert_eq!(
        Reason::sip(Code::<StatusCode>::from(StatusCode::BusyHere)),
        Reason::sip(StatusCode::BusyHere)
    );
    for &code in StatusCode::ALL {
        assert_eq!(
            Reason::sip(code)
                .sip_code()
                .map(sip_responses::RawCode::get),
            Some(code.code())
        );
    }
}
