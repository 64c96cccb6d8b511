//! The response side of a stateful forking proxy: RFC 3261 Sections 16.7 to 16.9, as a
//! sans-IO state machine. No allocation, `no_std`, no sockets, no clock.
//!
//! One [`ResponseContext`] per proxied request. Each request forwarded to a target is a
//! [`Branch`] ([`ResponseContext::branch`]); every response a branch returns goes to
//! [`ResponseContext::offer`], Timer C to [`ResponseContext::timer_c`] (16.8), a transport
//! error to [`ResponseContext::transport_error`] (16.9). Each says what to do with the
//! response ([`Action`]); [`ResponseContext::poll_cancel`] hands out the branches to CANCEL;
//! once [`ResponseContext::is_complete`], [`ResponseContext::best`] is the final response to
//! send upstream (16.7 step 6), then [`ResponseContext::final_sent`]. Which codes are
//! hop-by-hop, affect resubmission or carry challenges are flags of the spec
//! (`hop-by-hop`, `affects-resubmission`, `challenge`), so a spec that extends the registry
//! changes the behaviour through data.
//!
//! ```
//! # use sip_responses_core as sip_responses;
//! use sip_responses::proxy::{Action, Best, ResponseContext};
//! use sip_responses::{Code, StatusCode};
//!
//! let mut cx = ResponseContext::new();
//! let (a, b) = (cx.branch()?, cx.branch()?);
//! assert_eq!(cx.offer(a, 180)?, Action::Forward);
//! assert_eq!(cx.offer(a, 486)?, Action::Store);
//! assert!(!cx.is_complete()); // b has not answered
//! assert_eq!(cx.timer_c(b)?, Action::Store); // no provisional on b: as if it sent 408
//! assert!(cx.is_complete());
//! assert_eq!(cx.best(), Best::Forward { branch: b, code: Code::Known(StatusCode::RequestTimeout) });
//! # Ok::<(), sip_responses::proxy::ProxyError>(())
//! ```

use core::fmt;

use crate::{Class, Code, CodeError, ResponseCode, StatusCode};

/// How many branches one context holds.
pub const MAX_BRANCHES: usize = 32;

/// One forwarded request (a client transaction of the proxy), numbered from 0 in the order
/// [`ResponseContext::branch`] created them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Branch(u8);

impl Branch {
    /// The branch's number, from 0.
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// What the proxy does with a response it just received (RFC 3261 16.7 step 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Send it upstream now: a provisional response other than 100, and every 2xx.
    Forward,
    /// Keep it in the response context; the best stored response goes upstream at the end.
    Store,
    /// Keep it, cancel every pending branch and start no new one: a 6xx (16.7 step 5).
    /// [`ResponseContext::poll_cancel`] says which to CANCEL.
    CancelOthers,
    /// Do not send it upstream: 100 Trying (hop-by-hop); a second final response on a
    /// branch (a retransmission); a provisional response after the branch's final one;
    /// and, once a final response went upstream, everything but a 2xx (16.7 step 5).
    Absorb,
}

/// The final response for the server transaction (RFC 3261 16.7 step 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Best<C> {
    /// Forward the final response `branch` returned, with `code` (which the set may not know:
    /// a branch can answer 499).
    Forward {
        /// The branch whose response goes upstream.
        branch: Branch,
        /// Its status code.
        code: Code<C>,
    },
    /// Generate this response instead: 500 when the best is a 503 (16.7 step 6: a 503 is
    /// never forwarded), 408 when no final response arrived.
    Generate(C),
    /// A 2xx has already gone upstream; nothing more is sent.
    Done,
}

impl<C: ResponseCode + Copy> Best<C> {
    /// The status code to send, if any.
    #[must_use]
    pub fn code(&self) -> Option<u16> {
        match self {
            Best::Forward { code, .. } => Some(code.get()),
            Best::Generate(c) => Some(c.code()),
            Best::Done => None,
        }
    }
}

