//! An INVITE client transaction (RFC 3261, Section 17.1.1) built on `ResponseHandler`.
//!
//! ```sh
//! cargo run --example invite_client -- 127.0.0.1:5060 [--100rel]
//! ```
//!
//! Sends an INVITE over UDP, handles every response through the handler trait (so an unknown
//! code is treated as RFC 3261 Section 8.1.3.2 says), ACKs the final response, and sends BYE
//! after a 2xx. Prints one line per response: the status line as received, `->`, and the
//! handler method that ran. Exits non-zero on a timeout or a malformed response.
//!
//! With `--100rel` the INVITE says `Supported: 100rel` (RFC 3262), and every provisional goes
//! through `sip_responses::reliable::Uac` with its code and its `RSeq` (if it has `Require:
//! 100rel`), one UAC per early dialog: a new reliable one is dispatched once and PRACKed with
//! the RAck the UAC builds; a 100 is never PRACKed; a retransmission is neither dispatched nor
//! PRACKed again; one after a gap is neither dispatched nor PRACKed (printed as out of order).
//! The ACK takes the INVITE's CSeq number; the BYE a number above every PRACK's. Call-ID,
//! From tag and branch differ on every run.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use sip_responses::reliable::{RSeq, Received, Uac};
use sip_responses::{ResponseHandler, StatusCode, StatusLine};

/// RFC 3261 Timer T1.
const T1: Duration = Duration::from_millis(500);

/// What the transaction does after a response was handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// 1xx: stay in (or move to) Proceeding.
    Proceed,
    /// 2xx: the transaction ends; the TU ACKs and later sends BYE.
    Accepted,
    /// 300-699: Completed; the transaction ACKs.
    Rejected,
}

/// The handler: the method that ran, and what the transaction does next.
struct InviteClient;

type Handled = (&'static str, Next);

macro_rules! handle {
    ($($method:ident => $next:ident,)*) => {
        $(fn $method(&mut self, _: &[u8]) -> Handled { (stringify!($method), Next::$next) })*
    };
}

impl ResponseHandler<&[u8]> for InviteClient {
    type Output = Handled;
    // Required: every provisional code and each class's x00.
    handle! {
        on_trying => Proceed,
        on_ringing => Proceed,
        on_call_is_being_forwarded => Proceed,
        on_queued => Proceed,
        on_session_progress => Proceed,
        on_early_dialog_terminated => Proceed,
        on_ok => Accepted,
        on_multiple_choices => Rejected,
        on_bad_request => Rejected,
        on_server_internal_error => Rejected,
        on_busy_everywhere => Rejected,
    }
    // Optional: a client that cares about busy says so; every other final code falls back.
    handle! {
        on_busy_here => Rejected,
    }
}

/// One response datagram: its status line, and the header fields the client needs.
struct Response<'a> {
    line: StatusLine<'a>,
    text: &'a str,
}

impl<'a> Response<'a> {
    fn parse(datagram: &'a [u8]) -> Result<Self, String> {
        let line =
            StatusLine::parse(datagram).map_err(|e| format!("malformed status line: {e}"))?;
        let text =
            std::str::from_utf8(datagram).map_err(|e| format!("response is not UTF-8: {e}"))?;
        Ok(Response { line, text })
    }

