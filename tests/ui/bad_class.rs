use sip_responses::SipResponses;

#[derive(SipResponses, Clone, Copy)]
#[sip(class = "7xx, provisional")]
enum Codes {
    Ok,
}

fn main() {}
