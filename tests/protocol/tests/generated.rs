//! The build.rs output works, and equals what `include_spec!` generates for the same spec.

use acme_protocol::{AcmeClassified, AcmeProvisional, AcmeProvisionalHandler, AcmeStatus};
use sip_responses::ResponseCode;

#[test]
fn build_script_and_macro_generate_the_same_types() {
    let built: Vec<(u16, &str, &str)> = AcmeStatus::ALL
        .iter()
        .map(|c| (c.code(), c.reason(), c.reference()))
        .collect();
    let via_macro: Vec<(u16, &str, &str)> = acme_protocol::via_macro::AcmeStatus::ALL
        .iter()
        .map(|c| (c.code(), c.reason(), c.reference()))
        .collect();
    assert_eq!(built, via_macro);
    assert_eq!(built.len(), 76);
}

#[test]
fn the_vendor_code_is_a_provisional_with_its_flag() {
    let vendor = AcmeStatus::VendorRinging;
    assert_eq!(vendor.to_string(), "155 Vendor Ringing");
    assert!(vendor.is_vendor() && !AcmeStatus::Ringing.is_vendor());
    assert!(matches!(
        vendor.classify(),
        AcmeClassified::Provisional(AcmeProvisional::VendorRinging)
    ));
    assert_eq!(AcmeStatus::interpret(155), Ok(vendor));
    assert_eq!(AcmeStatus::interpret(156), Ok(AcmeStatus::SessionProgress));
    assert_eq!(<AcmeStatus as ResponseCode>::from_u16(155), Some(vendor));
}

#[test]
fn the_handler_has_a_method_for_the_vendor_code() {
    struct H;
    impl AcmeProvisionalHandler<()> for H {
        type Output = &'static str;
        fn on_trying(&mut self, (): ()) -> &'static str {
            "on_trying"
        }
        fn on_vendor_ringing(&mut self, (): ()) -> &'static str {
            "on_vendor_ringing"
        }
        fn on_ringing(&mut self, (): ()) -> &'static str {
            "on_ringing"
        }
        fn on_call_is_being_forwarded(&mut self, (): ()) -> &'static str {
            "on_call_is_being_forwarded"
        }
        fn on_queued(&mut self, (): ()) -> &'static str {
            "on_queued"
        }
        fn on_session_progress(&mut self, (): ()) -> &'static str {
            "on_session_progress"
        }
        fn on_early_dialog_terminated(&mut self, (): ()) -> &'static str {
            "on_early_dialog_terminated"
        }
    }
    assert_eq!(
        AcmeProvisional::VendorRinging.dispatch(&mut H, ()),
        "on_vendor_ringing"
    );
    assert_eq!(
        AcmeProvisional::dispatch_code(150, &mut H, ()),
        Ok("on_session_progress")
    );
}

/// The any-scope modules (no prelude, primitives and prelude names shadowed) hold types that
/// work as everywhere else: every route, the same facts.
#[test]
fn code_generated_in_a_hostile_scope_works() {
    use acme_protocol::scope;
    let from_builder: Vec<&str> = scope::builder::AcmeStatus::ALL
        .iter()
        .map(sip_responses::ResponseCode::as_str)
        .collect();
    let from_macro: Vec<&str> = scope::include_spec::AcmeStatus::ALL
        .iter()
        .map(sip_responses::ResponseCode::as_str)
        .collect();
    assert_eq!(from_builder, from_macro);
    assert_eq!(
        scope::include_spec::iana::Iana::interpret(499),
        Ok(scope::include_spec::iana::Iana::BadRequest)
    );
    assert_eq!(scope::derive::Provisional::InLine.code(), 182);
    assert_eq!(
        "486 Busy Here".parse::<scope::derive::Common>(),
        Ok(scope::derive::Common::BusyHere)
    );
    assert_eq!(
        scope::derive::Provisional::interpret(155).map(|p| p.code()),
        Ok(183)
    );
}

/// A subset's handler, from the hardest scope: the `on_other_*` methods take the code that
/// arrived as a `RawCode`, and every code in 100..=699 reaches a method.
#[test]
fn a_subset_handler_reaches_a_method_for_every_code() {
    use acme_protocol::scope::derive::{Early, EarlyHandler};
    use sip_responses::RawCode;
    struct H;
    impl EarlyHandler<()> for H {
        type Output = (u16, &'static str);
        fn on_trying(&mut self, (): ()) -> Self::Output {
            (100, "on_trying")
        }
        fn on_ringing(&mut self, (): ()) -> Self::Output {
            (180, "on_ringing")
        }
        fn on_other_provisional(&mut self, code: RawCode, (): ()) -> Self::Output {
            (code.into(), "on_other_provisional")
        }
        fn on_other_success(&mut self, code: RawCode, (): ()) -> Self::Output {
            (code.into(), "on_other_success")
        }
        fn on_other_redirection(&mut self, code: RawCode, (): ()) -> Self::Output {
            (code.into(), "on_other_redirection")
        }
        fn on_other_client_error(&mut self, code: RawCode, (): ()) -> Self::Output {
            (code.into(), "on_other_client_error")
        }
        fn on_other_server_error(&mut self, code: RawCode, (): ()) -> Self::Output {
            (code.into(), "on_other_server_error")
        }
        fn on_other_global_failure(&mut self, code: RawCode, (): ()) -> Self::Output {
            (code.into(), "on_other_global_failure")
        }
    }
    for code in 100..=699 {
        assert_eq!(
            Early::dispatch_code(code, &mut H, ()).map(|(c, _)| c),
            Ok(code)
        );
    }
    assert_eq!(
        Early::dispatch_code(183, &mut H, ()),
        Ok((183, "on_other_provisional"))
    );
    assert_eq!(
        Early::dispatch_code(487, &mut H, ()),
        Ok((487, "on_other_client_error"))
    );
    assert_eq!(
        Early::dispatch_code(700, &mut H, ()),
        Err(sip_responses::CodeError::OutOfRange(700))
    );
}

/// A set that extends IANA converts to and from `StatusCode` by code, with no `from_u16`:
/// `From` from IANA (the set has every IANA code), `TryFrom` to it (155 is ACME's own).
#[test]
fn the_set_converts_to_and_from_the_iana_set() {
    use sip_responses::{CodeError, StatusCode};
    // Generic code over the conversions.
    fn to_iana<C: TryInto<StatusCode>>(code: C) -> Option<StatusCode> {
        code.try_into().ok()
    }
    for &iana in StatusCode::ALL {
        let acme = AcmeStatus::from(iana);
        assert_eq!((acme.code(), acme.reason()), (iana.code(), iana.reason()));
        assert_eq!(StatusCode::try_from(acme), Ok(iana));
        assert_eq!(
            acme_protocol::via_macro::AcmeStatus::from(iana).code(),
            iana.code()
        );
    }
    assert_eq!(
        StatusCode::try_from(AcmeStatus::VendorRinging),
        Err(CodeError::Unknown(155))
    );
    let busy: AcmeStatus = StatusCode::BusyHere.into();
    assert_eq!(busy, AcmeStatus::BusyHere);
    assert_eq!(to_iana(AcmeStatus::Ok), Some(StatusCode::Ok));
    assert_eq!(to_iana(AcmeStatus::VendorRinging), None);
}
