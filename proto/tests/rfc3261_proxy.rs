//! One test per RFC 3261 rule (Sections 9.1 and 16.6 to 16.10, with RFC 6026) the proxy
//! response context holds, each quoting its sentence.

use core::time::Duration;

use sip_responses_core::{Code, StatusCode};
use sip_responses_proto::proxy::{
    Action, Best, Branch, EndCause, ProxyError, ProxyEvent, RequestKind, ResponseContext, TimerC,
};
use sip_responses_proto::T1;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

const T0: Duration = Duration::ZERO;

/// 16.7 step 5: "After a final response has been sent on the server transaction, the
/// following responses MUST be forwarded immediately: - Any 2xx response to an INVITE
/// request". RFC 6026 7.2: "A 2xx response received while in the
/// "Accepted" state MUST be passed to the TU"; 8.4: "A proxy core will always forward the 2xx
/// response upstream": a retransmission and a second fork's 2xx on one branch too.
#[test]
fn every_2xx_to_an_invite_goes_upstream() {
    let mut cx = ResponseContext::new(RequestKind::Invite);
    let (a, b) = (cx.add_branch(T0).unwrap(), cx.add_branch(T0).unwrap());
    assert_eq!(
        cx.handle_response(T0, a, StatusCode::Ok),
        Ok(Action::Forward)
    );
    // The retransmission of a's 200, and b's own 200 (a second fork answered).
    assert_eq!(
        cx.handle_response(secs(1), a, StatusCode::Ok),
        Ok(Action::Forward)
    );
    assert_eq!(
        cx.handle_response(secs(1), b, StatusCode::Ok),
        Ok(Action::Forward)
    );
    assert_eq!(cx.poll_final(), None); // a 2xx was the final response
                                       // Also on a branch that Timer C ended (it stood for a 408) and after a final response
                                       // went upstream.
    let mut cx = ResponseContext::new(RequestKind::Invite)
        .with_timer_c(TimerC::below_rfc_minimum(secs(10)).unwrap());
    let (a, b) = (cx.add_branch(T0).unwrap(), cx.add_branch(T0).unwrap());
    assert_eq!(
        cx.handle_response(T0, b, StatusCode::NotFound),
        Ok(Action::Store)
    );
    cx.handle_timeout(secs(10)); // a had no provisional: as if 408
    assert_eq!(
        cx.poll_final(),
        Some(Best::Forward {
            branch: b,
            code: Code::Known(StatusCode::NotFound)
        })
    );
    assert_eq!(
        cx.handle_response(secs(11), a, StatusCode::Ok),
        Ok(Action::Forward)
    );
    assert_eq!(
        cx.handle_response(secs(11), b, StatusCode::Ok),
        Ok(Action::Forward)
    );
}

/// 16.7 step 5 says the rule is for a 2xx "to an INVITE request"; it also "ensures that a
/// stateful proxy will forward exactly one final response to a non-INVITE request".
#[test]
fn one_final_response_to_a_non_invite() {
    let mut cx = ResponseContext::new(RequestKind::NonInvite);
    let (a, b) = (cx.add_branch(T0).unwrap(), cx.add_branch(T0).unwrap());
    assert_eq!(
        cx.handle_response(T0, a, StatusCode::Ok),
        Ok(Action::Forward)
    );
    assert_eq!(
        cx.handle_response(T0, a, StatusCode::Ok),
        Ok(Action::Absorb)
    );
    assert_eq!(
        cx.handle_response(T0, b, StatusCode::Accepted),
        Ok(Action::Absorb)
    );
    // No Timer C for a non-INVITE (16.6 step 11: "when an INVITE request is proxied").
    let mut cx = ResponseContext::new(RequestKind::NonInvite);
    cx.add_branch(T0).unwrap();
    assert_eq!(cx.poll_timeout(), None);
}

