//! A UAS's side of one INVITE: its server transaction (RFC 3261 17.2.1, with RFC 6026) with
//! the responses it sends again, reliable provisionals when the INVITE asks for them (RFC
//! 3262), the 2xx sent again until its ACK (13.3.1.4), and the BYE that ends the session when
//! that ACK never comes.

use std::net::SocketAddr;
use std::time::Duration;

use sip_responses::reliable::{Body, PrackAnswer, RAck, ReliableCode, Uas, UasEvent};
use sip_responses::transaction::{
    Answer, Deliver, InviteServer, InviteServerState, NonInviteClient, NonInviteClientState,
    ServerEvent, ServerTransmit, Transport,
};
use sip_responses::{Class, RawCode, Status, StatusCode};

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
    /// The BYE after 64*T1 without the 2xx's ACK: its branch, text and transaction.
    bye: Option<(String, String, NonInviteClient)>,
    /// RFC 3262's UAS, when the INVITE has 100rel in its Supported or Require.
    reliable: Option<Uas<'static>>,
    /// Our To tag and Contact (12.1.1), on every response but a 100.
    tag: String,
    contact: String,
}

impl Invite {
    /// The INVITE `msg` from `peer` arrived at `now`; our responses carry To tag `tag` and
    /// `contact`.
    pub fn new(
        now: Duration,
        msg: &Message<'_>,
        peer: SocketAddr,
        (tag, contact): (String, String),
    ) -> Result<Invite, String> {
        let reliable = msg.has_option("Supported", "100rel") || msg.has_option("Require", "100rel");
        let first = super::initial_rseq().filter(|_| reliable);
        let uas = first.zip(msg.cseq()).map(|(first, (cseq, _))| {
            Uas::new(first, cseq, "INVITE", super::timers().t1()).map_err(|e| e.to_string())
        });
        Ok(Invite {
            reliable: uas.transpose()?,
            tag,
            contact,
            peer,
            text: msg.text.to_owned(),
            tx: InviteServer::new(now, Transport::Unreliable, super::timers()),
            ok: None,
            provisional: String::new(),
            last: String::new(),
            bye: None,
        })
    }

    /// Sends `code` with `reason` (its default when empty); a provisional but 100 goes
    /// reliably (`Require: 100rel`, `RSeq`) when the INVITE asked for it. `Ok(false)`: it did
    /// not go, since a final response went already, or a reliable provisional still awaits
    /// its PRACK (RFC 3262: the next one waits for it, and so does a final response).
    pub fn send(
        &mut self,
        udp: &Udp,
        now: Duration,
        code: StatusCode,
        reason: &str,
    ) -> Result<bool, String> {
        if !self.last.is_empty() {
            return Ok(false);
        }
        let mut rseq = String::new();
        let refused = match (self.reliable.as_mut(), ReliableCode::of(&code)) {
            (Some(uas), _) if code.class().is_final() => uas.send_final(now, code).is_err(),
            (Some(uas), Some(reliable)) => {
                let sent = uas.send_reliable(now, reliable, Body::Empty);
                rseq = sent
                    .map_err(|e| format!("reliable provisional: {e}"))?
                    .to_string();
                false
            }
            _ => false,
        };
        if refused {
            return Ok(false);
        }
        let mut fields = vec![("Contact", self.contact.as_str())];
        if !rseq.is_empty() {
            fields.extend([("Require", "100rel"), ("RSeq", rseq.as_str())]);
        }
        let text = self.response((code, reason), Some(&self.tag), &fields)?;
        self.respond(udp, now, code, text)?;
        Ok(true)
    }

    /// A PRACK with `rack` arrived at `now`: its answer, `None` without reliable provisionals.
    pub fn handle_prack(&mut self, now: Duration, rack: &RAck<'_>) -> Option<PrackAnswer> {
        Some(self.reliable.as_mut()?.handle_prack(now, rack))
    }

