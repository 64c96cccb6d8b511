//! One test per rule of the client transactions (RFC 3261 17.1.1 and 17.1.2, RFC 6026, and
//! Section 21.1's rules for provisional responses), each quoting its sentence.

use core::time::Duration;

use sip_responses_core::{RawCode, StatusCode};
use sip_responses_proto::transaction::{
    ClientEvent, Deliver, InviteClient, InviteClientState, NonInviteClient, NonInviteClientState,
    Timers, Transmit, Transport,
};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Runs the machine's timers up to `until`, collecting when each request retransmission went.
fn retransmissions_until<M>(
    tx: &mut M,
    until: Duration,
    step: impl Fn(&mut M, Duration) -> Option<Transmit>,
    next: impl Fn(&M) -> Option<Duration>,
) -> Vec<u128> {
    let mut sent = Vec::new();
    let mut wakes = 0;
    while let Some(at) = next(tx).filter(|at| *at <= until) {
        wakes += 1; // a machine that never stops asking to wake is a bug, not a hang
        assert!(wakes < 1000, "still waking at {at:?}");
        if step(tx, at) == Some(Transmit::Request) {
            sent.push(at.as_millis());
        }
    }
    sent
}

fn invite_step(tx: &mut InviteClient, at: Duration) -> Option<Transmit> {
    tx.handle_timeout(at);
    tx.poll_transmit()
}

fn non_invite_step(tx: &mut NonInviteClient, at: Duration) -> Option<Transmit> {
    tx.handle_timeout(at);
    tx.poll_transmit()
}

/// 17.1.1.2: "the request is retransmitted with intervals that double after each
/// transmission"; "If the client transaction is still in the "Calling" state when timer B
/// fires, the client transaction SHOULD inform the TU that a timeout has occurred. The
/// client transaction MUST NOT generate an ACK."
#[test]
fn invite_timer_a_doubles_and_timer_b_times_out_without_an_ack() {
    let mut tx = InviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
    let sent = retransmissions_until(&mut tx, ms(40_000), invite_step, InviteClient::poll_timeout);
    assert_eq!(sent, [500, 1500, 3500, 7500, 15500, 31500]);
    assert_eq!(tx.poll_event(), Some(ClientEvent::Timeout));
    assert_eq!(tx.poll_transmit(), None);
    assert_eq!(tx.state(), InviteClientState::Terminated);
}

/// 21.1: a provisional response "stops retransmissions of an INVITE by a UAC"; 17.1.1.2:
/// "In the "Proceeding" state, the client transaction SHOULD NOT retransmit the request any
/// longer." The 100 included (rsipstack's issue 19 kept retransmitting after a 100).
#[test]
fn any_1xx_stops_the_invites_retransmissions() {
    let mut tx = InviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
    assert_eq!(
        tx.handle_response(ms(200), StatusCode::Trying),
        Deliver::ToUser
    );
    assert_eq!(tx.state(), InviteClientState::Proceeding);
    assert_eq!(tx.poll_timeout(), None); // no Timer A, and Timer B no longer applies
    tx.handle_timeout(ms(600_000));
    assert_eq!((tx.poll_transmit(), tx.poll_event()), (None, None));
    // "Any further provisional responses MUST be passed up to the TU".
    assert_eq!(
        tx.handle_response(ms(300), StatusCode::Ringing),
        Deliver::ToUser
    );
}

/// 21.1: 1xx responses "never cause the client to send an ACK"; 17.1.1.2: a 300-699 "MUST
/// generate an ACK request, even if the transport is reliable"; "Any retransmissions of the
/// final response that are received while in the "Completed" state MUST cause the ACK to be
/// re-passed to the transport layer for retransmission, but the newly received response MUST
/// NOT be passed up to the TU"; Timer D is "at least 32 seconds for unreliable transports".
#[test]
fn a_non_2xx_final_is_acknowledged_again_for_32_seconds() {
    let mut tx = InviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
    tx.handle_response(ms(100), StatusCode::Ringing);
    assert_eq!(tx.poll_transmit(), None); // no ACK for a 1xx
    assert_eq!(
        tx.handle_response(ms(1000), StatusCode::BusyHere),
        Deliver::ToUser
    );
    assert_eq!(tx.poll_transmit(), Some(Transmit::Ack));
    assert_eq!(tx.state(), InviteClientState::Completed);
    // The server did not get the ACK and retransmits its 486, up to 31 s later.
    for at in [1500, 2500, 4500, 32_999] {
        assert_eq!(
            tx.handle_response(ms(at), StatusCode::BusyHere),
            Deliver::Absorb
        );
        assert_eq!(tx.poll_transmit(), Some(Transmit::Ack), "at {at} ms");
    }
    assert_eq!(tx.poll_timeout(), Some(ms(33_000)));
    tx.handle_timeout(ms(33_000));
    assert_eq!(tx.state(), InviteClientState::Terminated);
    assert_eq!(tx.poll_event(), None); // an end, not a timeout
}

