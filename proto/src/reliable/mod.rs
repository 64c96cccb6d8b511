//! Reliable provisional responses (RFC 3262, with its verified errata 4600 and 4604): the
//! `RSeq` and `RAck` header values, and the two sides as sans-IO state machines in the
//! crate's vocabulary (`send_*`, `handle_*(now, ..)`, `poll_*`).
//!
//! ```
//! use core::time::Duration;
//! use sip_responses_core::StatusCode;
//! use sip_responses_proto::reliable::{Body, PrackAnswer, RAck, RSeq, Received, ReliableCode, Uac, Uas, UasEvent};
//! use sip_responses_proto::T1;
//!
//! // The UAS of one INVITE server transaction (CSeq 1 INVITE); the first RSeq is random.
//! let mut uas = Uas::new(RSeq::new(4711).unwrap(), 1, "INVITE", T1::DEFAULT)?;
//! let progress = ReliableCode::of(&StatusCode::SessionProgress).unwrap();
//! let rseq = uas.send_reliable(Duration::ZERO, progress, Body::SessionDescription)?;
//! assert!(!uas.may_send_2xx()); // its offer is unacknowledged
//!
//! // The UAC of the early dialog the 183 created: new, so dispatch it and PRACK.
//! let mut uac = Uac::new(1, "INVITE");
//! let Received::New(rack) = uac.handle_response(StatusCode::SessionProgress, Some(rseq)) else {
//!     unreachable!()
//! };
//! assert_eq!(rack.header().to_string(), "RAck: 4711 1 INVITE");
//!
//! // The PRACK reaches the UAS: 200, retransmissions stop, a 2xx may follow.
//! let got = RAck::parse("4711 1 INVITE")?;
//! assert_eq!(uas.handle_prack(Duration::from_millis(80), &got), PrackAnswer::Ok);
//! assert!(uas.may_send_2xx());
//! assert_eq!(uas.poll_timeout(), None);
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

mod header;
mod uac;
mod uas;

pub use header::{HeaderError, HeaderErrorKind, RAck, RSeq};
pub use uac::{Received, Uac};
pub use uas::{
    Body, FinalError, InitialRSeqError, PrackAnswer, ReliableCode, Retransmit, SendError, Uas,
    UasEvent,
};

/// `Require: 100rel`, the header field of a reliable provisional response (RFC 3262,
/// Section 3: it "MUST contain a Require header field containing the option tag 100rel").
pub const REQUIRE_100REL: &str = "Require: 100rel";
