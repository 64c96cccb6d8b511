//! Derived impls agree with the spec for every variant; `include_spec!` output is usable.

use sip_responses::{Class, CodeError, ResponseCode};
use sip_responses_codegen::Spec;
use sip_responses_tests::derived::{Bare, BareHandler, Common, Provisional, Small};
use sip_responses_tests::small::{SmallClassified, SmallStatus};

fn agrees_with_spec<T: ResponseCode + Copy + std::fmt::Debug + PartialEq>(spec: &Spec) {
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

/// A derive on a bare enum (no `Clone`, `Copy`, `Debug`, `PartialEq`) has every capability:
/// its methods borrow, lookups build values, the trait and handler work.
#[test]
fn derive_on_a_bare_enum_works() {
    let code = Bare::Queued;
    assert_eq!((code.code(), code.reason()), (182, "Queued"));
    assert_eq!(code.as_str(), "182 Queued");
    assert_eq!(code.to_string(), "182 Queued");
    assert_eq!(code.status_line(), "SIP/2.0 182 Queued\r\n");
    assert_eq!(ResponseCode::code(&code), 182);
    assert!(matches!(Bare::from_u16(180), Some(Bare::Ringing)));
    assert!(Bare::from_u16(200).is_none());
    assert!(matches!(
        "183 Whatever".parse::<Bare>(),
        Ok(Bare::SessionProgress)
    ));
    // RFC 3261 8.1.3.2: an unknown 1xx is 183; a final code has no fallback in a 1xx set.
    assert!(matches!(Bare::interpret(155), Ok(Bare::SessionProgress)));
    assert!(matches!(
        Bare::interpret(486),
        Err(CodeError::NoFallback(486))
    ));
    assert!(matches!(
        Bare::interpret(99),
        Err(CodeError::OutOfRange(99))
    ));
    let codes: Vec<u16> = Bare::ALL.iter().map(Bare::code).collect();
    assert_eq!(codes, [100, 180, 181, 182, 183, 199]);
    assert!(matches!(
        <Bare as ResponseCode>::interpret(181),
        Ok(Bare::CallIsBeingForwarded)
    ));

    struct Log(Vec<u16>);
    impl BareHandler<u16> for Log {
        type Output = &'static str;
        fn on_trying(&mut self, code: u16) -> &'static str {
            self.0.push(code);
            "trying"
        }
        fn on_ringing(&mut self, code: u16) -> &'static str {
            self.0.push(code);
            "ringing"
        }
        fn on_call_is_being_forwarded(&mut self, code: u16) -> &'static str {
            self.0.push(code);
            "forwarded"
        }
        fn on_queued(&mut self, code: u16) -> &'static str {
            self.0.push(code);
            "queued"
        }
        fn on_session_progress(&mut self, code: u16) -> &'static str {
            self.0.push(code);
            "progress"
        }
        fn on_early_dialog_terminated(&mut self, code: u16) -> &'static str {
            self.0.push(code);
            "terminated"
        }
    }
    let mut log = Log(Vec::new());
    assert_eq!(code.dispatch(&mut log, 182), "queued");
    assert_eq!(Bare::dispatch_code(170, &mut log, 170), Ok("progress"));
    // `dispatch` borrows: the value is still there.
    assert_eq!(code.code(), 182);
    assert_eq!(log.0, [182, 170]);
}

/// The options reach the output by every key: the renamed runtime path resolves, the extra
/// derive and attributes are there, no handler trait is generated.
#[test]
fn every_include_spec_option_reaches_the_output() {
    use sip_responses_tests::every_option::{EveryStatus, EverySuccess, Renamed};
    assert_eq!(EveryStatus::Ok.code(), 200);
    // `derive(serde::Serialize)` with `serde = false`: serde's own derive writes the name.
    assert_eq!(serde_json::to_string(&EveryStatus::Ok).unwrap(), "\"Ok\"");
    assert_eq!(EverySuccess::ALL.len(), 2);
    assert_eq!(Renamed::BusyHere.reason(), "Busy Here");
    assert!(matches!(
        Renamed::interpret(499),
        Err(CodeError::NoFallback(499))
    ));
}

/// A derived enum's tables (positions by code, `from_position`) against a plain search of
/// `ALL`, for every `u16`: `from_u16`, `interpret` (RFC 3261, Section 8.1.3.2) and
/// `from_bytes` of the three digits. On freely named variants (`InLine` for 182), on codes as
/// discriminants declared out of code order (`Common`), on a bare enum that is not `Copy`
/// (`Bare`), and on another spec (`Small`).
#[test]
fn derived_lookups_agree_with_all_for_every_u16() {
    fn check<T: ResponseCode + std::str::FromStr<Err = sip_responses::ParseError>>() {
        let find = |code: u16| T::ALL.iter().map(ResponseCode::code).find(|&c| c == code);
        for code in 0..=u16::MAX {
            assert_eq!(T::from_u16(code).map(|c| c.code()), find(code), "{code}");
            let interpreted = if (100..=699).contains(&code) {
                let fallback = if code < 200 { 183 } else { code / 100 * 100 };
                find(code)
                    .or_else(|| find(fallback))
                    .ok_or(CodeError::NoFallback(code))
            } else {
                Err(CodeError::OutOfRange(code))
            };
            assert_eq!(T::interpret(code).map(|c| c.code()), interpreted, "{code}");
            if (100..=999).contains(&code) {
                let parsed = code.to_string().parse::<T>().map(|c| c.code());
                match find(code) {
                    Some(known) => assert_eq!(parsed, Ok(known)),
                    None => assert!(parsed.is_err(), "{code}"),
                }
            }
        }
        for (i, value) in T::ALL.iter().enumerate() {
            assert!(i == 0 || T::ALL[i - 1].code() < value.code(), "ALL ascends");
            assert_eq!(
                value.as_str(),
                format!("{} {}", value.code(), value.reason())
            );
            assert_eq!(
                value.status_line(),
                format!("SIP/2.0 {} {}\r\n", value.code(), value.reason())
            );
        }
    }
    check::<Provisional>();
    check::<Common>();
    check::<Bare>();
    check::<Small>();
}

