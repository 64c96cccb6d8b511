use sip_responses::SipResponses;

#[derive(SipResponses, Clone, Copy)]
#[sip(classes = "1xx")]
enum Codes {
    Ok,
    #[sip(number = 180)]
    Ringing,
}

fn main() {}