    /// The first header field `name` (case-insensitive; compact forms are not needed here).
    fn header(&self, name: &str) -> Option<&'a str> {
        let head = self.text.split("\r\n\r\n").next().unwrap_or("");
        head.split("\r\n").skip(1).find_map(|h| {
            let (n, v) = h.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn status(&self) -> String {
        format!("{} {}", self.line.code(), self.line.reason())
    }
}

struct Dialog {
    socket: UdpSocket,
    peer: SocketAddr,
    local: SocketAddr,
    call_id: String,
    from_tag: String,
    branch: String,
}

impl Dialog {
    fn request(
        &self,
        method: &str,
        uri: &str,
        branch: &str,
        cseq: u32,
        to: &str,
        body: &str,
    ) -> String {
        self.request_with(method, uri, branch, cseq, to, body, "")
    }

    /// [`Self::request`] with `extra` header fields (each ending in CRLF).
    #[allow(clippy::too_many_arguments)]
    fn request_with(
        &self,
        method: &str,
        uri: &str,
        branch: &str,
        cseq: u32,
        to: &str,
        body: &str,
        extra: &str,
    ) -> String {
        let content_type = if body.is_empty() {
            ""
        } else {
            "Content-Type: application/sdp\r\n"
        };
        format!(
            "{method} {uri} SIP/2.0\r\n\
             Via: SIP/2.0/UDP {local};branch={branch};rport\r\n\
             Max-Forwards: 70\r\n\
             From: <sip:client@{local}>;tag={tag}\r\n\
             To: {to}\r\n\
             Call-ID: {call_id}\r\n\
             CSeq: {cseq} {method}\r\n\
             Contact: <sip:client@{local}>\r\n\
             {extra}{content_type}Content-Length: {len}\r\n\r\n{body}",
            local = self.local,
            tag = self.from_tag,
            call_id = self.call_id,
            len = body.len(),
        )
    }

    fn send(&self, message: &str) -> Result<(), String> {
        self.socket
            .send_to(message.as_bytes(), self.peer)
            .map(drop)
            .map_err(|e| format!("send failed: {e}"))
    }

    /// Receives until `deadline`, resending `retransmit` on Timer A/E (T1, doubling, capped at 4 s).
    fn receive(
        &self,
        buf: &mut [u8],
        deadline: Instant,
        retransmit: Option<&str>,
        next_resend: &mut Instant,
        interval: &mut Duration,
    ) -> Result<usize, String> {
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Err("timed out waiting for a response".into());
            }
            if let Some(message) = retransmit {
                if now >= *next_resend {
                    self.send(message)?;
                    *interval = (*interval * 2).min(Duration::from_secs(4));
                    *next_resend = now + *interval;
                }
            }
            let wait = deadline
                .min(*next_resend)
                .saturating_duration_since(now)
                .max(Duration::from_millis(10));
            self.socket
                .set_read_timeout(Some(wait))
                .map_err(|e| e.to_string())?;
            match self.socket.recv_from(buf) {
                Ok((n, from)) if from == self.peer => return Ok(n),
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => return Err(format!("receive failed: {e}")),
            }
        }
    }
}

fn cseq_method(response: &Response<'_>) -> String {
    response
        .header("CSeq")
        .and_then(|c| c.split_whitespace().nth(1))
        .unwrap_or("")
        .to_owned()
}

/// The `RSeq` of a reliable provisional response (`Require: 100rel` and a valid `RSeq`).
fn reliable_rseq(response: &Response<'_>) -> Option<RSeq> {
    let require = response.header("Require")?;
    if !require
        .split(',')
        .any(|t| t.trim().eq_ignore_ascii_case("100rel"))
    {
        return None;
    }
    response.header("RSeq")?.parse().ok()
}

