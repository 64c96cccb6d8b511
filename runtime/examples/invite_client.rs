//! A UAC that places one call over UDP on the sans-IO transaction machines: the INVITE on an
//! `InviteClient` (RFC 3261 17.1.1), each PRACK and the BYE on a `NonInviteClient` (17.1.2),
//! reliable provisionals through `reliable::Uac` (RFC 3262), every response through
//! `ResponseHandler` (so an unknown code is treated as 8.1.3.2 says).
//!
//! ```sh
//! cargo run --example invite_client -- 127.0.0.1:5060 [--100rel] [--t1 MS]
//! ```
//!
//! One event loop: a datagram or a timer goes into the machines, and what they ask for
//! (retransmit the request, ACK a non-2xx final again) goes out. Prints one line per response
//! passed up: the status line, `->`, and the handler method that ran. After a 2xx it ACKs
//! (again for each retransmitted 2xx), sends BYE and exits when the BYE is answered; after a
//! 300-699 it stays for Timer D (32 s), `ACKing` each retransmission of the final response.
//! Exits non-zero when a transaction times out (Timer B or F) or the peer is unreachable.
//!
//! With `--100rel` the INVITE says `Supported: 100rel`; every provisional goes through one
//! `Uac` per early dialog (To tag): a new reliable one is dispatched once and `PRACKed` (its
//! own transaction, retransmitted until answered), a 100 never, a retransmission neither
//! dispatched nor `PRACKed` again, one after a gap neither (printed as out of order).

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::ExitCode;

use common::{Clock, Message, Udp};
use sip_responses::reliable::{RSeq, Received, Uac};
use sip_responses::transaction::{
    ClientEvent, Deliver, InviteClient, InviteClientState, NonInviteClient, NonInviteClientState,
    Transmit, Transport,
};
use sip_responses::{ResponseHandler, StatusCode};

/// The handler: the name of the method that ran.
struct Client;

macro_rules! handle {
    ($($method:ident)*) => {
        $(fn $method(&mut self, _: &Message<'_>) -> &'static str { stringify!($method) })*
    };
}

impl ResponseHandler<&Message<'_>> for Client {
    type Output = &'static str;
    // Required: every provisional code and each class's x00.
    handle! { on_trying on_ringing on_call_is_being_forwarded on_queued on_session_progress
    on_early_dialog_terminated on_ok on_multiple_choices on_bad_request
    on_server_internal_error on_busy_everywhere }
    // Optional: a client that cares about busy says so; every other final code falls back.
    handle! { on_busy_here }
}

/// A non-INVITE client transaction (a PRACK or the BYE) and its request.
struct Request {
    branch: String,
    text: String,
    tx: NonInviteClient,
}

/// The call: what every request of it shares.
struct Call {
    udp: Udp,
    clock: Clock,
    peer: SocketAddr,
    uri: String,
    id: String,
    from_tag: String,
    cseq: u32,
}

impl Call {
    /// A request of this call to `target`, with `to`, CSeq number `cseq` and `extra` fields.
    #[allow(clippy::too_many_arguments)]
    fn request_with(
        &self,
        method: &str,
        target: &str,
        branch: &str,
        cseq: u32,
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
        common::request(method, target, &fields, body)
    }

    /// Starts a non-INVITE transaction: sends the request now.
    fn start(
        &mut self,
        method: &str,
        target: &str,
        to: &str,
        extra: &[(&str, &str)],
    ) -> Result<Request, String> {
        self.cseq += 1;
        let branch = common::new_branch();
        let text = self.request_with(method, target, &branch, self.cseq, to, extra, "");
        self.udp.send(self.peer, &text)?;
        let tx = NonInviteClient::new(self.clock.now(), Transport::Unreliable, common::timers());
        Ok(Request { branch, text, tx })
    }
}

/// The line printed for a response passed up: `180 Ringing -> on_ringing`.
fn dispatch(status: &str, code: u16, message: &Message<'_>) -> Result<String, String> {
    let method =
        StatusCode::dispatch_code(code, &mut Client, message).map_err(|e| e.to_string())?;
    Ok(format!("{status} -> {method}"))
}

