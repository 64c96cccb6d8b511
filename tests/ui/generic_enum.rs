use sip_responses::SipResponses;

#[derive(SipResponses, Clone, Copy)]
enum Codes<T> {
    Ok,
    Ringing,
    #[allow(dead_code)]
    Never(std::marker::PhantomData<T>),
}

fn main() {}
