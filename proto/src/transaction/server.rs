//! The server transactions: INVITE (RFC 3261 17.2.1 with RFC 6026) and non-INVITE (17.2.2
//! with RFC 4320).

use core::fmt;
use core::time::Duration;

use sip_responses_core::{Class, RawCode};

use super::{Deliver, Timers, Transport};

/// What a server transaction asks the caller to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerTransmit {
    /// Generate and send a 100 (Trying): for an INVITE, the user did not answer within 200
    /// ms (17.2.1); for another request, it did not answer by the time the client's Timer E
    /// reached T2 (RFC 4320 4.1).
    ///
    /// That 100 is then the most recent provisional: a retransmitted request later gets
    /// [`ServerTransmit::Provisional`], which means this 100 again until the user sends a
    /// provisional of its own.
    Trying,
    /// The most recent provisional response again, unchanged (the request was
    /// retransmitted: 1xx responses "are not transmitted reliably").
    Provisional,
    /// The final response again, unchanged (Timer G, the request was retransmitted, or an
    /// [`Answer`](super::Answer)'s 2xx retransmission).
    Final,
}

/// What a server transaction tells its user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerEvent {
    /// Timer H fired: the ACK of the non-2xx final never came (17.2.1: "this implies
    /// a failure of the transaction, and the TU is informed"). The transaction has ended.
    /// From an [`super::Answer`]: 64*T1 passed without the 2xx's ACK (13.3.1.4: "the dialog
    /// is confirmed, but the session SHOULD be terminated"; send a BYE).
    Timeout,
    /// The transport could not send a response. The transaction stays in its state (RFC 6026
    /// 7.1), so a retransmitted request is still answered.
    TransportError,
}

/// Why a server transaction refuses a response the user would send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseError {
    /// A final response was already sent (a 2xx to an INVITE may be sent again:
    /// retransmissions of it are the user's, RFC 6026).
    FinalSent,
    /// RFC 4320 4.1: "A SIP element MUST NOT respond to a non-INVITE request with a
    /// Status-Code of 100 over any unreliable transport, such as UDP, before the amount of
    /// time it takes a client transaction's Timer E to be reset to T2." Not before this time.
    TooEarly(Duration),
    /// RFC 4320 4.2: "A transaction-stateful SIP element MUST NOT send a response with
    /// Status-Code of 408 to a non-INVITE request." Send nothing instead: the client's
    /// transaction times out on its own.
    RequestTimeout,
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::FinalSent => f.write_str("a final response was already sent"),
            ResponseError::TooEarly(at) => write!(
                f,
                "a 100 to a non-INVITE request over UDP must wait until Timer E reaches T2 \
                 (RFC 4320), at {at:?}"
            ),
            ResponseError::RequestTimeout => {
                f.write_str("no 408 to a non-INVITE request (RFC 4320): send nothing instead")
            }
        }
    }
}

impl core::error::Error for ResponseError {}

/// The states of an INVITE server transaction (RFC 3261 Figure 7, RFC 6026 Figure 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InviteServerState {
    /// The INVITE arrived; no final response yet.
    Proceeding,
    /// A 300-699 was sent; it is retransmitted until its ACK arrives.
    Completed,
    /// The ACK of the non-2xx final arrived; retransmitted ACKs are absorbed for T4.
    Confirmed,
    /// A 2xx was sent (RFC 6026): its retransmissions and the ACK are the user's.
    Accepted,
    /// Over: destroy the transaction.
    Terminated,
}

