//! The client transactions: INVITE (RFC 3261 17.1.1 with RFC 6026) and non-INVITE
//! (17.1.2).

use core::time::Duration;

use sip_responses_core::{Class, RawCode};

use super::{Timers, Transport};

/// What to do with a response a client transaction received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Deliver {
    /// Pass it to the transaction user (the UA core, or the proxy core). In an INVITE
    /// client's Accepted state that is every 2xx (RFC 6026: "Any 2xx responses that match this
    /// client transaction and that are received while in the "Accepted" state MUST be passed
    /// up to the TU"): a retransmission of one already
    /// passed up and another fork's 2xx alike. Telling them apart takes the To tag (is it a
    /// dialog the user already has?), which a transaction does not read; the user ACKs either
    /// (13.2.2.4), and hangs up a dialog it does not want.
    ToUser,
    /// Do not: a retransmission of a final response (the transaction may have asked to
    /// send the ACK again, [`InviteClient::poll_transmit`]), or a response after the
    /// transaction ended.
    Absorb,
}

/// What a client transaction asks the caller to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transmit {
    /// The request again, exactly as first sent (a retransmission).
    Request,
    /// The ACK of the non-2xx final response (RFC 3261 17.1.1.3): the Request-URI, Call-ID,
    /// From, the top Via (the same branch) and the Route header fields of the INVITE, the To
    /// of the response (with its tag), the INVITE's CSeq number with the method ACK. Sent to
    /// the same address, port and transport as the INVITE.
    Ack,
}

/// What a client transaction tells its user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientEvent {
    /// No final response in time (Timer B or F): the transaction has ended; treat it as a
    /// 408 (RFC 3261 8.1.3.1).
    Timeout,
    /// The transport could not send the request (or, in Completed, the ACK): the transaction
    /// has ended. Before a final response was passed up, treat it as a 503 (RFC 3261
    /// 8.1.3.1); after one, it only means the ACK may not have gone.
    TransportError,
}

/// A retransmission timer: when it fires next and the interval that led there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Retransmission {
    at: Duration,
    interval: Duration,
}

impl Retransmission {
    fn start(now: Duration, transport: Transport, timers: &Timers) -> Option<Self> {
        (transport == Transport::Unreliable).then(|| Retransmission {
            at: now.saturating_add(timers.t1().get()),
            interval: timers.t1().get(),
        })
    }
}

/// When a client transaction wakes next: the retransmission timer (A or E) or the end of its
/// state (B, D, M; F, K), whichever is earlier.
fn next_wake(retransmit: Option<Retransmission>, ends: Option<Duration>) -> Option<Duration> {
    match (retransmit.map(|r| r.at), ends) {
        (Some(r), Some(e)) => Some(r.min(e)),
        (r, e) => r.or(e),
    }
}

/// Pending outputs, one of each at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Outbox {
    transmit: Option<Transmit>,
    event: Option<ClientEvent>,
}

impl Outbox {
    /// The transaction failed with `event`: nothing more goes out.
    fn fail(&mut self, event: ClientEvent) {
        self.event = Some(event);
        self.transmit = None;
    }

    /// A retransmission asked for but not yet taken is void: the state it was asked in has
    /// ended (a response stops the request's retransmissions).
    fn drop_request(&mut self) {
        if self.transmit == Some(Transmit::Request) {
            self.transmit = None;
        }
    }
}

/// The states of an INVITE client transaction (RFC 3261 Figure 5, RFC 6026 Figure 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InviteClientState {
    /// The INVITE was sent; no response yet.
    Calling,
    /// A provisional response arrived.
    Proceeding,
    /// A 300-699 arrived and was acknowledged; retransmissions of it are acknowledged again.
    Completed,
    /// A 2xx arrived (RFC 6026): later 2xx responses (retransmissions, other forks) go to
    /// the user, who acknowledges them.
    Accepted,
    /// Over: destroy the transaction.
    Terminated,
}

