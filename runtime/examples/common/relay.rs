//! What a relay adds to the plumbing (the forking_proxy example): requests forwarded with a
//! Via on top, responses with theirs removed, the ACK and CANCEL of a forwarded INVITE, the
//! address a response goes back to, one reader thread per socket feeding one event loop,
//! and a timer queue so that the loop sleeps until the earliest machine's `poll_timeout`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

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
    extra.iter().for_each(|h| line(&mut out, h));
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
            Some(at) => match self.queue.recv_timeout(clock.until(at)) {
                Ok(input) => Some(input),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
            },
            None => self.queue.recv().ok(),
        }
    }
}

/// Deadlines of many machines in one heap: `set` when a key's earliest `poll_timeout`
/// changes, `due` hands out what has come. Entries are not removed: the caller skips a key
/// whose deadline moved (it compares with the deadline it last set).
#[derive(Debug)]
pub struct Schedule<K> {
    heap: BinaryHeap<Reverse<(Duration, K)>>,
}

impl<K: Ord + Copy> Schedule<K> {
    /// An empty schedule.
    pub fn new() -> Self {
        Schedule {
            heap: BinaryHeap::new(),
        }
    }

    /// `key` wants to wake at `at`.
    pub fn set(&mut self, at: Duration, key: K) {
        self.heap.push(Reverse((at, key)));
    }

    /// The earliest deadline.
    pub fn next(&self) -> Option<Duration> {
        self.heap.peek().map(|Reverse((at, _))| *at)
    }

    /// A deadline that has come by `now`, with its key.
    pub fn due(&mut self, now: Duration) -> Option<(Duration, K)> {
        if self.next()? > now {
            return None;
        }
        self.heap.pop().map(|Reverse(entry)| entry)
    }
}
