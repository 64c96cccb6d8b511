//! What a relay adds to the plumbing (the `forking_proxy` example): requests forwarded with a
//! Via on top, responses with theirs removed, the ACK and CANCEL of a forwarded INVITE, the
//! address a response goes back to, one reader thread per socket feeding one event loop,
//! and a timer queue so that the loop sleeps until the earliest machine's `poll_timeout`.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::time::Duration;

use sip_responses::proxy::{Branch, ResponseContext};
use sip_responses::transaction::{
    ClientEvent, Deliver, InviteClient, InviteClientState, InviteServer, InviteServerState,
    NonInviteClient, NonInviteClientState, ServerEvent, Transmit, Transport,
};
use sip_responses::{Class, RawCode, StatusCode};

use super::{field_is, param, tag, Clock, Message};

/// Appends `line` and CRLF.
fn line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push_str("\r\n");
}

/// The request `msg` again with `via` as its new top Via and Max-Forwards one less (RFC
/// 3261 16.6 steps 3 and 8).
pub fn forward_request(msg: &Message<'_>, via: &str) -> String {
    let mut out = String::with_capacity(msg.text.len() + via.len() + 8);
    line(&mut out, msg.first);
    line(&mut out, &format!("Via: {via}"));
    for h in &msg.headers {
        if field_is(h, "Max-Forwards") {
            let left = h
                .split_once(':')
                .and_then(|(_, v)| v.trim().parse::<u32>().ok());
            let left = left.unwrap_or(70).saturating_sub(1);
            line(&mut out, &format!("Max-Forwards: {left}"));
        } else {
            line(&mut out, h);
        }
    }
    out.push_str("\r\n");
    out.push_str(msg.body);
    out
}

/// The response `msg` without the first value of its top Via (16.7 step 3), and with
/// `extra` field lines added (16.7 step 7's merged challenges).
pub fn forward_response(msg: &Message<'_>, extra: &[&str]) -> String {
    let mut out = String::with_capacity(msg.text.len());
    line(&mut out, msg.first);
    let mut dropped = false;
    for h in &msg.headers {
        if !dropped && field_is(h, "Via") {
            dropped = true;
            if let Some((_, rest)) = h.split_once(',') {
                line(&mut out, &format!("Via: {}", rest.trim()));
            }
        } else {
            line(&mut out, h);
        }
    }
    for h in extra {
        line(&mut out, h);
    }
    out.push_str("\r\n");
    out.push_str(msg.body);
    out
}

/// The ACK (17.1.1.3) or CANCEL (9.1) of `invite` as the relay forwarded it: its
/// Request-URI, top Via, From, Call-ID, Route fields and CSeq number, with `to` as To (the
/// final response's for the ACK, the INVITE's for the CANCEL).
pub fn in_transaction(invite: &Message<'_>, method: &str, to: &str) -> String {
    let uri = invite.request_uri().unwrap_or("");
    let via = invite.header("Via").and_then(|v| v.split(',').next());
    let number = invite.cseq().map_or(1, |(n, _)| n);
    let mut out = format!("{method} {uri} SIP/2.0\r\n");
    line(&mut out, &format!("Via: {}", via.unwrap_or("")));
    line(&mut out, "Max-Forwards: 70");
    line(
        &mut out,
        &format!("From: {}", invite.header("From").unwrap_or("")),
    );
    line(&mut out, &format!("To: {to}"));
    line(
        &mut out,
        &format!("Call-ID: {}", invite.call_id().unwrap_or("")),
    );
    line(&mut out, &format!("CSeq: {number} {method}"));
    for h in invite.headers.iter().filter(|h| field_is(h, "Route")) {
        line(&mut out, h);
    }
    out.push_str("Content-Length: 0\r\n\r\n");
    out
}

/// A Via branch for a request forwarded statelessly (16.11): the magic cookie, `sl`, and a
/// hash of what identifies the request, so that a retransmission gets the same one.
pub fn stateless_branch(msg: &Message<'_>) -> String {
    let mut hash = DefaultHasher::new();
    let to = msg.header("To").and_then(tag);
    let from = msg.header("From").and_then(tag);
    let via = msg.header("Via").and_then(|v| v.split(',').next());
    (to, from, msg.call_id(), msg.request_uri(), via, msg.cseq()).hash(&mut hash);
    format!("z9hG4bKsl{:016x}", hash.finish())
}

