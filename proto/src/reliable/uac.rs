//! The UAC side of RFC 3262 (Section 4, with verified errata 4600 and 4604).

use sip_responses_core::{Class, RawCode};

use super::{RAck, RSeq};

/// What a response a [`Uac`] received is (RFC 3262, Section 4), and so what to do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Received<'m> {
    /// A new reliable provisional, the next in order (or the first): dispatch it, and send
    /// a PRACK with this RAck.
    New(RAck<'m>),
    /// A provisional response that is not sent reliably: dispatch it, never PRACK it. A 100
    /// is always one ("If the response is a 100 (Trying) (as opposed to 101 to 199), this
    /// option tag MUST be ignored, and the procedures below MUST NOT be used"), and so is a
    /// 1xx without `Require: 100rel` and an `RSeq`.
    Unreliable,
    /// A reliable provisional already received (the UAS retransmits until it sees the
    /// PRACK): neither dispatched nor acknowledged again.
    Retransmission,
    /// Not the next one: a gap before it. "MUST NOT be acknowledged with a PRACK, and MUST
    /// NOT be processed further"; erratum 4604 allows keeping it to process (and
    /// acknowledge) after the missing ones: hand it to [`Uac::handle_response`] again then.
    OutOfOrder {
        /// The RSeq that would be in order.
        expected: RSeq,
    },
    /// The final response: dispatch it; reliable provisionals are over.
    Final,
    /// A provisional response after the final one: neither dispatched nor acknowledged.
    AfterFinal,
}

/// The UAC side of RFC 3262 for one early dialog (one To tag: each fork of a request numbers
/// its RSeq independently, verified erratum 4600): which responses are new reliable
/// provisionals, and the `RAck` of each. It knows the status code, so a 100 is never
/// acknowledged. No timers of its own: a PRACK is a request with its own transaction.
///
/// ```
/// use sip_responses_core::{RawCode, StatusCode};
/// use sip_responses_proto::reliable::{RSeq, Received, Uac};
/// let rseq = |n| RSeq::new(n);
/// let (trying, ringing) = (RawCode::from(StatusCode::Trying), RawCode::from(StatusCode::Ringing));
/// let mut uac = Uac::new(1, "INVITE");
/// assert_eq!(uac.handle_response(trying, rseq(4)), Received::Unreliable); // never PRACK a 100
/// assert!(matches!(uac.handle_response(ringing, rseq(5)), Received::New(rack) if rack.to_string() == "5 1 INVITE"));
/// assert_eq!(uac.handle_response(ringing, rseq(7)), Received::OutOfOrder { expected: RSeq::new(6).unwrap() });
/// assert!(matches!(uac.handle_response(ringing, rseq(6)), Received::New(_)));
/// assert_eq!(uac.handle_response(ringing, rseq(6)), Received::Retransmission);
/// assert_eq!(uac.handle_response(StatusCode::Ok, None), Received::Final);
/// ```
#[derive(Debug, Clone)]
pub struct Uac<'m> {
    cseq: u32,
    method: &'m str,
    last: Option<RSeq>,
    done: bool,
}

impl<'m> Uac<'m> {
    /// The UAC of the early dialog of a request with CSeq number `cseq` and `method`.
    #[must_use]
    pub const fn new(cseq: u32, method: &'m str) -> Self {
        Uac {
            cseq,
            method,
            last: None,
            done: false,
        }
    }

    /// A response with `code` arrived on this early dialog (a code of any set, a `Code<C>`
    /// or a [`RawCode`]); `rseq` is its `RSeq` if it carries one with `Require: 100rel`
    /// (`None` otherwise). Each final response the transaction passes up is
    /// [`Received::Final`] (an INVITE's 2xx retransmissions each need their ACK).
    pub fn handle_response(
        &mut self,
        code: impl Into<RawCode>,
        rseq: Option<RSeq>,
    ) -> Received<'m> {
        let code = code.into();
        if code.class() != Class::Provisional {
            self.done = true;
            return Received::Final;
        }
        if self.done {
            return Received::AfterFinal;
        }
        // Section 4: on a 100 "this option tag MUST be ignored".
        let Some(rseq) = rseq.filter(|_| code.get() != 100) else {
            return Received::Unreliable;
        };
        match self.last {
            Some(last) if rseq <= last => Received::Retransmission,
            Some(last) if last.next() != Some(rseq) => Received::OutOfOrder {
                // `last` < `rseq` <= 2^32-1, so `last.next()` exists.
                expected: last.next().unwrap_or(rseq),
            },
            _ => {
                self.last = Some(rseq);
                Received::New(RAck::of(rseq, self.cseq, self.method))
            }
        }
    }

    /// The RSeq of the last reliable provisional received in order, if any.
    #[must_use]
    pub const fn last(&self) -> Option<RSeq> {
        self.last
    }
}