/// 17.1.1.2: "the client transaction MUST ... generate an ACK request, even if the transport
/// is reliable", and "Timer D ... a value of zero seconds for reliable transports"; RFC 6026
/// Figure 5: from "Completed", "Transport Err. / Inform TU". The state is entered for zero
/// seconds, so the ACK's transport error still reaches the user.
#[test]
fn over_a_reliable_transport_completed_lasts_zero_seconds() {
    let mut tx = InviteClient::new(ms(0), Transport::Reliable, Timers::DEFAULT);
    assert_eq!(tx.poll_timeout(), Some(ms(32_000))); // Timer B only: no Timer A
    tx.handle_response(ms(10), RawCode::new(499).unwrap());
    assert_eq!(tx.poll_transmit(), Some(Transmit::Ack));
    assert_eq!(
        (tx.state(), tx.poll_timeout()),
        (InviteClientState::Completed, Some(ms(10)))
    );
    tx.handle_transport_error(ms(10)); // the ACK could not go
    assert_eq!(tx.poll_event(), Some(ClientEvent::TransportError));
    assert_eq!(tx.state(), InviteClientState::Terminated);
    let mut tx = InviteClient::new(ms(0), Transport::Reliable, Timers::DEFAULT);
    tx.handle_response(ms(10), StatusCode::BusyHere);
    assert_eq!(tx.poll_transmit(), Some(Transmit::Ack));
    tx.handle_timeout(ms(10)); // Timer D, zero seconds
    assert_eq!(tx.state(), InviteClientState::Terminated);
    assert_eq!(tx.poll_event(), None);
}

/// RFC 6026: "If a 2xx response is received while the client INVITE state machine is in the
/// "Calling" or "Proceeding" states, it MUST transition to the "Accepted" state, pass the 2xx
/// response to the TU, and set Timer M to 64*T1. A 2xx response received while in the
/// "Accepted" state MUST be passed to the TU ... The client transaction MUST NOT generate an
/// ACK to any 2xx response on its own."
#[test]
fn a_2xx_goes_to_the_user_and_is_never_acknowledged_by_the_transaction() {
    let mut tx = InviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
    assert_eq!(tx.handle_response(ms(700), StatusCode::Ok), Deliver::ToUser);
    assert_eq!(tx.state(), InviteClientState::Accepted);
    assert_eq!(tx.poll_transmit(), None);
    for at in [1200, 2200, 4200] {
        assert_eq!(tx.handle_response(ms(at), StatusCode::Ok), Deliver::ToUser);
        assert_eq!(tx.poll_transmit(), None);
    }
    assert_eq!(
        tx.handle_response(ms(5000), StatusCode::BusyHere),
        Deliver::Absorb
    );
    assert_eq!(tx.poll_timeout(), Some(ms(700 + 32_000))); // Timer M
    tx.handle_timeout(ms(32_700));
    assert_eq!(tx.state(), InviteClientState::Terminated);
}

/// 17.1.2.2: "If timer E fires while still in this state, the timer is reset, but this time
/// with a value of MIN(2*T1, T2) ... For the default values of T1 and T2, this results in
/// intervals of 500 ms, 1 s, 2 s, 4 s, 4 s, 4 s, etc." and "If Timer F fires while the
/// client transaction is still in the "Trying" state, the client transaction SHOULD inform
/// the TU about the timeout".
#[test]
fn non_invite_retransmissions_cap_at_t2_and_timer_f_times_out() {
    let mut tx = NonInviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
    let sent = retransmissions_until(
        &mut tx,
        ms(40_000),
        non_invite_step,
        NonInviteClient::poll_timeout,
    );
    assert_eq!(
        sent,
        [500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]
    );
    assert_eq!(tx.poll_event(), Some(ClientEvent::Timeout));
    assert_eq!(tx.state(), NonInviteClientState::Terminated);
}

/// 17.1.2.2: "If Timer E fires while in the "Proceeding" state, the request MUST be passed to
/// the transport layer for retransmission, and Timer E MUST be reset with a value of T2
/// seconds." A 1xx does not stop a non-INVITE's retransmissions (pjsip's PR 3454 and
/// doubango's issue 462 stopped them).
#[test]
fn a_1xx_does_not_stop_non_invite_retransmissions() {
    let mut tx = NonInviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
    assert_eq!(
        tx.handle_response(ms(100), StatusCode::Trying),
        Deliver::ToUser
    );
    assert_eq!(tx.state(), NonInviteClientState::Proceeding);
    let sent = retransmissions_until(
        &mut tx,
        ms(20_000),
        non_invite_step,
        NonInviteClient::poll_timeout,
    );
    assert_eq!(sent, [500, 4500, 8500, 12_500, 16_500]);
}

