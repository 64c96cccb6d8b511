//! The UAS side of RFC 3262 (Section 3).

use core::fmt;
use core::time::Duration;

use sip_responses_core::{Class, RawCode, ResponseCode, StatusCode};

use super::{RAck, RSeq};
use crate::T1;

/// A status code that may be sent reliably: 101..=199 (RFC 3262, Section 3: "Only
/// provisional responses numbered 101 to 199 may be sent reliably"; "A UAS MUST NOT attempt
/// to send a 100 (Trying) response reliably").
///
/// ```
/// use sip_responses_proto::reliable::ReliableCode;
/// use sip_responses_core::StatusCode;
/// assert_eq!(ReliableCode::of(&StatusCode::SessionProgress).map(ReliableCode::get), Some(183));
/// assert_eq!(ReliableCode::of(&StatusCode::Trying), None);
/// assert_eq!(ReliableCode::new(155).map(ReliableCode::get), Some(155)); // a 1xx the set lacks
/// assert_eq!(ReliableCode::new(200), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReliableCode(u16);

impl ReliableCode {
    /// `code`, if it is in 101..=199.
    #[must_use]
    pub const fn new(code: u16) -> Option<ReliableCode> {
        if sip_responses_core::__private::may_send_reliably(code) {
            Some(ReliableCode(code))
        } else {
            None
        }
    }

    /// `code` of any set, if it is in 101..=199.
    #[must_use]
    pub fn of<C: ResponseCode>(code: &C) -> Option<ReliableCode> {
        ReliableCode::new(code.code())
    }

    /// The code.
    #[must_use]
    pub const fn get(self) -> u16 {
        self.0
    }
}

/// Whether a reliable provisional carries a session description (an offer or an answer),
/// which holds back a 2xx until it is acknowledged (RFC 3262, Section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    /// No session description.
    Empty,
    /// A session description (SDP).
    SessionDescription,
}

/// Why [`Uas::new`] refuses its first RSeq.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InitialRSeqError(pub(super) RSeq);

impl InitialRSeqError {
    /// The RSeq refused.
    #[must_use]
    pub const fn rseq(&self) -> RSeq {
        self.0
    }
}

impl fmt::Display for InitialRSeqError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the first RSeq of a transaction must be at most 2^31 - 1 (RFC 3262, Section 3); got {}",
            self.0
        )
    }
}

impl core::error::Error for InitialRSeqError {}

/// Why [`Uas::send_reliable`] cannot send a provisional response reliably now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SendError {
    /// The first reliable provisional of the transaction is not acknowledged yet: "The UAS
    /// MUST NOT send a second reliable provisional response until the first is
    /// acknowledged" (RFC 3262, Section 3).
    Unacknowledged(RSeq),
    /// A later reliable provisional is not acknowledged yet. Here the RFC only recommends
    /// waiting ("After the first, it is RECOMMENDED that the UAS not send an additional
    /// reliable provisional response until the previous is acknowledged"); this machine
    /// follows the recommendation, so the one outstanding response is always received in
    /// order.
    PreviousUnacknowledged(RSeq),
    /// A final response was sent: "A UAS MUST NOT send new reliable provisional responses
    /// ... after sending a final response to a request."
    FinalSent,
    /// The RSeq space is used up (2^32 - 1 was the last; "RSeq numbers MUST NOT wrap
    /// around").
    Exhausted,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Unacknowledged(rseq) => write!(
                f,
                "the first reliable provisional (RSeq {rseq}) is not acknowledged yet, and RFC \
                 3262 forbids a second one until it is"
            ),
            SendError::PreviousUnacknowledged(rseq) => write!(
                f,
                "the reliable provisional with RSeq {rseq} is not acknowledged yet (RFC 3262 \
                 recommends waiting, and this UAS does)"
            ),
            SendError::FinalSent => f.write_str("a final response was already sent"),
            SendError::Exhausted => f.write_str("no RSeq is left (2^32 - 1 was the last)"),
        }
    }
}

