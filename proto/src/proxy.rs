//! The response side of a stateful forking proxy: RFC 3261 Sections 16.7 to 16.10, as a
//! sans-IO state machine. No allocation, `no_std`, no sockets, no clock.
//!
//! One [`ResponseContext`] per proxied request, told whether the request is an INVITE
//! ([`RequestKind`]). The caller adds a [`Branch`] for each target it forwards the request
//! to ([`ResponseContext::add_branch`]), hands it every response a branch returns
//! ([`ResponseContext::handle_response`], which says what to do with it: [`Action`]), a
//! transport error ([`ResponseContext::handle_transport_error`], 16.9), a branch's
//! transaction timeout ([`ResponseContext::handle_transaction_timeout`]), the caller's CANCEL
//! ([`ResponseContext::handle_cancel`], 16.10) and the time
//! ([`ResponseContext::handle_timeout`]). The context owns Timer C (16.6 step 11, 16.7 step
//! 2, 16.8) and the 64*T1 limit after a CANCEL (9.1). It asks for CANCELs
//! ([`ResponseContext::poll_cancel`]) and, once every branch has ended, the final response to
//! send upstream ([`ResponseContext::poll_final`], 16.7 step 6). Which codes are hop-by-hop,
//! affect resubmission or carry challenges are flags of the spec (`hop-by-hop`,
//! `affects-resubmission`, `challenge`), so a spec that extends the registry changes the
//! behaviour through data.
//!
//! ```
//! use core::time::Duration;
//! use sip_responses_core::{Code, StatusCode};
//! use sip_responses_proto::proxy::{Action, Best, RequestKind, ResponseContext};
//!
//! let now = Duration::ZERO;
//! let mut cx = ResponseContext::new(RequestKind::Invite);
//! let (a, b) = (cx.add_branch(now)?, cx.add_branch(now)?);
//! assert_eq!(cx.handle_response(now, a, StatusCode::Ringing)?, Action::Forward);
//! assert_eq!(cx.handle_response(now, a, StatusCode::BusyHere)?, Action::Store);
//! assert_eq!(cx.poll_final(), None); // b has not answered
//! assert_eq!(cx.handle_response(now, b, StatusCode::NotFound)?, Action::Store);
//! assert_eq!(cx.poll_final(), Some(Best::Forward { branch: b, code: Code::Known(StatusCode::NotFound) }));
//! # Ok::<(), sip_responses_proto::proxy::ProxyError>(())
//! ```

use core::fmt;
use core::sync::atomic::{AtomicU32, Ordering};
use core::time::Duration;

use sip_responses_core::__private::{AFFECTS_RESUBMISSION, CHALLENGE, HOP_BY_HOP};
use sip_responses_core::{Class, Code, CodeError, RawCode, ResponseCode, StatusCode};

use crate::T1;

/// How many branches one context holds.
pub const MAX_BRANCHES: usize = 32;

/// Whether the proxied request is an INVITE: Timer C, the forwarding of 2xx responses after a
/// final response and CANCELs depend on it (RFC 3261 16.6 step 11, 16.7 step 5, 9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// An INVITE.
    Invite,
    /// Any other method.
    NonInvite,
}

/// Timer C, the proxy's limit on an INVITE branch that has no final response (RFC 3261
/// 16.6 step 11: "The timer MUST be larger than 3 minutes"; Table 4: "> 3min").
///
/// ```
/// use core::time::Duration;
/// use sip_responses_proto::proxy::TimerC;
/// assert!(TimerC::DEFAULT.get() > Duration::from_secs(180));
/// assert_eq!(TimerC::new(Duration::from_secs(180)), None); // not larger than 3 minutes
/// // A test bed or a lab may want less, and says so by name:
/// assert!(TimerC::below_rfc_minimum(Duration::from_millis(300)).is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimerC(Duration);

impl TimerC {
    /// 181 seconds: the smallest whole number of seconds larger than 3 minutes.
    pub const DEFAULT: TimerC = TimerC(Duration::from_secs(181));

    /// `timer_c`, if it is larger than 3 minutes, as RFC 3261 requires.
    #[must_use]
    pub const fn new(timer_c: Duration) -> Option<TimerC> {
        if timer_c.as_nanos() > Duration::from_secs(180).as_nanos() {
            Some(TimerC(timer_c))
        } else {
            None
        }
    }

