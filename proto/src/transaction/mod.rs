//! The transaction layer (RFC 3261 Section 17, with RFC 6026's Accepted state), sans-IO: one
//! machine per transaction, in the crate's vocabulary. The machines take no message
//! parsing: matching a message to its transaction (RFC 3261 17.1.3 for responses: the
//! top Via's `branch` and the CSeq method; 17.2.3 for requests) stays the caller's, and so
//! does building the messages (the machines say *what* to send: the request again, or the
//! ACK of a non-2xx final response).
//!
//! Section 21.1's rules for provisional responses are the machines' own: any 1xx stops an
//! INVITE's retransmissions (the 100 too), no 1xx causes an ACK, and a non-INVITE request is
//! still retransmitted after a 1xx, at T2 (17.1.2.2).
//!
//! Four machines: [`InviteClient`], [`NonInviteClient`], [`InviteServer`] and
//! [`NonInviteServer`]; and [`Answer`], a UAS core's retransmission of its 2xx until the ACK
//! (13.3.1.4), which RFC 6026 leaves outside the INVITE server transaction.

use core::time::Duration;

use crate::T1;

mod answer;
mod client;
mod server;

pub use answer::{Answer, AnswerState};

pub use client::{
    ClientEvent, Deliver, InviteClient, InviteClientState, NonInviteClient, NonInviteClientState,
    Transmit,
};
pub use server::{
    FinalCode, InviteServer, InviteServerState, NonInviteResponse, NonInviteServer,
    NonInviteServerState, ResponseError, ServerEvent, ServerTransmit,
};

/// Whether the transport the transaction runs over is reliable (TCP, TLS, SCTP) or not
/// (UDP): retransmission timers run only over an unreliable one, and the Completed state
/// lasts only there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    /// UDP: requests are retransmitted, and Completed lasts Timer D or K.
    Unreliable,
    /// TCP, TLS, SCTP: nothing is retransmitted by the transaction.
    Reliable,
}

/// RFC 3261's timer values (Table 4): T1, T2 and T4.
///
/// ```
/// use core::time::Duration;
/// use sip_responses_proto::transaction::Timers;
/// use sip_responses_proto::T1;
/// assert_eq!(Timers::DEFAULT.t2(), Duration::from_secs(4));
/// assert_eq!(Timers::DEFAULT.t4(), Duration::from_secs(5));
/// // T2 caps a retransmission interval that starts at T1, so it is not below T1.
/// assert_eq!(Timers::new(T1::new(Duration::from_secs(5)).unwrap(), Duration::from_secs(4), Duration::from_secs(5)), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timers {
    t1: T1,
    t2: Duration,
    t4: Duration,
}

impl Timers {
    /// T1 500 ms, T2 4 s, T4 5 s: RFC 3261's defaults.
    pub const DEFAULT: Timers = Timers {
        t1: T1::DEFAULT,
        t2: Duration::from_secs(4),
        t4: Duration::from_secs(5),
    };

    /// Other values, if T2 is at least T1.
    #[must_use]
    pub const fn new(t1: T1, t2: Duration, t4: Duration) -> Option<Timers> {
        if t2.as_nanos() < t1.get().as_nanos() {
            None
        } else {
            Some(Timers { t1, t2, t4 })
        }
    }

    /// T1, the round-trip time estimate.
    #[must_use]
    pub const fn t1(&self) -> T1 {
        self.t1
    }

    /// T2, "the maximum retransmit interval for non-INVITE requests and INVITE responses".
    #[must_use]
    pub const fn t2(&self) -> Duration {
        self.t2
    }

    /// T4, the "maximum duration a message will remain in the network".
    #[must_use]
    pub const fn t4(&self) -> Duration {
        self.t4
    }
}

impl Default for Timers {
    fn default() -> Self {
        Timers::DEFAULT
    }
}
