//! The message plumbing the examples share (not an example: cargo builds only
//! `examples/*.rs` and `examples/*/main.rs`). Each example takes it with
//! `#[path = "common/mod.rs"] mod common;`.
//!
//! Just enough SIP text handling for the examples to drive the sans-IO machines: a datagram
//! split into its start line, header fields and body; a header field by name (full or
//! compact form); requests and responses built as text; identifiers unique per run; a clock
//! for the machines' `now`; a UDP socket that waits for a datagram until the machines' next
//! `poll_timeout`. Nothing here unwraps what came off the wire.

// Each example uses part of this module.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::hash::{BuildHasher, RandomState};
use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use sip_responses::reliable::RSeq;
use sip_responses::transaction::{
    FinalCode, NonInviteResponse, NonInviteServer, NonInviteServerState, Timers, Transport,
};
use sip_responses::{Status, StatusCode, StatusLine, T1};
pub mod relay;
pub mod timed;
pub mod uac;
pub mod uas;

/// The compact form of a header field name (RFC 3261 7.3.3 and the registry), if it has one.
pub fn compact(name: &str) -> Option<&'static str> {
    const FORMS: [(&str, &str); 11] = [
        ("Via", "v"),
        ("From", "f"),
        ("To", "t"),
        ("Call-ID", "i"),
        ("Contact", "m"),
        ("Content-Length", "l"),
        ("Content-Type", "c"),
        ("Supported", "k"),
        ("Subject", "s"),
        ("Content-Encoding", "e"),
        ("Event", "o"),
    ];
    FORMS
        .iter()
        .find(|(full, _)| full.eq_ignore_ascii_case(name))
        .map(|(_, short)| *short)
}

/// Whether the header field line `line` (`Name: value`) is a `name` field, in its full or
/// compact form, case-insensitively.
pub fn field_is(line: &str, name: &str) -> bool {
    line.split_once(':').is_some_and(|(n, _)| {
        let n = n.trim();
        n.eq_ignore_ascii_case(name) || compact(name).is_some_and(|c| n.eq_ignore_ascii_case(c))
    })
}

/// One SIP message from a datagram: its start line, its header field lines (unfolded
/// continuation lines are joined to nothing: the examples' peers do not fold) and its body.
#[derive(Debug, Clone)]
pub struct Message<'a> {
    /// The whole datagram as text.
    pub text: &'a str,
    /// The request line or status line, without CRLF.
    pub first: &'a str,
    /// Every header field line, in order, without CRLF.
    pub headers: Vec<&'a str>,
    /// What follows the empty line.
    pub body: &'a str,
}

impl<'a> Message<'a> {
    /// The message in `datagram`, if it is UTF-8 and has a start line.
    pub fn parse(datagram: &'a [u8]) -> Option<Self> {
        let text = std::str::from_utf8(datagram).ok()?;
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text, ""));
        let mut lines = head.split("\r\n");
        let first = lines.next().filter(|l| !l.is_empty())?;
        Some(Message {
            text,
            first,
            headers: lines.filter(|l| !l.is_empty()).collect(),
            body,
        })
    }

    /// The method of a request; `None` for a response.
    pub fn method(&self) -> Option<&'a str> {
        let method = self.first.split(' ').next()?;
        (!method.is_empty() && !method.starts_with("SIP/")).then_some(method)
    }

    /// The Request-URI of a request.
    pub fn request_uri(&self) -> Option<&'a str> {
        self.method()?;
        self.first.split(' ').nth(1)
    }

    /// The status line of a response; `None` for a request or a malformed status line.
    pub fn status(&self) -> Option<StatusLine<'a>> {
        StatusLine::parse(self.text.as_bytes()).ok()
    }

    /// The value of every `name` field (full or compact form), in order.
    pub fn headers<'n>(&self, name: &'n str) -> impl Iterator<Item = &'a str> + use<'a, 'n, '_> {
        self.headers
            .iter()
            .filter(move |h| field_is(h, name))
            .filter_map(|h| Some(h.split_once(':')?.1.trim()))
    }

    /// The value of the first `name` field.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers(name).next()
    }

    /// The CSeq number and method.
    pub fn cseq(&self) -> Option<(u32, &'a str)> {
        let mut parts = self.header("CSeq")?.split_whitespace();
        Some((parts.next()?.parse().ok()?, parts.next()?))
    }

    /// The Call-ID.
    pub fn call_id(&self) -> Option<&'a str> {
        self.header("Call-ID")
    }

    /// The `branch` of the top Via.
    pub fn branch(&self) -> Option<&'a str> {
        let top = self.header("Via")?.split(',').next()?;
        param(top, "branch")
    }

    /// Whether any `name` field (`Supported`, `Require`) lists option tag `option`.
    pub fn has_option(&self, name: &str, option: &str) -> bool {
        self.headers(name)
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(option))
    }
}