    /// `timer_c` even if it is 3 minutes or less, against RFC 3261's MUST (for tests and
    /// labs); `None` for zero.
    #[must_use]
    pub const fn below_rfc_minimum(timer_c: Duration) -> Option<TimerC> {
        if timer_c.is_zero() {
            None
        } else {
            Some(TimerC(timer_c))
        }
    }

    /// The duration.
    #[must_use]
    pub const fn get(self) -> Duration {
        self.0
    }
}

impl Default for TimerC {
    fn default() -> Self {
        TimerC::DEFAULT
    }
}

/// One forwarded request (a client transaction of the proxy), numbered from 0 in the order
/// [`ResponseContext::add_branch`] created them. A branch belongs to the context that
/// created it: another context refuses it (a clone of a context is the same context, and
/// takes its branches).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Branch {
    context: u32,
    index: u8,
}

impl Branch {
    /// The branch's number, from 0.
    #[must_use]
    pub const fn index(self) -> usize {
        self.index as usize
    }
}

/// What the proxy does with a response it just received (RFC 3261 16.7 step 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Send it upstream now: a provisional response other than 100 until a final response
    /// went upstream, and every 2xx to an INVITE (also after a final response went
    /// upstream, and also a retransmission: RFC 6026 passes those to the proxy core); the
    /// first 2xx to any other request. A 2xx that the server transaction can no longer take
    /// (it sent a non-2xx final: [`crate::transaction::InviteServer::send_response`] refuses
    /// it) goes statelessly (16.7 step 9: "If the server transaction is no longer available
    /// to handle the transmission, the element MUST forward the response statelessly").
    Forward,
    /// Keep it in the response context: it may be the best final response
    /// ([`ResponseContext::poll_final`]).
    Store,
    /// Do not send it upstream: 100 Trying (hop-by-hop); a second final response on a branch
    /// (a retransmission) other than an INVITE's 2xx; a provisional response after the
    /// branch's final one; and, once a final response went upstream, everything but a 2xx
    /// to an INVITE.
    Absorb,
}

/// The final response for the server transaction (RFC 3261 16.7 step 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Best<C> {
    /// Forward the final response `branch` returned, with `code` (which the set may not know:
    /// a branch can answer 499). Always a response that arrived.
    Forward {
        /// The branch whose response goes upstream.
        branch: Branch,
        /// Its status code.
        code: Code<C>,
    },
    /// Generate this response: 408 when no final response arrived (16.7 step 6: "If there
    /// are no final responses in the context, the proxy MUST send a 408"), also when the
    /// only 4xx is the one Timer C or a transaction timeout stood for; 500 when the best is
    /// a 503 ("If the only response that was received is a 503, the proxy SHOULD generate a
    /// 500 response").
    Generate(C),
    /// Send nothing: a non-INVITE request whose branches gave no final response but a
    /// timeout (RFC 4320 4.2: "A transaction-stateful SIP element MUST NOT send a response
    /// with Status-Code of 408 to a non-INVITE request. As a consequence, an element that
    /// cannot respond before the transaction expires will not send a final response at
    /// all."). The client's own transaction times out.
    NoResponse,
}

impl<C: ResponseCode> Best<C> {
    /// The status code to send, if any.
    #[must_use]
    pub fn code(&self) -> Option<RawCode> {
        match self {
            Best::Forward { code, .. } => Some(code.raw()),
            Best::Generate(c) => RawCode::new(c.code()),
            Best::NoResponse => None,
        }
    }
}

/// What a context refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProxyError {
    /// A branch this context did not create.
    UnknownBranch(Branch),
    /// More than [`MAX_BRANCHES`] branches.
    TooManyBranches,
    /// No new branch: 16.7 step 5 forbids one after a 6xx ("it MUST NOT create any new
    /// branches in this context"); after a 2xx went upstream, a final response went upstream
    /// or the caller's CANCEL arrived, a new branch would be one the proxy must cancel at
    /// once (16.7 step 10, 16.10).
    NoNewBranches,
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyError::UnknownBranch(b) => {
                write!(f, "branch {} is not one of this context's", b.index())
            }
            ProxyError::TooManyBranches => {
                write!(
                    f,
                    "a response context holds at most {MAX_BRANCHES} branches"
                )
            }
            ProxyError::NoNewBranches => f.write_str(
                "no new branch after a 6xx, a 2xx, a final response upstream or a CANCEL",
            ),
        }
    }
}