/// The INVITE client transaction (RFC 3261 17.1.1, with RFC 6026's Accepted state): Timers
/// A, B, D and M.
///
/// ```
/// use core::time::Duration;
/// use sip_responses_core::StatusCode;
/// use sip_responses_proto::transaction::{Deliver, InviteClient, InviteClientState, Timers, Transmit, Transport};
///
/// let mut tx = InviteClient::new(Duration::ZERO, Transport::Unreliable, Timers::DEFAULT);
/// tx.handle_timeout(Duration::from_millis(500)); // Timer A
/// assert_eq!(tx.poll_transmit(), Some(Transmit::Request));
/// // Any 1xx (the 100 too) stops the retransmissions, and causes no ACK.
/// assert_eq!(tx.handle_response(Duration::from_millis(600), StatusCode::Trying), Deliver::ToUser);
/// assert_eq!(tx.poll_timeout(), None);
/// assert_eq!(tx.poll_transmit(), None);
/// // A 486 is acknowledged by the transaction, and so is each retransmission of it.
/// assert_eq!(tx.handle_response(Duration::from_secs(2), StatusCode::BusyHere), Deliver::ToUser);
/// assert_eq!(tx.poll_transmit(), Some(Transmit::Ack));
/// assert_eq!(tx.handle_response(Duration::from_secs(3), StatusCode::BusyHere), Deliver::Absorb);
/// assert_eq!(tx.poll_transmit(), Some(Transmit::Ack));
/// tx.handle_timeout(Duration::from_secs(34)); // Timer D: 32 s
/// assert_eq!(tx.state(), InviteClientState::Terminated);
/// ```
#[derive(Debug, Clone)]
pub struct InviteClient {
    state: InviteClientState,
    timers: Timers,
    transport: Transport,
    /// Timer A (Calling, unreliable transport).
    timer_a: Option<Retransmission>,
    /// Timer B (Calling), D (Completed) or M (Accepted): when the state ends.
    ends: Option<Duration>,
    outbox: Outbox,
}

/// Timer D over an unreliable transport: "a value of at least 32 seconds" (17.1.1.2).
const TIMER_D: Duration = Duration::from_secs(32);

impl InviteClient {
    /// The transaction of an INVITE the caller sends at `now` over `transport`: Timer A
    /// starts at T1 over an unreliable transport, Timer B at 64*T1.
    #[must_use]
    pub fn new(now: Duration, transport: Transport, timers: Timers) -> Self {
        InviteClient {
            state: InviteClientState::Calling,
            timers,
            transport,
            timer_a: Retransmission::start(now, transport, &timers),
            ends: Some(now.saturating_add(timers.t1().times(64))),
            outbox: Outbox::default(),
        }
    }

    /// The state.
    #[must_use]
    pub const fn state(&self) -> InviteClientState {
        self.state
    }

    /// A response matching this transaction arrived at `now`, with `code` (a code of any set,
    /// or a [`RawCode`] for one no set knows: its class decides, as RFC 3261 8.1.3.2 says).
    pub fn handle_response(&mut self, now: Duration, code: impl Into<RawCode>) -> Deliver {
        use InviteClientState::{Accepted, Calling, Completed, Proceeding, Terminated};
        let class = code.into().class();
        match (self.state, class) {
            (Calling | Proceeding, Class::Provisional) => {
                // "In the "Proceeding" state, the client transaction SHOULD NOT retransmit
                // the request any longer"; Timer B only ends the Calling state.
                self.state = Proceeding;
                self.timer_a = None;
                self.ends = None;
                self.outbox.drop_request();
                Deliver::ToUser
            }
            (Calling | Proceeding, Class::Success) => {
                // RFC 6026: "it MUST transition to the "Accepted" state, pass the 2xx
                // response to the TU, and set Timer M to 64*T1".
                self.state = Accepted;
                self.timer_a = None;
                self.ends = Some(now.saturating_add(self.timers.t1().times(64)));
                self.outbox.drop_request();
                Deliver::ToUser
            }
            (Calling | Proceeding, _) => {
                // "reception of a response with status code from 300-699 MUST cause the
                // client transaction to transition to "Completed" ... MUST generate an ACK
                // request, even if the transport is reliable".
                // Timer D: "a value of zero seconds for reliable transports" (the state is
                // entered all the same, so a transport error of the ACK still reaches the user,
                // RFC 6026's Figure 5).
                self.timer_a = None;
                self.outbox.transmit = Some(Transmit::Ack);
                self.state = Completed;
                let timer_d = match self.transport {
                    Transport::Unreliable => TIMER_D,
                    Transport::Reliable => Duration::ZERO,
                };
                self.ends = Some(now.saturating_add(timer_d));
                Deliver::ToUser
            }
            (Completed, Class::Provisional | Class::Success) | (Terminated, _) => Deliver::Absorb,
            (Completed, _) => {
                // "Any retransmissions of the final response that are received while in the
                // "Completed" state MUST cause the ACK to be re-passed to the transport layer
                // for retransmission, but the newly received response MUST NOT be passed up
                // to the TU."
                self.outbox.transmit = Some(Transmit::Ack);
                Deliver::Absorb
            }
            // RFC 6026: "A 2xx response received while in the "Accepted" state MUST be passed
            // to the TU".
            (Accepted, Class::Success) => Deliver::ToUser,
            (Accepted, _) => Deliver::Absorb,
        }
    }