impl core::error::Error for SendError {}

/// Why [`Uas::send_final`] refuses a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FinalError {
    /// A provisional code is not a final response.
    NotFinal(RawCode),
    /// A final response was already sent: a request has one (a 2xx's retransmissions are
    /// the same response, not another `send_final`).
    FinalSent,
    /// A 2xx while a reliable provisional with a session description is unacknowledged: "it
    /// MUST NOT send a final response until those provisional responses are acknowledged"
    /// (RFC 3262, Section 3). Wait for the PRACK, or send a non-2xx final.
    OfferUnacknowledged(RSeq),
}

impl fmt::Display for FinalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FinalError::NotFinal(code) => write!(f, "{code} is not a final response"),
            FinalError::FinalSent => f.write_str("a final response was already sent"),
            FinalError::OfferUnacknowledged(rseq) => write!(
                f,
                "a 2xx must wait for the PRACK of RSeq {rseq}, which carried a session description"
            ),
        }
    }
}

impl core::error::Error for FinalError {}

/// A retransmission [`Uas::poll_transmit`] asks for: send the reliable provisional with this
/// RSeq again, unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Retransmit {
    /// Its RSeq.
    pub rseq: RSeq,
    /// Its status code.
    pub code: ReliableCode,
}

/// What a [`Uas`] tells its user ([`Uas::poll_event`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UasEvent {
    /// The reliable provisional with this RSeq went unacknowledged for 64*T1: "the UAS
    /// SHOULD reject the original request with a 5xx response" (RFC 3262, Section 3). Its
    /// retransmissions have stopped.
    GaveUp(RSeq),
}

/// The answer to a PRACK (RFC 3262, Section 3), from [`Uas::handle_prack`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrackAnswer {
    /// It matches the unacknowledged reliable provisional: "it MUST be responded to with a
    /// 2xx response"; its retransmissions stop.
    Ok,
    /// It matches no unacknowledged reliable provisional: "the UAS MUST respond to the PRACK
    /// with a 481 response".
    NoMatch,
}

impl PrackAnswer {
    /// The status code to answer the PRACK with: 200 or 481.
    #[must_use]
    pub const fn code(self) -> StatusCode {
        match self {
            PrackAnswer::Ok => StatusCode::Ok,
            PrackAnswer::NoMatch => StatusCode::CallTransactionDoesNotExist,
        }
    }
}

/// The unacknowledged reliable provisional of a [`Uas`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Outstanding {
    rseq: RSeq,
    code: ReliableCode,
    body: Body,
    /// When to give up on it: 64*T1 after it was first sent.
    give_up: Duration,
    /// When to retransmit it next (`None` once retransmissions stopped).
    next: Option<Duration>,
    /// The interval until `next`: T1, doubling.
    interval: Duration,
}