impl core::error::Error for ProxyError {}

/// What a [`ResponseContext`] tells its user ([`ResponseContext::poll_event`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProxyEvent {
    /// Time ended `branch` without a final response.
    BranchEnded {
        /// The branch.
        branch: Branch,
        /// Which timer.
        cause: EndCause,
    },
}

/// Which timer ended a branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndCause {
    /// Timer C fired before any provisional response (16.8: as if it received a 408).
    TimerC,
    /// 64*T1 passed after its CANCEL without a final response (9.1).
    CancelUnanswered,
}

/// Where a branch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// No final response yet; `timer_c` is when Timer C fires (INVITE only, `None` once it
    /// has fired and the branch is being cancelled).
    Pending { timer_c: Option<Duration> },
    /// Its final response arrived, or stood in for by Timer C, a transport error, a
    /// transaction timeout, or 64*T1 after its CANCEL (9.1).
    Ended,
}

/// The state of one branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BranchState {
    phase: Phase,
    /// A provisional response arrived (so the branch can be cancelled: RFC 3261 9.1).
    provisional: bool,
    /// The proxy wants it cancelled; the CANCEL goes once it had a provisional response.
    cancel: bool,
    /// When the CANCEL went (from `poll_cancel`): 64*T1 later the branch counts as
    /// cancelled (9.1).
    cancelled_at: Option<Duration>,
    /// Why time ended it, until `poll_event` tells.
    ended_by: Option<EndCause>,
}

impl BranchState {
    const NEW: BranchState = BranchState {
        phase: Phase::Ended,
        provisional: false,
        cancel: false,
        cancelled_at: None,
        ended_by: None,
    };

    fn pending(&self) -> bool {
        matches!(self.phase, Phase::Pending { .. })
    }
}

/// A stored final response: the best of its class so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Candidate<C> {
    /// The branch that returned it; `None` for one Timer C, a transport error or a
    /// transaction timeout stood for (it is never forwarded, only generated).
    from: Option<Branch>,
    code: Code<C>,
    /// Its rank in its class: lower wins, and among equal ranks the earliest.
    rank: (u8, u16),
}

/// The response context of one proxied request (RFC 3261 16.7).
#[derive(Debug, Clone)]
pub struct ResponseContext<C = StatusCode> {
    id: u32,
    request: RequestKind,
    timer_c: TimerC,
    t1: T1,
    branches: [BranchState; MAX_BRANCHES],
    count: u8,
    /// A final response went upstream (a 2xx forwarded, or `poll_final` handed one out).
    final_sent: bool,
    /// No new branch: a 6xx arrived, a final response went upstream, or the caller
    /// cancelled.
    closed: bool,
    /// The best stored response of classes 3xx..6xx.
    best: [Option<Candidate<C>>; 4],
    /// The branches whose 401 or 407 arrived, in arrival order (one final per branch, so
    /// at most `count`).
    challenges: [Option<Branch>; MAX_BRANCHES],
    challenge_count: u8,
    timeout: C,
    internal_error: C,
}

/// A process-wide number per context, so that a branch of one is refused by another.
static NEXT_CONTEXT: AtomicU32 = AtomicU32::new(0);

impl ResponseContext<StatusCode> {
    /// A context for a `request` with the IANA codes, Timer C at [`TimerC::DEFAULT`] and T1
    /// at [`T1::DEFAULT`].
    #[must_use]
    pub fn new(request: RequestKind) -> Self {
        ResponseContext::with(
            request,
            StatusCode::RequestTimeout,
            StatusCode::ServerInternalError,
        )
    }
}

impl<C: ResponseCode + Copy> ResponseContext<C> {
    /// A context for another set of codes.
    ///
    /// # Errors
    /// [`CodeError::Unknown`] when the set lacks 408 or 500 exactly: the responses a proxy
    /// generates (RFC 3261 8.1.3.2's fallback is for receiving a code, not for generating
    /// one, so a 400 would not do for a 408).
    pub fn for_set(request: RequestKind) -> Result<Self, CodeError> {
        let exact = |code| C::from_u16(code).ok_or(CodeError::Unknown(code));
        Ok(ResponseContext::with(request, exact(408)?, exact(500)?))
    }

