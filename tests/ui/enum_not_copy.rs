// The derived methods take `self` by value, so the enum must be Copy.
use sip_responses::SipResponses;

#[derive(SipResponses)]
enum Codes {
    Ok,
    Ringing,
}

fn main() {}
