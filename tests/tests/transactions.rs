//! The four transaction machines of `sip-responses-proto` (RFC 3261 Section 17, with RFC
//! 6026's Accepted states and RFC 4320's rule on the 100 to a non-INVITE request) against a
//! restatement of the RFCs' state diagrams written here, from the text, without calling the
//! machines' logic: random sequences of responses (any code 100..=699, retransmissions
//! included), request retransmissions, ACKs, the user's responses, timeouts (just before, at
//! and long after each deadline) and transport errors, over both transports and with random
//! T1, T2 and T4; after every step the state, the step's return value, `poll_transmit`,
//! `poll_event` and `poll_timeout` must be the restatement's.
//!
//! Each rule of the restatement quotes the figure or the sentence it comes from. Where the
//! RFC leaves a choice (a caller waking long after a deadline; a transport error in a state
//! that sends nothing), the comment says which one is taken.

use core::time::Duration;

use proptest::prelude::*;
use sip_responses::transaction::{
    ClientEvent, Deliver, FinalCode, InviteClient, InviteClientState, InviteServer,
    InviteServerState, NonInviteClient, NonInviteClientState, NonInviteResponse, NonInviteServer,
    NonInviteServerState, ResponseError, ServerEvent, ServerTransmit, Timers, Transmit, Transport,
};
use sip_responses::{RawCode, T1};

const NS: Duration = Duration::from_nanos(1);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn raw(code: u16) -> RawCode {
    RawCode::new(code).unwrap()
}

/// The class digit, read off the number (RFC 3261 7.2: "The first digit of the Status-Code
/// defines the class of response"), not through the crate's `Class`.
fn class(code: u16) -> u16 {
    code / 100
}

/// The restatement. Each machine's model keeps its state and the deadlines of its running
/// timers, and says, for each input, what the RFC has the transaction return, send and tell
/// its user.
mod rfc {
    use super::*;

    /// `64*T1`: Timers B, F, H, J (RFC 3261 Table 4), L and M (RFC 6026 8.11).
    fn t1x64(t: &Timers) -> Duration {
        t.t1().get() * 64
    }

