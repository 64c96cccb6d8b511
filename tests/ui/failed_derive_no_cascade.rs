// A failed derive still emits impls that compile, so the code using the enum reports nothing
// more: the one real error below is all the user sees.
use sip_responses::SipResponses;

#[derive(SipResponses, Clone, Copy)]
enum Codes {
    Ringing,
    Ringin,
}

fn main() {
    let code = Codes::Ringing;
    println!("{} {} {}", code, code.reason(), Codes::ALL.len());
    let _ = Codes::interpret(499);
}