/// 16.6 step 11: "Timer C MUST be set for each client transaction when an INVITE request is
/// proxied. The timer MUST be larger than 3 minutes." 16.7 step 2: "if the response is a
/// provisional response with status codes 101 to 199 inclusive (i.e., anything but 100), the
/// proxy MUST reset timer C for that client transaction."
#[test]
fn the_context_owns_timer_c_and_101_to_199_reset_it() {
    assert!(TimerC::DEFAULT.get() > secs(180));
    assert_eq!(TimerC::new(secs(180)), None);
    let mut cx = ResponseContext::new(RequestKind::Invite);
    let a = cx.add_branch(T0).unwrap();
    assert_eq!(cx.poll_timeout(), Some(TimerC::DEFAULT.get()));
    // A 100 does not reset it; a 180 does.
    assert_eq!(
        cx.handle_response(secs(60), a, StatusCode::Trying),
        Ok(Action::Absorb)
    );
    assert_eq!(cx.poll_timeout(), Some(TimerC::DEFAULT.get()));
    assert_eq!(
        cx.handle_response(secs(100), a, StatusCode::Ringing),
        Ok(Action::Forward)
    );
    let restarted = secs(100) + TimerC::DEFAULT.get();
    assert_eq!(cx.poll_timeout(), Some(restarted));
    // The old deadline passes without effect; the restarted one asks for the CANCEL.
    cx.handle_timeout(TimerC::DEFAULT.get());
    assert_eq!(cx.poll_cancel(TimerC::DEFAULT.get()), None);
    cx.handle_timeout(restarted);
    assert_eq!(cx.poll_cancel(restarted), Some(a));
}

/// 16.8: "If the client transaction has received a provisional response, the proxy MUST
/// generate a CANCEL request matching that transaction. If the client transaction has not
/// received a provisional response, the proxy MUST behave as if the transaction received a
/// 408 (Request Timeout) response." 16.7 step 6: "If there are no final responses in the
/// context, the proxy MUST send a 408": a 408 that nothing sent is generated, never
/// "forwarded" from a branch that sent nothing.
#[test]
fn timer_c_without_a_provisional_is_a_generated_408() {
    let timer_c = TimerC::below_rfc_minimum(secs(5)).unwrap();
    let mut cx = ResponseContext::new(RequestKind::Invite).with_timer_c(timer_c);
    cx.add_branch(T0).unwrap();
    cx.handle_timeout(secs(5));
    assert_eq!(
        cx.poll_final(),
        Some(Best::Generate(StatusCode::RequestTimeout))
    );
    assert_eq!(cx.poll_final(), None); // once
}

/// 16.7 step 6: "The proxy MAY select any response within that chosen class": a 4xx that
/// arrived is preferred to the 408 Timer C or a transaction timeout stands for (Kamailio's
/// tm has `faked_reply_prio` for this), even a higher code.
#[test]
fn a_received_4xx_beats_a_stood_in_408() {
    let timer_c = TimerC::below_rfc_minimum(secs(5)).unwrap();
    let mut cx = ResponseContext::new(RequestKind::Invite).with_timer_c(timer_c);
    let (a, b, c) = (
        cx.add_branch(T0).unwrap(),
        cx.add_branch(T0).unwrap(),
        cx.add_branch(T0).unwrap(),
    );
    cx.handle_transaction_timeout(secs(1), c).unwrap();
    assert_eq!(
        cx.handle_response(secs(1), b, StatusCode::TemporarilyUnavailable),
        Ok(Action::Store)
    );
    cx.handle_timeout(secs(5)); // a: no provisional, as if 408
    assert_eq!(a.index(), 0);
    assert_eq!(
        cx.poll_final(),
        Some(Best::Forward {
            branch: b,
            code: Code::Known(StatusCode::TemporarilyUnavailable)
        })
    );
}

/// 16.9: "the proxy MUST behave as if the forwarded request received a 503 (Service
/// Unavailable) response"; 16.7 step 6: "If the only response that was received is a 503,
/// the proxy SHOULD generate a 500 response and forward that upstream."
#[test]
fn a_transport_error_is_a_503_and_a_lone_503_a_generated_500() {
    let mut cx = ResponseContext::new(RequestKind::Invite);
    let a = cx.add_branch(T0).unwrap();
    assert_eq!(cx.handle_transport_error(T0, a), Ok(Action::Store));
    assert_eq!(
        cx.poll_final(),
        Some(Best::Generate(StatusCode::ServerInternalError))
    );
}