    fn min(a: Option<Duration>, b: Option<Duration>) -> Option<Duration> {
        match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// A timer that fired at `due` is reset then (17.1.1.2: "When timer A fires, the client
    /// transaction MUST retransmit the request ... and MUST reset the timer"), so it fires
    /// next at `due + interval`, even when the caller wakes a little late. A caller that woke
    /// more than half an interval late sent its copy late; the next goes `interval` after
    /// it, so no two copies go together (the exponential backoff "MUST be used"; the half is
    /// an assumption, the machines').
    fn reset(due: Duration, interval: Duration, now: Duration) -> Duration {
        if now.saturating_sub(due) <= interval / 2 {
            due + interval
        } else {
            now + interval
        }
    }

    /// A retransmission timer: when it fires next, and the interval it was last set to.
    #[derive(Debug, Clone, Copy)]
    struct Retransmit {
        at: Duration,
        interval: Duration,
    }

    // ---- INVITE client: RFC 6026 Figure 5 (which replaces RFC 3261's) and 17.1.1.2. ----

    #[derive(Debug, Clone)]
    pub struct InviteClientSpec {
        pub state: InviteClientState,
        reliable: bool,
        timers: Timers,
        timer_a: Option<Retransmit>,
        timer_b: Option<Duration>,
        timer_d: Option<Duration>,
        timer_m: Option<Duration>,
    }

    /// What one input does: the return value, what to send, what to tell the user.
    pub type Out<R, T, E> = (R, Option<T>, Option<E>);

    impl InviteClientSpec {
        pub fn new(now: Duration, transport: Transport, timers: Timers) -> Self {
            let reliable = transport == Transport::Reliable;
            InviteClientSpec {
                // 17.1.1.2: "The initial state, "calling", MUST be entered when the TU
                // initiates a new client transaction with an INVITE request."
                state: InviteClientState::Calling,
                reliable,
                timers,
                // "If an unreliable transport is being used, the client transaction MUST start
                // timer A with a value of T1. If a reliable transport is being used, the
                // client transaction SHOULD NOT start timer A".
                timer_a: (!reliable).then(|| Retransmit {
                    at: now + timers.t1().get(),
                    interval: timers.t1().get(),
                }),
                // "For any transport, the client transaction MUST start timer B with a value
                // of 64*T1 seconds".
                timer_b: Some(now + t1x64(&timers)),
                timer_d: None,
                timer_m: None,
            }
        }

        pub fn response(
            &mut self,
            now: Duration,
            code: u16,
        ) -> Out<Deliver, Transmit, ClientEvent> {
            use InviteClientState::*;
            match (self.state, class(code)) {
                // Figure 5: Calling --1xx / 1xx to TU--> Proceeding; Proceeding --1xx / 1xx to
                // TU--> Proceeding. "In the "Proceeding" state, the client transaction SHOULD
                // NOT retransmit the request any longer." Timer B has no edge out of
                // Proceeding ("If the client transaction is still in the "Calling" state when
                // timer B fires"), so nothing is left to wait for.
                (Calling | Proceeding, 1) => {
                    self.state = Proceeding;
                    self.timer_a = None;
                    self.timer_b = None;
                    (Deliver::ToUser, None, None)
                }
                // RFC 6026 7.2: "If a 2xx response is received while the client INVITE state
                // machine is in the "Calling" or "Proceeding" states, it MUST transition to
                // the "Accepted" state, pass the 2xx response to the TU, and set Timer M to
                // 64*T1." "The client transaction MUST NOT generate an ACK to any 2xx
                // response on its own."
                (Calling | Proceeding, 2) => {
                    self.state = Accepted;
                    self.timer_a = None;
                    self.timer_b = None;
                    self.timer_m = Some(now + t1x64(&self.timers));
                    (Deliver::ToUser, None, None)
                }
                // 17.1.1.2 (RFC 6026 8.4): "reception of a response with status code from
                // 300-699 MUST cause the client transaction to transition to "Completed". The
                // client transaction MUST pass the received response up to the TU, and the
                // client transaction MUST generate an ACK request, even if the transport is
                // reliable"; "Timer D ... with a value of at least 32 seconds for unreliable
                // transports, and a value of zero seconds for reliable transports" (Completed
                // all the same, for zero seconds: its transport error still informs the TU).
                (Calling | Proceeding, _) => {
                    self.timer_a = None;
                    self.timer_b = None;
                    self.state = Completed;
                    let timer_d = if self.reliable {
                        Duration::ZERO
                    } else {
                        Duration::from_secs(32)
                    };
                    self.timer_d = Some(now + timer_d);
                    (Deliver::ToUser, Some(Transmit::Ack), None)
                }
                // "Any retransmissions of a response with status code 300-699 that are
                // received while in the "Completed" state MUST cause the ACK to be re-passed
                // to the transport layer for retransmission, but the newly received response
                // MUST NOT be passed up to the TU." "A retransmission of the response is
                // defined as any response that would match the same client transaction".
                (Completed, 3..=6) => (Deliver::Absorb, Some(Transmit::Ack), None),
                // Figure 5 has no 1xx or 2xx edge out of Completed.
                (Completed, _) => (Deliver::Absorb, None, None),
                // RFC 6026: "A 2xx response received while in the "Accepted" state MUST be
                // passed to the TU and the machine remains in the "Accepted" state."
                (Accepted, 2) => (Deliver::ToUser, None, None),
                // Figure 5 has no other edge out of Accepted.
                (Accepted, _) => (Deliver::Absorb, None, None),
                // RFC 6026 7.2: "Any response received that does not match an existing client
                // transaction state machine is simply dropped."
                (Terminated, _) => (Deliver::Absorb, None, None),
            }
        }

        pub fn timeout(&mut self, now: Duration) -> Out<(), Transmit, ClientEvent> {
            use InviteClientState::*;
            let due = |t: Option<Duration>| t.is_some_and(|t| now >= t);
            match self.state {
                // Figure 5: Calling --Timer B fires / inform TU--> Terminated. "If the client
                // transaction is still in the "Calling" state when timer B fires, the client
                // transaction SHOULD inform the TU that a timeout has occurred. The client
                // transaction MUST NOT generate an ACK."
                Calling if due(self.timer_b) => {
                    *self = Self::terminated(self);
                    ((), None, Some(ClientEvent::Timeout))
                }
                // Figure 5: Calling --Timer A fires / Reset A, INVITE sent--> Calling. "When
                // timer A fires, the client transaction MUST retransmit the request ... and
                // MUST reset the timer with a value of 2*T1"; "retransmitted with intervals
                // that double after each transmission".
                Calling if due(self.timer_a.map(|a| a.at)) => {
                    let a = self.timer_a.as_mut().unwrap();
                    a.interval *= 2;
                    a.at = reset(a.at, a.interval, now);
                    ((), Some(Transmit::Request), None)
                }
                // "If Timer D fires while the client transaction is in the "Completed" state,
                // the client transaction MUST move to the "Terminated" state."
                Completed if due(self.timer_d) => {
                    *self = Self::terminated(self);
                    ((), None, None)
                }
                // "If Timer M fires while the client transaction is in the "Accepted" state,
                // the client transaction MUST move to the "Terminated" state."
                Accepted if due(self.timer_m) => {
                    *self = Self::terminated(self);
                    ((), None, None)
                }
                _ => ((), None, None),
            }
        }

        /// Figure 5: Calling and Completed --Transport Err. / Inform TU--> Terminated. Figure
        /// 5 draws no such edge from Proceeding or Accepted. In Proceeding, 17.1.4's "The
        /// client transaction SHOULD inform the TU that a transport failure has occurred, and
        /// the client transaction SHOULD transition directly to the "Terminated" state" is
        /// taken (a connection that fails after the 1xx: the final response cannot come).
        /// In Accepted the transaction sends nothing (the ACK of a 2xx is the TU's own
        /// request, RFC 6026: "The TU responsible for the transaction will generate the ACK"),
        /// so no edge: it stays, passing 2xx retransmissions up.
        pub fn transport_error(&mut self) -> Out<(), Transmit, ClientEvent> {
            use InviteClientState::{Accepted, Terminated};
            if matches!(self.state, Terminated | Accepted) {
                return ((), None, None);
            }
            *self = Self::terminated(self);
            ((), None, Some(ClientEvent::TransportError))
        }

        /// RFC 3261 16.8: "If timer C should fire, the proxy MUST either reset the timer with
        /// any value it chooses, or terminate the client transaction." Terminated: "The client
        /// transaction MUST be destroyed the instant it enters the "Terminated" state", so
        /// nothing more comes out of it.
        pub fn terminate(&mut self) -> Out<(), Transmit, ClientEvent> {
            *self = self.terminated();
            ((), None, None)
        }

        fn terminated(&self) -> Self {
            InviteClientSpec {
                state: InviteClientState::Terminated,
                timer_a: None,
                timer_b: None,
                timer_d: None,
                timer_m: None,
                ..self.clone()
            }
        }

        /// The next time a timer of the current state fires.
        pub fn next_timeout(&self) -> Option<Duration> {
            match self.state {
                InviteClientState::Calling => min(self.timer_a.map(|a| a.at), self.timer_b),
                InviteClientState::Completed => self.timer_d,
                InviteClientState::Accepted => self.timer_m,
                _ => None,
            }
        }
    }

    // ---- Non-INVITE client: RFC 3261 Figure 6 and 17.1.2.2. ----

    #[derive(Debug, Clone)]
    pub struct NonInviteClientSpec {
        pub state: NonInviteClientState,
        reliable: bool,
        timers: Timers,
        timer_e: Option<Retransmit>,
        timer_f: Option<Duration>,
        timer_k: Option<Duration>,
    }

    impl NonInviteClientSpec {
        pub fn new(now: Duration, transport: Transport, timers: Timers) -> Self {
            let reliable = transport == Transport::Reliable;
            NonInviteClientSpec {
                // 17.1.2.2: "The "Trying" state is entered when the TU initiates a new client
                // transaction with a request. When entering this state, the client
                // transaction SHOULD set timer F to fire in 64*T1 seconds. ... If an
                // unreliable transport is in use, the client transaction MUST set timer E to
                // fire in T1 seconds."
                state: NonInviteClientState::Trying,
                reliable,
                timers,
                timer_e: (!reliable).then(|| Retransmit {
                    at: now + timers.t1().get(),
                    interval: timers.t1().get(),
                }),
                timer_f: Some(now + t1x64(&timers)),
                timer_k: None,
            }
        }

        pub fn response(
            &mut self,
            now: Duration,
            code: u16,
        ) -> Out<Deliver, Transmit, ClientEvent> {
            use NonInviteClientState::*;
            match (self.state, class(code)) {
                // "If a provisional response is received while in the "Trying" state, the
                // response MUST be passed to the TU, and then the client transaction SHOULD
                // move to the "Proceeding" state." Figure 6: Proceeding --1xx / resp to TU-->
                // Proceeding. Timers E and F keep running.
                (Trying | Proceeding, 1) => {
                    self.state = Proceeding;
                    (Deliver::ToUser, None, None)
                }
                // "If a final response (status codes 200-699) is received while in the
                // "Trying" state [or the "Proceeding" state], the response MUST be passed to
                // the TU, and the client transaction MUST transition to the "Completed"
                // state." "Once the client transaction enters the "Completed" state, it MUST
                // set Timer K to fire in T4 seconds for unreliable transports, and zero
                // seconds for reliable transports."
                (Trying | Proceeding, _) => {
                    self.timer_e = None;
                    self.timer_f = None;
                    self.state = Completed;
                    let timer_k = if self.reliable {
                        Duration::ZERO
                    } else {
                        self.timers.t4()
                    };
                    self.timer_k = Some(now + timer_k);
                    (Deliver::ToUser, None, None)
                }
                // "The "Completed" state exists to buffer any additional response
                // retransmissions that may be received"; Terminated: destroyed.
                (Completed | Terminated, _) => (Deliver::Absorb, None, None),
            }
        }

        pub fn timeout(&mut self, now: Duration) -> Out<(), Transmit, ClientEvent> {
            use NonInviteClientState::*;
            let due = |t: Option<Duration>| t.is_some_and(|t| now >= t);
            match self.state {
                // "If Timer F fires while the client transaction is still in the "Trying"
                // state, the client transaction SHOULD inform the TU about the timeout, and
                // then it SHOULD enter the "Terminated" state." "If timer F fires while in the
                // "Proceeding" state, the TU MUST be informed of a timeout, and the client
                // transaction MUST transition to the terminated state."
                Trying | Proceeding if due(self.timer_f) => {
                    *self = self.terminated();
                    ((), None, Some(ClientEvent::Timeout))
                }
                // "If timer E fires while still in this state, the timer is reset, but this
                // time with a value of MIN(2*T1, T2). When the timer fires again, it is reset
                // to a MIN(4*T1, T2)." "If Timer E fires while in the "Proceeding" state, the
                // request MUST be passed to the transport layer for retransmission, and Timer
                // E MUST be reset with a value of T2 seconds."
                Trying | Proceeding if due(self.timer_e.map(|e| e.at)) => {
                    let t2 = self.timers.t2();
                    let proceeding = self.state == Proceeding;
                    let e = self.timer_e.as_mut().unwrap();
                    e.interval = if proceeding {
                        t2
                    } else {
                        (e.interval * 2).min(t2)
                    };
                    e.at = reset(e.at, e.interval, now);
                    ((), Some(Transmit::Request), None)
                }
                // "If Timer K fires while in this state, the client transaction MUST
                // transition to the "Terminated" state."
                Completed if due(self.timer_k) => {
                    *self = self.terminated();
                    ((), None, None)
                }
                _ => ((), None, None),
            }
        }

        /// Figure 6: Trying and Proceeding --Transport Err. / inform TU--> Terminated. No
        /// such edge from Completed (nothing is sent there).
        pub fn transport_error(&mut self) -> Out<(), Transmit, ClientEvent> {
            match self.state {
                NonInviteClientState::Trying | NonInviteClientState::Proceeding => {
                    *self = self.terminated();
                    ((), None, Some(ClientEvent::TransportError))
                }
                _ => ((), None, None),
            }
        }

        /// The TU ends the transaction (as for the INVITE client, 16.8); 17.1.2.2: "Once the
        /// transaction is in the terminated state, it MUST be destroyed immediately."
        pub fn terminate(&mut self) -> Out<(), Transmit, ClientEvent> {
            *self = self.terminated();
            ((), None, None)
        }

        fn terminated(&self) -> Self {
            NonInviteClientSpec {
                state: NonInviteClientState::Terminated,
                timer_e: None,
                timer_f: None,
                timer_k: None,
                ..self.clone()
            }
        }

        pub fn next_timeout(&self) -> Option<Duration> {
            match self.state {
                NonInviteClientState::Trying | NonInviteClientState::Proceeding => {
                    min(self.timer_e.map(|e| e.at), self.timer_f)
                }
                NonInviteClientState::Completed => self.timer_k,
                NonInviteClientState::Terminated => None,
            }
        }
    }

    // ---- INVITE server: RFC 6026 Figure 7 (which replaces RFC 3261's) and 17.2.1. ----

    #[derive(Debug, Clone)]
    pub struct InviteServerSpec {
        pub state: InviteServerState,
        reliable: bool,
        timers: Timers,
        /// When the 100 goes, unless the user answers first.
        trying: Option<Duration>,
        /// Whether a provisional response went (the TU's, or the 100).
        provisional_sent: bool,
        timer_g: Option<Retransmit>,
        timer_h: Option<Duration>,
        timer_i: Option<Duration>,
        timer_l: Option<Duration>,
    }

    impl InviteServerSpec {
        pub fn new(now: Duration, transport: Transport, timers: Timers) -> Self {
            InviteServerSpec {
                // 17.2.1: "When a server transaction is constructed for a request, it enters
                // the "Proceeding" state. The server transaction MUST generate a 100 (Trying)
                // response unless it knows that the TU will generate a provisional or final
                // response within 200 ms". Figure 7: "send 100 if TU won't in 200 ms".
                state: InviteServerState::Proceeding,
                reliable: transport == Transport::Reliable,
                timers,
                trying: Some(now + ms(200)),
                provisional_sent: false,
                timer_g: None,
                timer_h: None,
                timer_i: None,
                timer_l: None,
            }
        }

        pub fn send_response(
            &mut self,
            now: Duration,
            code: u16,
        ) -> Out<Result<(), ResponseError>, ServerTransmit, ServerEvent> {
            use InviteServerState::*;
            match (self.state, class(code)) {
                // Figure 7: Proceeding --101-199 from TU / send response--> Proceeding. "The
                // TU passes any number of provisional responses to the server transaction. So
                // long as the server transaction is in the "Proceeding" state, each of these
                // MUST be passed to the transport layer for transmission." (The caller sends
                // it; the transaction asks for nothing.) The TU answered: no 100.
                (Proceeding, 1) => {
                    self.trying = None;
                    self.provisional_sent = true;
                    (Ok(()), None, None)
                }
                // RFC 6026 7.1: "If the SIP element's TU (Transaction User) issues a 2xx
                // response for this transaction while the state machine is in the
                // "Proceeding" state, the state machine MUST transition to the "Accepted"
                // state and set Timer L to 64*T1".
                (Proceeding, 2) => {
                    self.trying = None;
                    self.state = Accepted;
                    self.timer_l = Some(now + t1x64(&self.timers));
                    (Ok(()), None, None)
                }
                // "While in the "Proceeding" state, if the TU passes a response with status
                // code from 300 to 699 to the server transaction, the response MUST be passed
                // to the transport layer for transmission, and the state machine MUST enter
                // the "Completed" state. For unreliable transports, timer G is set to fire in
                // T1 seconds, and is not set to fire for reliable transports." "When the
                // "Completed" state is entered, timer H MUST be set to fire in 64*T1 seconds
                // for all transports."
                (Proceeding, _) => {
                    self.trying = None;
                    self.state = Completed;
                    self.timer_g = (!self.reliable).then(|| Retransmit {
                        at: now + self.timers.t1().get(),
                        interval: self.timers.t1().get(),
                    });
                    self.timer_h = Some(now + t1x64(&self.timers));
                    (Ok(()), None, None)
                }
                // RFC 6026 8.7: "While in the "Accepted" state, if the TU passes a 2xx
                // response, the server transaction MUST pass the response to the transport
                // layer for transmission." The TU's retransmissions: the transaction "MUST NOT
                // generate 2xx retransmissions on its own".
                (Accepted, 2) => (Ok(()), None, None),
                // No other "from TU" edge in Figure 7: a final response went.
                _ => (Err(ResponseError::FinalSent), None, None),
            }
        }

        pub fn request(&mut self) -> Out<(), ServerTransmit, ServerEvent> {
            use InviteServerState::*;
            match self.state {
                // "If a request retransmission is received while in the "Proceeding" state,
                // the most recent provisional response that was received from the TU MUST be
                // passed to the transport layer for retransmission." (Or the 100; nothing when
                // nothing went yet.)
                Proceeding if self.provisional_sent => {
                    ((), Some(ServerTransmit::Provisional), None)
                }
                // "while in the "Completed" state, if a request retransmission is received,
                // the server SHOULD pass the response to the transport for retransmission."
                Completed => ((), Some(ServerTransmit::Final), None),
                // RFC 6026 7.1: "While in the "Accepted" state, any retransmissions of the
                // INVITE received will match this transaction state machine and will be
                // absorbed by the machine without changing its state." Figure 7: no INVITE
                // edge from Confirmed.
                _ => ((), None, None),
            }
        }

        pub fn ack(&mut self, now: Duration) -> Out<Deliver, ServerTransmit, ServerEvent> {
            use InviteServerState::*;
            match self.state {
                // "If an ACK is received while the server transaction is in the "Completed"
                // state, the server transaction MUST transition to the "Confirmed" state. As
                // Timer G is ignored in this state, any retransmissions of the response will
                // cease." "When this state is entered, timer I is set to fire in T4 seconds
                // for unreliable transports, and zero seconds for reliable transports."
                // Figure 7: "ACK / -".
                Completed => {
                    self.timer_g = None;
                    self.timer_h = None;
                    self.state = Confirmed;
                    let timer_i = if self.reliable {
                        Duration::ZERO
                    } else {
                        self.timers.t4()
                    };
                    self.timer_i = Some(now + timer_i);
                    (Deliver::Absorb, None, None)
                }
                // RFC 6026 7.1: "Any ACKs received from the network while in the "Accepted"
                // state MUST be passed directly to the TU and not absorbed."
                Accepted => (Deliver::ToUser, None, None),
                // "The purpose of the "Confirmed" state is to absorb any additional ACK
                // messages".
                _ => (Deliver::Absorb, None, None),
            }
        }

        pub fn timeout(&mut self, now: Duration) -> Out<(), ServerTransmit, ServerEvent> {
            use InviteServerState::*;
            let due = |t: Option<Duration>| t.is_some_and(|t| now >= t);
            match self.state {
                // "send 100 if TU won't in 200 ms".
                Proceeding if due(self.trying) => {
                    self.trying = None;
                    self.provisional_sent = true;
                    ((), Some(ServerTransmit::Trying), None)
                }
                // "If timer H fires while in the "Completed" state, it implies that the ACK
                // was never received. In this case, the server transaction MUST transition to
                // the "Terminated" state, and MUST indicate to the TU that a transaction
                // failure has occurred." (RFC 6026's Figure 7 labels the edge "Timer H fires
                // / -", but RFC 6026 leaves this sentence as it was.)
                Completed if due(self.timer_h) => {
                    *self = self.terminated();
                    ((), None, Some(ServerEvent::Timeout))
                }
                // "If timer G fires, the response is passed to the transport layer once more
                // for retransmission, and timer G is set to fire in MIN(2*T1, T2) seconds.
                // From then on, when timer G fires, the response is passed to the transport
                // again for transmission, and timer G is reset with a value that doubles,
                // unless that value exceeds T2, in which case it is reset with the value of
                // T2."
                Completed if due(self.timer_g.map(|g| g.at)) => {
                    let t2 = self.timers.t2();
                    let g = self.timer_g.as_mut().unwrap();
                    g.interval = (g.interval * 2).min(t2);
                    g.at = reset(g.at, g.interval, now);
                    ((), Some(ServerTransmit::Final), None)
                }
                // "Once timer I fires, the server MUST transition to the "Terminated" state."
                Confirmed if due(self.timer_i) => {
                    *self = self.terminated();
                    ((), None, None)
                }
                // RFC 6026: "If Timer L fires while the INVITE server transaction is in the
                // "Accepted" state, the transaction MUST transition to the "Terminated"
                // state."
                Accepted if due(self.timer_l) => {
                    *self = self.terminated();
                    ((), None, None)
                }
                _ => ((), None, None),
            }
        }

        /// RFC 6026 7.1: "A server transaction MUST NOT discard transaction state based only
        /// on encountering a non-recoverable transport error when sending a response.
        /// Instead, the associated INVITE server transaction state machine MUST remain in its
        /// current state. (Timers will eventually cause it to transition to the "Terminated"
        /// state)." 8.8: "the server transaction SHOULD inform the TU that a failure has
        /// occurred, and MUST remain in the current state." Figure 7: Proceeding, Completed
        /// and Accepted --Transport Err. / Inform TU--> the same state.
        pub fn transport_error(&mut self) -> Out<(), ServerTransmit, ServerEvent> {
            if self.state == InviteServerState::Terminated {
                return ((), None, None);
            }
            ((), None, Some(ServerEvent::TransportError))
        }

        fn terminated(&self) -> Self {
            InviteServerSpec {
                state: InviteServerState::Terminated,
                trying: None,
                timer_g: None,
                timer_h: None,
                timer_i: None,
                timer_l: None,
                ..self.clone()
            }
        }

        pub fn next_timeout(&self) -> Option<Duration> {
            match self.state {
                InviteServerState::Proceeding => self.trying,
                InviteServerState::Completed => min(self.timer_g.map(|g| g.at), self.timer_h),
                InviteServerState::Confirmed => self.timer_i,
                InviteServerState::Accepted => self.timer_l,
                InviteServerState::Terminated => None,
            }
        }
    }

    // ---- Non-INVITE server: RFC 3261 Figure 8 and 17.2.2, with RFC 4320. ----

    /// RFC 4320 4.1: "A SIP element MUST NOT respond to a non-INVITE request with a
    /// Status-Code of 100 over any unreliable transport, such as UDP, before the amount of
    /// time it takes a client transaction's Timer E to be reset to T2." Timer E, per 17.1.2.2:
    /// set to T1, then on each firing "reset ... with a value of MIN(2*T1, T2)", "MIN(4*T1,
    /// T2)", and so on: the first firing whose reset value is T2.
    pub fn timer_e_reaches_t2(timers: &Timers) -> Duration {
        let (t1, t2) = (timers.t1().get(), timers.t2());
        let (mut fires_at, mut interval) = (Duration::ZERO, t1);
        loop {
            fires_at += interval;
            interval = (interval * 2).min(t2);
            if interval == t2 {
                return fires_at;
            }
        }
    }

    #[derive(Debug, Clone)]
    pub struct NonInviteServerSpec {
        pub state: NonInviteServerState,
        reliable: bool,
        timers: Timers,
        hundred_from: Duration,
        /// Nothing was sent yet: the transaction owes the 100 at `hundred_from`.
        hundred_owed: bool,
        timer_j: Option<Duration>,
    }

    impl NonInviteServerSpec {
        pub fn new(now: Duration, transport: Transport, timers: Timers) -> Self {
            let reliable = transport == Transport::Reliable;
            NonInviteServerSpec {
                // 17.2.2: "The state machine is initialized in the "Trying" state".
                state: NonInviteServerState::Trying,
                reliable,
                timers,
                // RFC 4320 4.1: "Without regard to transport, an SIP element MUST respond to a
                // non-INVITE request with a Status-Code of 100 if it has not otherwise
                // responded after the amount of time it takes a client transaction's Timer E
                // to be reset to T2."
                hundred_from: now + timer_e_reaches_t2(&timers),
                hundred_owed: true,
                timer_j: None,
            }
        }

        /// `None` for the 100, or a final code.
        pub fn send_response(
            &mut self,
            now: Duration,
            code: Option<u16>,
        ) -> Out<Result<(), ResponseError>, ServerTransmit, ServerEvent> {
            use NonInviteServerState::*;
            match (self.state, code) {
                // RFC 4320 4.2: "A transaction-stateful SIP element MUST NOT send a response
                // with Status-Code of 408 to a non-INVITE request."
                (Trying | Proceeding, Some(408)) => {
                    (Err(ResponseError::RequestTimeout), None, None)
                }
                // RFC 4320 4.1 (above): not before Timer E reaches T2, over UDP; "An SIP
                // element MAY respond to a non-INVITE request with a Status-Code of 100 over a
                // reliable transport at any time."
                (Trying | Proceeding, None) if !self.reliable && now < self.hundred_from => {
                    (Err(ResponseError::TooEarly(self.hundred_from)), None, None)
                }
                // "While in the "Trying" state, if the TU passes a provisional response to the
                // server transaction, the server transaction MUST enter the "Proceeding"
                // state." "Any further provisional responses that are received from the TU
                // while in the "Proceeding" state MUST be passed to the transport layer".
                (Trying | Proceeding, None) => {
                    self.state = Proceeding;
                    self.hundred_owed = false;
                    (Ok(()), None, None)
                }
                // Figure 8: Trying and Proceeding --200-699 from TU / send response-->
                // Completed. "When the server transaction enters the "Completed" state, it
                // MUST set Timer J to fire in 64*T1 seconds for unreliable transports, and
                // zero seconds for reliable transports."
                (Trying | Proceeding, Some(_)) => {
                    self.hundred_owed = false;
                    self.state = Completed;
                    let timer_j = if self.reliable {
                        Duration::ZERO
                    } else {
                        t1x64(&self.timers)
                    };
                    self.timer_j = Some(now + timer_j);
                    (Ok(()), None, None)
                }
                // "Any other final responses passed by the TU to the server transaction MUST
                // be discarded while in the "Completed" state."
                _ => (Err(ResponseError::FinalSent), None, None),
            }
        }

        pub fn request(&mut self) -> Out<(), ServerTransmit, ServerEvent> {
            match self.state {
                // "Once in the "Trying" state, any further request retransmissions are
                // discarded."
                NonInviteServerState::Trying => ((), None, None),
                // "If a retransmission of the request is received while in the "Proceeding"
                // state, the most recently sent provisional response MUST be passed to the
                // transport layer for retransmission."
                NonInviteServerState::Proceeding => ((), Some(ServerTransmit::Provisional), None),
                // "While in the "Completed" state, the server transaction MUST pass the final
                // response to the transport layer for retransmission whenever a
                // retransmission of the request is received."
                NonInviteServerState::Completed => ((), Some(ServerTransmit::Final), None),
                NonInviteServerState::Terminated => ((), None, None),
            }
        }

        pub fn timeout(&mut self, now: Duration) -> Out<(), ServerTransmit, ServerEvent> {
            // RFC 4320 4.1: the 100 it "MUST respond" with, if "it has not otherwise
            // responded"; Figure 8: Trying --1xx from TU / send response--> Proceeding.
            if self.state == NonInviteServerState::Trying
                && self.hundred_owed
                && now >= self.hundred_from
            {
                self.hundred_owed = false;
                self.state = NonInviteServerState::Proceeding;
                return ((), Some(ServerTransmit::Trying), None);
            }
            // "The server transaction remains in this state until Timer J fires, at which
            // point it MUST transition to the "Terminated" state."
            if self.state == NonInviteServerState::Completed
                && self.timer_j.is_some_and(|j| now >= j)
            {
                self.state = NonInviteServerState::Terminated;
                self.timer_j = None;
            }
            ((), None, None)
        }

        /// RFC 6026 8.8, which rewrites 17.2.4 for every server transaction: "the server
        /// transaction SHOULD inform the TU that a failure has occurred, and MUST remain in
        /// the current state." (It does not redraw Figure 8, whose "Trnsprt Err / Inform TU"
        /// edges still go to Terminated: the newer text is taken.)
        pub fn transport_error(&mut self) -> Out<(), ServerTransmit, ServerEvent> {
            if self.state == NonInviteServerState::Terminated {
                return ((), None, None);
            }
            ((), None, Some(ServerEvent::TransportError))
        }

        pub fn next_timeout(&self) -> Option<Duration> {
            match self.state {
                NonInviteServerState::Trying if self.hundred_owed => Some(self.hundred_from),
                NonInviteServerState::Completed => self.timer_j,
                _ => None,
            }
        }
    }
}

use rfc::{InviteClientSpec, InviteServerSpec, NonInviteClientSpec, NonInviteServerSpec};

// ---- Random inputs. ----

/// When a timeout comes, relative to the next deadline (or to now, when there is none).
#[derive(Debug, Clone, Copy)]
enum When {
    JustBefore,
    At,
    LongAfter(Duration),
    /// Some time from now, whatever the deadline.
    In(Duration),
}

impl When {
    fn time(self, now: Duration, deadline: Option<Duration>) -> Duration {
        let t = match (self, deadline) {
            (When::JustBefore, Some(d)) => d.saturating_sub(NS),
            (When::At, Some(d)) => d,
            (When::LongAfter(x), Some(d)) => d + x,
            (When::In(x), _) | (When::LongAfter(x), None) => now + x,
            (_, None) => now,
        };
        t.max(now)
    }
}

fn when() -> impl Strategy<Value = When> {
    prop_oneof![
        2 => Just(When::JustBefore),
        4 => Just(When::At),
        1 => (1u64..=200_000).prop_map(|x| When::LongAfter(ms(x))),
        1 => (0u64..=5_000).prop_map(|x| When::In(ms(x))),
    ]
}

/// Time passing before a message or a call of the user: never up to the next deadline (a
/// caller runs its timers first).
fn before_deadline(now: Duration, advance: Duration, deadline: Option<Duration>) -> Duration {
    match deadline {
        Some(d) if d > now => (now + advance).min(d.checked_sub(NS).unwrap()),
        Some(_) => now,
        None => now + advance,
    }
}

fn advance() -> impl Strategy<Value = Duration> {
    prop_oneof![Just(Duration::ZERO), (0u64..=3_000).prop_map(ms)]
}

/// Any code 100..=699, the usual ones more often (so that retransmissions, the same code
/// again, are common).
fn code() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => prop::sample::select(vec![100u16, 180, 183, 200, 202, 302, 404, 486, 500, 603]),
        2 => 100u16..=699,
    ]
}

