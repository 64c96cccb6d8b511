//! The rsipstack example against SIPp: its built-in `uas` scenario (180, 200, then ACK and
//! BYE expected) and the runtime's `unusual.xml` (100, 182, an extension 1xx, 183, and the
//! unregistered final 499 that RFC 3261 Section 8.1.3.2 treats as 400). sipp must finish its
//! call (so rsipstack ACKed and sent BYE as the scenario expects) and the program must have
//! routed each response to the handler method the RFC asks for.

#[path = "../../../runtime/tests/sipp/support.rs"]
mod support;

use std::process::Command;

use support::{free_port, sipp_available, Sipp};

fn call(scenario: &[&str]) -> Option<Vec<String>> {
    if !sipp_available() {
        return None;
    }
    let port = free_port();
    let mut sipp = Sipp::start(scenario, port);
    // rsipstack retransmits the INVITE on Timer A, so a sipp still starting does not matter.
    let out = Command::new(env!("CARGO_BIN_EXE_rsipstack-invite"))
        .arg(format!("127.0.0.1:{port}"))
        .env("INVITE_TIMEOUT_SECS", "10")
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "rsipstack-invite failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        sipp.finished_ok(),
        "sipp did not complete its call; the example printed:\n{stdout}"
    );
    Some(stdout.lines().map(str::to_owned).collect())
}

#[test]
fn sipp_builtin_uas_answers_and_rsipstack_hangs_up() {
    let Some(lines) = call(&["-sn", "uas"]) else {
        return;
    };
    assert_eq!(
        lines,
        ["180 Ringing -> on_ringing", "200 OK -> on_ok", "BYE sent"]
    );
}

#[test]
fn unusual_responses_reach_the_methods_rfc3261_8_1_3_2_names() {
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../runtime/tests/sipp/unusual.xml"
    );
    let Some(lines) = call(&["-sf", scenario]) else {
        return;
    };
    assert_eq!(
        lines,
        [
            "100 Trying -> on_trying",
            "182 Queued -> on_queued",
            "155 Vendor Specific Progress -> on_session_progress",
            "183 Session Progress -> on_session_progress",
            "499 Vendor Rejection -> on_bad_request",
        ]
    );
}