    fn with(request: RequestKind, timeout: C, internal_error: C) -> Self {
        ResponseContext {
            id: NEXT_CONTEXT.fetch_add(1, Ordering::Relaxed),
            request,
            timer_c: TimerC::DEFAULT,
            t1: T1::DEFAULT,
            branches: [BranchState::NEW; MAX_BRANCHES],
            count: 0,
            final_sent: false,
            closed: false,
            best: [None; 4],
            challenges: [None; MAX_BRANCHES],
            challenge_count: 0,
            timeout,
            internal_error,
        }
    }

    /// The same context with Timer C at `timer_c` (for the branches added from now on).
    #[must_use]
    pub fn with_timer_c(mut self, timer_c: TimerC) -> Self {
        self.timer_c = timer_c;
        self
    }

    /// The same context with T1 at `t1` (the 64*T1 limit after a CANCEL).
    #[must_use]
    pub fn with_t1(mut self, t1: T1) -> Self {
        self.t1 = t1;
        self
    }

    fn has(code: &Code<C>, flag: &str) -> bool {
        code.known().is_some_and(|c| c.flags().contains(&flag))
    }

    /// The proxy forwards the request to one more target at `now`: a new branch. For an
    /// INVITE its Timer C starts ("Timer C MUST be set for each client transaction when an
    /// INVITE request is proxied", 16.6 step 11).
    ///
    /// # Errors
    /// [`ProxyError::TooManyBranches`] past [`MAX_BRANCHES`]; [`ProxyError::NoNewBranches`]
    /// after a 6xx, a 2xx or a final response went upstream, or the caller's CANCEL.
    pub fn add_branch(&mut self, now: Duration) -> Result<Branch, ProxyError> {
        if self.closed {
            return Err(ProxyError::NoNewBranches);
        }
        let index = self.count;
        if usize::from(index) >= MAX_BRANCHES {
            return Err(ProxyError::TooManyBranches);
        }
        self.count += 1;
        let timer_c = match self.request {
            RequestKind::Invite => Some(now.saturating_add(self.timer_c.get())),
            RequestKind::NonInvite => None,
        };
        self.branches[usize::from(index)] = BranchState {
            phase: Phase::Pending { timer_c },
            ..BranchState::NEW
        };
        Ok(Branch {
            context: self.id,
            index,
        })
    }

    fn check(&self, branch: Branch) -> Result<usize, ProxyError> {
        if branch.context != self.id || branch.index >= self.count {
            return Err(ProxyError::UnknownBranch(branch));
        }
        Ok(branch.index())
    }

    /// A response `code` arrived on `branch` at `now`; what to do with it (16.7 step 5):
    /// - a provisional response is forwarded until a final response went upstream, unless
    ///   it is hop-by-hop (100 Trying); for an INVITE a 101-199 restarts the branch's Timer
    ///   C (16.7 step 2);
    /// - a 2xx to an INVITE is always forwarded, also a second one on the branch and after a
    ///   final response went upstream ("After a final response has been sent on the server
    ///   transaction, the following responses MUST be forwarded immediately: Any 2xx
    ///   response to an INVITE request"); the first 2xx to another request likewise;
    /// - any other final response is stored for [`Self::poll_final`] (a 6xx also cancels
    ///   every pending branch and closes the context to new branches), or absorbed once a
    ///   final response went upstream;
    /// - a second final response on a branch is a retransmission and is absorbed, and so
    ///   is a provisional response after the branch's final one.
    ///
    /// A 2xx or 6xx has every other pending branch cancelled ([`Self::poll_cancel`]).
    ///
    /// Hand in what the branch's client transaction passes up (RFC 6026: an INVITE client
    /// transaction passes every 2xx up in Accepted and none in Completed; see
    /// [`crate::transaction::InviteClient`]); the context forwards every 2xx to an INVITE it
    /// is given.
    ///
    /// # Errors
    /// [`ProxyError::UnknownBranch`] for a branch of another context.
    pub fn handle_response(
        &mut self,
        now: Duration,
        branch: Branch,
        code: impl Into<Code<C>>,
    ) -> Result<Action, ProxyError> {
        let code = code.into();
        let i = self.check(branch)?;
        let invite = self.request == RequestKind::Invite;
        let state = &mut self.branches[i];
        match code.class() {
            Class::Provisional => {
                let Phase::Pending { timer_c } = &mut state.phase else {
                    return Ok(Action::Absorb);
                };
                state.provisional = true;
                // 16.7 step 2: "For an INVITE transaction, if the response is a provisional
                // response with status codes 101 to 199 inclusive (i.e., anything but 100),
                // the proxy MUST reset timer C for that client transaction."
                if invite && code.get() != 100 && timer_c.is_some() {
                    *timer_c = Some(now.saturating_add(self.timer_c.get()));
                }
                // "a stateful proxy MUST NOT forward any 100 (Trying) response": by its number,
                // and any other code the spec flags hop-by-hop.
                let hop_by_hop = code.get() == 100 || Self::has(&code, HOP_BY_HOP);
                Ok(if hop_by_hop || self.final_sent {
                    Action::Absorb
                } else {
                    Action::Forward
                })
            }
            Class::Success if invite => {
                state.phase = Phase::Ended;
                self.final_sent = true;
                self.closed = true;
                self.cancel_pending();
                Ok(Action::Forward)
            }
            _ if !state.pending() => Ok(Action::Absorb),
            Class::Success => {
                state.phase = Phase::Ended;
                if self.final_sent {
                    return Ok(Action::Absorb);
                }
                self.final_sent = true;
                self.closed = true;
                self.cancel_pending();
                Ok(Action::Forward)
            }
            class => {
                state.phase = Phase::Ended;
                if self.final_sent {
                    return Ok(Action::Absorb);
                }
                self.store(Some(branch), code);
                if class == Class::GlobalFailure {
                    // 16.7 step 5: "the stateful proxy SHOULD cancel all client pending
                    // transactions ... and it MUST NOT create any new branches".
                    self.closed = true;
                    self.cancel_pending();
                }
                Ok(Action::Store)
            }
        }
    }