fn final_code() -> impl Strategy<Value = u16> {
    prop_oneof![
        2 => prop::sample::select(vec![200u16, 202, 404, 408, 486, 500, 603]),
        1 => 200u16..=699,
    ]
}

fn transport() -> impl Strategy<Value = Transport> {
    prop_oneof![Just(Transport::Unreliable), Just(Transport::Reliable)]
}

/// RFC 3261's defaults, or others: T1 from 1 ms to 3 s, T2 above T1 (some multiple of it, or
/// not), T4 from 0 to 10 s. (T2 equal to T1 too.)
fn timers() -> impl Strategy<Value = Timers> {
    let other = (1u64..=3_000, 0u64..=10_000).prop_flat_map(|(t1, t4)| {
        prop_oneof![
            (1u64..=16).prop_map(move |k| (t1, t1 * k, t4)),
            (1u64..=20_000).prop_map(move |x| (t1, t1 + x, t4)),
        ]
    });
    prop_oneof![
        Just(Timers::DEFAULT),
        other.prop_map(
            |(t1, t2, t4)| Timers::new(T1::new(ms(t1)).unwrap(), ms(t2), ms(t4)).unwrap()
        ),
    ]
}

#[derive(Debug, Clone, Copy)]
enum ClientStep {
    Response(Duration, u16),
    Timeout(When),
    TransportError(Duration),
    /// The user ends the transaction (a proxy's Timer C, RFC 3261 16.8).
    Terminate(Duration),
}