/// The UAS side of RFC 3262 for one request (one INVITE server transaction): numbers the
/// reliable provisionals, holds back a second one until the first is acknowledged,
/// schedules the retransmissions (T1, doubling) and gives up 64*T1 after the first
/// transmission, matches PRACKs, and refuses a 2xx while an offer is unacknowledged.
///
/// ```
/// use core::time::Duration;
/// use sip_responses_core::StatusCode;
/// use sip_responses_proto::reliable::{Body, PrackAnswer, RAck, RSeq, ReliableCode, Uas, UasEvent};
/// use sip_responses_proto::T1;
///
/// let mut uas = Uas::new(RSeq::new(4711).unwrap(), 1, "INVITE", T1::DEFAULT)?;
/// let ringing = ReliableCode::of(&StatusCode::Ringing).unwrap();
/// let rseq = uas.send_reliable(Duration::ZERO, ringing, Body::SessionDescription)?;
/// assert_eq!(rseq.header().to_string(), "RSeq: 4711"); // beside `Require: 100rel`
/// assert_eq!(uas.poll_timeout(), Some(Duration::from_millis(500)));
/// uas.handle_timeout(Duration::from_millis(500));
/// assert_eq!(uas.poll_transmit().map(|r| r.rseq), Some(rseq)); // send it again
/// assert!(uas.send_final(Duration::from_secs(1), StatusCode::Ok).is_err()); // offer unacknowledged
///
/// let prack: RAck<'_> = "4711 1 INVITE".parse()?;
/// assert_eq!(uas.handle_prack(Duration::from_secs(1), &prack), PrackAnswer::Ok); // 200
/// assert_eq!(uas.poll_timeout(), None);
/// uas.send_final(Duration::from_secs(1), StatusCode::Ok)?;
/// assert_eq!(uas.handle_prack(Duration::from_secs(1), &prack).code(), StatusCode::CallTransactionDoesNotExist);
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Uas<'m> {
    initial: RSeq,
    next: Option<RSeq>,
    cseq: u32,
    method: &'m str,
    t1: T1,
    outstanding: Option<Outstanding>,
    retransmit: bool,
    gave_up: bool,
    final_sent: bool,
}

impl<'m> Uas<'m> {
    /// The UAS of a request with CSeq number `cseq` and `method`; `initial` is the first
    /// RSeq, which RFC 3262 Section 3 wants "between 1 and 2**31 - 1" and "chosen uniformly
    /// in this range" (the caller's random source).
    ///
    /// # Errors
    /// [`InitialRSeqError`] when `initial` is above 2^31 - 1.
    pub const fn new(
        initial: RSeq,
        cseq: u32,
        method: &'m str,
        t1: T1,
    ) -> Result<Self, InitialRSeqError> {
        if initial.get() > RSeq::MAX_INITIAL {
            return Err(InitialRSeqError(initial));
        }
        Ok(Uas {
            initial,
            next: Some(initial),
            cseq,
            method,
            t1,
            outstanding: None,
            retransmit: false,
            gave_up: false,
            final_sent: false,
        })
    }

    /// The caller sends a provisional response with `code` reliably at `now`: the RSeq to
    /// put in its `RSeq` header field (beside `Require: 100rel`). Send it now; its
    /// retransmissions come from [`Self::poll_transmit`].
    ///
    /// # Errors
    /// [`SendError`]: the previous one is unacknowledged, a final response was sent, or no
    /// RSeq is left.
    pub fn send_reliable(
        &mut self,
        now: Duration,
        code: ReliableCode,
        body: Body,
    ) -> Result<RSeq, SendError> {
        if self.final_sent {
            return Err(SendError::FinalSent);
        }
        if let Some(o) = self.outstanding {
            return Err(if o.rseq == self.initial {
                SendError::Unacknowledged(o.rseq)
            } else {
                SendError::PreviousUnacknowledged(o.rseq)
            });
        }
        let rseq = self.next.ok_or(SendError::Exhausted)?;
        self.next = rseq.next();
        self.outstanding = Some(Outstanding {
            rseq,
            code,
            body,
            give_up: now.saturating_add(self.t1.times(64)),
            next: Some(now.saturating_add(self.t1.get())),
            interval: self.t1.get(),
        });
        Ok(rseq)
    }

