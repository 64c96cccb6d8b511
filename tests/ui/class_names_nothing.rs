// `class = ""` would cover nothing: refused, pointing at the value.
#[derive(sip_responses::SipResponses)]
#[sip(class = "")]
enum Empty {
    Ringing,
}

fn main() {}
