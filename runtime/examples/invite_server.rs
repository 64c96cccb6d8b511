//! A queueing UAS (RFC 3261, Section 21.1) with reliable provisionals (RFC 3262): what a
//! server sends while it works on an INVITE.
//!
//! ```sh
//! cargo run --example invite_server -- 127.0.0.1:5062 [--once]
//! ```
//!
//! For each INVITE over UDP: `100 Trying` at once (RFC 3261 21.1.1: the answer will take more
//! than 200 ms), then `182 Queued` with a reason that counts the queue down in the form of
//! 21.1.4 ("2 calls queued; expected waiting time is 1 minute", then "1 call queued; ..."),
//! then `180 Ringing`, then `200 OK`, retransmitted until the ACK arrives (13.3.1.4). When the
//! INVITE carries `Supported: 100rel` or `Require: 100rel`, every provisional but the 100 goes
//! reliably (`Require: 100rel`, `RSeq`), retransmitted at T1 doubling until its PRACK, and
//! the next one waits for that PRACK; a PRACK gets 200, a stray one 481. A BYE is answered
//! with `200 OK`; with `--once` the server exits 0 after the first call's BYE.
//!
//! One event loop drives one state machine per INVITE (the RFC 3262 side is
//! `sip_responses::reliable::Uas`, sans-IO, told of every final response), so calls overlap,
//! and a call that fails (no PRACK 64*T1 after a reliable provisional was first sent: a 500;
//! no ACK within 64*T1) ends with a log line, not the server. Every status line comes from
//! [`Status`] or [`StatusCode::status_line`]. One line per message received or sent goes to
//! stdout.

use std::collections::HashMap;
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use sip_responses::reliable::{
    Body, PrackAnswer, RAck, RSeq, ReliableCode, Uas, UasEvent, REQUIRE_100REL,
};
use sip_responses::{Status, StatusCode, T1};

/// RFC 3261 Timer T2 (T1 is [`T1::DEFAULT`]).
const T2: Duration = Duration::from_secs(4);
/// How long the server pretends each queued call ahead takes (kept short for tests).
const QUEUE_STEP: Duration = Duration::from_millis(150);
/// Callers ahead in the queue when a call arrives.
const QUEUE: u32 = 2;

/// A request datagram: method, and the header fields a response copies.
struct Request<'a> {
    method: &'a str,
    head: &'a str,
}

impl<'a> Request<'a> {
    fn parse(datagram: &'a [u8]) -> Option<Self> {
        let text = std::str::from_utf8(datagram).ok()?;
        let head = text.split("\r\n\r\n").next()?;
        let method = head.split(' ').next()?;
        if method.is_empty() || method.starts_with("SIP/") {
            return None; // a response, not a request
        }
        Some(Request { method, head })
    }

    /// Every header field `name` (case-insensitive, full and compact forms), in order.
    fn headers(&self, name: &str, compact: &str) -> impl Iterator<Item = &'a str> + use<'a, '_> {
        let (name, compact) = (name.to_owned(), compact.to_owned());
        self.head.split("\r\n").skip(1).filter(move |h| {
            h.split_once(':').is_some_and(|(n, _)| {
                let n = n.trim();
                n.eq_ignore_ascii_case(&name) || n.eq_ignore_ascii_case(&compact)
            })
        })
    }

    fn header(&self, name: &str, compact: &str) -> &'a str {
        self.headers(name, compact)
            .next()
            .and_then(|h| h.split_once(':'))
            .map_or("", |(_, v)| v.trim())
    }

    /// A response to this request: the status line, then Via, From, To (with `to_tag`),
    /// Call-ID and CSeq copied (RFC 3261, Section 8.2.6.2).
    fn response(
        &self,
        status: &Status<'_, StatusCode>,
        to_tag: Option<&str>,
        local: SocketAddr,
        extra: &str,
    ) -> String {
        let mut out = String::new();
        status
            .write_status_line(&mut out)
            .expect("writing to a String cannot fail");
        for via in self.headers("Via", "v") {
            out.push_str(via);
            out.push_str("\r\n");
        }
        let to = self.header("To", "t");
        let tag = match to_tag {
            Some(tag) if !to.contains(";tag=") => format!(";tag={tag}"),
            _ => String::new(),
        };
        out.push_str(&format!(
            "From: {}\r\nTo: {to}{tag}\r\nCall-ID: {}\r\nCSeq: {}\r\n",
            self.header("From", "f"),
            self.header("Call-ID", "i"),
            self.header("CSeq", ""),
        ));
        if self.method == "INVITE" && to_tag.is_some() {
            out.push_str(&format!("Contact: <sip:queue@{local}>\r\n"));
        }
        out.push_str(extra);
        out.push_str("Content-Length: 0\r\n\r\n");
        out
    }

    /// Whether the request supports or requires reliable provisionals (RFC 3262: option tag
    /// `100rel` in `Supported`, compact `k`, or `Require`).
    fn wants_100rel(&self) -> bool {
        self.headers("Supported", "k")
            .chain(self.headers("Require", ""))
            .filter_map(|h| h.split_once(':'))
            .any(|(_, tags)| {
                tags.split(',')
                    .any(|t| t.trim().eq_ignore_ascii_case("100rel"))
            })
    }

    /// The CSeq number.
    fn cseq(&self) -> u32 {
        self.header("CSeq", "")
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }
}