/// The value of parameter `name` in a header field value (`;tag=`, `;branch=`).
pub fn param<'a>(value: &'a str, name: &str) -> Option<&'a str> {
    value.split(';').skip(1).find_map(|p| {
        let (n, v) = p.split_once('=')?;
        n.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().split(',').next().unwrap_or("").trim())
    })
}

/// The `tag` parameter of a From or To value.
pub fn tag(value: &str) -> Option<&str> {
    param(value, "tag")
}

/// The URI of a name-addr (`"Bob" <sip:bob@host>;tag=1`) or addr-spec (`sip:bob@host;x`).
pub fn uri(value: &str) -> &str {
    match value.split_once('<') {
        Some((_, rest)) => rest.split('>').next().unwrap_or(rest),
        None => value.split(';').next().unwrap_or(value).trim(),
    }
}

/// A request: the request line, `headers` in order, `Content-Length` and the body.
pub fn request(method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut out = format!("{method} {uri} SIP/2.0\r\n");
    for (name, value) in headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    let _ = write!(out, "Content-Length: {}\r\n\r\n{body}", body.len());
    out
}

/// A response to `request` (RFC 3261 8.2.6.2): the status line, every Via, From, To (with
/// `to_tag` added when the To has none), Call-ID and CSeq copied, then `headers`,
/// `Content-Length` and the body.
pub fn response(
    status: &Status<'_, StatusCode>,
    request: &Message<'_>,
    to_tag: Option<&str>,
    headers: &[(&str, &str)],
    body: &str,
) -> String {
    let mut out = String::new();
    // Writing to a String does not fail.
    let _ = status.write_status_line(&mut out);
    for via in request.headers("Via") {
        let _ = write!(out, "Via: {via}\r\n");
    }
    let to = request.header("To").unwrap_or("");
    let added = match to_tag {
        Some(t) if tag(to).is_none() => format!(";tag={t}"),
        _ => String::new(),
    };
    let _ = write!(
        out,
        "From: {}\r\nTo: {to}{added}\r\nCall-ID: {}\r\nCSeq: {}\r\n",
        request.header("From").unwrap_or(""),
        request.call_id().unwrap_or(""),
        request.header("CSeq").unwrap_or(""),
    );
    for (name, value) in headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    let _ = write!(out, "Content-Length: {}\r\n\r\n{body}", body.len());
    out
}

/// A token unique across runs and within one: the wall clock, the pid and a counter, hashed
/// with a per-process random key (hex).
pub fn unique() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let hash = RandomState::new().hash_one((SystemTime::now(), std::process::id(), n));
    format!("{hash:016x}")
}

/// A Via branch (RFC 3261 8.1.1.7: starts with the magic cookie `z9hG4bK`).
pub fn new_branch() -> String {
    format!("z9hG4bK{}", unique())
}

/// A From or To tag (19.3: globally unique, random).
pub fn new_tag() -> String {
    unique()
}

/// A Call-ID (8.1.1.4: globally unique) at `local`'s host.
pub fn new_call_id(local: SocketAddr) -> String {
    format!("{}@{}", unique(), local.ip())
}

/// A first RSeq "chosen uniformly between 1 and 2**31 - 1" (RFC 3262, Section 3), from the
/// per-run random token: enough for an example (a real server uses a random source).
pub fn initial_rseq() -> Option<RSeq> {
    let n = u64::from_str_radix(&unique(), 16).ok()?;
    RSeq::new(u32::try_from(n % u64::from(RSeq::MAX_INITIAL)).ok()? + 1)
}

/// The machines' `now`: the time since an epoch picked when the clock was made.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    epoch: Instant,
}

impl Clock {
    /// A clock whose epoch is now.
    pub fn new() -> Self {
        Clock {
            epoch: Instant::now(),
        }
    }

    /// The time since the epoch.
    pub fn now(&self) -> Duration {
        self.epoch.elapsed()
    }

    /// How long until `at` (zero if it passed).
    pub fn until(&self, at: Duration) -> Duration {
        at.saturating_sub(self.now())
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::new()
    }
}

/// The earliest of some `poll_timeout`s.
pub fn earliest(times: impl IntoIterator<Item = Option<Duration>>) -> Option<Duration> {
    times.into_iter().flatten().min()
}

/// A UDP socket with its local address, for one event loop.
#[derive(Debug)]
pub struct Udp {
    /// The socket.
    pub socket: UdpSocket,
    /// Its address (the port the system picked, for a bind to port 0).
    pub local: SocketAddr,
}