/// What a context refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProxyError {
    /// A branch this context did not create.
    UnknownBranch(usize),
    /// More than [`MAX_BRANCHES`] branches.
    TooManyBranches,
    /// A status code outside 100..=699.
    OutOfRange(u16),
    /// 16.7 step 5: no new branch once a 6xx or a 2xx arrived, or a final response went
    /// upstream.
    NoNewBranches,
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyError::UnknownBranch(i) => write!(f, "branch {i} is not one of this context's"),
            ProxyError::TooManyBranches => {
                write!(
                    f,
                    "a response context holds at most {MAX_BRANCHES} branches"
                )
            }
            ProxyError::OutOfRange(code) => write!(f, "status code {code} is outside 100..=699"),
            ProxyError::NoNewBranches => f.write_str(
                "no new branch after a 2xx or 6xx, or once a final response went upstream",
            ),
        }
    }
}

impl core::error::Error for ProxyError {}

/// The state of one branch: four independent facts of RFC 3261 16.7-16.10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(clippy::struct_excessive_bools)]
struct BranchState {
    /// A provisional response arrived (so the branch can be cancelled: RFC 3261 9.1).
    provisional: bool,
    /// Its final response, once it arrived (or Timer C or a transport error stood for one).
    done: bool,
    /// The proxy wants it cancelled; the CANCEL goes once it had a provisional response.
    cancel: bool,
    /// The CANCEL was handed out by `poll_cancel`.
    cancel_sent: bool,
}

/// A stored final response: its branch, its code, and its rank in its class (lower wins).
type Stored = (Branch, u16, (u8, u16));

/// How many challenge-carrying responses (401, 407) a context remembers for step 7.
pub const MAX_CHALLENGES: usize = MAX_BRANCHES;

/// The response context of one proxied request (RFC 3261 16.7).
#[derive(Debug, Clone)]
pub struct ResponseContext<C = StatusCode> {
    branches: [BranchState; MAX_BRANCHES],
    count: u8,
    forwarded_2xx: bool,
    final_sent: bool,
    /// A 6xx arrived: every pending branch is cancelled.
    cancelling: bool,
    /// The best stored response of classes 3xx..6xx.
    best: [Option<Stored>; 4],
    challenges: [Branch; MAX_CHALLENGES],
    challenge_count: usize,
    timeout: C,
    internal_error: C,
}

impl ResponseContext<StatusCode> {
    /// A context for the IANA codes.
    #[must_use]
    pub const fn new() -> Self {
        ResponseContext::with(StatusCode::RequestTimeout, StatusCode::ServerInternalError)
    }
}

impl Default for ResponseContext<StatusCode> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: ResponseCode + Copy> ResponseContext<C> {
    /// A context for another set of codes.
    ///
    /// # Errors
    /// [`CodeError::Unknown`] when the set lacks 408 or 500 exactly: the responses a proxy
    /// generates (RFC 3261 8.1.3.2's fallback is for receiving a code, not for generating
    /// one, so a 400 would not do for a 408).
    pub fn for_set() -> Result<Self, CodeError> {
        let exact = |code| C::from_u16(code).ok_or(CodeError::Unknown(code));
        Ok(ResponseContext::with(exact(408)?, exact(500)?))
    }

    const fn with(timeout: C, internal_error: C) -> Self {
        ResponseContext {
            branches: [BranchState {
                provisional: false,
                done: false,
                cancel: false,
                cancel_sent: false,
            }; MAX_BRANCHES],
            count: 0,
            forwarded_2xx: false,
            final_sent: false,
            cancelling: false,
            best: [None; 4],
            challenges: [Branch(0); MAX_CHALLENGES],
            challenge_count: 0,
            timeout,
            internal_error,
        }
    }

    fn has(code: u16, flag: &str) -> bool {
        C::from_u16(code).is_some_and(|c| c.flags().contains(&flag))
    }