/// The INVITE server transaction (RFC 3261 17.2.1, with RFC 6026's Accepted state): the 100
/// after 200 ms, the last provisional again for a retransmitted INVITE, and Timers G, H, I
/// and L.
///
/// ```
/// use core::time::Duration;
/// use sip_responses_core::StatusCode;
/// use sip_responses_proto::transaction::{InviteServer, ServerTransmit, Timers, Transport};
///
/// let ms = Duration::from_millis;
/// let mut tx = InviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
/// tx.handle_timeout(ms(200)); // the user has not answered
/// assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Trying));
/// tx.send_response(ms(900), StatusCode::Ringing)?;
/// tx.handle_request(ms(1000)); // the INVITE again
/// assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Provisional));
/// # Ok::<(), sip_responses_proto::transaction::ResponseError>(())
/// ```
#[derive(Debug, Clone)]
pub struct InviteServer {
    state: InviteServerState,
    timers: Timers,
    transport: Transport,
    /// A provisional response went (the user's, or the generated 100).
    provisional: bool,
    /// When to generate the 100 (until the user answers).
    trying_at: Option<Duration>,
    /// Timer G: the final response's retransmission (Completed, unreliable).
    timer_g: Option<(Duration, Duration)>,
    /// Timer H (Completed), I (Confirmed) or L (Accepted): when the state ends.
    ends: Option<Duration>,
    transmit: Option<ServerTransmit>,
    event: Option<ServerEvent>,
}

/// 17.2.1: "the server transaction MUST generate a 100 (Trying) response unless it knows that
/// the TU will generate a provisional or final response within 200 ms".
const TRYING_AFTER: Duration = Duration::from_millis(200);

impl InviteServer {
    /// The transaction of an INVITE that arrived at `now` over `transport`. Unless the user
    /// sends a response within 200 ms, it asks for a 100.
    #[must_use]
    pub fn new(now: Duration, transport: Transport, timers: Timers) -> Self {
        InviteServer {
            state: InviteServerState::Proceeding,
            timers,
            transport,
            provisional: false,
            trying_at: Some(now.saturating_add(TRYING_AFTER)),
            timer_g: None,
            ends: None,
            transmit: None,
            event: None,
        }
    }

    /// The state.
    #[must_use]
    pub const fn state(&self) -> InviteServerState {
        self.state
    }

    /// The user sends a response with `code` at `now` (send it; the transaction keeps what
    /// it needs to retransmit it). A 1xx keeps the transaction in Proceeding; a 2xx moves it
    /// to Accepted (Timer L, 64*T1; a 2xx may be sent again there, its retransmissions are
    /// the user's); a 300-699 to Completed (Timer G over an unreliable transport, T1
    /// doubling up to T2; Timer H, 64*T1).
    ///
    /// # Errors
    /// [`ResponseError::FinalSent`] after a 300-699, or a 1xx or non-2xx after a 2xx.
    pub fn send_response(
        &mut self,
        now: Duration,
        code: impl Into<RawCode>,
    ) -> Result<(), ResponseError> {
        use InviteServerState::{Accepted, Completed, Proceeding};
        let class = code.into().class();
        match (self.state, class) {
            (Proceeding, Class::Provisional) => {
                self.provisional = true;
                self.trying_at = None;
            }
            (Proceeding | Accepted, Class::Success) => {
                // RFC 6026: "If, while in the "Proceeding" state, the TU passes a 2xx
                // response to the server transaction, the server transaction MUST pass this
                // response to the transport layer for transmission ... and the server
                // transaction MUST then transition to the "Accepted" state."
                if self.state == Proceeding {
                    self.state = Accepted;
                    self.ends = Some(now.saturating_add(self.timers.t1().times(64)));
                }
                self.trying_at = None;
            }
            (Proceeding, _) => {
                // "the server transaction MUST enter the "Completed" state, and for
                // unreliable transports, timer G is set to fire in T1 seconds ... timer H
                // MUST be set to fire in 64*T1 seconds for all transports."
                self.state = Completed;
                self.trying_at = None;
                let t1 = self.timers.t1().get();
                self.timer_g =
                    (self.transport == Transport::Unreliable).then(|| (now.saturating_add(t1), t1));
                self.ends = Some(now.saturating_add(self.timers.t1().times(64)));
            }
            _ => return Err(ResponseError::FinalSent),
        }
        // What was pending (a 100, a provisional or the final again) is superseded by what the
        // user sends; a refused response supersedes nothing.
        self.transmit = None;
        Ok(())
    }