impl Udp {
    /// A socket bound to `addr`, with a receive buffer of up to 4 MB: the default (208 KB on
    /// Linux) overflows under a burst of a thousand calls a second, and a datagram the kernel
    /// drops is one the peer must retransmit.
    pub fn bind(addr: SocketAddr) -> Result<Udp, String> {
        let socket = UdpSocket::bind(addr).map_err(|e| format!("cannot bind {addr}: {e}"))?;
        // Best effort: the system caps it (net.core.rmem_max), and a smaller one still works.
        let _ = socket2::SockRef::from(&socket).set_recv_buffer_size(4 << 20);
        let local = socket.local_addr().map_err(|e| e.to_string())?;
        Ok(Udp { socket, local })
    }

    /// A socket on a free port for talking to `peer`: on the loopback address for a loopback
    /// peer (a test's traffic never leaves the machine), on every address otherwise.
    pub fn bind_towards(peer: SocketAddr) -> Result<Udp, String> {
        let ip: IpAddr = match (peer.ip().is_loopback(), peer.is_ipv4()) {
            (true, true) => Ipv4Addr::LOCALHOST.into(),
            (true, false) => Ipv6Addr::LOCALHOST.into(),
            (false, true) => Ipv4Addr::UNSPECIFIED.into(),
            (false, false) => Ipv6Addr::UNSPECIFIED.into(),
        };
        Udp::bind(SocketAddr::new(ip, 0))
    }

    /// Sends `text` to `to`.
    pub fn send(&self, to: SocketAddr, text: &str) -> Result<(), String> {
        self.socket
            .send_to(text.as_bytes(), to)
            .map(drop)
            .map_err(|e| format!("send to {to} failed: {e}"))
    }

    /// Waits for a datagram until `wake` on `clock` (a machine's `poll_timeout`; `None`:
    /// no timer runs, wait as long as it takes). `None` when `wake` came first: call the
    /// machines' `handle_timeout`.
    pub fn recv<'b>(
        &self,
        buf: &'b mut [u8],
        clock: &Clock,
        wake: Option<Duration>,
    ) -> Result<Option<(&'b [u8], SocketAddr)>, String> {
        let wait = match wake {
            Some(at) => {
                let wait = clock.until(at);
                if wait.is_zero() {
                    return Ok(None);
                }
                // The kernel may stretch a socket timeout by up to an eighth of it (its timer
                // wheel's granularity), which can carry a 3 s wait past a later deadline:
                // ask for seven eighths and come back for the rest, which converges on `at`.
                Some(wait.saturating_sub(wait / 8))
            }
            None => None,
        };
        self.socket
            .set_read_timeout(wait)
            .map_err(|e| e.to_string())?;
        match self.socket.recv_from(buf) {
            Ok((n, from)) => Ok(Some((&buf[..n], from))),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Ok(None),
            // An ICMP port unreachable for an earlier datagram (Linux reports it here): not
            // this loop's business, the machines' timers handle a silent peer.
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => Ok(None),
            Err(e) => Err(format!("receive failed: {e}")),
        }
    }
}

/// An example's command line: socket addresses, `--flag`s and `--option VALUE`s. Every
/// example also takes `--t1 MS` ([`timers`]).
#[derive(Debug, Clone)]
pub struct Args {
    /// At least one (exactly one unless the example takes more).
    addresses: Vec<SocketAddr>,
    flags: Vec<String>,
    options: Vec<(String, String)>,
}