/// The reason of the 182 sent when `ahead` calls are still ahead, in RFC 3261 21.1.4's form.
fn queue_reason(ahead: u32) -> String {
    let calls = if ahead == 1 { "call" } else { "calls" };
    let wait = (Duration::from_secs(30) * ahead).as_secs().div_ceil(60);
    let minutes = if wait == 1 { "minute" } else { "minutes" };
    format!("{ahead} {calls} queued; expected waiting time is {wait} {minutes}")
}

/// Where a call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Next: a 182 with `ahead` calls ahead.
    Queued(u32),
    /// Next: 180 Ringing.
    Ringing,
    /// Next: 200 OK.
    Answer,
    /// The 200 is out; retransmitted until the ACK.
    WaitAck,
    /// ACKed: only a BYE is left.
    Established,
}

/// One INVITE server transaction and the call it sets up: its own state machine, driven by
/// the event loop with the time and the datagrams for it.
struct Call {
    invite: String,
    peer: SocketAddr,
    number: u32,
    tag: String,
    step: Step,
    /// When the next step is due; `None` while a reliable provisional awaits its PRACK.
    due: Option<Instant>,
    /// RFC 3262's UAS side, when the INVITE asked for 100rel.
    reliable: Option<Uas<'static>>,
    /// The reliable provisional to retransmit.
    last_reliable: String,
    /// The 200 OK, its retransmission interval, next retransmission and when to give up.
    ok: Option<(String, Duration, Instant, Instant)>,
}

/// What a call asks of the loop after a step.
enum Outcome {
    Continue,
    Failed(String),
}