    /// A new branch: the proxy forwards the request to one more target.
    ///
    /// # Errors
    /// [`ProxyError::TooManyBranches`] past [`MAX_BRANCHES`]; [`ProxyError::NoNewBranches`]
    /// once a 2xx or 6xx arrived or a final response went upstream.
    pub fn branch(&mut self) -> Result<Branch, ProxyError> {
        if self.cancelling || self.forwarded_2xx || self.final_sent {
            return Err(ProxyError::NoNewBranches);
        }
        let index = usize::from(self.count);
        if index >= MAX_BRANCHES {
            return Err(ProxyError::TooManyBranches);
        }
        self.count += 1;
        Ok(Branch(self.count - 1))
    }

    fn state(&mut self, branch: Branch) -> Result<&mut BranchState, ProxyError> {
        if branch.0 >= self.count {
            return Err(ProxyError::UnknownBranch(branch.index()));
        }
        Ok(&mut self.branches[branch.index()])
    }

    /// Takes a response `branch` returned and says what to do with it (RFC 3261 16.7 step 5):
    /// - a provisional response is forwarded, unless it is hop-by-hop (100 Trying);
    /// - every 2xx is forwarded at once, even after a final response went upstream, and
    ///   every other pending branch is to be cancelled (16.7 step 10);
    /// - once a 2xx or any final response went upstream, anything else is absorbed;
    /// - a 6xx is stored, and every other pending branch is to be cancelled;
    /// - any other final response is stored for [`Self::best`];
    /// - a second final response on a branch is a retransmission, absorbed and not counted,
    ///   and so is a provisional response after the branch's final one.
    ///
    /// # Errors
    /// [`ProxyError::UnknownBranch`], or [`ProxyError::OutOfRange`] for a code outside
    /// 100..=699 (not counted).
    pub fn offer(&mut self, branch: Branch, code: u16) -> Result<Action, ProxyError> {
        let raw = crate::RawCode::new(code).ok_or(ProxyError::OutOfRange(code))?;
        let state = self.state(branch)?;
        if state.done {
            return Ok(Action::Absorb);
        }
        if raw.class() == Class::Provisional {
            state.provisional = true;
            let hop = Self::has(code, crate::rules::HOP_BY_HOP);
            return Ok(if hop || self.final_sent || self.forwarded_2xx {
                Action::Absorb
            } else {
                Action::Forward
            });
        }
        state.done = true;
        Ok(match raw.class() {
            Class::Success => {
                self.forwarded_2xx = true;
                self.cancel_pending();
                Action::Forward
            }
            _ if self.forwarded_2xx || self.final_sent => Action::Absorb,
            Class::GlobalFailure => {
                self.store(branch, code);
                self.cancelling = true;
                self.cancel_pending();
                Action::CancelOthers
            }
            _ => {
                self.store(branch, code);
                Action::Store
            }
        })
    }

    /// Timer C fired on `branch` (RFC 3261 16.8): a branch that had a provisional response is
    /// to be cancelled ([`Self::poll_cancel`]; its 487 then comes through [`Self::offer`]),
    /// and the answer is [`Action::Absorb`]; one that had none counts as if it had received
    /// a 408, and the answer is what [`Self::offer`] says of that 408.
    ///
    /// # Errors
    /// [`ProxyError::UnknownBranch`].
    pub fn timer_c(&mut self, branch: Branch) -> Result<Action, ProxyError> {
        let state = self.state(branch)?;
        if state.done {
            return Ok(Action::Absorb);
        }
        if state.provisional {
            state.cancel = true;
            return Ok(Action::Absorb);
        }
        self.offer(branch, 408)
    }

    /// The transport layer could not deliver the request of `branch` (RFC 3261 16.9): the
    /// proxy "MUST behave as if the forwarded request received a 503": what [`Self::offer`]
    /// says of that 503.
    ///
    /// # Errors
    /// [`ProxyError::UnknownBranch`].
    pub fn transport_error(&mut self, branch: Branch) -> Result<Action, ProxyError> {
        self.offer(branch, 503)
    }

    /// The caller's CANCEL arrived (RFC 3261 16.10): every pending branch is to be
    /// cancelled; the final responses they return (487) complete the context as usual.
    pub fn cancel_all(&mut self) {
        self.cancel_pending();
    }