// The example is its one event loop, read top to bottom.
#[allow(clippy::too_many_lines)]
fn run(peer: SocketAddr, reliable: bool) -> Result<(), String> {
    let udp = Udp::bind_towards(peer)?;
    let uri = format!("sip:service@{peer}");
    let call_id = common::new_call_id(udp.local);
    let mut call = Call {
        udp,
        clock: Clock::new(),
        peer,
        uri,
        id: call_id,
        from_tag: common::new_tag(),
        cseq: 1,
    };
    let ip = call.udp.local.ip();
    let sdp = format!("v=0\r\no=client 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n");
    let extra: &[(&str, &str)] = if reliable {
        &[("Supported", "100rel"), ("Content-Type", "application/sdp")]
    } else {
        &[("Content-Type", "application/sdp")]
    };
    let branch = common::new_branch();
    let to = format!("<{}>", call.uri);
    let invite = call.request_with("INVITE", &call.uri, &branch, 1, &to, extra, &sdp);
    call.udp.send(peer, &invite)?;
    let mut tx = InviteClient::new(call.clock.now(), Transport::Unreliable, common::timers());
    // The ACK of a non-2xx final (same branch), the ACK of the 2xx (a new one), and the
    // non-INVITE transactions: PRACKs, then the BYE.
    let (mut ack, mut ack_2xx) = (None::<String>, None::<String>);
    let mut early: HashMap<String, Uac<'static>> = HashMap::new();
    let (mut pracks, mut bye) = (Vec::<Request>::new(), None::<Request>);
    let mut buf = vec![0u8; 65_535];
    loop {
        while let Some(t) = tx.poll_transmit() {
            let text = match t {
                Transmit::Request => Some(&invite),
                Transmit::Ack => ack.as_ref(),
            };
            if let Some(text) = text {
                call.udp.send(peer, text)?;
            }
        }
        for r in pracks.iter_mut().chain(bye.as_mut()) {
            while r.tx.poll_transmit().is_some() {
                call.udp.send(peer, &r.text)?;
            }
        }
        let event = pracks
            .iter_mut()
            .chain(bye.as_mut())
            .find_map(|r| r.tx.poll_event());
        match tx.poll_event().or(event) {
            Some(ClientEvent::Timeout) => {
                return Err("no final response in time (Timer B or F)".into())
            }
            Some(ClientEvent::TransportError) => return Err("the peer is unreachable".into()),
            None => {}
        }
        pracks.retain(|r| r.tx.state() != NonInviteClientState::Terminated);
        if tx.state() == InviteClientState::Terminated && bye.is_none() {
            return Ok(()); // Timer D ended the Completed state
        }
        let wake = common::earliest(
            [tx.poll_timeout()]
                .into_iter()
                .chain(pracks.iter().chain(&bye).map(|r| r.tx.poll_timeout())),
        );
        let Some((datagram, from)) = call.udp.recv(&mut buf, &call.clock, wake)? else {
            let now = call.clock.now();
            tx.handle_timeout(now);
            pracks
                .iter_mut()
                .chain(bye.as_mut())
                .for_each(|r| r.tx.handle_timeout(now));
            continue;
        };
        let now = call.clock.now();
        let (Some(message), true) = (Message::parse(datagram), from == peer) else {
            continue;
        };
        let (Some(line), Some((_, method)), Some(branch_got)) =
            (message.status(), message.cseq(), message.branch())
        else {
            continue;
        };
        let code = line.code();
        let status = format!("{code} {}", line.reason());
        match method {
            "INVITE" if branch_got == branch => {}
            "PRACK" => {
                if let Some(r) = pracks.iter_mut().find(|r| r.branch == branch_got) {
                    r.tx.handle_response(now, code);
                }
                continue;
            }
            "BYE" => {
                let Some(r) = bye.as_mut().filter(|r| r.branch == branch_got) else {
                    continue;
                };
                if r.tx.handle_response(now, code) == Deliver::ToUser && code.class().is_final() {
                    println!("{} (BYE)", dispatch(&status, code.get(), &message)?);
                    return Ok(());
                }
                continue;
            }
            _ => continue,
        }
        let to = message.header("To").unwrap_or("").to_owned();
        if code.class().is_final() && code.get() >= 300 {
            // 17.1.1.3: the ACK takes the INVITE's Request-URI, branch and CSeq number, and
            // the response's To.
            ack.get_or_insert_with(|| {
                call.request_with("ACK", &call.uri, &branch, 1, &to, &[], "")
            });
        }
        if tx.handle_response(now, code) == Deliver::Absorb {
            continue; // a retransmitted final: the machine asked for the ACK again
        }
        let target = message
            .header("Contact")
            .map_or(call.uri.clone(), |c| common::uri(c).to_owned());
        if code.get() >= 200 && code.get() < 300 {
            if let Some(ack) = &ack_2xx {
                call.udp.send(peer, ack)?; // the 2xx again: our ACK was lost (13.2.2.4)
                continue;
            }
        } else if reliable && !code.class().is_final() {
            let tag = common::tag(&to).unwrap_or("").to_owned();
            let uac = early.entry(tag).or_insert_with(|| Uac::new(1, "INVITE"));
            let rseq = message
                .has_option("Require", "100rel")
                .then(|| message.header("RSeq")?.parse().ok())
                .flatten();
            match uac.handle_response(code, rseq) {
                Received::New(rack) => {
                    let rack = rack.to_string();
                    pracks.push(call.start("PRACK", &target, &to, &[("RAck", &rack)])?);
                }
                Received::Unreliable | Received::Final => {}
                Received::Retransmission | Received::AfterFinal => continue,
                Received::OutOfOrder { expected } => {
                    let rseq = rseq.map_or(0, RSeq::get);
                    println!("{status}: RSeq {rseq} out of order (expected {expected}), not acknowledged");
                    continue;
                }
            }
        }
        println!("{}", dispatch(&status, code.get(), &message)?);
        if code.get() >= 200 && code.get() < 300 {
            // 13.2.2.4: the UAC core ACKs the 2xx (a new branch, to the Contact), then hangs up.
            let text = call.request_with("ACK", &target, &common::new_branch(), 1, &to, &[], "");
            call.udp.send(peer, &text)?;
            ack_2xx = Some(text);
            bye = Some(call.start("BYE", &target, &to, &[])?);
        }
    }
}

fn main() -> ExitCode {
    let usage = "invite_client <peer address, e.g. 127.0.0.1:5060> [--100rel] [--t1 MS]";
    match common::Args::parse(usage, &["--100rel"], &[], false) {
        Ok(args) => common::exit(run(args.address(), args.flag("--100rel"))),
        Err(code) => code,
    }
}