/// 17.1.2.2: "Once the client transaction enters the "Completed" state, it MUST set Timer K
/// to fire in T4 seconds for unreliable transports, and zero seconds for reliable
/// transports"; retransmitted responses in Completed are absorbed.
#[test]
fn non_invite_completed_lasts_t4() {
    let mut tx = NonInviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
    assert_eq!(tx.handle_response(ms(300), StatusCode::Ok), Deliver::ToUser);
    assert_eq!(tx.state(), NonInviteClientState::Completed);
    assert_eq!(tx.handle_response(ms(900), StatusCode::Ok), Deliver::Absorb);
    assert_eq!(tx.poll_timeout(), Some(ms(5300)));
    tx.handle_timeout(ms(5300));
    assert_eq!(tx.state(), NonInviteClientState::Terminated);
    assert_eq!(tx.poll_transmit(), None);
    let mut tx = NonInviteClient::new(ms(0), Transport::Reliable, Timers::DEFAULT);
    assert_eq!(tx.poll_timeout(), Some(ms(32_000))); // Timer F only: no Timer E
    tx.handle_response(ms(300), StatusCode::NotFound);
    assert_eq!(tx.poll_timeout(), Some(ms(300))); // Timer K, zero seconds
    assert_eq!(
        tx.handle_response(ms(300), StatusCode::NotFound),
        Deliver::Absorb
    );
    tx.handle_timeout(ms(300));
    assert_eq!(tx.state(), NonInviteClientState::Terminated);
}

/// 17.1.1.2 and 17.1.2.2 (Figures 5 and 6): a transport error ends the transaction and
/// informs the TU. RFC 6026's Accepted state sends nothing, so it has no transport error:
/// "A 2xx response received while in the "Accepted" state MUST be passed to the TU".
#[test]
fn a_transport_error_ends_the_transaction() {
    let mut tx = InviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
    assert_eq!(tx.handle_response(ms(10), StatusCode::Ok), Deliver::ToUser);
    tx.handle_transport_error(ms(20));
    assert_eq!(
        (tx.state(), tx.poll_event()),
        (InviteClientState::Accepted, None)
    );
    assert_eq!(tx.handle_response(ms(30), StatusCode::Ok), Deliver::ToUser);
    let mut tx = InviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
    tx.handle_transport_error(ms(1));
    assert_eq!(tx.poll_event(), Some(ClientEvent::TransportError));
    assert_eq!(
        (tx.state(), tx.poll_timeout()),
        (InviteClientState::Terminated, None)
    );
    let mut tx = NonInviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
    tx.handle_transport_error(ms(1));
    assert_eq!(tx.poll_event(), Some(ClientEvent::TransportError));
    assert_eq!(tx.state(), NonInviteClientState::Terminated);
}

mod server {
    use super::ms;
    use sip_responses_core::StatusCode;
    use sip_responses_proto::transaction::{
        Deliver, FinalCode, InviteServer, InviteServerState, NonInviteResponse, NonInviteServer,
        NonInviteServerState, ResponseError, ServerEvent, ServerTransmit, Timers, Transport,
    };