fn client_step() -> impl Strategy<Value = ClientStep> {
    prop_oneof![
        10 => (advance(), code()).prop_map(|(a, c)| ClientStep::Response(a, c)),
        10 => when().prop_map(ClientStep::Timeout),
        2 => advance().prop_map(ClientStep::TransportError),
        1 => advance().prop_map(ClientStep::Terminate),
    ]
}

#[derive(Debug, Clone, Copy)]
enum InviteServerStep {
    Respond(Duration, u16),
    Request(Duration),
    Ack(Duration),
    Timeout(When),
    TransportError(Duration),
}

fn invite_server_step() -> impl Strategy<Value = InviteServerStep> {
    prop_oneof![
        4 => (advance(), code()).prop_map(|(a, c)| InviteServerStep::Respond(a, c)),
        3 => advance().prop_map(InviteServerStep::Request),
        3 => advance().prop_map(InviteServerStep::Ack),
        5 => when().prop_map(InviteServerStep::Timeout),
        1 => advance().prop_map(InviteServerStep::TransportError),
    ]
}

#[derive(Debug, Clone, Copy)]
enum NonInviteServerStep {
    /// `None`: the 100.
    Respond(Duration, Option<u16>),
    Request(Duration),
    Timeout(When),
    TransportError(Duration),
}

