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

use common::uac::Call;
use common::Message;
use sip_responses::reliable::{RSeq, Received, Uac};
use sip_responses::transaction::{
    ClientEvent, Deliver, InviteClient, InviteClientState, Transmit, Transport,
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

/// The line printed for a response passed up: `180 Ringing -> on_ringing`.
fn dispatch(status: &str, code: u16, message: &Message<'_>) -> Result<String, String> {
    let method =
        StatusCode::dispatch_code(code, &mut Client, message).map_err(|e| e.to_string())?;
    Ok(format!("{status} -> {method}"))
}

// The example is its one event loop, read top to bottom.
#[allow(clippy::too_many_lines)]
fn run(peer: SocketAddr, reliable: bool) -> Result<(), String> {
    let mut call = Call::to(peer)?;
    let ip = call.udp.local.ip();
    let sdp = format!("v=0\r\no=client 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n");
    let sdp_type = ("Content-Type", "application/sdp");
    let extra: &[(&str, &str)] = if reliable {
        &[("Supported", "100rel"), sdp_type]
    } else {
        &[sdp_type]
    };
    let (branch, to) = (common::new_branch(), format!("<{}>", call.uri));
    let invite = call.request("INVITE", &call.uri, (&branch, 1), &to, extra, &sdp);
    call.udp.send(peer, &invite)?;
    let mut tx = InviteClient::new(call.clock.now(), Transport::Unreliable, common::timers());
    // The ACK of a non-2xx final (same branch), the ACK of the 2xx (a new one), one `Uac` per
    // early dialog, and whether the BYE went (PRACKs and the BYE are the call's transactions).
    let (mut ack, mut ack_2xx) = (None::<String>, None::<String>);
    let (mut early, mut bye) = (HashMap::<String, Uac<'static>>::new(), false);
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
        match tx.poll_event().or(call.poll()?) {
            Some(ClientEvent::Timeout) => {
                return Err("no final response in time (Timer B or F)".into())
            }
            Some(ClientEvent::TransportError) => return Err("the peer is unreachable".into()),
            None => {}
        }
        if tx.state() == InviteClientState::Terminated && !bye {
            return Ok(()); // Timer D ended the Completed state
        }
        let wake = common::earliest([tx.poll_timeout(), call.poll_timeout()]);
        let Some((datagram, from)) = call.udp.recv(&mut buf, &call.clock, wake)? else {
            let now = call.clock.now();
            tx.handle_timeout(now);
            call.handle_timeout(now);
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
        let (code, status) = (line.code(), format!("{} {}", line.code(), line.reason()));
        if method != "INVITE" || branch_got != branch {
            // A PRACK's or the BYE's: the BYE's final ends the call.
            let passed = call.handle_response(now, branch_got, code) == Some(Deliver::ToUser);
            if passed && method == "BYE" && code.class().is_final() {
                println!("{} (BYE)", dispatch(&status, code.get(), &message)?);
                return Ok(());
            }
            continue;
        }
        let to = message.header("To").unwrap_or("").to_owned();
        if code.class().is_final() && code.get() >= 300 {
            // 17.1.1.3: the ACK takes the INVITE's Request-URI, branch and CSeq number, and
            // the response's To.
            ack.get_or_insert_with(|| call.request("ACK", &call.uri, (&branch, 1), &to, &[], ""));
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
                    call.start("PRACK", &target, &to, &[("RAck", &rack)])?;
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
            let text = call.request("ACK", &target, (&common::new_branch(), 1), &to, &[], "");
            call.udp.send(peer, &text)?;
            ack_2xx = Some(text);
            call.start("BYE", &target, &to, &[])?;
            bye = true;
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