    /// 17.2.1: "The server transaction MUST generate a 100 (Trying) response unless it knows
    /// that the TU will generate a provisional or final response within 200 ms"; 21.1: "a
    /// server sends a 1xx response if it expects to take more than 200 ms".
    #[test]
    fn a_100_when_the_user_takes_more_than_200_ms() {
        let mut tx = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        assert_eq!(tx.poll_timeout(), Some(ms(200)));
        tx.handle_timeout(ms(199));
        assert_eq!(tx.poll_transmit(), None);
        tx.handle_timeout(ms(200));
        assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Trying));
        // A user that answers in time gets no 100.
        let mut tx = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.send_response(ms(50), StatusCode::Ringing).unwrap();
        tx.handle_timeout(ms(200));
        assert_eq!((tx.poll_transmit(), tx.poll_timeout()), (None, None));
    }

    /// 17.2.1: "If a request retransmission is received while in the "Proceeding" state, the
    /// most recent provisional response that was received from the TU MUST be passed to the
    /// transport layer for retransmission." 21.1: provisional responses "are not transmitted
    /// reliably" by the transaction.
    #[test]
    fn a_retransmitted_invite_gets_the_last_provisional_again() {
        let mut tx = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.handle_request(ms(100)); // nothing sent yet: nothing to repeat
        assert_eq!(tx.poll_transmit(), None);
        tx.send_response(ms(150), StatusCode::Ringing).unwrap();
        assert_eq!(tx.poll_timeout(), None); // a 1xx is never retransmitted on a timer
        tx.handle_request(ms(500));
        assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Provisional));
    }

    /// 17.2.1: "For unreliable transports, timer G is set to fire in T1 seconds"; "timer G is
    /// reset with a value that doubles, unless that value exceeds T2"; "If timer H fires while
    /// in the "Completed" state, it implies that the ACK was never received ... MUST indicate
    /// to the TU that a transaction failure has occurred."
    #[test]
    fn a_non_2xx_final_is_retransmitted_until_its_ack_or_timer_h() {
        let mut tx = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.send_response(ms(0), StatusCode::BusyHere).unwrap();
        assert_eq!(tx.state(), InviteServerState::Completed);
        let mut sent = Vec::new();
        let mut wakes = 0;
        while let Some(at) = tx.poll_timeout() {
            wakes += 1; // a machine that never stops asking to wake is a bug, not a hang
            assert!(wakes < 1000, "still waking at {at:?}");
            tx.handle_timeout(at);
            if tx.poll_transmit() == Some(ServerTransmit::Final) {
                sent.push(at.as_millis());
            }
        }
        assert_eq!(
            sent,
            [500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]
        );
        assert_eq!(tx.poll_event(), Some(ServerEvent::Timeout));
        assert_eq!(tx.state(), InviteServerState::Terminated);
    }

    /// 17.2.1: "If an ACK is received while the server transaction is in the "Completed"
    /// state, the server transaction MUST transition to the "Confirmed" state. As Timer G is
    /// ignored in this state, any retransmissions of the response will cease"; Timer I is T4
    /// for unreliable transports.
    #[test]
    fn the_ack_stops_the_final_and_confirmed_lasts_t4() {
        let mut tx = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.send_response(ms(0), StatusCode::BusyHere).unwrap();
        tx.handle_request(ms(100)); // "the server SHOULD pass the response to the transport"
        assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Final));
        assert_eq!(tx.handle_ack(ms(200)), Deliver::Absorb);
        assert_eq!(tx.state(), InviteServerState::Confirmed);
        assert_eq!(tx.poll_timeout(), Some(ms(5200)));
        tx.handle_timeout(ms(5200));
        assert_eq!(
            (tx.state(), tx.poll_event()),
            (InviteServerState::Terminated, None)
        );
    }

    /// RFC 6026: "The server transaction MUST NOT generate 2xx retransmissions on its own";
    /// "any retransmissions of the INVITE received will ... be absorbed"; "Any ACKs received
    /// from the network while in the "Accepted" state MUST be passed directly to the TU";
    /// Timer L is 64*T1.
    #[test]
    fn a_2xx_moves_the_server_to_accepted() {
        let mut tx = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.send_response(ms(100), StatusCode::Ok).unwrap();
        assert_eq!(tx.state(), InviteServerState::Accepted);
        assert_eq!(tx.poll_timeout(), Some(ms(32_100)));
        tx.handle_request(ms(600));
        assert_eq!(tx.poll_transmit(), None);
        assert_eq!(tx.send_response(ms(600), StatusCode::Ok), Ok(())); // the user's retransmission
        assert_eq!(
            tx.send_response(ms(700), StatusCode::BusyHere),
            Err(ResponseError::FinalSent)
        );
        assert_eq!(tx.handle_ack(ms(800)), Deliver::ToUser);
        tx.handle_timeout(ms(32_100));
        assert_eq!(tx.state(), InviteServerState::Terminated);
    }

    /// RFC 4320 4.1: "A SIP element MUST NOT respond to a non-INVITE request with a
    /// Status-Code of 100 over any unreliable transport, such as UDP, before the amount of
    /// time it takes a client transaction's Timer E to be reset to T2." (The other half, "MUST
    /// NOT send any provisional response with a Status-Code other than 100", is the type:
    /// `NonInviteResponse` has no room for a 180.)
    #[test]
    fn a_non_invite_100_waits_for_t2_over_udp() {
        let mut tx = NonInviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        assert_eq!(
            tx.send_response(ms(3499), NonInviteResponse::Trying),
            Err(ResponseError::TooEarly(ms(3500)))
        );
        assert_eq!(
            tx.send_response(ms(3500), NonInviteResponse::Trying),
            Ok(())
        );
        assert_eq!(tx.state(), NonInviteServerState::Proceeding);
        // Over TCP there is no Timer E to wait for.
        let mut tx = NonInviteServer::new(ms(0), Transport::Reliable, Timers::DEFAULT);
        assert_eq!(tx.send_response(ms(1), NonInviteResponse::Trying), Ok(()));
    }

    /// 17.2.2: "Once in the "Trying" state, any further request retransmissions are
    /// discarded"; in Proceeding "the most recently sent provisional response MUST be passed
    /// to the transport layer for retransmission"; in Completed "the server transaction MUST
    /// pass the final response to the transport layer for retransmission whenever a
    /// retransmission of the request is received"; Timer J is 64*T1 for unreliable
    /// transports; "Any other final responses passed by the TU to the server transaction MUST
    /// be discarded while in the "Completed" state."
    #[test]
    fn non_invite_server_answers_retransmissions_by_state() {
        let mut tx = NonInviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.handle_request(ms(500));
        assert_eq!(tx.poll_transmit(), None);
        tx.send_response(ms(4000), NonInviteResponse::Trying)
            .unwrap();
        tx.handle_request(ms(4500));
        assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Provisional));
        let ok = FinalCode::new(StatusCode::Ok).unwrap();
        tx.send_response(ms(5000), NonInviteResponse::Final(ok))
            .unwrap();
        tx.handle_request(ms(8500));
        assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Final));
        assert_eq!(
            tx.send_response(ms(9000), NonInviteResponse::Final(ok)),
            Err(ResponseError::FinalSent)
        );
        assert_eq!(tx.poll_timeout(), Some(ms(37_000)));
        tx.handle_timeout(ms(37_000));
        assert_eq!(tx.state(), NonInviteServerState::Terminated);
        assert_eq!(FinalCode::new(StatusCode::Ringing), None);
    }

    /// RFC 6026 7.1: "A server transaction MUST NOT discard transaction state based only on
    /// encountering a non-recoverable transport error when sending a response. Instead, the
    /// associated INVITE server transaction state machine MUST remain in its current state."
    /// 8.8 (the new 17.2.4): it "SHOULD inform the TU that a failure has occurred, and MUST
    /// remain in the current state".
    #[test]
    fn a_transport_error_leaves_a_server_transaction_where_it_is() {
        let mut tx = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.send_response(ms(10), StatusCode::Ringing).unwrap();
        tx.handle_transport_error(ms(20));
        assert_eq!(tx.poll_event(), Some(ServerEvent::TransportError));
        assert_eq!(tx.state(), InviteServerState::Proceeding);
        tx.handle_request(ms(30));
        assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Provisional));
        assert_eq!(tx.send_response(ms(40), StatusCode::Ok), Ok(()));
        let mut tx = NonInviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        let ok = FinalCode::new(StatusCode::Ok).unwrap();
        tx.send_response(ms(10), NonInviteResponse::Final(ok))
            .unwrap();
        tx.handle_transport_error(ms(20));
        assert_eq!(tx.state(), NonInviteServerState::Completed);
        tx.handle_request(ms(30));
        assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Final));
    }

    /// RFC 4320 4.1: "Without regard to transport, an SIP element MUST respond to a
    /// non-INVITE request with a Status-Code of 100 if it has not otherwise responded after
    /// the amount of time it takes a client transaction's Timer E to be reset to T2."
    #[test]
    fn a_non_invite_server_sends_its_100_once_timer_e_reached_t2() {
        for transport in [Transport::Unreliable, Transport::Reliable] {
            let mut tx = NonInviteServer::new(ms(0), transport, Timers::DEFAULT);
            assert_eq!(tx.poll_timeout(), Some(ms(3500)));
            tx.handle_timeout(ms(3499));
            assert_eq!(tx.poll_transmit(), None);
            tx.handle_timeout(ms(3500));
            assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Trying));
            assert_eq!(tx.state(), NonInviteServerState::Proceeding);
            tx.handle_request(ms(4000)); // and again for a retransmission
            assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Provisional));
        }
        // A user that answered in time owes no 100.
        let mut tx = NonInviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        let ok = FinalCode::new(StatusCode::Ok).unwrap();
        tx.send_response(ms(100), NonInviteResponse::Final(ok))
            .unwrap();
        tx.handle_timeout(ms(3500));
        assert_eq!(tx.poll_transmit(), None);
        // With T2 at T1, Timer E is reset to T2 when it first fires, at T1.
        let t1 = sip_responses_proto::T1::DEFAULT;
        let timers = Timers::new(t1, t1.get(), ms(5000)).unwrap();
        let mut tx = NonInviteServer::new(ms(0), Transport::Unreliable, timers);
        assert_eq!(
            tx.send_response(ms(499), NonInviteResponse::Trying),
            Err(ResponseError::TooEarly(ms(500)))
        );
    }

    /// RFC 4320 4.2: "A transaction-stateful SIP element MUST NOT send a response with
    /// Status-Code of 408 to a non-INVITE request."
    #[test]
    fn no_408_to_a_non_invite() {
        let mut tx = NonInviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        let timeout = FinalCode::new(StatusCode::RequestTimeout).unwrap();
        assert_eq!(
            tx.send_response(ms(100), NonInviteResponse::Final(timeout)),
            Err(ResponseError::RequestTimeout)
        );
        assert_eq!(tx.state(), NonInviteServerState::Trying);
    }

    /// 17.2.1: the 100 is generated "unless it knows that the TU will generate a provisional
    /// or final response within 200 ms": a response the user sends supersedes a 100 not yet
    /// polled, and a retransmitted INVITE before the 100 went gets the 100 (the most recent
    /// provisional), not a provisional that was never sent.
    #[test]
    fn a_pending_100_is_neither_lost_nor_sent_after_a_final() {
        let mut tx = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.handle_timeout(ms(200));
        tx.handle_request(ms(201));
        assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Trying));
        let mut tx = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.handle_timeout(ms(200));
        tx.send_response(ms(201), StatusCode::BusyHere).unwrap();
        assert_eq!(tx.poll_transmit(), None);
    }
}