/// 16.10: "A proxy MUST cancel any pending client transactions associated with a response
/// context when it receives a matching CANCEL request." A branch added afterwards would be a
/// pending transaction nobody cancels, so none can be added.
#[test]
fn no_new_branch_after_the_callers_cancel() {
    let mut cx = ResponseContext::new(RequestKind::Invite);
    let a = cx.add_branch(T0).unwrap();
    cx.handle_response(T0, a, StatusCode::Ringing).unwrap();
    cx.handle_cancel(secs(1));
    assert_eq!(cx.add_branch(secs(1)), Err(ProxyError::NoNewBranches));
    assert_eq!(cx.poll_cancel(secs(1)), Some(a));
    assert_eq!(cx.poll_cancel(secs(1)), None);
}

/// 9.1: "If there is no final response for the original request in 64*T1 seconds ..., the
/// client SHOULD then consider the original transaction cancelled and SHOULD destroy the
/// client transaction handling the original request."
#[test]
fn a_cancelled_branch_that_never_answers_ends_after_64_t1() {
    let mut cx = ResponseContext::new(RequestKind::Invite).with_t1(T1::DEFAULT);
    let a = cx.add_branch(T0).unwrap();
    cx.handle_response(T0, a, StatusCode::Ringing).unwrap();
    cx.handle_cancel(secs(1));
    assert_eq!(cx.poll_cancel(secs(2)), Some(a));
    let limit = secs(2) + T1::DEFAULT.times(64);
    assert_eq!(cx.poll_timeout(), Some(limit));
    cx.handle_timeout(limit.saturating_sub(Duration::from_millis(1)));
    assert!(!cx.is_complete());
    cx.handle_timeout(limit);
    assert!(cx.is_complete());
    assert_eq!(
        cx.poll_event(),
        Some(ProxyEvent::BranchEnded {
            branch: a,
            cause: EndCause::CancelUnanswered
        })
    );
    assert_eq!(
        cx.poll_final(),
        Some(Best::Generate(StatusCode::RequestTimeout))
    );
}

/// A branch belongs to its response context (16.7 step 1: "The remaining processing steps
/// take place in this context"): another context refuses it.
#[test]
fn a_branch_of_another_context_is_refused() {
    let mut x = ResponseContext::new(RequestKind::Invite);
    let mut y = ResponseContext::new(RequestKind::Invite);
    let xb = x.add_branch(T0).unwrap();
    y.add_branch(T0).unwrap();
    assert_eq!(
        y.handle_response(T0, xb, StatusCode::BusyHere),
        Err(ProxyError::UnknownBranch(xb))
    );
    assert_eq!(
        y.handle_transport_error(T0, xb),
        Err(ProxyError::UnknownBranch(xb))
    );
}

/// 16.7 step 5: "If a 6xx response is received, it is not immediately forwarded, but the
/// stateful proxy SHOULD cancel all client pending transactions as described in Section 10,
/// and it MUST NOT create any new branches in this context." 9.1: a CANCEL waits for a
/// provisional response.
#[test]
fn a_6xx_cancels_the_pending_and_closes_the_context() {
    let mut cx = ResponseContext::new(RequestKind::Invite);
    let (a, b, c) = (
        cx.add_branch(T0).unwrap(),
        cx.add_branch(T0).unwrap(),
        cx.add_branch(T0).unwrap(),
    );
    cx.handle_response(T0, b, StatusCode::Ringing).unwrap();
    assert_eq!(
        cx.handle_response(T0, a, StatusCode::Decline),
        Ok(Action::Store)
    );
    assert_eq!(cx.add_branch(T0), Err(ProxyError::NoNewBranches));
    assert_eq!(cx.poll_cancel(T0), Some(b));
    assert_eq!(cx.poll_cancel(T0), None); // c has no provisional yet
    cx.handle_response(secs(1), c, StatusCode::SessionProgress)
        .unwrap();
    assert_eq!(cx.poll_cancel(secs(1)), Some(c));
    cx.handle_response(secs(2), b, StatusCode::RequestTerminated)
        .unwrap();
    cx.handle_response(secs(2), c, StatusCode::RequestTerminated)
        .unwrap();
    assert_eq!(
        cx.poll_final(),
        Some(Best::Forward {
            branch: a,
            code: Code::Known(StatusCode::Decline)
        })
    );
}