/// Where a response with top Via value `via` goes (18.2.2): the sent-by, or its `received`
/// and `rport` parameters (RFC 3581), port 5060 when none is given. `None` for a host name.
pub fn via_address(via: &str) -> Option<SocketAddr> {
    let (_, rest) = via.trim().split_once(char::is_whitespace)?;
    let sent_by = rest.split(';').next()?.trim();
    let mut addr: SocketAddr = sent_by
        .parse()
        .or_else(|_| format!("{sent_by}:5060").parse())
        .ok()?;
    if let Some(ip) = param(via, "received").and_then(|r| r.parse().ok()) {
        addr.set_ip(ip);
    }
    if let Some(port) = param(via, "rport").and_then(|p| p.parse().ok()) {
        addr.set_port(port);
    }
    Some(addr)
}

/// The challenge field lines of a response (WWW-Authenticate, Proxy-Authenticate).
pub fn challenges<'a>(msg: &Message<'a>) -> Vec<&'a str> {
    let is_challenge =
        |h: &&str| field_is(h, "WWW-Authenticate") || field_is(h, "Proxy-Authenticate");
    msg.headers.iter().copied().filter(is_challenge).collect()
}

/// The Call-ID and To tag of a message: its dialog, as far as a relay routes by it.
pub fn dialog(msg: &Message<'_>) -> String {
    let to_tag = msg.header("To").and_then(tag).unwrap_or("");
    format!("{};{to_tag}", msg.call_id().unwrap_or(""))
}

/// The final response `chosen` (as received, our Via on top) to send upstream, with the
/// challenges of the `others` added (16.7 step 7).
pub fn merge_challenges<'a>(chosen: &str, others: impl Iterator<Item = &'a str>) -> Option<String> {
    let others: Vec<Message<'_>> = others
        .filter_map(|o| Message::parse(o.as_bytes()))
        .collect();
    let extra: Vec<&str> = others.iter().flat_map(challenges).collect();
    Message::parse(chosen.as_bytes()).map(|m| forward_response(&m, &extra))
}

/// The sockets of a relay: one listening (callers, and what it forwards statelessly), and
/// one connected socket per target, whose ICMP errors are that target's transport errors
/// (16.9; an unconnected socket does not report them).
#[derive(Debug)]
pub struct Sockets {
    /// The listening socket.
    pub listen: Arc<UdpSocket>,
    /// Its address.
    pub local: SocketAddr,
    /// Each target's address, connected socket and that socket's address.
    pub targets: Vec<(SocketAddr, Arc<UdpSocket>, SocketAddr)>,
}

impl Sockets {
    /// Binds `listen`, and a socket connected to each target on `listen`'s address.
    pub fn open(listen: SocketAddr, targets: &[SocketAddr]) -> Result<Sockets, String> {
        let bind = |at: SocketAddr| {
            let udp = super::Udp::bind(at)?;
            Ok::<_, String>((Arc::new(udp.socket), udp.local))
        };
        let (listen, local) = bind(listen)?;
        let targets = targets.iter().map(|&target| {
            let (socket, at) = bind(SocketAddr::new(local.ip(), 0))?;
            socket
                .connect(target)
                .map_err(|e| format!("{target}: {e}"))?;
            Ok((target, socket, at))
        });
        let targets = targets.collect::<Result<_, String>>()?;
        Ok(Sockets {
            listen,
            local,
            targets,
        })
    }

    /// Every socket's datagrams in one queue: socket 0 is the listening one, socket `i + 1`
    /// target `i`'s.
    pub fn inbox(&self) -> Inbox {
        let mut sockets = vec![Arc::clone(&self.listen)];
        sockets.extend(self.targets.iter().map(|(_, s, _)| Arc::clone(s)));
        Inbox::new(&sockets)
    }

