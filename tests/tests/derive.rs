//! Derived impls agree with the spec for every variant; `include_spec!` output is usable.

use sip_responses::{Class, CodeError, ResponseCode};
use sip_responses_codegen::Spec;
use sip_responses_tests::derived::{Common, Provisional, Small};
use sip_responses_tests::small::{SmallClassified, SmallStatus};

fn agrees_with_spec<T: ResponseCode + std::fmt::Debug + PartialEq>(spec: &Spec) {
    for &value in T::ALL {
        let r = spec
            .get(value.code())
            .expect("derived codes come from the spec");
        assert_eq!(value.reason(), r.reason);
        assert_eq!(value.reference(), r.reference);
        assert_eq!(Some(value.class()), Class::from_code(r.code));
        assert_eq!(value.to_string(), format!("{} {}", r.code, r.reason));
        assert_eq!(value.as_str(), value.to_string());
        assert_eq!(T::from_u16(r.code), Some(value));
        assert_eq!(T::interpret(r.code), Ok(value));
    }
}

#[test]
fn derived_enums_agree_with_their_spec() {
    let iana = Spec::iana();
    agrees_with_spec::<Provisional>(&iana);
    agrees_with_spec::<Common>(&iana);
    let small =
        Spec::read(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/small.toml").as_ref()).unwrap();
    agrees_with_spec::<Small>(&small);
    agrees_with_spec::<SmallStatus>(&small);
    assert_eq!(Provisional::ALL.len(), iana.class(1).count());
    assert_eq!(Small::ALL.len(), small.responses.len());
}

#[test]
fn derived_enums_parse_and_convert() {
    assert_eq!(Provisional::InLine.code(), 182);
    assert_eq!("182 Queued".parse::<Provisional>(), Ok(Provisional::InLine));
    assert_eq!(Provisional::try_from(200), Err(CodeError::Unknown(200)));
    assert_eq!(u16::from(Common::BusyHere), 486);
    assert_eq!(Common::BusyHere as u16, 486);
    // The subset has 400 and 200, but no 183 and no x00 for 3xx, 5xx, 6xx.
    assert_eq!(Common::interpret(499), Ok(Common::BadRequest));
    assert_eq!(Common::interpret(155), Err(CodeError::NoFallback(155)));
    assert_eq!(Common::interpret(503), Err(CodeError::NoFallback(503)));
    assert_eq!(Common::interpret(1000), Err(CodeError::OutOfRange(1000)));
    assert!(Common::BusyHere.is_retry_after());
    assert_eq!(
        Common::ALL,
        [
            Common::Ringing,
            Common::Ok,
            Common::BadRequest,
            Common::BusyHere
        ]
    );
}

#[test]
fn a_private_spec_generates_working_types() {
    assert!(SmallStatus::Ok.is_billable());
    assert_eq!(
        SmallStatus::interpret(199),
        Ok(SmallStatus::SessionProgress)
    );
    assert_eq!(SmallStatus::interpret(250), Ok(SmallStatus::Ok));
    assert_eq!(SmallStatus::interpret(404), Err(CodeError::NoFallback(404)));
    assert!(matches!(
        SmallStatus::VendorThinking.classify(),
        SmallClassified::Provisional(_)
    ));
    assert_eq!(sip_responses_tests::small_default::StatusCode::ALL.len(), 5);
}
