// A variant whose handler method would be a class's `on_other_*` (the method for the codes
// of a class whose RFC 3261 8.1.3.2 target the enum lacks) is refused on the variant, not
// left to a duplicate method in the generated trait.
use sip_responses::SipResponses;

#[derive(SipResponses)]
enum Rejections {
    #[sip(code = 486)]
    OtherClientError,
    Decline,
}

fn main() {}