    /// The proxy recursed on every contact of the 3xx (or on the 416) `branch` returned: the
    /// branch ends and the response is not stored (16.7 step 4: "If the proxy recurses on
    /// all of the contacts in a 3xx response, the proxy SHOULD NOT add the resulting
    /// contactless response to the response context"; "if a proxy "recurses" on the 416 ...
    /// the 416 response SHOULD NOT be added"). Hand it here instead of to
    /// [`Self::handle_response`], and add the new branches before [`Self::poll_final`].
    ///
    /// # Errors
    /// [`ProxyError::UnknownBranch`].
    pub fn handle_recursion(&mut self, _now: Duration, branch: Branch) -> Result<(), ProxyError> {
        let i = self.check(branch)?;
        self.branches[i].phase = Phase::Ended;
        Ok(())
    }

    /// The transport layer could not deliver the request of `branch` (16.9): the proxy "MUST
    /// behave as if the forwarded request received a 503 (Service Unavailable) response".
    /// The branch ends; a 503 is never forwarded, so the 503 stands in the context only to
    /// make a generated 500 the best when nothing better arrives.
    ///
    /// # Errors
    /// [`ProxyError::UnknownBranch`].
    pub fn handle_transport_error(
        &mut self,
        _now: Duration,
        branch: Branch,
    ) -> Result<Action, ProxyError> {
        let unavailable = self.internal_error_stand_in();
        self.end_without_response(branch, unavailable)
    }

    /// The client transaction of `branch` timed out without a final response (Timer B or
    /// F, RFC 3261 17.1.1.2 and 17.1.2.2, or the RFC 4320 equivalents): the branch ends as
    /// if it had received a 408 ("treated as if a 408 (Request Timeout) status code has been
    /// received", 8.1.3.1), which only a generated 408 can stand for.
    ///
    /// # Errors
    /// [`ProxyError::UnknownBranch`].
    pub fn handle_transaction_timeout(
        &mut self,
        _now: Duration,
        branch: Branch,
    ) -> Result<Action, ProxyError> {
        let timeout = Code::Known(self.timeout);
        self.end_without_response(branch, timeout)
    }

    /// 503 as a code of the set, or as a code the set does not know: either way it ranks
    /// last in 5xx and makes a generated 500. (`RawCode::new(503)` is never `None`.)
    fn internal_error_stand_in(&self) -> Code<C> {
        RawCode::new(503).map_or(Code::Known(self.internal_error), Code::new)
    }