    /// Sends `text` from the listening socket to `to`.
    pub fn send(&self, to: SocketAddr, text: &str) {
        let _ = self.listen.send_to(text.as_bytes(), to);
    }

    /// Sends `text` to target `target` on its socket; false on a transport error.
    pub fn send_to_target(&self, target: usize, text: &str) -> bool {
        let socket = self.targets.get(target).map(|(_, s, _)| s);
        socket.is_some_and(|s| s.send(text.as_bytes()).is_ok())
    }

    /// A Via for target `target`'s socket with `branch`.
    pub fn via(&self, target: usize, branch: &str) -> String {
        let at = self
            .targets
            .get(target)
            .map_or(self.local, |(_, _, at)| *at);
        format!("SIP/2.0/UDP {at};branch={branch}")
    }

    /// Forwards the request `msg` statelessly (16.11) to target `target`, from the listening
    /// socket, with a branch that is the same for a retransmission.
    pub fn forward_stateless(&self, msg: &Message<'_>, target: usize) {
        let via = format!(
            "SIP/2.0/UDP {};branch={}",
            self.local,
            stateless_branch(msg)
        );
        if let Some((to, _, _)) = self.targets.get(target) {
            self.send(*to, &forward_request(msg, &via));
        }
    }

    /// A response to a request forwarded statelessly (our top Via, an `sl` branch): sent on
    /// to the next Via's address (18.2.2) without ours. False for any other message.
    pub fn relay_stateless(&self, msg: &Message<'_>) -> bool {
        if !msg.branch().is_some_and(|b| b.starts_with("z9hG4bKsl")) {
            return false;
        }
        let next = msg.headers("Via").flat_map(|v| v.split(',')).nth(1);
        if let Some(to) = next.and_then(via_address) {
            self.send(to, &forward_response(msg, &[]));
        }
        true
    }
}

/// A request forwarded to one target on its client transactions (RFC 3261 17.1): the INVITE
/// on an `InviteClient` (retransmitted on Timer A, timed out by Timer B, the ACK of a
/// non-2xx final and of each copy of it sent as the machine asks), its CANCEL (9.1) on a
/// `NonInviteClient` (retransmitted on Timer E).
#[derive(Debug)]
pub struct Leg {
    /// The target's number in [`Sockets::targets`].
    pub target: usize,
    invite: String,
    tx: InviteClient,
    /// Its user stopped it (a proxy's Timer C): no more retransmissions, no event.
    pub stopped: bool,
    /// The final response it passed up, as received.
    pub stored: Option<String>,
    /// The final response's To, for the ACK.
    to: String,
    cancel: Option<(String, NonInviteClient)>,
}

impl Leg {
    /// Sends `invite` to target `target` at `now`.
    pub fn send(now: Duration, io: &Sockets, target: usize, invite: String) -> Leg {
        let mut tx = InviteClient::new(now, Transport::Unreliable, super::timers());
        if !io.send_to_target(target, &invite) {
            tx.handle_transport_error(now);
        }
        let (to, stored, cancel, stopped) = (String::new(), None, None, false);
        Leg {
            target,
            invite,
            tx,
            stopped,
            stored,
            to,
            cancel,
        }
    }

    /// A response to the INVITE or the CANCEL (by its CSeq method): whether to pass it up.
    pub fn handle_response(&mut self, now: Duration, msg: &Message<'_>, code: RawCode) -> Deliver {
        if msg.cseq().is_some_and(|(_, method)| method == "CANCEL") {
            if let Some((_, tx)) = self.cancel.as_mut() {
                tx.handle_response(now, code);
            }
            return Deliver::Absorb;
        }
        let deliver = self.tx.handle_response(now, code);
        if deliver == Deliver::ToUser && code.class() != Class::Provisional {
            msg.header("To").unwrap_or("").clone_into(&mut self.to);
            self.stored = Some(msg.text.to_owned());
        }
        deliver
    }

    /// Sends the CANCEL of the INVITE (its To without the UAS's tag, 9.1).
    pub fn cancel(&mut self, now: Duration, io: &Sockets) {
        let Some(invite) = Message::parse(self.invite.as_bytes()) else {
            return;
        };
        let cancel = in_transaction(&invite, "CANCEL", invite.header("To").unwrap_or(""));
        io.send_to_target(self.target, &cancel);
        let tx = NonInviteClient::new(now, Transport::Unreliable, super::timers());
        self.cancel = Some((cancel, tx));
    }