    /// The INVITE arrived again at `now`: in Proceeding the most recent provisional is sent
    /// again ("If a request retransmission is received while in the "Proceeding" state, the
    /// most recent provisional response that was received from the TU MUST be passed to the
    /// transport layer for retransmission"); in Completed the final response; otherwise it
    /// is absorbed (RFC 6026: in Accepted "any retransmissions of the INVITE received will
    /// match this transaction state machine and will be absorbed by the machine").
    pub fn handle_request(&mut self, _now: Duration) {
        match self.state {
            // A 100 still to be sent is the most recent provisional.
            InviteServerState::Proceeding
                if self.provisional && self.transmit != Some(ServerTransmit::Trying) =>
            {
                self.transmit = Some(ServerTransmit::Provisional);
            }
            InviteServerState::Completed => self.transmit = Some(ServerTransmit::Final),
            _ => {}
        }
    }

    /// An ACK matching this transaction arrived at `now`: in Completed it ends the
    /// retransmissions of the final response ("the server MUST transition to the "Confirmed"
    /// state"; Timer I, T4 over an unreliable transport, zero otherwise) and is absorbed; in
    /// Accepted it is the user's ACK of the 2xx (RFC 6026: "Any ACKs received from the
    /// network while in the "Accepted" state MUST be passed directly to the TU"); otherwise it
    /// is absorbed.
    pub fn handle_ack(&mut self, now: Duration) -> Deliver {
        match self.state {
            InviteServerState::Completed => {
                // "As Timer G is ignored in this state, any retransmissions of the response
                // will cease": one asked for and not yet taken too.
                self.timer_g = None;
                self.transmit = None;
                self.state = InviteServerState::Confirmed;
                let timer_i = match self.transport {
                    Transport::Unreliable => self.timers.t4(),
                    Transport::Reliable => Duration::ZERO,
                };
                self.ends = Some(now.saturating_add(timer_i));
                Deliver::Absorb
            }
            InviteServerState::Accepted => Deliver::ToUser,
            _ => Deliver::Absorb,
        }
    }

    /// Time passed: the 100 (200 ms without an answer), Timer G (the final again, the
    /// interval doubling up to T2), H (no ACK: [`ServerEvent::Timeout`]), I or L (end).
    pub fn handle_timeout(&mut self, now: Duration) {
        if self.trying_at.is_some_and(|at| now >= at) {
            self.trying_at = None;
            self.provisional = true;
            self.transmit = Some(ServerTransmit::Trying);
        }
        if self.ends.is_some_and(|at| now >= at) {
            if self.state == InviteServerState::Completed {
                // "If timer H fires while in the "Completed" state, it implies that the ACK
                // was never received. In this case, the server transaction MUST transition
                // to the "Terminated" state, and MUST indicate to the TU that a transaction
                // failure has occurred."
                self.event = Some(ServerEvent::Timeout);
            }
            self.end();
            return;
        }
        let t2 = self.timers.t2();
        if let Some((at, interval)) = self.timer_g.as_mut().filter(|(at, _)| now >= *at) {
            // "If timer G fires, the response is passed to the transport layer once more for
            // retransmission, and timer G is set to fire in MIN(2*T1, T2) seconds."
            *interval = interval.saturating_mul(2).min(t2);
            *at = crate::next_retransmission(*at, *interval, now);
            self.transmit = Some(ServerTransmit::Final);
        }
    }

    /// The transport could not send a response: the user hears of it, and the transaction
    /// stays where it is (RFC 6026 7.1: "A server transaction MUST NOT discard transaction
    /// state based only on encountering a non-recoverable transport error when sending a
    /// response. Instead, the associated INVITE server transaction state machine MUST remain
    /// in its current state.").
    pub fn handle_transport_error(&mut self, _now: Duration) {
        if self.state != InviteServerState::Terminated {
            self.event = Some(ServerEvent::TransportError);
        }
    }

    fn end(&mut self) {
        self.state = InviteServerState::Terminated;
        self.trying_at = None;
        self.timer_g = None;
        self.ends = None;
        self.transmit = None;
    }

    /// When to call [`Self::handle_timeout`] next.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Duration> {
        [self.trying_at, self.timer_g.map(|(at, _)| at), self.ends]
            .into_iter()
            .flatten()
            .min()
    }

    /// What to send, once.
    pub fn poll_transmit(&mut self) -> Option<ServerTransmit> {
        self.transmit.take()
    }

    /// What to tell the user, once.
    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.event.take()
    }
}