impl Call {
    fn request(&self) -> Result<Request<'_>, String> {
        Request::parse(self.invite.as_bytes()).ok_or_else(|| "the INVITE no longer parses".into())
    }

    /// The earliest time the call needs the loop again.
    fn wake(&self, start: Instant) -> Option<Instant> {
        let reliable = self
            .reliable
            .as_ref()
            .and_then(Uas::poll_timeout)
            .map(|d| start + d);
        let ok = self.ok.as_ref().map(|(_, _, next, _)| *next);
        [self.due, reliable, ok].into_iter().flatten().min()
    }

    /// Runs whatever is due at `now`.
    fn tick(&mut self, server: &Server, start: Instant, now: Instant) -> Result<Outcome, String> {
        if let Some(uas) = self.reliable.as_mut() {
            uas.handle_timeout(now - start);
            if let Some(retransmit) = uas.poll_transmit() {
                println!("retransmit RSeq {}", retransmit.rseq);
                server.send(&self.last_reliable, self.peer)?;
            }
            if let Some(UasEvent::GaveUp(rseq)) = uas.poll_event() {
                // RFC 3262 Section 3: reject the INVITE with a 5xx.
                let error = Status::from(StatusCode::ServerInternalError);
                let sent = uas.send_final(now - start, error.code());
                sent.map_err(|e| e.to_string())?;
                let reject = self.request()?;
                let reject = reject.response(&error, Some(&self.tag), server.local, "");
                server.send(&reject, self.peer)?;
                return Ok(Outcome::Failed(format!(
                    "no PRACK for RSeq {rseq} within 64*T1"
                )));
            }
        }
        if let Some((ok, interval, next, give_up)) = self.ok.as_mut() {
            if now >= *give_up {
                return Ok(Outcome::Failed("no ACK for the 200 OK within 64*T1".into()));
            }
            if now >= *next {
                server.send(ok, self.peer)?;
                *interval = (*interval * 2).min(T2);
                *next = now + *interval;
            }
        }
        if self.due.is_some_and(|due| now >= due) {
            self.step(server, start, now)?;
        }
        Ok(Outcome::Continue)
    }

    /// Sends `status` as the next provisional: reliably when the call uses 100rel (and waits
    /// for its PRACK), otherwise plainly (and the next step follows after `QUEUE_STEP`).
    fn provisional(
        &mut self,
        server: &Server,
        status: &Status<'_, StatusCode>,
        now_since_start: Duration,
        now: Instant,
    ) -> Result<(), String> {
        let request =
            Request::parse(self.invite.as_bytes()).ok_or("the INVITE no longer parses")?;
        match self.reliable.as_mut() {
            Some(uas) => {
                let code = ReliableCode::of(&status.code()).ok_or("a 100 is never reliable")?;
                let rseq = uas
                    .send_reliable(now_since_start, code, Body::Empty)
                    .map_err(|e| format!("reliable provisional: {e}"))?;
                let extra = format!("{REQUIRE_100REL}\r\n{}\r\n", rseq.header());
                let message = request.response(status, Some(&self.tag), server.local, &extra);
                server.send(&message, self.peer)?;
                self.last_reliable = message;
                self.due = None; // the next step waits for the PRACK
            }
            None => {
                let message = request.response(status, Some(&self.tag), server.local, "");
                server.send(&message, self.peer)?;
                self.due = Some(now + QUEUE_STEP);
            }
        }
        Ok(())
    }

    fn step(&mut self, server: &Server, start: Instant, now: Instant) -> Result<(), String> {
        let since = now - start;
        match self.step {
            Step::Queued(ahead) => {
                let reason = queue_reason(ahead);
                let queued = Status::with_reason(StatusCode::Queued, &reason)
                    .map_err(|e| format!("queue reason: {e}"))?;
                self.provisional(server, &queued, since, now)?;
                self.step = if ahead > 1 {
                    Step::Queued(ahead - 1)
                } else {
                    Step::Ringing
                };
            }
            Step::Ringing => {
                self.provisional(server, &Status::from(StatusCode::Ringing), since, now)?;
                self.step = Step::Answer;
            }
            Step::Answer => {
                let sent = self
                    .reliable
                    .as_mut()
                    .map(|uas| uas.send_final(since, StatusCode::Ok));
                if let Some(Err(_)) = sent {
                    self.due = None; // an offer is unacknowledged: wait for its PRACK
                    return Ok(());
                }
                let ok = self.request()?.response(
                    &Status::from(StatusCode::Ok),
                    Some(&self.tag),
                    server.local,
                    "",
                );
                server.send(&ok, self.peer)?;
                let t1 = T1::DEFAULT.get();
                self.ok = Some((ok, t1, now + t1, now + T1::DEFAULT.times(64)));
                self.step = Step::WaitAck;
                self.due = None;
            }
            Step::WaitAck | Step::Established => self.due = None,
        }
        Ok(())
    }
}

struct Server {
    socket: UdpSocket,
    local: SocketAddr,
}

impl Server {
    fn send(&self, message: &str, peer: SocketAddr) -> Result<(), String> {
        println!("sent {}", message.lines().next().unwrap_or(""));
        self.socket
            .send_to(message.as_bytes(), peer)
            .map(drop)
            .map_err(|e| format!("send failed: {e}"))
    }

    /// Waits up to `within` for a request; `None` on timeout.
    fn receive(
        &self,
        within: Duration,
        buf: &mut [u8],
    ) -> Result<Option<(usize, SocketAddr)>, String> {
        self.socket
            .set_read_timeout(Some(within.max(Duration::from_millis(1))))
            .map_err(|e| e.to_string())?;
        match self.socket.recv_from(buf) {
            Ok(got) => Ok(Some(got)),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(format!("receive failed: {e}")),
        }
    }
}

/// A first RSeq "chosen uniformly between 1 and 2**31 - 1" (RFC 3262, Section 3), from the
/// clock and the call number: enough for an example (a real server uses a random source).
fn initial_rseq(call: u32) -> RSeq {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mixed = nanos ^ call.wrapping_mul(2_654_435_761);
    RSeq::new(mixed % RSeq::MAX_INITIAL + 1).expect("1..=2^31-1")
}

