//! An INVITE placed through rsipstack, every response routed through sip-responses'
//! `ResponseHandler`.
//!
//! ```sh
//! cargo run -p sip-responses-example-rsipstack -- 127.0.0.1:5060
//! ```
//!
//! rsipstack does the SIP work: its dialog layer builds the INVITE, its transaction layer sends
//! and retransmits it, ACKs the final response and, after a 2xx, `bye()` ends the call. This
//! program only decides what each response means: it takes the code rsipstack hands over
//! (`rsipstack::sip::StatusCode::code()`) to `StatusCode::dispatch_code`, so an unknown code is
//! treated as RFC 3261 Section 8.1.3.2 says and every provisional code has a method the compiler
//! made us write. It prints one line per response, the status as rsipstack received it, `->`,
//! and the handler method that ran, then `BYE sent` after a 2xx. It exits non-zero on a
//! timeout, a transport or dialog error, or a code outside 100..=699.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use rsipstack::dialog::dialog::DialogState;
use rsipstack::dialog::dialog_layer::DialogLayer;
use rsipstack::dialog::invitation::InviteOption;
use rsipstack::sip::{StatusCode as Theirs, Uri};
use rsipstack::transport::udp::UdpConnection;
use rsipstack::transport::TransportLayer;
use rsipstack::EndpointBuilder;
use sip_responses::{ResponseHandler, StatusCode};
use tokio_util::sync::CancellationToken;

/// What the caller does after a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// 1xx: keep waiting.
    Proceed,
    /// 2xx: the call is up; hang it up with BYE.
    Answered,
    /// 300-699: the call failed; rsipstack has sent the ACK.
    Failed,
}

/// The caller's handler: which method ran and what to do next. The context is the status
/// rsipstack parsed, passed through untouched.
struct Caller;

type Handled = (&'static str, Next);

macro_rules! handle {
    ($($method:ident => $next:ident,)*) => {
        $(fn $method(&mut self, _: &Theirs) -> Handled { (stringify!($method), Next::$next) })*
    };
}

impl ResponseHandler<&Theirs> for Caller {
    type Output = Handled;
    // Required by the trait: every provisional code and each class's x00.
    handle! {
        on_trying => Proceed,
        on_ringing => Proceed,
        on_call_is_being_forwarded => Proceed,
        on_queued => Proceed,
        on_session_progress => Proceed,
        on_early_dialog_terminated => Proceed,
        on_ok => Answered,
        on_multiple_choices => Failed,
        on_bad_request => Failed,
        on_server_internal_error => Failed,
        on_busy_everywhere => Failed,
    }
    // Optional: the caller cares about busy; every other final code falls back to its x00.
    handle! {
        on_busy_here => Failed,
    }
}

/// Routes one status from rsipstack through the handler and prints what ran.
fn route(status: &Theirs) -> Result<Next, String> {
    let (method, next) = StatusCode::dispatch_code(status.code(), &mut Caller, status)
        .map_err(|e| format!("{status}: {e}"))?;
    println!("{status} -> {method}");
    Ok(next)
}

async fn call(peer: SocketAddr, timeout: Duration) -> Result<(), String> {
    let token = CancellationToken::new();
    let transport = TransportLayer::new(token.child_token());
    let udp = UdpConnection::create_connection(
        "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
        None,
        Some(token.child_token()),
    )
    .await
    .map_err(|e| format!("binding UDP: {e}"))?;
    let local = udp.get_addr().clone();
    transport.add_transport(udp.into());
    let endpoint = EndpointBuilder::new()
        .with_user_agent("sip-responses-rsipstack-example")
        .with_transport_layer(transport)
        .with_cancel_token(token.clone())
        .build();
    let serving = endpoint.inner.clone();
    tokio::spawn(async move { serving.serve().await });

    let dialogs = DialogLayer::new(endpoint.inner.clone());
    let (states, mut state_events) = dialogs.new_dialog_state_channel();
    let uri = |s: String| Uri::try_from(s.as_str()).map_err(|e| format!("{s}: {e}"));
    let option = InviteOption {
        caller: uri(format!("sip:caller@{}", local.addr))?,
        callee: uri(format!("sip:service@{peer};transport=udp"))?,
        contact: uri(format!("sip:caller@{}", local.addr))?,
        ..Default::default()
    };

    let (dialog, answer) = tokio::time::timeout(timeout, dialogs.do_invite(option, states))
        .await
        .map_err(|_| format!("no final response within {timeout:?}"))?
        .map_err(|e| format!("INVITE failed: {e}"))?;

    // The provisional responses, in the order rsipstack received them: 100 as the Trying
    // state, the others as Early with the response.
    while let Ok(state) = state_events.try_recv() {
        match state {
            DialogState::Trying(_) => {
                route(&Theirs::Trying)?;
            }
            DialogState::Early(_, response) => {
                route(&response.status_code)?;
            }
            _ => {}
        }
    }
    let answer = answer.ok_or("the INVITE transaction ended without a final response")?;
    if route(&answer.status_code)? == Next::Answered {
        // Give rsipstack's ACK a moment on the wire before the BYE (both go out at once
        // otherwise, and a strict peer may see the BYE first).
        tokio::time::sleep(Duration::from_millis(100)).await;
        dialog.bye().await.map_err(|e| format!("BYE failed: {e}"))?;
        println!("BYE sent");
        dialogs.remove_dialog(&dialog.id());
    }
    // Let the transaction layer finish what it owes the peer (the ACK of a failure).
    tokio::time::sleep(Duration::from_millis(200)).await;
    token.cancel();
    Ok(())
}

fn main() -> ExitCode {
    let Some(peer) = std::env::args().nth(1) else {
        eprintln!("usage: rsipstack-invite <host:port>");
        return ExitCode::from(2);
    };
    let peer: SocketAddr = match peer.parse() {
        Ok(peer) => peer,
        Err(e) => {
            eprintln!("rsipstack-invite: {peer}: {e}");
            return ExitCode::from(2);
        }
    };
    let secs = std::env::var("INVITE_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(32);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("rsipstack-invite: starting tokio: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(call(peer, Duration::from_secs(secs))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rsipstack-invite: {e}");
            ExitCode::FAILURE
        }
    }
}
