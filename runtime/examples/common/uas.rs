//! A UAS's side of one INVITE: its server transaction (RFC 3261 17.2.1, with RFC 6026) with
//! the responses it sends again, and the 2xx sent again until its ACK (13.3.1.4).

use std::net::SocketAddr;
use std::time::Duration;

use sip_responses::transaction::{
    Answer, Deliver, InviteServer, InviteServerState, ServerEvent, ServerTransmit, Transport,
};
use sip_responses::{Class, Status, StatusCode};

use super::{Message, Udp};

/// One INVITE from `peer` and what was sent back to it.
#[derive(Debug)]
pub struct Invite {
    /// Where it came from, and where the responses go.
    pub peer: SocketAddr,
    text: String,
    tx: InviteServer,
    /// The 2xx, sent again until its ACK.
    ok: Option<Answer>,
    /// The most recent provisional and the final response, as sent.
    provisional: String,
    last: String,
}

impl Invite {
    /// The INVITE `msg` from `peer` arrived at `now`.
    pub fn new(now: Duration, msg: &Message<'_>, peer: SocketAddr) -> Invite {
        Invite {
            peer,
            text: msg.text.to_owned(),
            tx: InviteServer::new(now, Transport::Unreliable, super::timers()),
            ok: None,
            provisional: String::new(),
            last: String::new(),
        }
    }

    /// A response to the INVITE: `code` with `reason` (its default when empty), To tag `tag`
    /// (none on a 100), then `fields`.
    pub fn response(
        &self,
        (code, reason): (StatusCode, &str),
        tag: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Result<String, String> {
        let status = match reason {
            "" => Status::from(code),
            _ => Status::with_reason(code, reason).map_err(|e| e.to_string())?,
        };
        let invite = Message::parse(self.text.as_bytes()).ok_or("the INVITE no longer parses")?;
        Ok(super::response(&status, &invite, tag, fields, ""))
    }

    /// Sends `text`, a response with `code`; the transaction (or, for a 2xx, the `Answer`)
    /// sends it again as the RFC asks.
    pub fn respond(
        &mut self,
        udp: &Udp,
        now: Duration,
        code: StatusCode,
        text: String,
    ) -> Result<(), String> {
        self.tx
            .send_response(now, code)
            .map_err(|e| e.to_string())?;
        udp.send(self.peer, &text)?;
        if code.class().is_final() {
            self.ok = (code.class() == Class::Success).then(|| Answer::new(now, super::timers()));
            self.last = text;
        } else {
            self.provisional = text;
        }
        Ok(())
    }

    /// Sends the most recent provisional again (a reliable one still without its PRACK, RFC 3262).
    pub fn resend_provisional(&self, udp: &Udp) -> Result<(), String> {
        udp.send(self.peer, &self.provisional)
    }

    /// The INVITE arrived again (17.2.3 matched it here).
    pub fn handle_request(&mut self, now: Duration) {
        self.tx.handle_request(now);
    }

    /// An ACK arrived: the transaction's (a non-2xx final), or the 2xx's, which stops its
    /// retransmissions.
    pub fn handle_ack(&mut self, now: Duration) {
        if self.tx.handle_ack(now) == Deliver::ToUser {
            self.ok.as_mut().map(|ok| ok.handle_ack(now));
        }
    }

    /// Time passed: sends what the machines ask for. `Some(why)` when the INVITE is over
    /// without a call (rejected, or its final never acknowledged).
    pub fn handle_timeout(
        &mut self,
        udp: &Udp,
        now: Duration,
    ) -> Result<Option<&'static str>, String> {
        self.tx.handle_timeout(now);
        if let Some(ok) = self.ok.as_mut() {
            ok.handle_timeout(now);
            if ok.poll_transmit().is_some() {
                udp.send(self.peer, &self.last)?;
            }
            if ok.poll_event() == Some(ServerEvent::Timeout) {
                return Ok(Some("no ACK for the 200 OK within 64*T1")); // 13.3.1.4
            }
        }
        while let Some(transmit) = self.tx.poll_transmit() {
            if transmit == ServerTransmit::Trying {
                self.provisional = self.response((StatusCode::Trying, ""), None, &[])?;
            }
            let again = match transmit {
                ServerTransmit::Final => &self.last,
                _ => &self.provisional,
            };
            udp.send(self.peer, again)?;
        }
        if self.tx.poll_event() == Some(ServerEvent::Timeout) {
            return Ok(Some("no ACK for the final response (Timer H)"));
        }
        let over = self.tx.state() == InviteServerState::Terminated;
        Ok((over && self.ok.is_none()).then_some("rejected"))
    }

    /// When [`Self::handle_timeout`] is due next.
    pub fn poll_timeout(&self) -> Option<Duration> {
        super::earliest([
            self.tx.poll_timeout(),
            self.ok.as_ref().and_then(Answer::poll_timeout),
        ])
    }
}