fn non_invite_server_step() -> impl Strategy<Value = NonInviteServerStep> {
    prop_oneof![
        2 => (0u64..=5_000).prop_map(|a| NonInviteServerStep::Respond(ms(a), None)),
        2 => (advance(), final_code())
            .prop_map(|(a, c)| NonInviteServerStep::Respond(a, Some(c))),
        3 => advance().prop_map(NonInviteServerStep::Request),
        4 => when().prop_map(NonInviteServerStep::Timeout),
        1 => advance().prop_map(NonInviteServerStep::TransportError),
    ]
}

// ---- The runs: one step, then every output compared. ----

/// Compares one step: its outputs, then that each went once, the state and the next timeout.
macro_rules! check {
    ($step:expr, $tx:expr, $spec:expr, $got:expr, $want:expr) => {{
        let got = ($got, $tx.poll_transmit(), $tx.poll_event());
        prop_assert_eq!(got, $want, "outputs after {:?}", $step);
        prop_assert_eq!(
            ($tx.poll_transmit(), $tx.poll_event()),
            (None, None),
            "twice"
        );
        prop_assert_eq!($tx.state(), $spec.state, "state after {:?}", $step);
        prop_assert_eq!(
            $tx.poll_timeout(),
            $spec.next_timeout(),
            "poll_timeout after {:?}",
            $step
        );
    }};
}