/// 16.8: on Timer C the proxy "MUST either reset the timer with any value it chooses, or
/// terminate the client transaction": a terminated client retransmits nothing more, raises
/// no timeout and absorbs what comes late.
#[test]
fn a_client_transaction_the_user_terminates_stays_quiet() {
    let mut tx = InviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
    tx.handle_timeout(ms(500));
    tx.terminate(ms(600));
    assert_eq!(
        (tx.poll_transmit(), tx.poll_event(), tx.poll_timeout()),
        (None, None, None)
    );
    assert_eq!(tx.state(), InviteClientState::Terminated);
    assert_eq!(
        tx.handle_response(ms(700), StatusCode::Ringing),
        Deliver::Absorb
    );
    let mut tx = NonInviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
    tx.terminate(ms(1));
    tx.handle_timeout(ms(40_000));
    assert_eq!((tx.poll_transmit(), tx.poll_event()), (None, None));
}

/// The UAS core's 2xx retransmission (13.3.1.4), which RFC 6026 leaves outside the INVITE
/// server transaction.
mod answer {
    use super::ms;
    use core::time::Duration;
    use sip_responses_proto::transaction::{
        Answer, AnswerState, Deliver, ServerEvent, ServerTransmit, Timers,
    };
    use sip_responses_proto::T1;

