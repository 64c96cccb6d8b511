//! ISUP/Q.850 cause values (ITU-T Q.850, as carried by SIP-PSTN gateways, RFC 3398) and the
//! `Reason` header field of RFC 3326 that carries a cause or a SIP code.
//!
//! Which response maps to which cause, and back, is data in the spec (`q850 = N` per code,
//! the `[q850]` table): see `StatusCode::q850_cause` and `StatusCode::from_q850`.

use core::fmt;

use crate::ResponseCode;

/// The name ITU-T Q.850 gives cause value `cause`, if it defines it.
#[must_use]
pub const fn cause_text(cause: u8) -> Option<&'static str> {
    Some(match cause {
        1 => "Unallocated (unassigned) number",
        2 => "No route to specified transit network",
        3 => "No route to destination",
        4 => "Send special information tone",
        5 => "Misdialled trunk prefix",
        6 => "Channel unacceptable",
        7 => "Call awarded and being delivered in an established channel",
        8 => "Preemption",
        9 => "Preemption - circuit reserved for reuse",
        16 => "Normal call clearing",
        17 => "User busy",
        18 => "No user responding",
        19 => "No answer from user (user alerted)",
        20 => "Subscriber absent",
        21 => "Call rejected",
        22 => "Number changed",
        23 => "Redirection to new destination",
        25 => "Exchange routing error",
        26 => "Non-selected user clearing",
        27 => "Destination out of order",
        28 => "Invalid number format (address incomplete)",
        29 => "Facility rejected",
        30 => "Response to STATUS ENQUIRY",
        31 => "Normal, unspecified",
        34 => "No circuit/channel available",
        38 => "Network out of order",
        39 => "Permanent frame mode connection out of service",
        40 => "Permanent frame mode connection operational",
        41 => "Temporary failure",
        42 => "Switching equipment congestion",
        43 => "Access information discarded",
        44 => "Requested circuit/channel not available",
        46 => "Precedence call blocked",
        47 => "Resource unavailable, unspecified",
        49 => "Quality of service not available",
        50 => "Requested facility not subscribed",
        53 => "Outgoing calls barred within CUG",
        55 => "Incoming calls barred within CUG",
        57 => "Bearer capability not authorized",
        58 => "Bearer capability not presently available",
        62 => "Inconsistency in designated outgoing access information and subscriber class",
        63 => "Service or option not available, unspecified",
        65 => "Bearer capability not implemented",
        66 => "Channel type not implemented",
        69 => "Requested facility not implemented",
        70 => "Only restricted digital information bearer capability is available",
        79 => "Service or option not implemented, unspecified",
        81 => "Invalid call reference value",
        82 => "Identified channel does not exist",
        83 => "A suspended call exists, but this call identity does not",
        84 => "Call identity in use",
        85 => "No call suspended",
        86 => "Call having the requested call identity has been cleared",
        87 => "User not member of CUG",
        88 => "Incompatible destination",
        90 => "Non-existent CUG",
        91 => "Invalid transit network selection",
        95 => "Invalid message, unspecified",
        96 => "Mandatory information element is missing",
        97 => "Message type non-existent or not implemented",
        98 => {
            "Message not compatible with call state or message type non-existent or not implemented"
        }
        99 => "Information element / parameter non-existent or not implemented",
        100 => "Invalid information element contents",
        101 => "Message not compatible with call state",
        102 => "Recovery on timer expiry",
        103 => "Parameter non-existent or not implemented, passed on",
        110 => "Message with unrecognized parameter, discarded",
        111 => "Protocol error, unspecified",
        127 => "Interworking, unspecified",
        _ => return None,
    })
}

/// A `Reason` header field (RFC 3326): why a request ended, as a SIP code or a Q.850 cause.
/// `Display` writes the whole field without CRLF.
///
/// ```
/// use sip_responses::{q850::Reason, StatusCode};
///
/// assert_eq!(Reason::sip(StatusCode::BusyHere).to_string(), r#"Reason: SIP;cause=486;text="Busy Here""#);
/// let cause = StatusCode::BusyHere.q850_cause().unwrap();
/// assert_eq!(Reason::q850(cause).unwrap().to_string(), r#"Reason: Q.850;cause=17;text="User busy""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// `SIP;cause=NNN;text="Reason-Phrase"`.
    Sip {
        /// The status code.
        cause: u16,
        /// Its registered reason phrase (the Reason-Phrase grammar keeps `"` and `\` out).
        text: &'static str,
    },
    /// `Q.850;cause=N;text="..."`.
    Q850 {
        /// The cause value.
        cause: u8,
        /// Its Q.850 name.
        text: &'static str,
    },
}

impl Reason {
    /// The `Reason` for a response code.
    #[must_use]
    pub fn sip<C: ResponseCode + Copy>(code: C) -> Reason {
        Reason::Sip {
            cause: code.code(),
            text: code.reason(),
        }
    }

    /// The `Reason` for a Q.850 cause value Q.850 defines.
    #[must_use]
    pub const fn q850(cause: u8) -> Option<Reason> {
        match cause_text(cause) {
            Some(text) => Some(Reason::Q850 { cause, text }),
            None => None,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Sip { cause, text } => write!(f, "Reason: SIP;cause={cause};text=\"{text}\""),
            Reason::Q850 { cause, text } => {
                write!(f, "Reason: Q.850;cause={cause};text=\"{text}\"")
            }
        }
    }
}