fn run(peer: SocketAddr, timeout: Duration, reliable: bool) -> Result<(), String> {
    // Loopback peers get a loopback socket, so a test's traffic never leaves the machine.
    let ip: std::net::IpAddr = match (peer.ip().is_loopback(), peer.is_ipv4()) {
        (true, true) => [127, 0, 0, 1].into(),
        (true, false) => std::net::Ipv6Addr::LOCALHOST.into(),
        (false, true) => std::net::Ipv4Addr::UNSPECIFIED.into(),
        (false, false) => std::net::Ipv6Addr::UNSPECIFIED.into(),
    };
    let bind = SocketAddr::new(ip, 0);
    let socket = UdpSocket::bind(bind).map_err(|e| format!("cannot bind: {e}"))?;
    let local = socket.local_addr().map_err(|e| e.to_string())?;
    // Unique per run: the wall clock and the pid, hashed with a per-process random key.
    let unique = RandomState::new().hash_one((SystemTime::now(), std::process::id()));
    let dialog = Dialog {
        socket,
        peer,
        local,
        call_id: format!("{unique:x}-invite-client@{}", local.ip()),
        from_tag: format!("{unique:x}c"),
        branch: format!("z9hG4bK{unique:x}i"),
    };
    let uri = format!("sip:service@{peer}");
    let sdp = format!("v=0\r\no=client 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n", ip = local.ip());
    let supported = if reliable {
        "Supported: 100rel\r\n"
    } else {
        ""
    };
    let invite = dialog.request_with(
        "INVITE",
        &uri,
        &dialog.branch,
        1,
        &format!("<{uri}>"),
        &sdp,
        supported,
    );
    // RFC 3262: one UAC per early dialog (To tag), each with its own RSeq sequence (erratum
    // 4600); CSeq numbers for the PRACKs count on from the INVITE's.
    let mut early: HashMap<String, Uac<'static>> = HashMap::new();
    let mut cseq = 1;
    let deadline = Instant::now() + timeout;

    // Calling: send the INVITE; Timer A retransmits it until a response arrives.
    dialog.send(&invite)?;
    let mut resend = Instant::now() + T1;
    let mut interval = T1;
    let mut buf = vec![0u8; 65_535];
    let mut calling = true;
    loop {
        let n = dialog.receive(
            &mut buf,
            deadline,
            calling.then_some(invite.as_str()),
            &mut resend,
            &mut interval,
        )?;
        let response = Response::parse(&buf[..n])?;
        if cseq_method(&response) != "INVITE" {
            continue;
        }
        calling = false; // Proceeding: stop Timer A.
        let code = response.line.code();
        let to = response.header("To").unwrap_or("").to_owned();
        if reliable && !code.class().is_final() {
            let tag = to.split(";tag=").nth(1).unwrap_or("").to_owned();
            let uac = early.entry(tag).or_insert_with(|| Uac::new(1, "INVITE"));
            let rseq = reliable_rseq(&response);
            match uac.handle_response(code, rseq) {
                Received::New(rack) => {
                    cseq += 1;
                    let target = response
                        .header("Contact")
                        .and_then(|c| c.split('<').nth(1)?.split('>').next())
                        .unwrap_or(&uri)
                        .to_owned();
                    let prack = dialog.request_with(
                        "PRACK",
                        &target,
                        &format!("{}p{cseq}", dialog.branch),
                        cseq,
                        &to,
                        "",
                        &format!("{}\r\n", rack.header()),
                    );
                    dialog.send(&prack)?;
                }
                Received::Unreliable | Received::Final => {}
                Received::Retransmission | Received::AfterFinal => continue,
                Received::OutOfOrder { expected } => {
                    let rseq = rseq.map_or(0, RSeq::get);
                    println!(
                        "{}: RSeq {rseq} out of order (expected {expected}), not acknowledged",
                        response.status()
                    );
                    continue;
                }
            }
        }
        let (method, next) = StatusCode::dispatch_code(code.get(), &mut InviteClient, &buf[..n])
            .map_err(|e| e.to_string())?;
        println!("{} -> {method}", response.status());
        match next {
            Next::Proceed => {}
            Next::Rejected => {
                // Completed: the transaction ACKs with the INVITE's branch.
                let ack = dialog.request("ACK", &uri, &dialog.branch, 1, &to, "");
                return dialog.send(&ack);
            }
            Next::Accepted => {
                // Terminated: the TU ACKs the 2xx (new branch, to the Contact) and hangs up.
                let target = response
                    .header("Contact")
                    .and_then(|c| c.split('<').nth(1)?.split('>').next())
                    .unwrap_or(&uri)
                    .to_owned();
                let ack =
                    dialog.request("ACK", &target, &format!("{}a", dialog.branch), 1, &to, "");
                dialog.send(&ack)?;
                return bye(&dialog, &target, &to, &ack, cseq + 1, deadline, &mut buf);
            }
        }
    }
}

/// BYE (CSeq number `cseq`, above every earlier request's) as a non-INVITE client
/// transaction (Timer E retransmits), re-ACKing 2xx retransmissions.
fn bye(
    dialog: &Dialog,
    target: &str,
    to: &str,
    ack: &str,
    cseq: u32,
    deadline: Instant,
    buf: &mut [u8],
) -> Result<(), String> {
    let bye = dialog.request("BYE", target, &format!("{}b", dialog.branch), cseq, to, "");
    dialog.send(&bye)?;
    let mut resend = Instant::now() + T1;
    let mut interval = T1;
    loop {
        let n = dialog.receive(buf, deadline, Some(&bye), &mut resend, &mut interval)?;
        let response = Response::parse(&buf[..n])?;
        match cseq_method(&response).as_str() {
            "INVITE" => dialog.send(ack)?, // the 2xx was retransmitted: our ACK was lost
            "BYE" if response.line.code().class().is_final() => {
                let wire = response.line.code().get();
                let (method, _) = StatusCode::dispatch_code(wire, &mut InviteClient, &buf[..n])
                    .map_err(|e| e.to_string())?;
                println!("{} -> {method} (BYE)", response.status());
                return Ok(());
            }
            _ => {}
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reliable = args.iter().any(|a| a == "--100rel");
    let rest: Vec<&String> = args.iter().filter(|a| *a != "--100rel").collect();
    let [peer] = rest.as_slice() else {
        eprintln!("usage: invite_client <peer address, e.g. 127.0.0.1:5060> [--100rel]");
        return ExitCode::from(2);
    };
    let peer: SocketAddr = match peer.parse() {
        Ok(peer) => peer,
        Err(e) => {
            eprintln!("error: `{peer}` is not a socket address: {e}");
            return ExitCode::from(2);
        }
    };
    let timeout = std::env::var("INVITE_CLIENT_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    match run(peer, Duration::from_secs(timeout), reliable) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