    /// Time passed: Timer A (retransmit, the interval doubling), B (timeout), D or M (end).
    pub fn handle_timeout(&mut self, now: Duration) {
        if self.ends.is_some_and(|at| now >= at) {
            if self.state == InviteClientState::Calling {
                // "If the client transaction is still in the "Calling" state when timer B
                // fires, the client transaction SHOULD inform the TU that a timeout has
                // occurred. The client transaction MUST NOT generate an ACK."
                self.outbox.fail(ClientEvent::Timeout);
            }
            self.end();
            return;
        }
        if let Some(a) = self.timer_a.as_mut().filter(|a| now >= a.at) {
            // "When timer A fires, the client transaction MUST retransmit the request ...
            // with intervals that double after each transmission."
            a.interval = a.interval.saturating_mul(2);
            a.at = crate::next_retransmission(a.at, a.interval, now);
            self.outbox.transmit = Some(Transmit::Request);
        }
    }

    /// The transport could not send the INVITE (or its retransmission) or the ACK of a
    /// non-2xx final: the transaction ends, and the user hears of it
    /// ([`ClientEvent::TransportError`]). In Accepted the transaction sends nothing (the ACK
    /// of a 2xx is the user's own request), so it stays there and keeps passing 2xx
    /// retransmissions up.
    pub fn handle_transport_error(&mut self, _now: Duration) {
        if !matches!(
            self.state,
            InviteClientState::Terminated | InviteClientState::Accepted
        ) {
            self.outbox.fail(ClientEvent::TransportError);
            self.end();
        }
    }

    /// The user ends the transaction now (a proxy whose response context ended the branch:
    /// Timer C, or 64*T1 after its CANCEL): no more retransmissions, events or output, and
    /// any later response is absorbed.
    pub fn terminate(&mut self, _now: Duration) {
        self.end();
        self.outbox = Outbox::default();
    }

    fn end(&mut self) {
        self.state = InviteClientState::Terminated;
        self.timer_a = None;
        self.ends = None;
    }

    /// When to call [`Self::handle_timeout`] next.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Duration> {
        next_wake(self.timer_a, self.ends)
    }

    /// What to send, once.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.outbox.transmit.take()
    }

    /// What to tell the user, once.
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.outbox.event.take()
    }
}

/// The states of a non-INVITE client transaction (RFC 3261 Figure 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NonInviteClientState {
    /// The request was sent; no response yet.
    Trying,
    /// A provisional response arrived; retransmissions go on at T2.
    Proceeding,
    /// A final response arrived; retransmissions of it are absorbed for T4.
    Completed,
    /// Over: destroy the transaction.
    Terminated,
}

/// The non-INVITE client transaction (RFC 3261 17.1.2): Timers E, F and K. A 1xx does not
/// stop the retransmissions: they go on at T2.
///
/// ```
/// use core::time::Duration;
/// use sip_responses_core::StatusCode;
/// use sip_responses_proto::transaction::{Deliver, NonInviteClient, Timers, Transmit, Transport};
///
/// let ms = Duration::from_millis;
/// let mut tx = NonInviteClient::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
/// assert_eq!(tx.handle_response(ms(100), StatusCode::Trying), Deliver::ToUser);
/// tx.handle_timeout(ms(500)); // Timer E
/// assert_eq!(tx.poll_transmit(), Some(Transmit::Request));
/// assert_eq!(tx.poll_timeout(), Some(ms(4500))); // in Proceeding, the next one T2 later
/// ```
#[derive(Debug, Clone)]
pub struct NonInviteClient {
    state: NonInviteClientState,
    timers: Timers,
    transport: Transport,
    /// Timer E (Trying, Proceeding; unreliable transport).
    timer_e: Option<Retransmission>,
    /// Timer F (Trying, Proceeding) or K (Completed).
    ends: Option<Duration>,
    outbox: Outbox,
}