fn run_invite_client(
    start: Duration,
    transport: Transport,
    timers: Timers,
    steps: &[ClientStep],
) -> Result<(), TestCaseError> {
    let mut tx = InviteClient::new(start, transport, timers);
    let mut spec = InviteClientSpec::new(start, transport, timers);
    prop_assert_eq!(tx.state(), spec.state);
    prop_assert_eq!(tx.poll_timeout(), spec.next_timeout());
    let mut now = start;
    for &step in steps {
        let deadline = spec.next_timeout();
        match step {
            ClientStep::Response(a, code) => {
                now = before_deadline(now, a, deadline);
                let got = tx.handle_response(now, raw(code));
                check!(step, tx, spec, got, spec.response(now, code));
            }
            ClientStep::Timeout(w) => {
                now = w.time(now, deadline);
                tx.handle_timeout(now);
                check!(step, tx, spec, (), spec.timeout(now));
            }
            ClientStep::TransportError(a) => {
                now = before_deadline(now, a, deadline);
                tx.handle_transport_error(now);
                check!(step, tx, spec, (), spec.transport_error());
            }
            ClientStep::Terminate(a) => {
                now = before_deadline(now, a, deadline);
                tx.terminate(now);
                check!(step, tx, spec, (), spec.terminate());
            }
        }
    }
    Ok(())
}

