// An `OwnedStatus` cannot be filled by hand: its reason never holds a line break.
use sip_responses::{OwnedStatus, StatusCode};

fn main() {
    let _injected = OwnedStatus {
        code: StatusCode::BusyHere,
        reason: b"Busy\r\nVia: evil".to_vec().into_boxed_slice(),
    };
}