    /// Runs the answer's timers up to `until`: when each retransmission went.
    fn sent_until(ok: &mut Answer, until: Duration) -> Vec<u128> {
        let mut sent = Vec::new();
        let mut wakes = 0;
        while let Some(at) = ok.poll_timeout().filter(|at| *at <= until) {
            wakes += 1; // a machine that never stops asking to wake is a bug, not a hang
            assert!(wakes < 1000, "still waking at {at:?}");
            ok.handle_timeout(at);
            if ok.poll_transmit() == Some(ServerTransmit::Final) {
                sent.push(at.as_millis());
            }
        }
        sent
    }

    /// 13.3.1.4: "The 2xx response is passed to the transport with an interval that starts
    /// at T1 seconds and doubles for each retransmission until it reaches T2 seconds"; "If
    /// the server retransmits the 2xx response for 64*T1 seconds without receiving an ACK,
    /// the dialog is confirmed, but the session SHOULD be terminated."
    #[test]
    fn the_2xx_goes_again_at_t1_doubling_to_t2_for_64_t1() {
        let mut ok = Answer::new(ms(1000), Timers::DEFAULT);
        let sent = sent_until(&mut ok, ms(60_000));
        // 1000 + 500, +1000, +2000, +4000, then every T2 (4 s) until 1000 + 32 000.
        let mut expected = vec![1500, 2500, 4500, 8500];
        expected.extend((1..=6).map(|n| 8500 + n * 4000));
        assert_eq!(sent, expected);
        assert_eq!(ok.poll_event(), Some(ServerEvent::Timeout));
        assert_eq!(ok.state(), AnswerState::TimedOut);
        assert_eq!((ok.poll_timeout(), ok.poll_event()), (None, None));
        // An ACK after it gave up is not the user's any more.
        assert_eq!(ok.handle_ack(ms(40_000)), Deliver::Absorb);
    }

    /// 13.3.1.4: "Response retransmissions cease when an ACK request for the response is
    /// received."
    #[test]
    fn the_ack_stops_the_retransmissions_and_reaches_the_user_once() {
        let mut ok = Answer::new(ms(0), Timers::DEFAULT);
        assert_eq!(sent_until(&mut ok, ms(2000)), [500, 1500]);
        assert_eq!(ok.handle_ack(ms(2100)), Deliver::ToUser);
        assert_eq!(ok.poll_timeout(), None);
        ok.handle_timeout(ms(3500));
        ok.handle_timeout(ms(40_000));
        assert_eq!((ok.poll_transmit(), ok.poll_event()), (None, None));
        assert_eq!(ok.state(), AnswerState::Acknowledged);
        // The UAC acknowledges each 2xx it received: a second ACK is absorbed.
        assert_eq!(ok.handle_ack(ms(2200)), Deliver::Absorb);
    }