    fn end_without_response(
        &mut self,
        branch: Branch,
        code: Code<C>,
    ) -> Result<Action, ProxyError> {
        let i = self.check(branch)?;
        if !self.branches[i].pending() {
            return Ok(Action::Absorb);
        }
        self.branches[i].phase = Phase::Ended;
        if self.final_sent {
            return Ok(Action::Absorb);
        }
        self.store(None, code);
        Ok(Action::Store)
    }

    /// The caller's CANCEL arrived (16.10: "A proxy MUST cancel any pending client
    /// transactions associated with a response context when it receives a matching CANCEL
    /// request"): every pending branch is to be cancelled ([`Self::poll_cancel`]), and no new
    /// branch is added. The final responses they return (487) complete the context as
    /// usual. Answer the CANCEL itself with 200.
    pub fn handle_cancel(&mut self, _now: Duration) {
        self.closed = true;
        self.cancel_pending();
    }

    /// Time passed:
    /// - Timer C fired on a pending INVITE branch (16.8): one that had a provisional
    ///   response is to be cancelled ("the proxy MUST generate a CANCEL request matching
    ///   that transaction", [`Self::poll_cancel`]); one that had none ends "as if the
    ///   transaction received a 408 (Request Timeout) response";
    /// - 64*T1 passed since a branch's CANCEL without a final response: the branch counts
    ///   as cancelled and ends (9.1: "If there is no final response for the original request
    ///   in 64*T1 seconds ..., the client SHOULD then consider the original transaction
    ///   cancelled").
    pub fn handle_timeout(&mut self, now: Duration) {
        let limit = self.t1.times(64);
        for i in 0..usize::from(self.count) {
            let state = &mut self.branches[i];
            let Phase::Pending { timer_c } = &mut state.phase else {
                continue;
            };
            if let Some(sent) = state.cancelled_at {
                if now >= sent.saturating_add(limit) {
                    state.phase = Phase::Ended;
                    state.ended_by = Some(EndCause::CancelUnanswered);
                }
                continue;
            }
            if timer_c.is_some_and(|at| now >= at) {
                if state.provisional {
                    *timer_c = None;
                    state.cancel = true;
                } else {
                    state.phase = Phase::Ended;
                    state.ended_by = Some(EndCause::TimerC);
                    if !self.final_sent {
                        let timeout = Code::Known(self.timeout);
                        self.store(None, timeout);
                    }
                }
            }
        }
    }

    /// A branch that time ended, once each: stop its client transaction
    /// ([`crate::transaction::InviteClient::terminate`]); a late response on it is handled as
    /// on any ended branch: absorbed, but a 2xx to an INVITE forwarded.
    pub fn poll_event(&mut self) -> Option<ProxyEvent> {
        let count = usize::from(self.count);
        let (index, cause) = self.branches[..count]
            .iter_mut()
            .enumerate()
            .find_map(|(i, s)| s.ended_by.take().map(|cause| (i, cause)))?;
        u8::try_from(index)
            .ok()
            .map(|index| ProxyEvent::BranchEnded {
                branch: Branch {
                    context: self.id,
                    index,
                },
                cause,
            })
    }

