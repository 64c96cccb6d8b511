//! What a stack ported onto our types writes (rsipstack's code, moved over as its maintainers
//! would): a response's status is a `Code<StatusCode>` (so a peer's 499 survives), and the
//! stack compares, reads and classifies it as it did its own type, with no `Code::Known(..)`
//! at every comparison.

use sip_responses::{Code, StatusCode};

/// A response as a stack keeps it.
struct Response {
    status_code: Code<StatusCode>,
}

fn received(code: u16) -> Response {
    Response {
        status_code: Code::try_from(code).expect("a code in 100..=699"),
    }
}

#[test]
fn a_code_compares_with_the_sets_codes_both_ways() {
    let ok = received(200);
    assert!(ok.status_code == StatusCode::Ok);
    assert!(StatusCode::Ok == ok.status_code);
    assert!(ok.status_code != StatusCode::Accepted);
    assert!(ok.status_code == 200);
    let odd = received(499);
    assert!(odd.status_code != StatusCode::BadRequest);
    assert!(StatusCode::BadRequest != odd.status_code);
    // `matches!` on the set's constants, as a stack's `match` arms read.
    assert!(matches!(ok.status_code, Code::Known(StatusCode::Ok)));
}

#[test]
fn a_code_reads_and_classifies_like_the_sets_codes() {
    let busy = received(486);
    assert_eq!(busy.status_code.code(), StatusCode::BusyHere.code());
    assert_eq!(u16::from(busy.status_code), 486);
    assert_eq!(u16::from(received(499).status_code), 499);
    assert_eq!(busy.status_code.is_final(), StatusCode::BusyHere.is_final());
    assert!(received(155).status_code.is_provisional());
    assert!(!received(155).status_code.is_final());
    assert_eq!(busy.status_code.class(), StatusCode::BusyHere.class());
}