/// 16.7 step 5: "A stateful proxy MUST NOT immediately forward any other responses. In
/// particular, a stateful proxy MUST NOT forward any 100 (Trying) response." Unknown codes
/// keep their class (a relay carries 499 as it came).
#[test]
fn trying_is_hop_by_hop_and_unknown_codes_keep_their_class() {
    let mut cx = ResponseContext::new(RequestKind::Invite);
    let a = cx.add_branch(T0).unwrap();
    assert_eq!(
        cx.handle_response(T0, a, StatusCode::Trying),
        Ok(Action::Absorb)
    );
    let unknown: Code<StatusCode> = Code::try_from(499).unwrap();
    assert_eq!(cx.handle_response(T0, a, unknown), Ok(Action::Store));
    assert_eq!(
        cx.poll_final(),
        Some(Best::Forward {
            branch: a,
            code: unknown
        })
    );
}

/// 16.7 step 5: "In particular, a stateful proxy MUST NOT forward any 100 (Trying)
/// response": by its number, whatever the set's flags say and however the code is held.
#[test]
fn a_100_is_never_forwarded_however_it_is_held() {
    let mut cx = ResponseContext::new(RequestKind::Invite);
    let a = cx.add_branch(T0).unwrap();
    let held_as_unknown =
        Code::<StatusCode>::Unknown(sip_responses_core::RawCode::new(100).unwrap());
    assert_eq!(
        cx.handle_response(T0, a, held_as_unknown),
        Ok(Action::Absorb)
    );
}

/// 16.7 step 4: "If the proxy recurses on all of the contacts in a 3xx response, the proxy
/// SHOULD NOT add the resulting contactless response to the response context." The branch
/// ends, the 3xx is not a candidate, and the recursion's branches decide.
#[test]
fn a_3xx_recursed_on_is_not_a_candidate() {
    let mut cx = ResponseContext::new(RequestKind::Invite);
    let a = cx.add_branch(T0).unwrap();
    cx.handle_recursion(T0, a).unwrap(); // its 302's contacts become the next branch
    let c = cx.add_branch(T0).unwrap();
    cx.handle_response(T0, c, StatusCode::NotFound).unwrap();
    assert_eq!(
        cx.poll_final(),
        Some(Best::Forward {
            branch: c,
            code: Code::Known(StatusCode::NotFound)
        })
    );
}

/// 9.1: "A CANCEL request SHOULD NOT be sent to cancel a request other than INVITE."
#[test]
fn no_cancel_for_a_non_invite() {
    let mut cx = ResponseContext::new(RequestKind::NonInvite);
    let (a, b) = (cx.add_branch(T0).unwrap(), cx.add_branch(T0).unwrap());
    cx.handle_response(T0, b, StatusCode::Trying).unwrap();
    assert_eq!(
        cx.handle_response(T0, a, StatusCode::Ok),
        Ok(Action::Forward)
    );
    assert_eq!(cx.poll_cancel(T0), None);
    cx.handle_cancel(T0);
    assert_eq!(cx.poll_cancel(T0), None);
}

