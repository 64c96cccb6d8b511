//! Reliable provisional responses (RFC 3262, with its verified errata 4600 and 4604): the
//! `RSeq` and `RAck` header values, and the two sides as sans-IO state machines. No
//! allocation, `no_std`, no sockets and no clock: the caller passes the time (any monotonic
//! [`Duration`] since an epoch of its choosing) and gets back what to send and when to wake,
//! as quinn-proto and str0m do.
//!
//! ```
//! # use sip_responses_core as sip_responses;
//! use core::time::Duration;
//! use sip_responses::reliable::{Prack, RAck, RSeq, Received, Uac, Uas, UasTimeout};
//! use sip_responses::StatusCode;
//!
//! let t1 = Duration::from_millis(500);
//! // The UAS of one INVITE server transaction (CSeq 1 INVITE); the first RSeq is random.
//! let mut uas = Uas::new(RSeq::new(4711).unwrap(), 1, "INVITE", t1);
//! let now = Duration::ZERO;
//! let rseq = uas.send(now, StatusCode::SessionProgress.code(), true)?; // 183 with SDP
//! assert_eq!(rseq.get(), 4711);
//! assert!(!uas.may_send_2xx()); // its offer is unacknowledged
//! assert_eq!(uas.poll_timeout(), Some(t1));
//! assert_eq!(uas.handle_timeout(t1), Some(UasTimeout::Retransmit(rseq))); // resend it
//!
//! // The UAC of the early dialog the 183 created: new, so dispatch it and PRACK.
//! let mut uac = Uac::new(1, "INVITE");
//! let Received::New(rack) = uac.receive(rseq) else { unreachable!() };
//! assert_eq!(rack.to_string(), "4711 1 INVITE");
//! assert_eq!(uac.receive(rseq), Received::Retransmission); // not dispatched again
//!
//! // The PRACK reaches the UAS: 200, retransmissions stop, a 2xx may follow.
//! let got: RAck<'_> = "4711 1 INVITE".parse()?;
//! assert_eq!(uas.prack(&got), Prack::Ok);
//! assert_eq!(uas.poll_timeout(), None);
//! assert!(uas.may_send_2xx());
//! assert_eq!(uas.prack(&got), Prack::NoMatch); // a second PRACK: 481
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

use core::fmt;
use core::num::NonZeroU32;
use core::time::Duration;

/// An `RSeq` value (RFC 3262, Section 7.1): 1..=2^31-1, the sequence number of a reliable
/// provisional response.
///
/// ```
/// # use sip_responses_core as sip_responses;
/// use sip_responses::reliable::{HeaderErrorKind, RSeq};
/// let rseq: RSeq = "988789".parse()?;
/// assert_eq!(rseq.next().map(RSeq::get), Some(988_790));
/// assert_eq!(RSeq::new(RSeq::MAX).and_then(RSeq::next), None); // no wrap-around
/// assert_eq!("0".parse::<RSeq>().unwrap_err().kind(), HeaderErrorKind::Zero);
/// assert_eq!("4294967296".parse::<RSeq>().unwrap_err().kind(), HeaderErrorKind::TooLarge);
/// # Ok::<(), sip_responses::reliable::HeaderError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RSeq(NonZeroU32);

impl RSeq {
    /// The largest value, 2^31 - 1 (RFC 3262, Section 3).
    pub const MAX: u32 = (1 << 31) - 1;

    /// `value`, if it is in 1..=2^31-1.
    #[must_use]
    pub const fn new(value: u32) -> Option<RSeq> {
        match NonZeroU32::new(value) {
            Some(v) if value <= Self::MAX => Some(RSeq(v)),
            _ => None,
        }
    }

    /// The number.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0.get()
    }

    /// The next number, `None` past 2^31 - 1.
    #[must_use]
    pub const fn next(self) -> Option<RSeq> {
        RSeq::new(self.get() + 1)
    }
}

impl fmt::Display for RSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.get(), f)
    }
}

/// Digits in `text` from byte `at` (a value of at most `max`), or what is wrong.
fn number(text: &str, at: usize, max: u32) -> Result<u32, HeaderError> {
    if text.is_empty() {
        return Err(HeaderError::new(HeaderErrorKind::Missing, at));
    }
    if let Some(bad) = text.bytes().position(|b| !b.is_ascii_digit()) {
        return Err(HeaderError::new(HeaderErrorKind::NotDigits, at + bad));
    }
    match text.parse::<u32>() {
        Ok(value) if value <= max => Ok(value),
        _ => Err(HeaderError::new(HeaderErrorKind::TooLarge, at)),
    }
}