    /// 13.3.1.4: "This is independent of whatever transport protocols are used to send the
    /// response": an `Answer` takes no transport, and retransmits what a reliable INVITE
    /// server transaction (which retransmits nothing) would not. A pending retransmission
    /// is dropped by the ACK.
    #[test]
    fn retransmitted_over_any_transport_and_the_ack_drops_a_pending_one() {
        let t1 = T1::new(ms(100)).unwrap();
        let timers = Timers::new(t1, ms(400), ms(500)).unwrap();
        let mut ok = Answer::new(ms(0), timers);
        assert_eq!(
            sent_until(&mut ok, ms(6400)),
            [
                100, 300, 700, 1100, 1500, 1900, 2300, 2700, 3100, 3500, 3900, 4300, 4700, 5100,
                5500, 5900, 6300
            ]
        );
        let mut ok = Answer::new(ms(0), timers);
        ok.handle_timeout(ms(100));
        assert_eq!(ok.handle_ack(ms(100)), Deliver::ToUser);
        assert_eq!(ok.poll_transmit(), None);
    }

    /// A wake-up long after the schedule sends the 2xx once, not a burst.
    #[test]
    fn a_late_wake_up_sends_one_retransmission() {
        let mut ok = Answer::new(ms(0), Timers::DEFAULT);
        ok.handle_timeout(ms(9000));
        assert_eq!(ok.poll_transmit(), Some(ServerTransmit::Final));
        assert_eq!(ok.poll_transmit(), None);
        assert_eq!(ok.poll_timeout(), Some(ms(10_000)));
    }
}

/// What a second reader found on the wire (the public API and the RFC text, not our tests):
/// each quoted sentence, driven through the sequence that broke it.
mod found {
    use super::ms;
    use sip_responses_core::StatusCode;
    use sip_responses_proto::transaction::{
        Answer, ClientEvent, Deliver, FinalCode, InviteClient, InviteClientState, InviteServer,
        NonInviteClient, NonInviteResponse, NonInviteServer, NonInviteServerState, ResponseError,
        ServerEvent, ServerTransmit, Timers, Transmit, Transport,
    };

    /// 17.1.1.2: "When timer A fires, the client transaction MUST retransmit the request ...
    /// and MUST reset the timer with a value of 2*T1"; "the exponential backoffs on
    /// retransmissions described in this section MUST be used". A wake-up late by most of an
    /// interval must not put two copies on the wire a millisecond apart.
    #[test]
    fn a_late_wake_up_never_puts_two_copies_together() {
        let mut tx = InviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.handle_timeout(ms(1499)); // Timer A was due at 500
        assert_eq!(tx.poll_transmit(), Some(Transmit::Request));
        assert_eq!(tx.poll_timeout(), Some(ms(2499)));
        tx.handle_timeout(ms(1500));
        assert_eq!(tx.poll_transmit(), None);
        // A little late keeps the schedule: delays do not add up over 64*T1.
        let mut tx = InviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.handle_timeout(ms(510));
        assert_eq!(tx.poll_timeout(), Some(ms(1500)));
        // The same for Timer G (17.2.1: "timer G is set to fire in MIN(2*T1, T2) seconds")
        // and the 2xx of 13.3.1.4.
        let mut server = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        server.send_response(ms(0), StatusCode::BusyHere).unwrap();
        server.handle_timeout(ms(1499));
        assert_eq!(server.poll_transmit(), Some(ServerTransmit::Final));
        server.handle_timeout(ms(1500));
        assert_eq!(server.poll_transmit(), None);
        let mut ok = Answer::new(ms(0), Timers::DEFAULT);
        ok.handle_timeout(ms(1499));
        assert_eq!(ok.poll_transmit(), Some(ServerTransmit::Final));
        ok.handle_timeout(ms(1500));
        assert_eq!(ok.poll_transmit(), None);
    }