/// RFC 4320 4.2: "A transaction-stateful SIP element MUST NOT send a response with
/// Status-Code of 408 to a non-INVITE request. As a consequence, an element that cannot
/// respond before the transaction expires will not send a final response at all."
#[test]
fn no_408_to_a_non_invite_request() {
    let mut cx = ResponseContext::new(RequestKind::NonInvite);
    let (a, b) = (cx.add_branch(T0).unwrap(), cx.add_branch(T0).unwrap());
    cx.handle_transaction_timeout(secs(32), a).unwrap();
    assert_eq!(
        cx.handle_response(secs(1), b, StatusCode::RequestTimeout),
        Ok(Action::Store)
    );
    assert_eq!(cx.poll_final(), Some(Best::NoResponse));
    assert_eq!(Best::<StatusCode>::NoResponse.code(), None);
    // Another 4xx decides when one arrived.
    let mut cx = ResponseContext::new(RequestKind::NonInvite);
    let (a, b) = (cx.add_branch(T0).unwrap(), cx.add_branch(T0).unwrap());
    cx.handle_transaction_timeout(secs(32), a).unwrap();
    cx.handle_response(secs(1), b, StatusCode::NotFound)
        .unwrap();
    assert_eq!(
        cx.poll_final(),
        Some(Best::Forward {
            branch: b,
            code: Code::Known(StatusCode::NotFound)
        })
    );
    // An INVITE still gets its 408 (16.7 step 6).
    let mut cx = ResponseContext::new(RequestKind::Invite);
    let a = cx.add_branch(T0).unwrap();
    cx.handle_transaction_timeout(secs(32), a).unwrap();
    assert_eq!(
        cx.poll_final(),
        Some(Best::Generate(StatusCode::RequestTimeout))
    );
}

/// Runs three branches to the finals `codes` (in order) and returns what goes upstream.
fn best_of(codes: [StatusCode; 3]) -> (Option<Best<sip_responses_core::StatusCode>>, Vec<usize>) {
    let mut cx = ResponseContext::new(RequestKind::Invite);
    let branches = codes.map(|_| cx.add_branch(T0).unwrap());
    for (branch, code) in branches.iter().zip(codes) {
        assert_eq!(cx.handle_response(T0, *branch, code), Ok(Action::Store));
    }
    let challenges = cx.challenges().map(Branch::index).collect();
    (cx.poll_final(), challenges)
}

/// 16.7 step 6: "the proxy MUST choose from the 6xx class or the lowest response class
/// stored"; "if the selected response class is 4xx, the proxy SHOULD give preference to the
/// responses that provide information affecting resubmission of this request, such as 401,
/// 407, 415, 420, and 484"; "A proxy which receives a 503 (Service Unavailable) response
/// SHOULD NOT forward it upstream unless it can determine that any subsequent requests it
/// might proxy will also generate a 503". Step 7: the
/// challenges of every 401 and 407, and of no other response, in arrival order.
#[test]
fn step_6_prefers_resubmission_codes_and_not_503() {
    use StatusCode::{BusyHere, NotFound, ProxyAuthenticationRequired, ServiceUnavailable};
    let forwarded = |best: Option<Best<StatusCode>>| match best {
        Some(Best::Forward { branch, code }) => Some((branch.index(), code)),
        _ => None,
    };
    let (best, challenges) = best_of([BusyHere, ProxyAuthenticationRequired, NotFound]);
    assert_eq!(
        forwarded(best),
        Some((1, Code::Known(ProxyAuthenticationRequired)))
    );
    assert_eq!(challenges, [1]);
    let (best, _) = best_of([
        ServiceUnavailable,
        StatusCode::ServerTimeOut,
        ServiceUnavailable,
    ]);
    assert_eq!(
        forwarded(best),
        Some((1, Code::Known(StatusCode::ServerTimeOut)))
    );
    // What goes upstream says its code.
    let (best, _) = best_of([BusyHere, NotFound, BusyHere]);
    assert_eq!(
        best.and_then(|b| b.code())
            .map(sip_responses_core::RawCode::get),
        Some(404)
    );
    // Otherwise the lowest code of the class (step 6 "MAY select any response within that
    // chosen class"), and of equals the first stored.
    let (best, challenges) = best_of([BusyHere, NotFound, NotFound]);
    assert_eq!(forwarded(best), Some((1, Code::Known(NotFound))));
    assert!(challenges.is_empty());
    let (_, challenges) = best_of([
        StatusCode::Unauthorized,
        BusyHere,
        ProxyAuthenticationRequired,
    ]);
    assert_eq!(challenges, [0, 2]);
    // A refusal says which limit.
    let full = ProxyError::TooManyBranches.to_string();
    assert!(
        full.contains(&sip_responses_proto::proxy::MAX_BRANCHES.to_string()),
        "{full}"
    );
}