impl core::str::FromStr for RSeq {
    type Err = HeaderError;

    /// `1*DIGIT` in 1..=2^31-1, surrounding whitespace allowed (RFC 3262, Section 7.1).
    fn from_str(s: &str) -> Result<Self, HeaderError> {
        let start = s.len() - s.trim_start().len();
        let value = number(s.trim(), start, RSeq::MAX)?;
        RSeq::new(value).ok_or(HeaderError::new(HeaderErrorKind::Zero, start))
    }
}

/// An `RAck` value (RFC 3262, Section 7.2): `response-num LWS CSeq-num LWS Method`, the
/// reliable provisional response a PRACK acknowledges. A UAC gets one from
/// [`Uac::receive`] for a response that arrived, never from loose numbers; a UAS parses the
/// one a PRACK carries.
///
/// ```
/// # use sip_responses_core as sip_responses;
/// use sip_responses::reliable::{HeaderErrorKind, RAck};
/// let rack = RAck::parse("776656 1 INVITE")?;
/// assert_eq!((rack.rseq().get(), rack.cseq(), rack.method()), (776_656, 1, "INVITE"));
/// // What buggy stacks send is refused, with where:
/// let e = RAck::parse("undefined 2641 INVITE").unwrap_err();
/// assert_eq!((e.kind(), e.at()), (HeaderErrorKind::NotDigits, 0));
/// # Ok::<(), sip_responses::reliable::HeaderError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RAck<'a> {
    rseq: RSeq,
    cseq: u32,
    method: &'a str,
}

impl<'a> RAck<'a> {
    /// The `RSeq` of the response acknowledged.
    #[must_use]
    pub const fn rseq(&self) -> RSeq {
        self.rseq
    }

    /// The CSeq number of the request the response answers.
    #[must_use]
    pub const fn cseq(&self) -> u32 {
        self.cseq
    }

    /// The method of the request the response answers.
    #[must_use]
    pub const fn method(&self) -> &'a str {
        self.method
    }
}

impl fmt::Display for RAck<'_> {
    /// `4711 1 INVITE`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.rseq, self.cseq, self.method)
    }
}

/// RFC 3261's `token`: the characters a method may have.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b))
}

impl<'a> RAck<'a> {
    /// Parses an `RAck` header field's value: three parts separated by whitespace, the
    /// response number in 1..=2^31-1, the CSeq number below 2^31 (RFC 3261, Section 8.1.1.5),
    /// and a method that is a token.
    ///
    /// # Errors
    /// A [`HeaderError`] saying which part is wrong and at which byte.
    pub fn parse(value: &'a str) -> Result<Self, HeaderError> {
        let mut parts = value
            .split([' ', '\t'])
            .scan(0, |offset, part| {
                let at = *offset;
                *offset += part.len() + 1;
                Some((at, part))
            })
            .filter(|(_, part)| !part.is_empty());
        let end = value.len();
        let (at, rseq) = parts.next().unwrap_or((end, ""));
        let rseq = number(rseq, at, RSeq::MAX)?;
        let rseq = RSeq::new(rseq).ok_or(HeaderError::new(HeaderErrorKind::Zero, at))?;
        let (at, cseq) = parts.next().unwrap_or((end, ""));
        let cseq = number(cseq, at, RSeq::MAX)?;
        let (at, method) = parts.next().unwrap_or((end, ""));
        if method.is_empty() {
            return Err(HeaderError::new(HeaderErrorKind::Missing, at));
        }
        if !is_token(method) {
            return Err(HeaderError::new(HeaderErrorKind::NotAToken, at));
        }
        if let Some((at, _)) = parts.next() {
            return Err(HeaderError::new(HeaderErrorKind::Trailing, at));
        }
        Ok(RAck { rseq, cseq, method })
    }
}

impl<'a> TryFrom<&'a str> for RAck<'a> {
    type Error = HeaderError;

    fn try_from(value: &'a str) -> Result<Self, HeaderError> {
        RAck::parse(value)
    }
}

impl core::str::FromStr for RAck<'_> {
    type Err = HeaderError;

    /// [`RAck::parse`], for a value that outlives nothing (`"4711 1 INVITE".parse()`): the
    /// method of the result is one of RFC 3261's methods, or the error says it is not one a
    /// `'static` value can borrow. Use [`RAck::parse`] to borrow any token.
    fn from_str(s: &str) -> Result<Self, HeaderError> {
        let parsed = RAck::parse(s)?;
        let method = KNOWN_METHODS
            .iter()
            .find(|m| m.eq_ignore_ascii_case(parsed.method))
            .ok_or(HeaderError::new(
                HeaderErrorKind::UnknownMethod,
                s.trim_end().len() - parsed.method.len(),
            ))?;
        Ok(RAck {
            rseq: parsed.rseq,
            cseq: parsed.cseq,
            method,
        })
    }
}

