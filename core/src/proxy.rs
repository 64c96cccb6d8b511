//! The response side of a stateful proxy: RFC 3261 Section 16.7, steps 5 to 7. No allocation,
//! `no_std`.
//!
//! Feed every response a branch returns to [`ResponseContext::offer`], do what the returned
//! [`Action`] says, and when every branch is done (or timed out) send what
//! [`ResponseContext::best`] says. Which codes are hop-by-hop, which affect resubmission and
//! which carry challenges are flags of the spec (`hop-by-hop`, `affects-resubmission`,
//! `challenge`), so a spec that extends the registry changes the behaviour through data.
//!
//! ```
//! # use sip_responses_core as sip_responses;
//! use sip_responses::proxy::{Action, Best, ResponseContext};
//! use sip_responses::StatusCode;
//!
//! let mut cx = ResponseContext::new();
//! assert_eq!(cx.offer(180), Ok(Action::Forward));
//! assert_eq!(cx.offer(486), Ok(Action::Store));
//! assert_eq!(cx.offer(503), Ok(Action::Store));
//! assert_eq!(cx.best(), Best::Forward { index: 1, code: 486 });
//! ```

use crate::{Class, CodeError, ResponseCode, StatusCode};

/// What the proxy does with a response it just received (RFC 3261 16.7 step 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Send it upstream now: a provisional response other than 100, and every 2xx.
    Forward,
    /// Keep it in the response context; the best stored response goes upstream at the end.
    Store,
    /// Keep it, cancel every pending branch and start no new one: a 6xx (16.7 step 5).
    CancelOthers,
    /// Do not send it upstream: 100 Trying (hop-by-hop), and any non-2xx final response
    /// once a 2xx has gone upstream.
    Absorb,
}

/// The final response for the server transaction (RFC 3261 16.7 step 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Best<C> {
    /// Forward the stored response offered as number `index` (counted from 0), with `code`.
    Forward {
        /// Which offer, counted from 0 over every accepted offer.
        index: usize,
        /// Its status code.
        code: u16,
    },
    /// Generate this response instead: 500 when the best is a 503, 408 when no final
    /// response arrived.
    Generate(C),
    /// A 2xx has already gone upstream; nothing more is sent.
    Done,
}

impl<C: ResponseCode + Copy> Best<C> {
    /// The status code to send (0 for [`Best::Done`]).
    #[must_use]
    pub fn code(&self) -> u16 {
        match self {
            Best::Forward { code, .. } => *code,
            Best::Generate(c) => c.code(),
            Best::Done => 0,
        }
    }
}

/// How many challenge-carrying responses (401, 407) a context remembers for step 7.
pub const MAX_CHALLENGES: usize = 16;

/// The response context of one proxied request (RFC 3261 16.7).
#[derive(Debug, Clone)]
pub struct ResponseContext<C = StatusCode> {
    offers: usize,
    forwarded_2xx: bool,
    /// The best stored response of classes 3xx..6xx: (index, code, rank; lower rank wins).
    best: [Option<(usize, u16, u8)>; 4],
    challenges: [usize; MAX_CHALLENGES],
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
    /// When the set cannot name 408 and 500 (or their RFC 3261 8.1.3.2 fallbacks), the
    /// responses a proxy generates.
    pub fn for_set() -> Result<Self, CodeError> {
        Ok(ResponseContext::with(
            C::interpret(408)?,
            C::interpret(500)?,
        ))
    }

    const fn with(timeout: C, internal_error: C) -> Self {
        ResponseContext {
            offers: 0,
            forwarded_2xx: false,
            best: [None; 4],
            challenges: [0; MAX_CHALLENGES],
            challenge_count: 0,
            timeout,
            internal_error,
        }
    }

    fn has(code: u16, flag: &str) -> bool {
        C::from_u16(code).is_some_and(|c| c.flags().contains(&flag))
    }

    /// Takes a response from a branch and says what to do with it (RFC 3261 16.7 step 5):
    /// - a provisional response is forwarded, unless it is hop-by-hop (100 Trying);
    /// - every 2xx is forwarded at once;
    /// - once a 2xx went upstream, any other final response is absorbed;
    /// - a 6xx is stored, and the proxy cancels every pending branch;
    /// - any other final response is stored for [`Self::best`].
    ///
    /// # Errors
    /// [`CodeError::OutOfRange`] for a code outside 100..=699 (not counted as an offer).
    pub fn offer(&mut self, code: u16) -> Result<Action, CodeError> {
        let Some(raw) = crate::RawCode::new(code) else {
            return Err(CodeError::OutOfRange(code));
        };
        let index = self.offers;
        self.offers += 1;
        let class = raw.class();
        let action = match class {
            Class::Provisional if Self::has(code, crate::rules::HOP_BY_HOP) => Action::Absorb,
            Class::Provisional => Action::Forward,
            Class::Success => {
                self.forwarded_2xx = true;
                Action::Forward
            }
            _ if self.forwarded_2xx => Action::Absorb,
            Class::GlobalFailure => Action::CancelOthers,
            _ => Action::Store,
        };
        if matches!(action, Action::Store | Action::CancelOthers) {
            self.store(index, code);
        }
        Ok(action)
    }

    fn store(&mut self, index: usize, code: u16) {
        // Within a class, the earliest response wins, except that in 4xx the responses
        // that affect resubmission come first (16.7 step 6), and in 5xx a 503 comes last
        // (it is never forwarded; see `best`).
        let rank = match code / 100 {
            4 if Self::has(code, crate::rules::AFFECTS_RESUBMISSION) => 0,
            5 if code == 503 => 1,
            4 => 1,
            _ => 0,
        };
        let slot = &mut self.best[usize::from(code / 100 - 3)];
        if slot.is_none_or(|(_, _, r)| rank < r) {
            *slot = Some((index, code, rank));
        }
        if Self::has(code, crate::rules::CHALLENGE) && self.challenge_count < MAX_CHALLENGES {
            self.challenges[self.challenge_count] = index;
            self.challenge_count += 1;
        }
    }

    /// The final response to send upstream (RFC 3261 16.7 step 6): a 6xx if any arrived,
    /// otherwise the stored response of the lowest class, where a 503 is replaced by a
    /// generated 500 (a 503 means "this proxy", not the branch), and a generated 408 when
    /// no final response arrived. [`Best::Done`] once a 2xx went upstream.
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
            Some((index, code, _)) => Best::Forward { index, code },
            None => Best::Generate(self.timeout),
        }
    }

    /// The offers (by index) whose challenges the proxy merges into a 401 or 407 it sends
    /// upstream (RFC 3261 16.7 step 7): every stored 401 and 407, the first
    /// [`MAX_CHALLENGES`] of them.
    pub fn challenges(&self) -> impl Iterator<Item = usize> + '_ {
        self.challenges[..self.challenge_count].iter().copied()
    }

    /// How many responses were offered (and accepted).
    #[must_use]
    pub const fn offers(&self) -> usize {
        self.offers
    }
}