fn run(local: SocketAddr, once: bool) -> Result<(), String> {
    let socket = UdpSocket::bind(local).map_err(|e| format!("cannot bind {local}: {e}"))?;
    let local = socket.local_addr().map_err(|e| e.to_string())?;
    let server = Server { socket, local };
    let start = Instant::now();
    let mut buf = vec![0u8; 65_535];
    let mut calls: HashMap<String, Call> = HashMap::new();
    let mut numbered = 0;
    loop {
        let now = Instant::now();
        let mut failed = Vec::new();
        for (id, call) in &mut calls {
            if let Outcome::Failed(why) = call.tick(&server, start, now)? {
                failed.push((id.clone(), call.number, why));
            }
        }
        for (id, number, why) in failed {
            println!("call {number} failed: {why}");
            calls.remove(&id);
        }
        let wake = calls.values().filter_map(|c| c.wake(start)).min();
        let within = wake.map_or(Duration::from_secs(3600), |w| {
            w.saturating_duration_since(Instant::now())
        });
        let Some((n, peer)) = server.receive(within, &mut buf)? else {
            continue;
        };
        let Some(request) = Request::parse(&buf[..n]) else {
            continue;
        };
        println!("received {}", request.head.lines().next().unwrap_or(""));
        let call_id = request.header("Call-ID", "i").to_owned();
        let now = Instant::now();
        match request.method {
            "INVITE" if calls.contains_key(&call_id) => {} // a retransmission
            "INVITE" => {
                numbered += 1;
                let trying = request.response(&Status::from(StatusCode::Trying), None, local, "");
                server.send(&trying, peer)?;
                let (first, cseq) = (initial_rseq(numbered), request.cseq());
                let reliable = request.wants_100rel();
                let reliable = reliable.then(|| Uas::new(first, cseq, "INVITE", T1::DEFAULT));
                let reliable = reliable.transpose().map_err(|e| e.to_string())?;
                let call = Call {
                    invite: String::from_utf8_lossy(&buf[..n]).into_owned(),
                    peer,
                    number: numbered,
                    tag: format!("q{numbered}"),
                    step: Step::Queued(QUEUE),
                    due: Some(now + QUEUE_STEP),
                    reliable,
                    last_reliable: String::new(),
                    ok: None,
                };
                calls.insert(call_id, call);
            }
            "PRACK" => {
                let rack = RAck::parse(request.header("RAck", ""));
                let answer = match (calls.get_mut(&call_id), rack) {
                    (Some(call), Ok(rack)) => match call.reliable.as_mut() {
                        Some(uas) => {
                            let answer = uas.handle_prack(now - start, &rack);
                            if answer == PrackAnswer::Ok && call.step != Step::WaitAck {
                                call.due = Some(now + QUEUE_STEP);
                            }
                            answer.code()
                        }
                        None => StatusCode::CallTransactionDoesNotExist,
                    },
                    _ => StatusCode::CallTransactionDoesNotExist,
                };
                server.send(
                    &request.response(&Status::from(answer), None, local, ""),
                    peer,
                )?;
            }
            "ACK" => {
                if let Some(call) = calls.get_mut(&call_id) {
                    call.ok = None;
                    call.step = Step::Established;
                }
            }
            "BYE" => {
                server.send(
                    &request.response(&Status::from(StatusCode::Ok), None, local, ""),
                    peer,
                )?;
                calls.remove(&call_id);
                if once {
                    return Ok(());
                }
            }
            _ => {
                let not_allowed = Status::from(StatusCode::MethodNotAllowed);
                server.send(&request.response(&not_allowed, Some("x"), local, ""), peer)?;
            }
        }
    }
}
fn main() -> ExitCode {
    let mut address = None;
    let mut once = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--once" => once = true,
            _ if address.is_none() => address = Some(arg),
            _ => address = None,
        }
    }
    let Some(address) = address else {
        eprintln!("usage: invite_server <address to listen on, e.g. 127.0.0.1:5062> [--once]");
        return ExitCode::from(2);
    };
    let local: SocketAddr = match address.parse() {
        Ok(local) => local,
        Err(e) => {
            eprintln!("error: `{address}` is not a socket address: {e}");
            return ExitCode::from(2);
        }
    };
    match run(local, once) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