/// The methods of RFC 3261 and its extensions that a request answered reliably can have.
const KNOWN_METHODS: [&str; 14] = [
    "INVITE",
    "ACK",
    "BYE",
    "CANCEL",
    "OPTIONS",
    "REGISTER",
    "PRACK",
    "SUBSCRIBE",
    "NOTIFY",
    "PUBLISH",
    "INFO",
    "REFER",
    "MESSAGE",
    "UPDATE",
];

/// What is wrong with an `RSeq` or `RAck` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderErrorKind {
    /// A part is missing.
    Missing,
    /// A number holds something other than digits.
    NotDigits,
    /// A response number of 0 (RSeq is 1..=2^31-1).
    Zero,
    /// A number above 2^31 - 1.
    TooLarge,
    /// The method is not a token.
    NotAToken,
    /// Something follows the method.
    Trailing,
    /// `FromStr` was given an extension method it cannot borrow for `'static`:
    /// [`RAck::parse`] borrows any token.
    UnknownMethod,
}

/// A parse failure of an `RSeq` or `RAck` value: what is wrong and at which byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HeaderError {
    kind: HeaderErrorKind,
    at: usize,
}

impl HeaderError {
    const fn new(kind: HeaderErrorKind, at: usize) -> Self {
        HeaderError { kind, at }
    }

    /// What is wrong.
    #[must_use]
    pub const fn kind(&self) -> HeaderErrorKind {
        self.kind
    }

    /// The byte offset where it is wrong.
    #[must_use]
    pub const fn at(&self) -> usize {
        self.at
    }
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            HeaderErrorKind::Missing => "a part is missing (RAck is `RSeq CSeq-number Method`)",
            HeaderErrorKind::NotDigits => "a number must be decimal digits",
            HeaderErrorKind::Zero => "an RSeq must be at least 1",
            HeaderErrorKind::TooLarge => "a number must be at most 2^31 - 1 (2147483647)",
            HeaderErrorKind::NotAToken => "the method must be a token (INVITE, ...)",
            HeaderErrorKind::Trailing => "nothing may follow the method",
            HeaderErrorKind::UnknownMethod => {
                "not a method `parse()` knows; RAck::parse borrows any token"
            }
        };
        write!(f, "{what} (at byte {})", self.at)
    }
}

impl core::error::Error for HeaderError {}

/// Why [`Uas::send`] cannot send a response reliably now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SendError {
    /// 100 Trying, or a code that is not provisional: RFC 3262 Section 3 makes only 101..=199
    /// reliable.
    NotReliable(u16),
    /// The previous reliable provisional is not acknowledged yet: "the UAS MUST NOT send a
    /// second reliable provisional response until the first is acknowledged" (Section 3).
    Unacknowledged(RSeq),
    /// A final response was sent: there is nothing more to make reliable.
    FinalSent,
    /// The RSeq space is used up (2^31 - 1 was the last).
    Exhausted,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::NotReliable(code) => {
                write!(
                    f,
                    "{code} cannot be sent reliably (RFC 3262: 101..=199 only)"
                )
            }
            SendError::Unacknowledged(rseq) => {
                write!(
                    f,
                    "the reliable provisional with RSeq {rseq} is not acknowledged yet"
                )
            }
            SendError::FinalSent => f.write_str("a final response was already sent"),
            SendError::Exhausted => f.write_str("no RSeq is left (2^31 - 1 was the last)"),
        }
    }
}

impl core::error::Error for SendError {}

/// What [`Uas::handle_timeout`] asks of the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UasTimeout {
    /// Send the reliable provisional with this RSeq again, unchanged.
    Retransmit(RSeq),
    /// It went unacknowledged for 64*T1: "the UAS SHOULD reject the original request with a
    /// 5xx response" (RFC 3262, Section 3). Retransmissions stop.
    GiveUp(RSeq),
}

/// The answer to a PRACK (RFC 3262, Section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prack {
    /// It acknowledges the outstanding reliable provisional: answer 200; its
    /// retransmissions stop.
    Ok,
    /// It matches no unacknowledged reliable provisional: answer 481.
    NoMatch,
}