    /// Time passed.
    pub fn handle_timeout(&mut self, now: Duration) {
        self.tx.handle_timeout(now);
        if let Some((_, tx)) = self.cancel.as_mut() {
            tx.handle_timeout(now);
        }
    }

    /// When to call [`Leg::handle_timeout`].
    pub fn poll_timeout(&self) -> Option<Duration> {
        let cancel = self.cancel.as_ref().and_then(|(_, tx)| tx.poll_timeout());
        super::earliest([self.tx.poll_timeout().filter(|_| !self.stopped), cancel])
    }

    /// Sends what the transactions ask for; what the INVITE's tells its user (a timeout, a
    /// transport error).
    pub fn poll(&mut self, now: Duration, io: &Sockets) -> Option<ClientEvent> {
        let text = match self.tx.poll_transmit() {
            Some(Transmit::Request) if !self.stopped => Some(self.invite.clone()),
            Some(Transmit::Ack) => {
                Message::parse(self.invite.as_bytes()).map(|m| in_transaction(&m, "ACK", &self.to))
            }
            _ => None,
        };
        if text.is_some_and(|t| !io.send_to_target(self.target, &t)) {
            self.tx.handle_transport_error(now);
        }
        if let Some((cancel, tx)) = self.cancel.as_mut() {
            if tx.poll_transmit().is_some() {
                io.send_to_target(self.target, cancel);
            }
        }
        self.tx.poll_event().filter(|_| !self.stopped)
    }

    /// The target refused a datagram: a transport error, if nothing answered yet.
    pub fn refused(&mut self, now: Duration) -> bool {
        let calling = self.tx.state() == InviteClientState::Calling;
        if calling {
            self.tx.handle_transport_error(now);
        }
        calling
    }

    /// Whether both transactions are over (or it was stopped).
    pub fn done(&self) -> bool {
        let over = self.stopped || self.tx.state() == InviteClientState::Terminated;
        let cancel = self.cancel.as_ref().map(|(_, tx)| tx.state());
        over && cancel.is_none_or(|s| s == NonInviteClientState::Terminated)
    }
}

/// The caller's INVITE on its server transaction (RFC 3261 17.2.1): the 100 at once, the last
/// provisional again for a retransmitted INVITE, a non-2xx final again on Timer G until the
/// ACK or Timer H.
#[derive(Debug)]
pub struct Caller {
    /// Where the INVITE came from.
    pub from: SocketAddr,
    /// The INVITE as received.
    pub invite: String,
    tx: InviteServer,
    /// The last response the transaction sent, to send again.
    last: String,
}

impl Caller {
    /// The INVITE `msg` from `from` arrived at `now`: 100 Trying goes back.
    pub fn trying(now: Duration, io: &Sockets, msg: &Message<'_>, from: SocketAddr) -> Caller {
        let mut tx = InviteServer::new(now, Transport::Unreliable, super::timers());
        let last = super::response(&StatusCode::Trying.into(), msg, None, &[], "");
        let _ = tx.send_response(now, StatusCode::Trying);
        io.send(from, &last);
        let invite = msg.text.to_owned();
        Caller {
            from,
            invite,
            tx,
            last,
        }
    }

    /// Sends `text`, a response with `code`; the transaction sends it again as it asks, unless
    /// it refuses it (a 2xx after a non-2xx final, which goes all the same).
    pub fn respond(&mut self, now: Duration, io: &Sockets, code: RawCode, text: String) {
        io.send(self.from, &text);
        if self.tx.send_response(now, code).is_ok() {
            self.last = text;
        }
    }

    /// A response of our own with `code` and To tag `tag`.
    pub fn generate(&self, code: StatusCode, tag: &str) -> Option<String> {
        let invite = Message::parse(self.invite.as_bytes())?;
        Some(super::response(&code.into(), &invite, Some(tag), &[], ""))
    }