    fn cancel_pending(&mut self) {
        for state in &mut self.branches[..usize::from(self.count)] {
            if !state.done {
                state.cancel = true;
            }
        }
    }

    /// The next branch to send a CANCEL for, if one is due: a branch the proxy wants
    /// cancelled that has had a provisional response and no final one (RFC 3261 9.1: a
    /// branch without a provisional response cannot be cancelled yet; it is handed out once
    /// its first provisional arrives). Each branch is handed out once.
    pub fn poll_cancel(&mut self) -> Option<Branch> {
        let count = usize::from(self.count);
        let (index, state) = self.branches[..count]
            .iter_mut()
            .enumerate()
            .find(|(_, s)| s.cancel && !s.cancel_sent && s.provisional && !s.done)?;
        state.cancel_sent = true;
        u8::try_from(index).ok().map(Branch)
    }

    /// Whether every branch has its final response (16.7 step 6 waits for that; with no
    /// branch at all, the context is complete at once and [`Self::best`] is 408).
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.branches[..usize::from(self.count)]
            .iter()
            .all(|s| s.done)
    }

    /// The branches that have no final response yet.
    pub fn pending(&self) -> impl Iterator<Item = Branch> + '_ {
        (0..self.count)
            .filter(|&i| !self.branches[usize::from(i)].done)
            .map(Branch)
    }

    fn store(&mut self, branch: Branch, code: u16) {
        // RFC 3261 16.7 step 6: the lowest class; in 4xx, the responses that affect
        // resubmission first; in 5xx a 503 last (it is never forwarded; see `best`). Within
        // that, the lowest code, as Kamailio's tm module chooses (16.7 leaves the choice
        // open; the lowest code makes the outcome independent of arrival order), and among
        // equal codes the earliest.
        let preference = match code / 100 {
            4 if Self::has(code, crate::rules::AFFECTS_RESUBMISSION) => 0,
            5 if code == 503 => 1,
            4 => 1,
            _ => 0,
        };
        let rank = (preference, code);
        let slot = &mut self.best[usize::from(code / 100 - 3)];
        if slot.is_none_or(|(_, _, r)| rank < r) {
            *slot = Some((branch, code, rank));
        }
        if Self::has(code, crate::rules::CHALLENGE) && self.challenge_count < MAX_CHALLENGES {
            self.challenges[self.challenge_count] = branch;
            self.challenge_count += 1;
        }
    }

    /// The final response to send upstream (RFC 3261 16.7 step 6), meant for once
    /// [`Self::is_complete`]: a 6xx if any arrived, otherwise the stored response of the
    /// lowest class (see the preferences above), where a 503 is replaced by a generated 500,
    /// and a generated 408 when no final response arrived. [`Best::Done`] once a 2xx went
    /// upstream.
    #[must_use]
    pub fn best(&self) -> Best<C> {
        if self.forwarded_2xx {
            return Best::Done;
        }
        let chosen = self.best[3]
            .or(self.best[0])
            .or(self.best[1])
            .or(self.best[2]);
        match chosen {
            Some((_, 503, _)) => Best::Generate(self.internal_error),
            Some((branch, code, _)) => Best::Forward {
                branch,
                // Stored codes passed `offer`'s range check.
                code: Code::new(crate::RawCode::from_checked(code)),
            },
            None => Best::Generate(self.timeout),
        }
    }

    /// The caller sent the final response upstream: from now on only a 2xx is forwarded
    /// (16.7 step 5), and no branch is added.
    pub fn final_sent(&mut self) {
        self.final_sent = true;
    }

    /// The branches whose 401 and 407 challenges the proxy merges into the 401 or 407 it sends
    /// upstream (RFC 3261 16.7 step 7), in arrival order.
    pub fn challenges(&self) -> impl Iterator<Item = Branch> + '_ {
        self.challenges[..self.challenge_count].iter().copied()
    }

    /// How many branches the context has.
    #[must_use]
    pub const fn branches(&self) -> usize {
        self.count as usize
    }
}
