//! The rsipstack example against SIPp: its built-in `uas` scenario (180, 200, then ACK and
//! BYE expected) and the runtime's `unusual.xml` (100, 182, an extension 1xx, 183, and the
//! unregistered final 499 that RFC 3261 Section 8.1.3.2 treats as 400). sipp must finish its
//! call (so rsipstack sent the ACK and the BYE as the scenario expects) and the program must have
//! routed each response to the handler method the RFC asks for.

#[path = "../../../runtime/tests/sipp/support.rs"]
mod support;

use std::path::Path;

use support::place_call;

fn call(scenario: &[&str]) -> Option<Vec<String>> {
    let caller = Path::new(env!("CARGO_BIN_EXE_rsipstack-invite"));
    place_call(caller, "INVITE_TIMEOUT_SECS", scenario)
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