impl Args {
    /// The process's arguments, given the `flags` and `options` the example knows and whether
    /// it takes `many` addresses; on a mistake, prints it and `usage` and returns exit code 2.
    pub fn parse(
        usage: &str,
        flags: &[&str],
        options: &[&str],
        many: bool,
    ) -> Result<Args, ExitCode> {
        let fail = |why: String| {
            eprintln!("error: {why}\nusage: {usage}");
            ExitCode::from(2)
        };
        let (mut addresses, mut found, mut values) = (Vec::new(), Vec::new(), Vec::new());
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            if flags.contains(&arg.as_str()) {
                found.push(arg);
            } else if options.contains(&arg.as_str()) || arg == "--t1" {
                let value = args
                    .next()
                    .ok_or_else(|| fail(format!("{arg} needs a value")))?;
                values.push((arg, value));
            } else if arg.starts_with("--") || (!many && !addresses.is_empty()) {
                return Err(fail(format!("unexpected `{arg}`")));
            } else {
                let parsed = arg.parse();
                addresses.push(parsed.map_err(|e| fail(format!("`{arg}`: {e}")))?);
            }
        }
        if addresses.is_empty() {
            return Err(fail("no address".into()));
        }
        let args = Args {
            addresses,
            flags: found,
            options: values,
        };
        let t1 = args.option("--t1", 500).map_err(fail)?;
        let t1 = T1::new(Duration::from_millis(t1))
            .ok_or_else(|| fail("--t1 0: T1 is never zero".into()))?;
        // T2 and T4 keep RFC 3261's ratios to T1 (4 s and 5 s to 500 ms).
        let timers = Timers::new(t1, t1.get() * 8, t1.get() * 10).unwrap_or_default();
        TIMERS.get_or_init(|| timers);
        Ok(args)
    }

    /// The first address.
    pub fn address(&self) -> SocketAddr {
        self.addresses[0] // `parse` refuses a command line without one
    }

    /// The addresses after the first.
    pub fn rest(&self) -> &[SocketAddr] {
        &self.addresses[1..]
    }

    /// Whether `--flag` was given.
    pub fn flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }

    /// The value of `--option`, parsed; `default` when it was not given.
    pub fn option<T: std::str::FromStr>(&self, option: &str, default: T) -> Result<T, String>
    where
        T::Err: std::fmt::Display,
    {
        match self.options.iter().rev().find(|(o, _)| o == option) {
            Some((_, v)) => v.parse().map_err(|e| format!("{option} {v}: {e}")),
            None => Ok(default),
        }
    }
}

/// The timers every example's machines run on: RFC 3261's defaults, or `--t1 MS` with T2 and
/// T4 scaled to it (every example takes it, so a test sees every timer fire in seconds).
static TIMERS: OnceLock<Timers> = OnceLock::new();

/// The timers of this run (see [`TIMERS`]).
pub fn timers() -> Timers {
    TIMERS.get().copied().unwrap_or_default()
}

/// The exit code of an example's run: 0, or 1 with the error on stderr.
pub fn exit(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The non-INVITE server transactions of a UAS (RFC 3261 17.2.2), by the request's branch:
/// each request is answered once with a final response, which goes again for each
/// retransmission of the request until Timer J ends the transaction.
#[derive(Debug, Default)]
pub struct NonInviteServers {
    by_branch: timed::Timed<String, (NonInviteServer, SocketAddr, String)>,
}

impl NonInviteServers {
    /// A request with `branch` arrived at `now`: `true` if it is a retransmission, which its
    /// transaction answers again at once.
    ///
    /// # Errors
    /// The socket's, as text.
    pub fn retransmitted(
        &mut self,
        udp: &Udp,
        now: Duration,
        branch: &str,
    ) -> Result<bool, String> {
        let Some((tx, peer, response)) = self.by_branch.get_mut(branch) else {
            return Ok(false);
        };
        tx.handle_request(now);
        while tx.poll_transmit().is_some() {
            udp.send(*peer, response)?;
        }
        Ok(true)
    }

    /// Answers the request with `branch` from `peer` at `now`: `response`, whose code is
    /// `code` (a final one), sent now.
    pub fn answer(
        &mut self,
        udp: &Udp,
        now: Duration,
        (branch, peer): (&str, SocketAddr),
        code: StatusCode,
        response: String,
    ) -> Result<(), String> {
        let mut tx = NonInviteServer::new(now, Transport::Unreliable, timers());
        let code = FinalCode::new(code).ok_or("a provisional is no answer")?;
        tx.send_response(now, NonInviteResponse::Final(code))
            .map_err(|e| e.to_string())?;
        udp.send(peer, &response)?;
        let (branch, at) = (branch.to_owned(), tx.poll_timeout());
        self.by_branch.insert(branch.clone(), (tx, peer, response));
        self.by_branch.wake_at(&branch, at);
        Ok(())
    }

    /// Time passed: the transactions that are due run their timers, and ended ones are
    /// forgotten.
    ///
    /// # Errors
    /// The socket's, as text.
    pub fn tick(&mut self, udp: &Udp, now: Duration) -> Result<(), String> {
        while let Some(branch) = self.by_branch.due(now) {
            let Some((tx, peer, response)) = self.by_branch.get_mut(&branch) else {
                continue;
            };
            tx.handle_timeout(now);
            while tx.poll_transmit().is_some() {
                udp.send(*peer, response)?;
            }
            if tx.state() == NonInviteServerState::Terminated {
                self.by_branch.remove(&branch);
            } else {
                let at = tx.poll_timeout();
                self.by_branch.wake_at(&branch, at);
            }
        }
        Ok(())
    }

    /// When [`Self::tick`] is due next.
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.by_branch.next()
    }
}