    /// 17.2.1: "If timer G fires, the response is passed to the transport layer once more for
    /// retransmission"; a response the transaction refuses must not cancel it.
    #[test]
    fn a_refused_response_keeps_the_pending_retransmission() {
        let mut tx = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.send_response(ms(0), StatusCode::BusyHere).unwrap();
        tx.handle_timeout(ms(500)); // Timer G
        assert_eq!(
            tx.send_response(ms(500), StatusCode::Ringing),
            Err(ResponseError::FinalSent)
        );
        assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Final));
    }

    /// 17.1.1.2: "In the "Proceeding" state, the client transaction SHOULD NOT retransmit the
    /// request any longer"; RFC 6026 in Accepted: "The client transaction takes no further
    /// action"; Figure 6 has no retransmission from Completed; 17.2.1 in Confirmed: "any
    /// retransmissions of the response will cease". A retransmission asked for and not yet
    /// taken when the state changed is void.
    #[test]
    fn a_pending_retransmission_dies_with_its_state() {
        for code in [StatusCode::Ringing, StatusCode::Ok] {
            let mut tx = InviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
            tx.handle_timeout(ms(500));
            tx.handle_response(ms(500), code);
            assert_eq!(tx.poll_transmit(), None, "after a {code}");
        }
        let mut tx = NonInviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.handle_timeout(ms(500));
        tx.handle_response(ms(500), StatusCode::Ok);
        assert_eq!(tx.poll_transmit(), None);
        let mut tx = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.send_response(ms(0), StatusCode::BusyHere).unwrap();
        tx.handle_timeout(ms(500));
        tx.handle_ack(ms(500));
        assert_eq!(tx.poll_transmit(), None);
    }

    /// RFC 6026 8.8 (17.2.4): on a transport error "the server transaction SHOULD inform the
    /// TU that a failure has occurred, and MUST remain in the current state"; 17.2.2 "Timer J
    /// ... zero seconds for reliable transports" still enters Completed.
    #[test]
    fn a_non_invite_servers_transport_error_is_told_in_every_live_state() {
        for transport in [Transport::Unreliable, Transport::Reliable] {
            let mut tx = NonInviteServer::new(ms(0), transport, Timers::DEFAULT);
            tx.handle_transport_error(ms(1));
            assert_eq!(tx.poll_event(), Some(ServerEvent::TransportError));
            let ok = FinalCode::new(StatusCode::Ok).unwrap();
            tx.send_response(ms(10), NonInviteResponse::Final(ok))
                .unwrap();
            tx.handle_transport_error(ms(10)); // the 200 could not go
            assert_eq!(tx.poll_event(), Some(ServerEvent::TransportError));
            assert_eq!(tx.state(), NonInviteServerState::Completed);
            assert_eq!(tx.poll_event(), None);
        }
        let mut tx = NonInviteServer::new(ms(0), Transport::Reliable, Timers::DEFAULT);
        let ok = FinalCode::new(StatusCode::Ok).unwrap();
        tx.send_response(ms(10), NonInviteResponse::Final(ok))
            .unwrap();
        tx.handle_timeout(ms(10));
        tx.handle_transport_error(ms(11));
        assert_eq!(
            (tx.state(), tx.poll_event()),
            (NonInviteServerState::Terminated, None)
        );
    }

    /// 17.2.2: in Proceeding a retransmitted request gets "the most recently sent provisional
    /// response"; while the 100 is still to be sent, that 100 is it.
    #[test]
    fn a_request_again_before_the_100_went_asks_for_the_100() {
        let mut tx = NonInviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
        tx.handle_timeout(ms(3500)); // RFC 4320: the 100 is owed now
        tx.handle_request(ms(3500));
        assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Trying));
        tx.handle_request(ms(3600));
        assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Provisional));
    }

    /// RFC 4320 4.1 and 4.2: the refusals say which rule, and when a 100 may go.
    #[test]
    fn the_refusals_say_which_rule() {
        let too_early = ResponseError::TooEarly(ms(3500)).to_string();
        assert!(
            too_early.contains("RFC 4320") && too_early.contains("3.5s"),
            "{too_early}"
        );
        let no_408 = ResponseError::RequestTimeout.to_string();
        assert!(no_408.contains("no 408"), "{no_408}");
        assert_eq!(
            ResponseError::FinalSent.to_string(),
            "a final response was already sent"
        );
    }

    /// The INVITE client's ACK over a reliable transport: a transport error after it is the
    /// user's to hear (Completed lasts zero seconds, RFC 6026 Figure 5).
    #[test]
    fn the_acks_transport_error_over_tcp_is_told() {
        let mut tx = InviteClient::new(ms(0), Transport::Reliable, Timers::DEFAULT);
        assert_eq!(
            tx.handle_response(ms(700), StatusCode::BusyHere),
            Deliver::ToUser
        );
        assert_eq!(tx.poll_transmit(), Some(Transmit::Ack));
        tx.handle_transport_error(ms(700));
        assert_eq!(tx.poll_event(), Some(ClientEvent::TransportError));
        assert_eq!(tx.state(), InviteClientState::Terminated);
    }
}