fn run_non_invite_client(
    start: Duration,
    transport: Transport,
    timers: Timers,
    steps: &[ClientStep],
) -> Result<(), TestCaseError> {
    let mut tx = NonInviteClient::new(start, transport, timers);
    let mut spec = NonInviteClientSpec::new(start, transport, timers);
    prop_assert_eq!(tx.state(), spec.state);
    prop_assert_eq!(tx.poll_timeout(), spec.next_timeout());
    let mut now = start;
    for &step in steps {
        let deadline = spec.next_timeout();
        match step {
            ClientStep::Response(a, code) => {
                now = before_deadline(now, a, deadline);
                let got = tx.handle_response(now, raw(code));
                check!(step, tx, spec, got, spec.response(now, code));
            }
            ClientStep::Timeout(w) => {
                now = w.time(now, deadline);
                tx.handle_timeout(now);
                check!(step, tx, spec, (), spec.timeout(now));
            }
            ClientStep::TransportError(a) => {
                now = before_deadline(now, a, deadline);
                tx.handle_transport_error(now);
                check!(step, tx, spec, (), spec.transport_error());
            }
            ClientStep::Terminate(a) => {
                now = before_deadline(now, a, deadline);
                tx.terminate(now);
                check!(step, tx, spec, (), spec.terminate());
            }
        }
    }
    Ok(())
}

fn run_invite_server(
    start: Duration,
    transport: Transport,
    timers: Timers,
    steps: &[InviteServerStep],
) -> Result<(), TestCaseError> {
    let mut tx = InviteServer::new(start, transport, timers);
    let mut spec = InviteServerSpec::new(start, transport, timers);
    prop_assert_eq!(tx.state(), spec.state);
    prop_assert_eq!(tx.poll_timeout(), spec.next_timeout());
    let mut now = start;
    for &step in steps {
        let deadline = spec.next_timeout();
        match step {
            InviteServerStep::Respond(a, code) => {
                now = before_deadline(now, a, deadline);
                let got = tx.send_response(now, raw(code));
                check!(step, tx, spec, got, spec.send_response(now, code));
            }
            InviteServerStep::Request(a) => {
                now = before_deadline(now, a, deadline);
                tx.handle_request(now);
                check!(step, tx, spec, (), spec.request());
            }
            InviteServerStep::Ack(a) => {
                now = before_deadline(now, a, deadline);
                let got = tx.handle_ack(now);
                check!(step, tx, spec, got, spec.ack(now));
            }
            InviteServerStep::Timeout(w) => {
                now = w.time(now, deadline);
                tx.handle_timeout(now);
                check!(step, tx, spec, (), spec.timeout(now));
            }
            InviteServerStep::TransportError(a) => {
                now = before_deadline(now, a, deadline);
                tx.handle_transport_error(now);
                check!(step, tx, spec, (), spec.transport_error());
            }
        }
    }
    Ok(())
}

fn run_non_invite_server(
    start: Duration,
    transport: Transport,
    timers: Timers,
    steps: &[NonInviteServerStep],
) -> Result<(), TestCaseError> {
    let mut tx = NonInviteServer::new(start, transport, timers);
    let mut spec = NonInviteServerSpec::new(start, transport, timers);
    prop_assert_eq!(tx.state(), spec.state);
    prop_assert_eq!(tx.poll_timeout(), spec.next_timeout());
    let mut now = start;
    for &step in steps {
        let deadline = spec.next_timeout();
        match step {
            NonInviteServerStep::Respond(a, code) => {
                now = before_deadline(now, a, deadline);
                let response = match code {
                    None => NonInviteResponse::Trying,
                    Some(c) => NonInviteResponse::Final(FinalCode::new(raw(c)).unwrap()),
                };
                let got = tx.send_response(now, response);
                check!(step, tx, spec, got, spec.send_response(now, code));
            }
            NonInviteServerStep::Request(a) => {
                now = before_deadline(now, a, deadline);
                tx.handle_request(now);
                check!(step, tx, spec, (), spec.request());
            }
            NonInviteServerStep::Timeout(w) => {
                now = w.time(now, deadline);
                tx.handle_timeout(now);
                check!(step, tx, spec, (), spec.timeout(now));
            }
            NonInviteServerStep::TransportError(a) => {
                now = before_deadline(now, a, deadline);
                tx.handle_transport_error(now);
                check!(step, tx, spec, (), spec.transport_error());
            }
        }
    }
    Ok(())
}

