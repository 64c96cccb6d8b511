// `#[sip(code = ...)]` is written as the spec format writes a code: decimal digits.
#[derive(sip_responses::SipResponses)]
enum Hex {
    #[sip(code = 0xB6)]
    Queued,
    #[sip(code = 0o266)]
    AlsoQueued,
    Ringing,
}

fn main() {}