    /// Whether a provisional would go reliably, and so waits for a PRACK before the next.
    pub fn is_reliable(&self) -> bool {
        self.reliable.is_some()
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

    /// A response to our BYE (by its `branch`) arrived at `now`.
    pub fn handle_response(&mut self, now: Duration, branch: &str, code: RawCode) {
        if let Some((_, _, tx)) = self.bye.as_mut().filter(|(b, _, _)| b == branch) {
            tx.handle_response(now, code);
        }
    }

    /// 13.3.1.4: "If the server retransmits the 2xx response for 64*T1 seconds without
    /// receiving an ACK, the dialog is confirmed, but the session SHOULD be terminated. This
    /// is accomplished with a BYE": in the dialog of our 2xx (its To, with our tag, is the
    /// BYE's From), to the caller's Contact.
    fn hang_up(&mut self, udp: &Udp, now: Duration) -> Result<(), String> {
        let ok = Message::parse(self.last.as_bytes());
        let (Some(ok), Some(invite)) = (ok, Message::parse(self.text.as_bytes())) else {
            return Err("our 200 or the INVITE no longer parses".into());
        };
        let target = invite.header("Contact").or(invite.header("From"));
        let branch = super::new_branch();
        let via = format!("SIP/2.0/UDP {};branch={branch}", udp.local);
        let (from, to) = (
            ok.header("To").unwrap_or(""),
            ok.header("From").unwrap_or(""),
        );
        let fields = [
            ("Via", via.as_str()),
            ("Max-Forwards", "70"),
            ("From", from),
            ("To", to),
        ];
        let dialog = [("Call-ID", ok.call_id().unwrap_or("")), ("CSeq", "1 BYE")];
        let fields = [&fields[..], &dialog[..]].concat();
        let text = super::request("BYE", target.map_or("", super::uri), &fields, "");
        udp.send(self.peer, &text)?;
        let tx = NonInviteClient::new(now, Transport::Unreliable, super::timers());
        self.bye = Some((branch, text, tx));
        Ok(())
    }

    /// Time passed: sends what the machines ask for. `Some(why)` when the INVITE is over
    /// without a call (rejected, or its 2xx never acknowledged and the BYE answered or timed
    /// out). A reliable provisional unacknowledged for 64*T1 rejects the INVITE with a 500
    /// (RFC 3262 3: "the UAS SHOULD reject the original request with a 5xx response").
    pub fn handle_timeout(
        &mut self,
        udp: &Udp,
        now: Duration,
    ) -> Result<Option<&'static str>, String> {
        if let Some(uas) = self.reliable.as_mut() {
            uas.handle_timeout(now);
            if uas.poll_transmit().is_some() {
                udp.send(self.peer, &self.provisional)?;
            }
            if let Some(UasEvent::GaveUp(rseq)) = uas.poll_event() {
                println!("To tag {}: no PRACK for RSeq {rseq} within 64*T1", self.tag);
                self.reliable = None;
                self.send(udp, now, StatusCode::ServerInternalError, "")?;
            }
        }
        self.tx.handle_timeout(now);
        if let Some(ok) = self.ok.as_mut() {
            ok.handle_timeout(now);
            if ok.poll_transmit().is_some() {
                udp.send(self.peer, &self.last)?;
            }
            if ok.poll_event() == Some(ServerEvent::Timeout) {
                self.hang_up(udp, now)?;
            }
        }
        if let Some((_, text, tx)) = self.bye.as_mut() {
            tx.handle_timeout(now);
            while tx.poll_transmit().is_some() {
                udp.send(self.peer, text)?;
            }
            let done = !matches!(
                tx.state(),
                NonInviteClientState::Trying | NonInviteClientState::Proceeding
            );
            return Ok(done.then_some("no ACK for the 200 OK within 64*T1: hung up with a BYE"));
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
        let bye = self.bye.as_ref().and_then(|(_, _, tx)| tx.poll_timeout());
        let ok = self.ok.as_ref().and_then(Answer::poll_timeout);
        let uas = self.reliable.as_ref().and_then(Uas::poll_timeout);
        super::earliest([self.tx.poll_timeout(), ok, bye, uas])
    }
}
