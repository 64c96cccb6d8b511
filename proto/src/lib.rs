//! The SIP protocol machines of [`sip-responses`](https://docs.rs/sip-responses), sans-IO:
//! [`transaction`] (RFC 3261 Section 17 with RFC 6026 and RFC 4320, the four transactions) at
//! the bottom, and above it [`reliable`] (RFC 3262, reliable provisional responses; a PRACK
//! is a request with its own non-INVITE client transaction) and [`proxy`] (RFC 3261 16.7 to
//! 16.10, the response context of a stateful forking proxy; each branch is an INVITE client
//! transaction whose timeouts and 2xx responses in Accepted it hears of). `no_std`, no
//! allocation, no sockets, no threads and no clock. Depend on `sip-responses` with `features = ["proto"]`,
//! which re-exports this crate's modules; a user of the types alone does not compile them.
//!
//! # One vocabulary
//! The machines speak as quinn-proto and str0m do. The time is a [`Duration`] since an epoch
//! of the caller's choosing (any monotonic clock), passed in; nothing reads a clock.
//! - `handle_*(now, ..)`: something arrived (a response, a request's retransmission, an
//!   ACK, a PRACK, a CANCEL, a transport error) or time passed (`handle_timeout(now)`).
//! - `send_*(now, ..)`: the caller is about to send something the machine accounts for (a
//!   response, a reliable provisional, a final response); it answers what to put in the
//!   message, or refuses what the RFC forbids.
//! - `add_*`: the caller creates something the machine tracks (a proxy branch).
//! - `poll_*`: what the machine asks of the caller (a retransmission, an ACK, a CANCEL, the
//!   final response to send upstream, an event) and `poll_timeout()`, when to call
//!   `handle_timeout` next. Call them after every `handle_*` or `send_*` until they are
//!   `None`.
//! - Everything else is a getter that changes nothing.
//!
//! Inputs are typed where the type carries the rule: a reliable provisional is a
//! [`reliable::ReliableCode`] (101..=199), a response from the wire is a
//! [`Code`](sip_responses_core::Code) (a code of the set or an unknown one, always in
//! 100..=699), T1 is never zero ([`T1`]) and Timer C is more than three minutes unless the
//! caller says otherwise by name ([`proxy::TimerC`]).
#![no_std]
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![warn(clippy::pedantic)]

use core::time::Duration;

pub mod proxy;
pub mod reliable;
pub mod transaction;

/// RFC 3261's T1, the round-trip time estimate that the retransmission timers start from
/// (Section 17.1.1.1: "T1 is an estimate of the round-trip time (RTT), and it defaults to
/// 500 ms"). Never zero: a zero T1 would make every `64*T1` limit expire at once.
///
/// ```
/// use core::time::Duration;
/// use sip_responses_proto::T1;
/// assert_eq!(T1::DEFAULT.get(), Duration::from_millis(500));
/// assert_eq!(T1::new(Duration::ZERO), None);
/// assert_eq!(T1::DEFAULT.times(64), Duration::from_secs(32));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct T1(Duration);

impl T1 {
    /// 500 ms, RFC 3261's default.
    pub const DEFAULT: T1 = T1(Duration::from_millis(500));

    /// `t1`, unless it is zero.
    #[must_use]
    pub const fn new(t1: Duration) -> Option<T1> {
        if t1.is_zero() {
            None
        } else {
            Some(T1(t1))
        }
    }

    /// The duration.
    #[must_use]
    pub const fn get(self) -> Duration {
        self.0
    }

    /// `n * T1` (saturating), as in RFC 3261's `64*T1`.
    #[must_use]
    pub const fn times(self, n: u32) -> Duration {
        self.0.saturating_mul(n)
    }
}

/// When a retransmission timer that was `due` and fired at `now` fires next, reset with
/// `interval`: counted from `due` when the caller woke at most half of `interval` late, so
/// small delays do not add up over the retransmissions of a 64*T1 window; counted from `now`
/// when it woke later than that, so one late wake-up sends one copy and the next one still
/// goes at least half an interval after it (never a burst, never two copies together).
pub(crate) fn next_retransmission(due: Duration, interval: Duration, now: Duration) -> Duration {
    if now.saturating_sub(due) <= interval / 2 {
        due.saturating_add(interval)
    } else {
        now.saturating_add(interval)
    }
}

impl Default for T1 {
    fn default() -> Self {
        T1::DEFAULT
    }
}
