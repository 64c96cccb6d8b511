use sip_responses::SipResponses;

#[derive(SipResponses, Clone, Copy)]
#[sip(class = "2xx")]
enum Success {
    Ok,
    Accepted,
    NoNotification,
    Ringing,
}

fn main() {}