/// The outstanding (unacknowledged) reliable provisional of a [`Uas`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Outstanding {
    rseq: RSeq,
    /// Whether it carried a session description (an offer or answer).
    sdp: bool,
    /// When it was first sent, for the 64*T1 limit.
    first: Duration,
    /// When to retransmit it next (`None` once a final response stopped retransmissions).
    next: Option<Duration>,
    /// The interval until `next`: T1, doubling.
    interval: Duration,
}

/// The UAS side of RFC 3262 for one INVITE server transaction: numbers the reliable
/// provisionals, holds back a second one until the first is acknowledged, schedules the
/// retransmissions (T1, doubling, giving up at 64*T1), matches PRACKs, and says when a 2xx
/// may be sent. Sans-IO: the caller sends, receives and keeps time.
///
/// ```
/// # use sip_responses_core as sip_responses;
/// use core::time::Duration;
/// use sip_responses::reliable::{RSeq, SendError, Uas, UasTimeout};
/// let t1 = Duration::from_millis(500);
/// let mut uas = Uas::new(RSeq::new(1).unwrap(), 1, "INVITE", t1);
/// let first = uas.send(Duration::ZERO, 180, false)?;
/// assert_eq!(uas.send(Duration::ZERO, 183, true), Err(SendError::Unacknowledged(first)));
/// assert_eq!(uas.send(Duration::ZERO, 100, false), Err(SendError::NotReliable(100)));
/// // Unacknowledged for 64*T1: reject the INVITE with a 5xx.
/// let mut last = None;
/// while let Some(at) = uas.poll_timeout() {
///     last = uas.handle_timeout(at);
/// }
/// assert_eq!(last, Some(UasTimeout::GiveUp(first)));
/// # Ok::<(), SendError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Uas<'m> {
    next: Option<RSeq>,
    cseq: u32,
    method: &'m str,
    t1: Duration,
    outstanding: Option<Outstanding>,
    final_sent: bool,
}

impl<'m> Uas<'m> {
    /// The UAS of a request with CSeq `cseq` and `method`; `initial` is the first RSeq,
    /// which RFC 3262 Section 3 wants "chosen uniformly between 1 and 2**31 - 1" (the
    /// caller's random source); `t1` is RFC 3261's T1 (500 ms by default).
    #[must_use]
    pub const fn new(initial: RSeq, cseq: u32, method: &'m str, t1: Duration) -> Self {
        Uas {
            next: Some(initial),
            cseq,
            method,
            t1,
            outstanding: None,
            final_sent: false,
        }
    }

    /// Sends a provisional response with `code` reliably at `now`: the RSeq to put in its
    /// `RSeq` header (beside `Require: 100rel`). `sdp` says whether it carries a session
    /// description, which holds back a 2xx until it is acknowledged.
    ///
    /// # Errors
    /// [`SendError`]: not a code RFC 3262 makes reliable, the previous one unacknowledged, a
    /// final response already sent, or no RSeq left.
    pub fn send(&mut self, now: Duration, code: u16, sdp: bool) -> Result<RSeq, SendError> {
        if !crate::rules::may_send_reliably(code) {
            return Err(SendError::NotReliable(code));
        }
        if self.final_sent {
            return Err(SendError::FinalSent);
        }
        if let Some(o) = self.outstanding {
            return Err(SendError::Unacknowledged(o.rseq));
        }
        let rseq = self.next.ok_or(SendError::Exhausted)?;
        self.next = rseq.next();
        self.outstanding = Some(Outstanding {
            rseq,
            sdp,
            first: now,
            next: Some(now.saturating_add(self.t1)),
            interval: self.t1,
        });
        Ok(rseq)
    }