impl NonInviteClient {
    /// The transaction of a non-INVITE request the caller sends at `now` over `transport`:
    /// Timer E starts at T1 over an unreliable transport, Timer F at 64*T1.
    #[must_use]
    pub fn new(now: Duration, transport: Transport, timers: Timers) -> Self {
        NonInviteClient {
            state: NonInviteClientState::Trying,
            timers,
            transport,
            timer_e: Retransmission::start(now, transport, &timers),
            ends: Some(now.saturating_add(timers.t1().times(64))),
            outbox: Outbox::default(),
        }
    }

    /// The state.
    #[must_use]
    pub const fn state(&self) -> NonInviteClientState {
        self.state
    }

    /// A response matching this transaction arrived at `now`, with `code`.
    pub fn handle_response(&mut self, now: Duration, code: impl Into<RawCode>) -> Deliver {
        use NonInviteClientState::{Completed, Proceeding, Terminated, Trying};
        match (self.state, code.into().class()) {
            (Trying | Proceeding, Class::Provisional) => {
                // "If a provisional response is received while in the "Trying" state, the
                // response MUST be passed to the TU, and then the client transaction SHOULD
                // move to the "Proceeding" state." Timer E keeps running.
                self.state = Proceeding;
                Deliver::ToUser
            }
            (Trying | Proceeding, _) => {
                // "If a final response (status codes 200-699) is received ... the response
                // MUST be passed to the TU, and the client transaction MUST transition to
                // the "Completed" state." "Once the client transaction enters the
                // "Completed" state, it MUST set Timer K to fire in T4 seconds for
                // unreliable transports, and zero seconds for reliable transports."
                self.timer_e = None;
                self.outbox.drop_request();
                self.state = Completed;
                let timer_k = match self.transport {
                    Transport::Unreliable => self.timers.t4(),
                    Transport::Reliable => Duration::ZERO,
                };
                self.ends = Some(now.saturating_add(timer_k));
                Deliver::ToUser
            }
            (Completed | Terminated, _) => Deliver::Absorb,
        }
    }

    /// Time passed: Timer E (retransmit), F (timeout) or K (end).
    pub fn handle_timeout(&mut self, now: Duration) {
        if self.ends.is_some_and(|at| now >= at) {
            if self.state != NonInviteClientState::Completed {
                // "If timer F fires while in the "Proceeding" state, the TU MUST be informed
                // of a timeout" (and SHOULD be in "Trying").
                self.outbox.fail(ClientEvent::Timeout);
            }
            self.end();
            return;
        }
        let proceeding = self.state == NonInviteClientState::Proceeding;
        let t2 = self.timers.t2();
        if let Some(e) = self.timer_e.as_mut().filter(|e| now >= e.at) {
            // Trying: "reset, but this time with a value of MIN(2*T1, T2)", and so on;
            // Proceeding: "Timer E MUST be reset with a value of T2 seconds".
            e.interval = if proceeding {
                t2
            } else {
                e.interval.saturating_mul(2).min(t2)
            };
            e.at = crate::next_retransmission(e.at, e.interval, now);
            self.outbox.transmit = Some(Transmit::Request);
        }
    }

    /// The transport could not send the request: the transaction ends, and the user hears
    /// of it.
    pub fn handle_transport_error(&mut self, _now: Duration) {
        if matches!(
            self.state,
            NonInviteClientState::Trying | NonInviteClientState::Proceeding
        ) {
            self.outbox.fail(ClientEvent::TransportError);
            self.end();
        }
    }

    /// The user ends the transaction now: no more retransmissions, events or output, and any
    /// later response is absorbed.
    pub fn terminate(&mut self, _now: Duration) {
        self.end();
        self.outbox = Outbox::default();
    }

    fn end(&mut self) {
        self.state = NonInviteClientState::Terminated;
        self.timer_e = None;
        self.ends = None;
    }

    /// When to call [`Self::handle_timeout`] next.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Duration> {
        next_wake(self.timer_e, self.ends)
    }

    /// What to send, once.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.outbox.transmit.take()
    }

    /// What to tell the user, once.
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.outbox.event.take()
    }
}