fn start() -> impl Strategy<Value = Duration> {
    prop_oneof![Just(Duration::ZERO), (0u64..=1_000_000).prop_map(ms)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_invite_client_follows_rfc6026_figure_5(
        start in start(),
        transport in transport(),
        timers in timers(),
        steps in prop::collection::vec(client_step(), 0..40),
    ) {
        run_invite_client(start, transport, timers, &steps)?;
    }

    #[test]
    fn the_non_invite_client_follows_rfc3261_figure_6(
        start in start(),
        transport in transport(),
        timers in timers(),
        steps in prop::collection::vec(client_step(), 0..40),
    ) {
        run_non_invite_client(start, transport, timers, &steps)?;
    }

    #[test]
    fn the_invite_server_follows_rfc6026_figure_7(
        start in start(),
        transport in transport(),
        timers in timers(),
        steps in prop::collection::vec(invite_server_step(), 0..40),
    ) {
        run_invite_server(start, transport, timers, &steps)?;
    }

    #[test]
    fn the_non_invite_server_follows_rfc3261_figure_8_and_rfc4320(
        start in start(),
        transport in transport(),
        timers in timers(),
        steps in prop::collection::vec(non_invite_server_step(), 0..40),
    ) {
        run_non_invite_server(start, transport, timers, &steps)?;
    }
}

// ---- Fixed cases: the deadlines at their edges, and the disagreements. ----

/// 17.1.1.2: Timer A at T1, 2*T1, 4*T1...; Timer B at 64*T1 (the 7th transmission would be at
/// 63.5 s), each deadline exactly: nothing a nanosecond before.
#[test]
fn the_invite_client_deadlines_to_the_nanosecond() {
    let mut tx = InviteClient::new(Duration::ZERO, Transport::Unreliable, Timers::DEFAULT);
    let mut sent = Vec::new();
    let mut wakes = 0;
    while let Some(at) = tx.poll_timeout() {
        wakes += 1; // a machine that never stops asking to wake is a bug, not a hang
        assert!(wakes < 1000, "still waking at {at:?}");
        tx.handle_timeout(at.checked_sub(NS).unwrap());
        assert_eq!(tx.poll_transmit(), None);
        assert_eq!(tx.poll_timeout(), Some(at));
        tx.handle_timeout(at);
        if tx.poll_transmit() == Some(Transmit::Request) {
            sent.push(at.as_millis());
        }
    }
    assert_eq!(sent, [500, 1500, 3500, 7500, 15_500, 31_500]);
    assert_eq!(tx.poll_event(), Some(ClientEvent::Timeout));
    assert_eq!(tx.state(), InviteClientState::Terminated);
}

/// RFC 4320 4.1: the 100 may go "[not] before the amount of time it takes a client
/// transaction's Timer E to be reset to T2": with T1 500 ms and T2 4 s, Timer E fires at
/// 0.5 s (reset to 1 s), 1.5 s (2 s) and 3.5 s (4 s = T2).
#[test]
fn rfc4320_the_100_waits_3_5_seconds_over_udp() {
    assert_eq!(rfc::timer_e_reaches_t2(&Timers::DEFAULT), ms(3500));
    let mut tx = NonInviteServer::new(ms(10), Transport::Unreliable, Timers::DEFAULT);
    assert_eq!(
        tx.send_response(ms(3510).checked_sub(NS).unwrap(), NonInviteResponse::Trying),
        Err(ResponseError::TooEarly(ms(3510)))
    );
    assert_eq!(tx.state(), NonInviteServerState::Trying);
    assert_eq!(
        tx.send_response(ms(3510), NonInviteResponse::Trying),
        Ok(())
    );
    assert_eq!(tx.state(), NonInviteServerState::Proceeding);
    let mut tx = NonInviteServer::new(ms(10), Transport::Reliable, Timers::DEFAULT);
    assert_eq!(tx.send_response(ms(10), NonInviteResponse::Trying), Ok(()));
}

/// RFC 4320 4.1 with T2 equal to T1: Timer E is set to T1 (= T2) when the request goes and
/// first *reset* (to MIN(2*T1, T2) = T2) when it fires, T1 later; "the amount of time it takes
/// a client transaction's Timer E to be reset to T2" is then T1, read to the letter. (Before
/// proto's 1625b24 the machine let the 100 go at once; the letter is taken here.) At T1 the
/// transaction sends the 100 itself if nothing went: "Without regard to transport, an SIP
/// element MUST respond to a non-INVITE request with a Status-Code of 100 if it has not
/// otherwise responded after" that time.
#[test]
fn rfc4320_when_t2_is_t1() {
    let t1 = ms(500);
    let timers = Timers::new(T1::new(t1).unwrap(), t1, ms(5000)).unwrap();
    assert_eq!(rfc::timer_e_reaches_t2(&timers), t1);
    for transport in [Transport::Unreliable, Transport::Reliable] {
        let mut tx = NonInviteServer::new(Duration::ZERO, transport, timers);
        assert_eq!(tx.poll_timeout(), Some(t1));
        if transport == Transport::Unreliable {
            assert_eq!(
                tx.send_response(t1.checked_sub(NS).unwrap(), NonInviteResponse::Trying),
                Err(ResponseError::TooEarly(t1))
            );
        }
        tx.handle_timeout(t1.checked_sub(NS).unwrap());
        assert_eq!(tx.poll_transmit(), None);
        tx.handle_timeout(t1);
        assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Trying));
        assert_eq!(tx.state(), NonInviteServerState::Proceeding);
        assert_eq!(tx.poll_timeout(), None);
    }
}

/// RFC 6026 7.1: "A server transaction MUST NOT discard transaction state based only on
/// encountering a non-recoverable transport error when sending a response. Instead, the
/// associated INVITE server transaction state machine MUST remain in its current state.
/// (Timers will eventually cause it to transition to the "Terminated" state). This allows
/// retransmissions of the INVITE to be absorbed instead of being processed as a new
/// request." Figure 7: "Transport Err. / Inform TU" loops on Proceeding, Completed and
/// Accepted.
/// (Failed before proto's 1625b24, where the transaction ended: first written `#[ignore]`d.)
#[test]
fn the_invite_server_stays_put_on_a_transport_error() {
    // Accepted: the INVITE again must still be absorbed by this transaction, until Timer L.
    let mut tx = InviteServer::new(Duration::ZERO, Transport::Unreliable, Timers::DEFAULT);
    tx.send_response(ms(10), raw(200)).unwrap();
    tx.handle_transport_error(ms(20));
    assert_eq!(tx.poll_event(), Some(ServerEvent::TransportError));
    assert_eq!(tx.state(), InviteServerState::Accepted);
    assert_eq!(tx.poll_timeout(), Some(ms(32_010)));
    // Completed: Timer G and H go on.
    let mut tx = InviteServer::new(Duration::ZERO, Transport::Unreliable, Timers::DEFAULT);
    tx.send_response(ms(10), raw(486)).unwrap();
    tx.handle_transport_error(ms(20));
    assert_eq!(tx.poll_event(), Some(ServerEvent::TransportError));
    assert_eq!(tx.state(), InviteServerState::Completed);
    tx.handle_request(ms(30));
    assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Final));
    // Proceeding.
    let mut tx = InviteServer::new(Duration::ZERO, Transport::Unreliable, Timers::DEFAULT);
    tx.send_response(ms(10), raw(180)).unwrap();
    tx.handle_transport_error(ms(20));
    assert_eq!(tx.poll_event(), Some(ServerEvent::TransportError));
    assert_eq!(tx.state(), InviteServerState::Proceeding);
}

/// The refusals say why: RFC 3261 17.2.2, "Any other final responses passed by the TU to the
/// server transaction MUST be discarded while in the "Completed" state"; RFC 4320 4.1, not
/// "before the amount of time it takes a client transaction's Timer E to be reset to T2".
#[test]
fn response_errors_say_why() {
    assert_eq!(
        ResponseError::FinalSent.to_string(),
        "a final response was already sent"
    );
    let too_early = ResponseError::TooEarly(ms(3500)).to_string();
    assert!(too_early.contains("RFC 4320"), "{too_early}");
    assert!(too_early.ends_with("at 3.5s"), "{too_early}");
}
