// #[sip(class = "1xx")] demands every provisional code of the spec.
use sip_responses::SipResponses;

#[derive(SipResponses, Clone, Copy)]
#[sip(class = "1xx")]
enum Provisional {
    Trying,
    Ringing,
    CallIsBeingForwarded,
    SessionProgress,
}

fn main() {}
