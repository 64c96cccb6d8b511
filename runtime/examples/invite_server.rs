//! A queueing UAS (RFC 3261, Section 21.1): what a server sends while it works on an INVITE.
//!
//! ```sh
//! cargo run --example invite_server -- 127.0.0.1:5062 [--once]
//! ```
//!
//! For each INVITE over UDP: `100 Trying` at once (RFC 3261 21.1.1: the answer will take more
//! than 200 ms), then `182 Queued` with a reason that counts the queue down in the form of
//! 21.1.4 ("2 calls queued; expected waiting time is 1 minute", then "1 call queued; ..."),
//! then `180 Ringing`, then `200 OK`, retransmitted until the ACK arrives (13.3.1.4). A BYE is
//! answered with `200 OK`; with `--once` the server exits 0 after the first call's BYE. Every
//! status line comes from [`Status`] or [`StatusCode::status_line`]. One line per message
//! received or sent goes to stdout.

use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use sip_responses::{Status, StatusCode};

/// RFC 3261 Timers T1 and T2.
const T1: Duration = Duration::from_millis(500);
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
        out.push_str("Content-Length: 0\r\n\r\n");
        out
    }
}

/// The reason of the 182 sent when `ahead` calls are still ahead, in RFC 3261 21.1.4's form.
fn queue_reason(ahead: u32) -> String {
    let calls = if ahead == 1 { "call" } else { "calls" };
    let wait = (Duration::from_secs(30) * ahead).as_secs().div_ceil(60);
    let minutes = if wait == 1 { "minute" } else { "minutes" };
    format!("{ahead} {calls} queued; expected waiting time is {wait} {minutes}")
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

    /// Works through one INVITE: 100, the queue's 182s, 180, then 200 until the ACK.
    fn invite(&self, invite: &Request<'_>, peer: SocketAddr, call: u32) -> Result<(), String> {
        let tag = format!("q{call}");
        self.send(
            &invite.response(&Status::from(StatusCode::Trying), None, self.local),
            peer,
        )?;
        for ahead in (1..=QUEUE).rev() {
            std::thread::sleep(QUEUE_STEP);
            let reason = queue_reason(ahead);
            let queued = Status::with_reason(StatusCode::Queued, &reason)
                .map_err(|e| format!("queue reason: {e}"))?;
            self.send(&invite.response(&queued, Some(&tag), self.local), peer)?;
        }
        std::thread::sleep(QUEUE_STEP);
        self.send(
            &invite.response(&Status::from(StatusCode::Ringing), Some(&tag), self.local),
            peer,
        )?;
        std::thread::sleep(QUEUE_STEP);
        let ok = invite.response(&Status::from(StatusCode::Ok), Some(&tag), self.local);
        // RFC 3261 13.3.1.4: retransmit the 2xx, T1 doubling up to T2, until the ACK; give
        // up after 64*T1.
        let give_up = Instant::now() + T1 * 64;
        let mut interval = T1;
        let mut buf = vec![0u8; 65_535];
        self.send(&ok, peer)?;
        while Instant::now() < give_up {
            let next = Instant::now() + interval;
            while let Some((n, from)) =
                self.receive(next.saturating_duration_since(Instant::now()), &mut buf)?
            {
                let Some(request) = Request::parse(&buf[..n]) else {
                    continue;
                };
                println!("received {}", request.head.lines().next().unwrap_or(""));
                if request.method == "ACK" {
                    return Ok(());
                }
                if request.method == "INVITE" {
                    self.send(&ok, from)?; // a retransmitted INVITE gets the 2xx again
                }
            }
            self.send(&ok, peer)?;
            interval = (interval * 2).min(T2);
        }
        Err("no ACK for the 200 OK within 64*T1".into())
    }
}

fn run(local: SocketAddr, once: bool) -> Result<(), String> {
    let socket = UdpSocket::bind(local).map_err(|e| format!("cannot bind {local}: {e}"))?;
    let local = socket.local_addr().map_err(|e| e.to_string())?;
    let server = Server { socket, local };
    let mut buf = vec![0u8; 65_535];
    let mut calls = 0;
    loop {
        let Some((n, peer)) = server.receive(Duration::from_secs(3600), &mut buf)? else {
            continue;
        };
        let datagram = buf[..n].to_vec();
        let Some(request) = Request::parse(&datagram) else {
            continue;
        };
        println!("received {}", request.head.lines().next().unwrap_or(""));
        match request.method {
            "INVITE" => {
                calls += 1;
                server.invite(&request, peer, calls)?;
            }
            "BYE" => {
                server.send(
                    &request.response(&Status::from(StatusCode::Ok), None, local),
                    peer,
                )?;
                if once {
                    return Ok(());
                }
            }
            "ACK" => {}
            _ => {
                let not_allowed = Status::from(StatusCode::MethodNotAllowed);
                server.send(&request.response(&not_allowed, Some("x"), local), peer)?;
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
