// `Provisional` is exhaustive: a match that forgets a variant does not compile.
use sip_responses::Provisional;

fn describe(code: Provisional) -> &'static str {
    match code {
        Provisional::Trying => "trying",
        Provisional::Ringing => "ringing",
        Provisional::CallIsBeingForwarded => "forwarded",
        Provisional::SessionProgress => "progress",
        Provisional::EarlyDialogTerminated => "terminated",
    }
}

fn main() {
    let _ = describe(Provisional::Trying);
}
