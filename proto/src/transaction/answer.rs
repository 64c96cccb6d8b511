//! The 2xx a UAS core retransmits until its ACK (RFC 3261 13.3.1.4, with RFC 6026).

use core::time::Duration;

use super::{Deliver, ServerEvent, ServerTransmit, Timers};

/// Where an [`Answer`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnswerState {
    /// The 2xx went; it goes again until its ACK arrives.
    Unacknowledged,
    /// The ACK arrived: no more retransmissions.
    Acknowledged,
    /// 64*T1 passed without the ACK ([`ServerEvent::Timeout`]): "the dialog is confirmed, but
    /// the session SHOULD be terminated" with a BYE.
    TimedOut,
}

/// A 2xx response to an INVITE, which the UAS core (not the server transaction: RFC 6026's
/// Accepted state leaves it to the user) passes to the transport again until its ACK arrives
/// (RFC 3261 13.3.1.4): after T1, the interval doubling up to T2, over every transport ("This
/// is independent of whatever transport protocols are used to send the response"), for at
/// most 64*T1. A proxy, which forwards 2xx responses, has no `Answer`.
///
/// Matching an ACK to the 2xx it acknowledges (the dialog and the CSeq number) is the
/// caller's, as matching is for the transactions.
///
/// ```
/// use core::time::Duration;
/// use sip_responses_proto::transaction::{Answer, AnswerState, Deliver, ServerTransmit, Timers};
///
/// let ms = Duration::from_millis;
/// let mut ok = Answer::new(ms(0), Timers::DEFAULT); // the 200 went at 0
/// ok.handle_timeout(ms(500));
/// assert_eq!(ok.poll_transmit(), Some(ServerTransmit::Final));
/// assert_eq!(ok.poll_timeout(), Some(ms(1500))); // the interval doubled
/// assert_eq!(ok.handle_ack(ms(700)), Deliver::ToUser);
/// assert_eq!(ok.handle_ack(ms(900)), Deliver::Absorb); // the UAC's ACK again
/// assert_eq!((ok.state(), ok.poll_timeout()), (AnswerState::Acknowledged, None));
/// ```
#[derive(Debug, Clone)]
pub struct Answer {
    state: AnswerState,
    t2: Duration,
    /// The next retransmission and the interval that led to it.
    next: Option<(Duration, Duration)>,
    /// 64*T1 after the first send.
    gives_up: Duration,
    transmit: bool,
    event: Option<ServerEvent>,
}

impl Answer {
    /// The 2xx the user sent at `now` (the server transaction has just passed it to the
    /// transport and moved to Accepted).
    #[must_use]
    pub fn new(now: Duration, timers: Timers) -> Self {
        let t1 = timers.t1().get();
        Answer {
            state: AnswerState::Unacknowledged,
            t2: timers.t2(),
            next: Some((now.saturating_add(t1), t1)),
            gives_up: now.saturating_add(timers.t1().times(64)),
            transmit: false,
            event: None,
        }
    }

    /// Where it is.
    #[must_use]
    pub const fn state(&self) -> AnswerState {
        self.state
    }

    /// An ACK of this 2xx arrived at `now`: "Response retransmissions cease when an ACK
    /// request for the response is received." The first is the user's (it may carry the
    /// session description); one after it (the UAC acknowledges each retransmission it
    /// received) is [`Deliver::Absorb`], and so is one after the 64*T1 gave up.
    pub fn handle_ack(&mut self, _now: Duration) -> Deliver {
        if self.state == AnswerState::Unacknowledged {
            self.state = AnswerState::Acknowledged;
            self.next = None;
            self.transmit = false;
            Deliver::ToUser
        } else {
            Deliver::Absorb
        }
    }

    /// Time passed: the 2xx again when its interval is up, or [`ServerEvent::Timeout`] after
    /// 64*T1 without the ACK.
    pub fn handle_timeout(&mut self, now: Duration) {
        if self.state != AnswerState::Unacknowledged {
            return;
        }
        if now >= self.gives_up {
            // "If the server retransmits the 2xx response for 64*T1 seconds without receiving
            // an ACK, the dialog is confirmed, but the session SHOULD be terminated."
            self.state = AnswerState::TimedOut;
            self.next = None;
            self.transmit = false;
            self.event = Some(ServerEvent::Timeout);
            return;
        }
        let t2 = self.t2;
        if let Some((at, interval)) = self.next.as_mut().filter(|(at, _)| now >= *at) {
            // "an interval that starts at T1 seconds and doubles for each retransmission
            // until it reaches T2 seconds"
            *interval = interval.saturating_mul(2).min(t2);
            *at = crate::next_retransmission(*at, *interval, now);
            self.transmit = true;
        }
    }

    /// When to call [`Self::handle_timeout`] next.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.next.map(|(at, _)| at.min(self.gives_up))
    }

    /// [`ServerTransmit::Final`] (the 2xx again, unchanged), once per retransmission.
    pub fn poll_transmit(&mut self) -> Option<ServerTransmit> {
        core::mem::take(&mut self.transmit).then_some(ServerTransmit::Final)
    }

    /// [`ServerEvent::Timeout`] once, when 64*T1 passed without the ACK.
    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.event.take()
    }
}