    /// When to call [`Self::handle_timeout`] next, if a retransmission is scheduled.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.outstanding.and_then(|o| o.next)
    }

    /// Advances the clock to `now`: whether to retransmit the outstanding reliable
    /// provisional, or to give up on it (64*T1 without a PRACK). Call it at or after
    /// [`Self::poll_timeout`]; early calls do nothing.
    pub fn handle_timeout(&mut self, now: Duration) -> Option<UasTimeout> {
        let o = self.outstanding.as_mut()?;
        let due = o.next?;
        if now < due {
            return None;
        }
        if now.saturating_sub(o.first) >= self.t1.saturating_mul(64) {
            o.next = None;
            return Some(UasTimeout::GiveUp(o.rseq));
        }
        o.interval = o.interval.saturating_mul(2);
        o.next = Some(now.saturating_add(o.interval));
        Some(UasTimeout::Retransmit(o.rseq))
    }

    /// A PRACK arrived: 200 if its `RAck` names the outstanding reliable provisional (RSeq,
    /// CSeq number and method all match), 481 otherwise (RFC 3262, Section 3). A match also
    /// answers after a final response was sent ("it MUST be prepared to process PRACK
    /// requests for those outstanding responses").
    pub fn prack(&mut self, rack: &RAck<'_>) -> Prack {
        match self.outstanding {
            Some(o)
                if o.rseq == rack.rseq
                    && rack.cseq == self.cseq
                    && rack.method.eq_ignore_ascii_case(self.method) =>
            {
                self.outstanding = None;
                Prack::Ok
            }
            _ => Prack::NoMatch,
        }
    }

    /// Whether a 2xx may be sent now: not while a reliable provisional that carried a
    /// session description is unacknowledged (RFC 3262, Section 3). Any other final
    /// response may always be sent.
    #[must_use]
    pub fn may_send_2xx(&self) -> bool {
        !self.outstanding.is_some_and(|o| o.sdp)
    }

    /// The caller sent a final response: retransmissions stop ("it SHOULD NOT continue to
    /// retransmit"), PRACKs of what was outstanding are still answered, and no further
    /// reliable provisional can be sent.
    pub fn final_sent(&mut self) {
        self.final_sent = true;
        if let Some(o) = self.outstanding.as_mut() {
            o.next = None;
        }
    }

    /// The RSeq of the unacknowledged reliable provisional, if there is one.
    #[must_use]
    pub fn unacknowledged(&self) -> Option<RSeq> {
        self.outstanding.map(|o| o.rseq)
    }
}

/// What a reliable provisional a [`Uac`] received is (RFC 3262, Section 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Received<'m> {
    /// The next one in order (or the first): dispatch it, and send a PRACK with this RAck.
    New(RAck<'m>),
    /// One already received (the UAS retransmits until it sees the PRACK, whose own
    /// transaction retransmits it): neither dispatched nor acknowledged again.
    Retransmission,
    /// Not the next one: a gap before it. "MUST NOT be acknowledged with a PRACK, and MUST
    /// NOT be processed further" (Section 4); erratum 4604 allows keeping it to process,
    /// and acknowledge, once the missing ones have arrived: hand it to [`Uac::receive`]
    /// again then.
    OutOfOrder {
        /// The RSeq that would be in order.
        expected: RSeq,
    },
    /// The final response arrived: reliable provisionals are over.
    AfterFinal,
}

/// The UAC side of RFC 3262 for one early dialog (one To tag: each fork of a request numbers
/// its RSeq independently, verified erratum 4600): which reliable provisionals are new, and
/// the `RAck` of each. Sans-IO, no timers of its own (PRACK is a request like any other).
///
/// ```
/// # use sip_responses_core as sip_responses;
/// use sip_responses::reliable::{RSeq, Received, Uac};
/// let rseq = |n| RSeq::new(n).unwrap();
/// let mut uac = Uac::new(1, "INVITE");
/// assert!(matches!(uac.receive(rseq(5)), Received::New(rack) if rack.to_string() == "5 1 INVITE"));
/// assert_eq!(uac.receive(rseq(7)), Received::OutOfOrder { expected: rseq(6) }); // no PRACK
/// assert!(matches!(uac.receive(rseq(6)), Received::New(_)));
/// assert_eq!(uac.receive(rseq(6)), Received::Retransmission);
/// ```
#[derive(Debug, Clone)]
pub struct Uac<'m> {
    cseq: u32,
    method: &'m str,
    last: Option<RSeq>,
    done: bool,
}

impl<'m> Uac<'m> {
    /// The UAC of the early dialog of a request with CSeq `cseq` and `method`.
    #[must_use]
    pub const fn new(cseq: u32, method: &'m str) -> Self {
        Uac {
            cseq,
            method,
            last: None,
            done: false,
        }
    }

    /// A reliable provisional with `rseq` arrived on this early dialog.
    pub fn receive(&mut self, rseq: RSeq) -> Received<'m> {
        if self.done {
            return Received::AfterFinal;
        }
        match self.last {
            Some(last) if rseq <= last => Received::Retransmission,
            Some(last) if last.next() != Some(rseq) => Received::OutOfOrder {
                expected: last.next().unwrap_or(rseq),
            },
            _ => {
                self.last = Some(rseq);
                Received::New(RAck {
                    rseq,
                    cseq: self.cseq,
                    method: self.method,
                })
            }
        }
    }

    /// The final response arrived: the sequence ends.
    pub fn final_received(&mut self) {
        self.done = true;
    }

    /// The RSeq of the last reliable provisional received in order, if any.
    #[must_use]
    pub const fn last(&self) -> Option<RSeq> {
        self.last
    }
}