    /// A retransmission of the INVITE arrived.
    pub fn handle_request(&mut self, now: Duration) {
        self.tx.handle_request(now);
    }

    /// The ACK of a non-2xx final arrived.
    pub fn handle_ack(&mut self, now: Duration) {
        let _ = self.tx.handle_ack(now);
    }

    /// Time passed.
    pub fn handle_timeout(&mut self, now: Duration) {
        self.tx.handle_timeout(now);
    }

    /// When to call [`Caller::handle_timeout`].
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.tx.poll_timeout()
    }

    /// Sends what the transaction asks for; what it tells its user (Timer H).
    pub fn poll(&mut self, io: &Sockets) -> Option<ServerEvent> {
        if self.tx.poll_transmit().is_some() {
            io.send(self.from, &self.last);
        }
        self.tx.poll_event()
    }

    /// Whether the transaction is over.
    pub fn done(&self) -> bool {
        self.tx.state() == InviteServerState::Terminated
    }
}

/// What a socket's reader thread hands the event loop: a datagram, or an ICMP error the
/// socket reported (a connected socket's peer refused an earlier datagram).
#[derive(Debug)]
pub enum Input {
    /// A datagram on socket number `socket` (its index in [`Inbox::new`]'s list).
    Datagram {
        socket: usize,
        data: Vec<u8>,
        from: SocketAddr,
    },
    /// Socket number `socket` reported "connection refused".
    Refused { socket: usize },
}

/// Every datagram of several sockets, in one queue that an event loop waits on with a
/// deadline: one blocking reader thread per socket, so nothing polls.
#[derive(Debug)]
pub struct Inbox {
    queue: Receiver<Input>,
}

impl Inbox {
    /// Starts a reader for each socket (they run for the life of the process).
    pub fn new(sockets: &[Arc<UdpSocket>]) -> Inbox {
        let (tx, queue) = mpsc::channel();
        for (index, socket) in sockets.iter().enumerate() {
            let (socket, tx) = (Arc::clone(socket), tx.clone());
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 65_535];
                loop {
                    let input = match socket.recv_from(&mut buf) {
                        Ok((n, from)) => Input::Datagram {
                            socket: index,
                            data: buf[..n].to_vec(),
                            from,
                        },
                        Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
                            Input::Refused { socket: index }
                        }
                        Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                        Err(_) => return,
                    };
                    if tx.send(input).is_err() {
                        return;
                    }
                }
            });
        }
        Inbox { queue }
    }

    /// The next input, waiting until `wake` on `clock` at most (`None`: as long as it
    /// takes). `None` when `wake` came first.
    pub fn recv(&self, clock: &Clock, wake: Option<Duration>) -> Option<Input> {
        match wake {
            Some(at) => self.queue.recv_timeout(clock.until(at)).ok(),
            None => self.queue.recv().ok(),
        }
    }
}

/// One proxied INVITE: the caller's server transaction, the response context, and a branch
/// with its client leg per target.
#[derive(Debug)]
pub struct Call {
    /// The caller's INVITE branch and Call-ID.
    pub key: String,
    /// The caller's server transaction.
    pub up: Caller,
    /// The response context (RFC 3261 16.7).
    pub cx: ResponseContext,
    /// A branch and its client leg per target, in the targets' order.
    pub forks: Vec<(Branch, Leg)>,
}

impl Call {
    /// Time passed, for every machine of the call.
    pub fn handle_timeout(&mut self, now: Duration) {
        self.up.handle_timeout(now);
        self.cx.handle_timeout(now);
        self.forks.iter_mut().for_each(|f| f.1.handle_timeout(now));
    }

    /// When [`Call::handle_timeout`] is due next.
    pub fn poll_timeout(&self) -> Option<Duration> {
        let own = [self.up.poll_timeout(), self.cx.poll_timeout()];
        super::earliest(
            own.into_iter()
                .chain(self.forks.iter().map(|f| f.1.poll_timeout())),
        )
    }

    /// Whether every machine of the call is over.
    pub fn done(&self) -> bool {
        self.up.done() && self.cx.is_complete() && self.forks.iter().all(|(_, leg)| leg.done())
    }
}
