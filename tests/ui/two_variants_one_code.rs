use sip_responses::SipResponses;

#[derive(SipResponses, Clone, Copy)]
enum Codes {
    Queued,
    #[sip(code = 182)]
    WaitingInLine,
}

fn main() {}
