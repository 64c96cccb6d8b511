// A variant named like an item the derive generates (`TryFrom::Error`) is refused on the
// variant, not left to an ambiguity error inside the generated code.
use sip_responses::SipResponses;

#[derive(SipResponses, Clone, Copy)]
#[sip(class = "6xx")]
enum Global {
    BusyEverywhere,
    Decline,
    DoesNotExistAnywhere,
    #[sip(code = 606)]
    Error,
    Unwanted,
    Rejected,
}

fn main() {}