    /// When to call [`Self::handle_timeout`] next: the next retransmission, or the 64*T1
    /// limit.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Duration> {
        let o = self.outstanding?;
        o.next.map(|next| next.min(o.give_up))
    }

    /// Time passed: a retransmission is due ([`Self::poll_transmit`]), or the 64*T1 limit
    /// passed without a PRACK ([`Self::poll_event`]: give up). Early calls do nothing.
    pub fn handle_timeout(&mut self, now: Duration) {
        let Some(o) = self.outstanding.as_mut() else {
            return;
        };
        let Some(due) = o.next else {
            return;
        };
        // RFC 3262 Section 3: "If a reliable provisional response is retransmitted for 64*T1
        // seconds without reception of a corresponding PRACK, the UAS SHOULD reject the
        // original request with a 5xx response."
        if now >= o.give_up {
            o.next = None;
            self.retransmit = false;
            self.gave_up = true;
            return;
        }
        if now < due {
            return;
        }
        // "an interval that starts at T1 seconds and doubles for each retransmission".
        o.interval = o.interval.saturating_mul(2);
        o.next = Some(crate::next_retransmission(due, o.interval, now));
        self.retransmit = true;
    }

    /// The retransmission that is due, once.
    pub fn poll_transmit(&mut self) -> Option<Retransmit> {
        if !core::mem::take(&mut self.retransmit) {
            return None;
        }
        self.outstanding.map(|o| Retransmit {
            rseq: o.rseq,
            code: o.code,
        })
    }

    /// What to tell the user, once.
    pub fn poll_event(&mut self) -> Option<UasEvent> {
        if !core::mem::take(&mut self.gave_up) {
            return None;
        }
        self.outstanding.map(|o| UasEvent::GaveUp(o.rseq))
    }

    /// A PRACK arrived: [`PrackAnswer::Ok`] (200) if its `RAck` names the unacknowledged
    /// reliable provisional (RSeq, CSeq number and method, the method compared exactly: RFC
    /// 3262 7.2 "The method name in the RAck header is case sensitive"), and its
    /// retransmissions stop; [`PrackAnswer::NoMatch`] (481) otherwise. A match is also
    /// answered after a final response was sent ("it MUST be prepared to process PRACK
    /// requests for those outstanding responses").
    pub fn handle_prack(&mut self, _now: Duration, rack: &RAck<'_>) -> PrackAnswer {
        match self.outstanding {
            Some(o)
                if o.rseq == rack.rseq()
                    && rack.cseq() == self.cseq
                    && rack.method() == self.method =>
            {
                self.outstanding = None;
                self.retransmit = false;
                self.gave_up = false;
                PrackAnswer::Ok
            }
            _ => PrackAnswer::NoMatch,
        }
    }

    /// Whether a 2xx may be sent now: not while a reliable provisional that carried a
    /// session description is unacknowledged (RFC 3262, Section 3). Any other final
    /// response may always be sent.
    #[must_use]
    pub fn may_send_2xx(&self) -> bool {
        !self
            .outstanding
            .is_some_and(|o| o.body == Body::SessionDescription)
    }

    /// The caller sends the final response `code` at `now`: retransmissions stop ("it
    /// SHOULD NOT continue to retransmit the unacknowledged reliable provisional
    /// responses"), PRACKs of what was outstanding are still answered, and no further
    /// reliable provisional can be sent.
    ///
    /// # Errors
    /// [`FinalError::NotFinal`] for a 1xx; [`FinalError::FinalSent`] for a second final;
    /// [`FinalError::OfferUnacknowledged`] for a 2xx while [`Self::may_send_2xx`] is false.
    /// Nothing changes then.
    pub fn send_final(
        &mut self,
        _now: Duration,
        code: impl Into<RawCode>,
    ) -> Result<(), FinalError> {
        let code = code.into();
        if code.class() == Class::Provisional {
            return Err(FinalError::NotFinal(code));
        }
        if self.final_sent {
            return Err(FinalError::FinalSent);
        }
        let offer = self
            .outstanding
            .filter(|o| o.body == Body::SessionDescription);
        if let (Class::Success, Some(o)) = (code.class(), offer) {
            return Err(FinalError::OfferUnacknowledged(o.rseq));
        }
        self.final_sent = true;
        self.retransmit = false;
        if let Some(o) = self.outstanding.as_mut() {
            o.next = None;
        }
        Ok(())
    }

    /// The RSeq of the unacknowledged reliable provisional, if there is one.
    #[must_use]
    pub fn unacknowledged(&self) -> Option<RSeq> {
        self.outstanding.map(|o| o.rseq)
    }
}