/// The states of a non-INVITE server transaction (RFC 3261 Figure 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NonInviteServerState {
    /// The request arrived; nothing was sent.
    Trying,
    /// The 100 was sent.
    Proceeding,
    /// The final response was sent; it is sent again for each retransmitted request.
    Completed,
    /// Over: destroy the transaction.
    Terminated,
}

/// The response a non-INVITE server transaction's user sends: a 100 or a final response.
/// There is no other provisional (RFC 4320 4.1: "A SIP element MUST NOT send any provisional
/// response with a Status-Code other than 100 to a non-INVITE request"), so the type has no
/// room for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NonInviteResponse {
    /// 100 Trying.
    Trying,
    /// A final response (200-699) with this code.
    Final(FinalCode),
}

/// A final status code, 200..=699.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FinalCode(RawCode);

impl FinalCode {
    /// `code`, if it is final (200..=699).
    #[must_use]
    pub fn new(code: impl Into<RawCode>) -> Option<FinalCode> {
        let code = code.into();
        (code.class() != Class::Provisional).then_some(FinalCode(code))
    }

    /// The code.
    #[must_use]
    pub const fn get(self) -> RawCode {
        self.0
    }
}

/// The non-INVITE server transaction (RFC 3261 17.2.2, with RFC 4320): the 100 is the only
/// provisional, waits until the client's Timer E has reached T2 over UDP, and is sent by the
/// transaction then if the user has sent nothing; no 408; Timer J.
///
/// ```
/// use core::time::Duration;
/// use sip_responses_core::StatusCode;
/// use sip_responses_proto::transaction::{FinalCode, NonInviteResponse, NonInviteServer, ResponseError, ServerTransmit, Timers, Transport};
///
/// let ms = Duration::from_millis;
/// let mut tx = NonInviteServer::new(ms(0), Transport::Unreliable, Timers::DEFAULT);
/// assert_eq!(tx.send_response(ms(100), NonInviteResponse::Trying), Err(ResponseError::TooEarly(ms(3500))));
/// let ok = FinalCode::new(StatusCode::Ok).unwrap();
/// tx.send_response(ms(150), NonInviteResponse::Final(ok))?;
/// tx.handle_request(ms(600)); // the request again
/// assert_eq!(tx.poll_transmit(), Some(ServerTransmit::Final));
/// # Ok::<(), ResponseError>(())
/// ```
#[derive(Debug, Clone)]
pub struct NonInviteServer {
    state: NonInviteServerState,
    timers: Timers,
    transport: Transport,
    /// RFC 4320: when a 100 may go at the earliest (over an unreliable transport), and must
    /// go if nothing was sent (while the state is Trying).
    trying_from: Duration,
    /// Timer J.
    ends: Option<Duration>,
    transmit: Option<ServerTransmit>,
    event: Option<ServerEvent>,
}

impl NonInviteServer {
    /// The transaction of a non-INVITE request that arrived at `now` over `transport`.
    #[must_use]
    pub fn new(now: Duration, transport: Transport, timers: Timers) -> Self {
        // "the amount of time it takes a client transaction's Timer E to be reset to T2":
        // Timer E fires at T1, 3*T1, 7*T1, ... and is reset each time to MIN(2*interval,
        // T2); the firing whose reset reaches T2 (3.5 s with the defaults; T1 when T2 is at
        // most 2*T1). At most log2(T2/T1) + 1 steps, since T2 >= T1.
        let mut wait = Duration::ZERO;
        let mut interval = timers.t1().get();
        loop {
            wait = wait.saturating_add(interval);
            interval = interval.saturating_mul(2).min(timers.t2());
            if interval >= timers.t2() {
                break;
            }
        }
        NonInviteServer {
            state: NonInviteServerState::Trying,
            timers,
            transport,
            trying_from: now.saturating_add(wait),
            ends: None,
            transmit: None,
            event: None,
        }
    }

    /// The state.
    #[must_use]
    pub const fn state(&self) -> NonInviteServerState {
        self.state
    }

