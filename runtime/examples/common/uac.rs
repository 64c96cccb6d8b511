//! A UAC's side of one call: the identifiers every request of it shares (RFC 3261 8.1.1),
//! and its non-INVITE client transactions (17.1.2), each with the request it retransmits.

use std::net::SocketAddr;
use std::time::Duration;

use sip_responses::transaction::{
    ClientEvent, Deliver, NonInviteClient, NonInviteClientState, Transport,
};
use sip_responses::RawCode;

use super::{Clock, Udp};

/// The call: its socket and clock, the peer, and what every request of it shares.
#[derive(Debug)]
pub struct Call {
    /// The socket, towards `peer`.
    pub udp: Udp,
    /// The machines' clock.
    pub clock: Clock,
    /// Where every request goes.
    pub peer: SocketAddr,
    /// The Request-URI of the INVITE (and its To).
    pub uri: String,
    id: String,
    from_tag: String,
    cseq: u32,
    /// The non-INVITE transactions under way, with their branches and requests.
    requests: Vec<(String, String, NonInviteClient)>,
}

impl Call {
    /// A call to `peer`, from a socket bound towards it.
    pub fn to(peer: SocketAddr) -> Result<Call, String> {
        let udp = Udp::bind_towards(peer)?;
        Ok(Call {
            id: super::new_call_id(udp.local),
            udp,
            clock: Clock::new(),
            peer,
            uri: format!("sip:service@{peer}"),
            from_tag: super::new_tag(),
            cseq: 1,
            requests: Vec::new(),
        })
    }

    /// A request of this call to `target`: Via (with `branch`), Max-Forwards, From, `to`,
    /// Call-ID, CSeq `cseq method`, Contact, then `extra` and the body.
    #[allow(clippy::too_many_arguments)]
    pub fn request(
        &self,
        method: &str,
        target: &str,
        (branch, cseq): (&str, u32),
        to: &str,
        extra: &[(&str, &str)],
        body: &str,
    ) -> String {
        let local = self.udp.local;
        let via = format!("SIP/2.0/UDP {local};branch={branch};rport");
        let from = format!("<sip:client@{local}>;tag={}", self.from_tag);
        let (cseq, contact) = (format!("{cseq} {method}"), format!("<sip:client@{local}>"));
        let mut fields = vec![
            ("Via", via.as_str()),
            ("Max-Forwards", "70"),
            ("From", &from),
        ];
        fields.extend([("To", to), ("Call-ID", &self.id), ("CSeq", &cseq)]);
        fields.push(("Contact", &contact));
        fields.extend_from_slice(extra);
        super::request(method, target, &fields, body)
    }

    /// Sends a new non-INVITE request (the next CSeq number, a new branch) on its own client
    /// transaction, which retransmits it until it is answered.
    pub fn start(
        &mut self,
        method: &str,
        target: &str,
        to: &str,
        extra: &[(&str, &str)],
    ) -> Result<(), String> {
        self.cseq += 1;
        let branch = super::new_branch();
        let text = self.request(method, target, (&branch, self.cseq), to, extra, "");
        self.udp.send(self.peer, &text)?;
        let tx = NonInviteClient::new(self.clock.now(), Transport::Unreliable, super::timers());
        self.requests.push((branch, text, tx));
        Ok(())
    }

    /// A response to the non-INVITE request with `branch` arrived at `now`: what its
    /// transaction says (`None`: no such transaction).
    pub fn handle_response(
        &mut self,
        now: Duration,
        branch: &str,
        code: RawCode,
    ) -> Option<Deliver> {
        let (_, _, tx) = self.requests.iter_mut().find(|(b, _, _)| b == branch)?;
        Some(tx.handle_response(now, code))
    }

    /// Time passed for the non-INVITE transactions.
    pub fn handle_timeout(&mut self, now: Duration) {
        self.requests
            .iter_mut()
            .for_each(|(_, _, tx)| tx.handle_timeout(now));
    }

    /// Sends what the non-INVITE transactions ask to send again, forgets the ended ones, and
    /// returns the first event (a timeout or a transport error).
    pub fn poll(&mut self) -> Result<Option<ClientEvent>, String> {
        let mut event = None;
        for (_, text, tx) in &mut self.requests {
            while tx.poll_transmit().is_some() {
                self.udp.send(self.peer, text)?;
            }
            event = event.or(tx.poll_event());
        }
        self.requests
            .retain(|(_, _, tx)| tx.state() != NonInviteClientState::Terminated);
        Ok(event)
    }

    /// When the non-INVITE transactions wake next.
    pub fn poll_timeout(&self) -> Option<Duration> {
        super::earliest(self.requests.iter().map(|(_, _, tx)| tx.poll_timeout()))
    }
}