/// `dispatch_code` of a derived subset against `interpret` then `dispatch`, for every `u16`:
/// the same where `interpret` has a value, the class's `on_other_*` with the code where the
/// subset lacks the class's RFC 3261 8.1.3.2 target (`NoFallback`), and `OutOfRange` as is.
#[test]
fn derived_dispatch_code_agrees_with_interpret_for_every_u16() {
    use sip_responses::RawCode;
    use sip_responses_tests::derived::CommonHandler;
    /// Each method says which it is: a code's own, or `on_other_*` with the code it got.
    struct H;
    impl CommonHandler<()> for H {
        type Output = (u16, &'static str);
        fn on_ringing(&mut self, (): ()) -> Self::Output {
            (180, "own")
        }
        fn on_ok(&mut self, (): ()) -> Self::Output {
            (200, "own")
        }
        fn on_bad_request(&mut self, (): ()) -> Self::Output {
            (400, "own")
        }
        fn on_other_provisional(&mut self, code: RawCode, (): ()) -> Self::Output {
            (code.into(), "on_other_provisional")
        }
        fn on_other_redirection(&mut self, code: RawCode, (): ()) -> Self::Output {
            (code.into(), "on_other_redirection")
        }
        fn on_other_server_error(&mut self, code: RawCode, (): ()) -> Self::Output {
            (code.into(), "on_other_server_error")
        }
        fn on_other_global_failure(&mut self, code: RawCode, (): ()) -> Self::Output {
            (code.into(), "on_other_global_failure")
        }
    }
    for code in 0..=u16::MAX {
        let expected = match Common::interpret(code) {
            Ok(known) => Ok(known.dispatch(&mut H, ())),
            Err(CodeError::NoFallback(c)) => {
                let method = match c / 100 {
                    1 => "on_other_provisional",
                    3 => "on_other_redirection",
                    5 => "on_other_server_error",
                    6 => "on_other_global_failure",
                    _ => panic!("Common has 200 and 400: {c}"),
                };
                Ok((c, method))
            }
            Err(e) => Err(e),
        };
        assert_eq!(Common::dispatch_code(code, &mut H, ()), expected, "{code}");
    }
}

/// A derived enum over the bundled spec converts with `StatusCode` by code: `From` into it
/// (every variant is an IANA code), `TryFrom` out of it (a subset lacks most codes), with no
/// `from_u16(code())`.
#[test]
fn derived_enums_convert_with_status_code() {
    use sip_responses::StatusCode;
    assert_eq!(StatusCode::from(Common::BusyHere), StatusCode::BusyHere);
    assert_eq!(StatusCode::from(Provisional::InLine), StatusCode::Queued);
    assert_eq!(Common::try_from(StatusCode::Ok), Ok(Common::Ok));
    assert_eq!(
        Common::try_from(StatusCode::Decline),
        Err(CodeError::Unknown(603))
    );
    assert_eq!(
        Provisional::try_from(StatusCode::Queued),
        Ok(Provisional::InLine)
    );
    for &code in StatusCode::ALL {
        match Provisional::try_from(code) {
            Ok(p) => assert_eq!(StatusCode::from(p), code),
            Err(e) => assert_eq!(
                (e, code.is_provisional()),
                (CodeError::Unknown(code.code()), false)
            ),
        }
    }
    // Not `Copy`: the conversion takes the value.
    let bare: StatusCode = Bare::EarlyDialogTerminated.into();
    assert_eq!(bare.code(), 199);

    /// A class, one variant renamed: paired with IANA's by code.
    #[derive(sip_responses::SipResponses, Debug, Clone, Copy, PartialEq, Eq)]
    #[sip(class = "6xx", handlers = false)]
    enum Global {
        BusyEverywhere,
        Decline,
        DoesNotExistAnywhere,
        #[sip(code = 606)]
        Refused,
        Unwanted,
        Rejected,
    }
    assert_eq!(
        StatusCode::from(Global::Refused),
        StatusCode::NotAcceptableAnywhere
    );
    assert_eq!(
        Global::try_from(StatusCode::NotAcceptableAnywhere),
        Ok(Global::Refused)
    );
    assert_eq!(
        Global::try_from(StatusCode::Ok),
        Err(CodeError::Unknown(200))
    );
}