    /// When to call [`Self::handle_timeout`] next: the earliest Timer C of a pending branch
    /// or 64*T1 after a CANCEL.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Duration> {
        let limit = self.t1.times(64);
        self.branches[..usize::from(self.count)]
            .iter()
            .filter_map(|s| match (s.phase, s.cancelled_at) {
                (Phase::Pending { .. }, Some(sent)) => Some(sent.saturating_add(limit)),
                (Phase::Pending { timer_c }, None) => timer_c,
                (Phase::Ended, _) => None,
            })
            .min()
    }

    /// Marks every pending branch to be cancelled: of an INVITE only (9.1: "A CANCEL request
    /// SHOULD NOT be sent to cancel a request other than INVITE"; a non-INVITE request is
    /// answered at once, so its branches end by themselves).
    fn cancel_pending(&mut self) {
        if self.request != RequestKind::Invite {
            return;
        }
        for state in &mut self.branches[..usize::from(self.count)] {
            if state.pending() {
                state.cancel = true;
            }
        }
    }

    /// The next branch to send a CANCEL for at `now`, if one is due: a branch the proxy
    /// wants cancelled that has had a provisional response and no final one (9.1: "a CANCEL
    /// request SHOULD NOT be sent to cancel a request until ... a provisional response has
    /// been received"; such a branch is handed out once its first provisional arrives).
    /// Each branch is handed out once; 64*T1 later it ends if nothing answered it.
    pub fn poll_cancel(&mut self, now: Duration) -> Option<Branch> {
        let count = usize::from(self.count);
        let (index, state) = self.branches[..count]
            .iter_mut()
            .enumerate()
            .find(|(_, s)| s.cancel && s.cancelled_at.is_none() && s.provisional && s.pending())?;
        state.cancelled_at = Some(now);
        u8::try_from(index).ok().map(|index| Branch {
            context: self.id,
            index,
        })
    }

    /// The final response to send upstream, once (16.7 step 6: "A stateful proxy MUST send a
    /// final response to a response context's server transaction if no final responses have
    /// been immediately forwarded by the above rules and all client transactions in this
    /// response context have been terminated"): `None` while a branch is pending and after
    /// a final response went upstream (a 2xx included). A 6xx if any arrived; otherwise the
    /// lowest class, within 4xx the responses that affect resubmission first (401, 407,
    /// 415, 420, 484), a 408 that Timer C or a timeout stood for last, and within 5xx a 503
    /// last (it becomes a generated 500). Within that, the lowest code, as Kamailio's tm
    /// module chooses (16.7 leaves the choice open; the lowest code makes the outcome
    /// independent of arrival order), among equal codes the earliest. With no branch at all
    /// the answer is a generated 408.
    ///
    /// Once it hands out a response the context takes no new branch: a proxy that forks
    /// sequentially or recurses adds the next branches before it polls here.
    pub fn poll_final(&mut self) -> Option<Best<C>> {
        if self.final_sent || !self.is_complete() {
            return None;
        }
        self.final_sent = true;
        self.closed = true;
        let chosen = self.best[3]
            .or(self.best[0])
            .or(self.best[1])
            .or(self.best[2]);
        Some(match chosen {
            Some(Candidate { code, .. }) if code.get() == 503 => {
                Best::Generate(self.internal_error)
            }
            // RFC 4320 4.2: no 408 to a non-INVITE request (none was stored).
            None if self.no_408() => Best::NoResponse,
            Some(Candidate {
                from: Some(branch),
                code,
                ..
            }) => Best::Forward { branch, code },
            Some(Candidate { from: None, .. }) | None => Best::Generate(self.timeout),
        })
    }

    /// Whether every branch has ended (16.7 step 6 waits for that).
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.branches[..usize::from(self.count)]
            .iter()
            .all(|s| !s.pending())
    }

    /// The branches that have not ended yet.
    pub fn pending(&self) -> impl Iterator<Item = Branch> + '_ {
        (0..self.count)
            .filter(|&i| self.branches[usize::from(i)].pending())
            .map(|index| Branch {
                context: self.id,
                index,
            })
    }

    /// RFC 4320 4.2 applies: the request is not an INVITE.
    fn no_408(&self) -> bool {
        self.request == RequestKind::NonInvite
    }

    fn store(&mut self, from: Option<Branch>, code: Code<C>) {
        let number = code.get();
        if self.no_408() && number == 408 {
            // Never a candidate for a non-INVITE request (RFC 4320 4.2), whether it arrived
            // or a timeout stands for it: the other responses decide, or nothing is sent.
            return;
        }
        // 16.7 step 6: within 4xx the codes that affect resubmission first, a received code
        // before the 408 a timeout stands for; within 5xx a 503 last.
        let preference = match (code.class(), from) {
            (Class::ClientError, None) => 2,
            (Class::ClientError, _) if !Self::has(&code, AFFECTS_RESUBMISSION) => 1,
            (Class::ServerError, _) if number == 503 => 1,
            _ => 0,
        };
        let rank = (preference, number);
        let slot = &mut self.best[usize::from(number / 100 - 3)];
        if slot.is_none_or(|c| rank < c.rank) {
            *slot = Some(Candidate { from, code, rank });
        }
        if from.is_some() && Self::has(&code, CHALLENGE) {
            self.challenges[usize::from(self.challenge_count)] = from;
            self.challenge_count += 1;
        }
    }

    /// The branches whose 401 and 407 challenges the proxy merges into the 401 or 407 it
    /// sends upstream (16.7 step 7), in arrival order.
    pub fn challenges(&self) -> impl Iterator<Item = Branch> + '_ {
        self.challenges[..usize::from(self.challenge_count)]
            .iter()
            .flatten()
            .copied()
    }
}