    /// The user sends `response` at `now`. A final response moves the transaction to
    /// Completed (Timer J: 64*T1 over an unreliable transport, zero otherwise).
    ///
    /// # Errors
    /// [`ResponseError::TooEarly`] for a 100 over UDP before the client's Timer E reached
    /// T2 (RFC 4320 4.1); [`ResponseError::RequestTimeout`] for a 408 (RFC 4320 4.2);
    /// [`ResponseError::FinalSent`] after a final response.
    pub fn send_response(
        &mut self,
        now: Duration,
        response: NonInviteResponse,
    ) -> Result<(), ResponseError> {
        use NonInviteServerState::{Completed, Proceeding, Terminated, Trying};
        match (self.state, response) {
            (Completed | Terminated, _) => Err(ResponseError::FinalSent),
            (_, NonInviteResponse::Final(code)) if code.get().get() == 408 => {
                Err(ResponseError::RequestTimeout)
            }
            (Trying | Proceeding, NonInviteResponse::Trying) => {
                if self.transport == Transport::Unreliable && now < self.trying_from {
                    return Err(ResponseError::TooEarly(self.trying_from));
                }
                self.state = Proceeding;
                self.transmit = None;
                Ok(())
            }
            (Trying | Proceeding, NonInviteResponse::Final(_)) => {
                // "the server transaction MUST enter the "Completed" state. ... timer J to
                // fire in 64*T1 seconds for unreliable transports, and zero seconds for
                // reliable transports."
                self.transmit = None;
                self.state = Completed;
                let timer_j = match self.transport {
                    Transport::Unreliable => self.timers.t1().times(64),
                    Transport::Reliable => Duration::ZERO,
                };
                self.ends = Some(now.saturating_add(timer_j));
                Ok(())
            }
        }
    }

    /// The request arrived again at `now`: absorbed in Trying ("any further request
    /// retransmissions are discarded"), the 100 again in Proceeding, the final again in
    /// Completed.
    pub fn handle_request(&mut self, _now: Duration) {
        self.transmit = match (self.state, self.transmit) {
            // A 100 still to be sent is the most recent provisional.
            (NonInviteServerState::Proceeding, Some(ServerTransmit::Trying)) => self.transmit,
            (NonInviteServerState::Proceeding, _) => Some(ServerTransmit::Provisional),
            (NonInviteServerState::Completed, _) => Some(ServerTransmit::Final),
            _ => None,
        };
    }

    /// Time passed: the 100 RFC 4320 4.1 requires ("Without regard to transport, an SIP
    /// element MUST respond to a non-INVITE request with a Status-Code of 100 if it has not
    /// otherwise responded after the amount of time it takes a client transaction's Timer E to
    /// be reset to T2"), or Timer J ends the transaction.
    pub fn handle_timeout(&mut self, now: Duration) {
        if self.state == NonInviteServerState::Trying && now >= self.trying_from {
            self.state = NonInviteServerState::Proceeding;
            self.transmit = Some(ServerTransmit::Trying);
        }
        if self.ends.is_some_and(|at| now >= at) {
            self.end();
        }
    }

    /// The transport could not send a response: the user hears of it, and the transaction
    /// stays where it is (RFC 6026 8.8, the new 17.2.4: the server transaction "SHOULD inform
    /// the TU that a failure has occurred, and MUST remain in the current state").
    pub fn handle_transport_error(&mut self, _now: Duration) {
        if self.state != NonInviteServerState::Terminated {
            self.event = Some(ServerEvent::TransportError);
        }
    }

    fn end(&mut self) {
        self.state = NonInviteServerState::Terminated;
        self.ends = None;
        self.transmit = None;
    }

    /// When to call [`Self::handle_timeout`] next.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Duration> {
        let trying = self.state == NonInviteServerState::Trying;
        trying.then_some(self.trying_from).or(self.ends)
    }

    /// What to send, once.
    pub fn poll_transmit(&mut self) -> Option<ServerTransmit> {
        self.transmit.take()
    }

    /// What to tell the user, once.
    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.event.take()
    }
}
