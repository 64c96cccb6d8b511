//! `ResponseHandler` applies RFC 3261 8.1.3.2 at run time: final codes default to their
//! class's x00 method, unknown codes are interpreted first; a set without a class's target
//! has an `on_other_*` method for that class, and a class enum refuses the other classes.

use sip_responses::{
    CodeError, Provisional, ProvisionalHandler, RawCode, ResponseHandler, StatusCode,
};

/// Implements only the required methods: every 1xx and each class's x00.
struct Minimal;

impl ResponseHandler<u16> for Minimal {
    type Output = String;
    fn on_trying(&mut self, wire: u16) -> String {
        format!("{wire} -> on_trying")
    }
    fn on_ringing(&mut self, wire: u16) -> String {
        format!("{wire} -> on_ringing")
    }
    fn on_call_is_being_forwarded(&mut self, wire: u16) -> String {
        format!("{wire} -> on_call_is_being_forwarded")
    }
    fn on_queued(&mut self, wire: u16) -> String {
        format!("{wire} -> on_queued")
    }
    fn on_session_progress(&mut self, wire: u16) -> String {
        format!("{wire} -> on_session_progress")
    }
    fn on_early_dialog_terminated(&mut self, wire: u16) -> String {
        format!("{wire} -> on_early_dialog_terminated")
    }
    fn on_ok(&mut self, wire: u16) -> String {
        format!("{wire} -> on_ok")
    }
    fn on_multiple_choices(&mut self, wire: u16) -> String {
        format!("{wire} -> on_multiple_choices")
    }
    fn on_bad_request(&mut self, wire: u16) -> String {
        format!("{wire} -> on_bad_request")
    }
    fn on_server_internal_error(&mut self, wire: u16) -> String {
        format!("{wire} -> on_server_internal_error")
    }
    fn on_busy_everywhere(&mut self, wire: u16) -> String {
        format!("{wire} -> on_busy_everywhere")
    }
}

/// The same, plus an override of 486.
struct BusyAware(Minimal);

impl ResponseHandler<u16> for BusyAware {
    type Output = String;
    fn on_trying(&mut self, w: u16) -> String {
        self.0.on_trying(w)
    }
    fn on_ringing(&mut self, w: u16) -> String {
        self.0.on_ringing(w)
    }
    fn on_call_is_being_forwarded(&mut self, w: u16) -> String {
        self.0.on_call_is_being_forwarded(w)
    }
    fn on_queued(&mut self, w: u16) -> String {
        self.0.on_queued(w)
    }
    fn on_session_progress(&mut self, w: u16) -> String {
        self.0.on_session_progress(w)
    }
    fn on_early_dialog_terminated(&mut self, w: u16) -> String {
        self.0.on_early_dialog_terminated(w)
    }
    fn on_ok(&mut self, w: u16) -> String {
        self.0.on_ok(w)
    }
    fn on_multiple_choices(&mut self, w: u16) -> String {
        self.0.on_multiple_choices(w)
    }
    fn on_bad_request(&mut self, w: u16) -> String {
        self.0.on_bad_request(w)
    }
    fn on_server_internal_error(&mut self, w: u16) -> String {
        self.0.on_server_internal_error(w)
    }
    fn on_busy_everywhere(&mut self, w: u16) -> String {
        self.0.on_busy_everywhere(w)
    }
    fn on_busy_here(&mut self, w: u16) -> String {
        format!("{w} -> on_busy_here")
    }
}

fn dispatch(
    handler: &mut impl ResponseHandler<u16, Output = String>,
    wire: u16,
) -> Result<String, CodeError> {
    StatusCode::dispatch_code(wire, handler, wire)
}

#[test]
fn final_codes_fall_back_to_their_class_x00() {
    assert_eq!(
        dispatch(&mut Minimal, 486).unwrap(),
        "486 -> on_bad_request"
    );
    assert_eq!(
        dispatch(&mut BusyAware(Minimal), 486).unwrap(),
        "486 -> on_busy_here"
    );
    assert_eq!(
        dispatch(&mut Minimal, 499).unwrap(),
        "499 -> on_bad_request"
    );
    assert_eq!(
        dispatch(&mut Minimal, 503).unwrap(),
        "503 -> on_server_internal_error"
    );
    assert_eq!(dispatch(&mut Minimal, 202).unwrap(), "202 -> on_ok");
    assert_eq!(
        dispatch(&mut Minimal, 699).unwrap(),
        "699 -> on_busy_everywhere"
    );
    assert_eq!(
        dispatch(&mut Minimal, 155).unwrap(),
        "155 -> on_session_progress"
    );
    assert_eq!(dispatch(&mut Minimal, 182).unwrap(), "182 -> on_queued");
    assert_eq!(dispatch(&mut Minimal, 700), Err(CodeError::OutOfRange(700)));
    assert_eq!(dispatch(&mut Minimal, 99), Err(CodeError::OutOfRange(99)));
}

#[test]
fn every_code_reaches_a_method() {
    for code in 100..=699 {
        let handled = dispatch(&mut Minimal, code).unwrap();
        assert!(handled.starts_with(&format!("{code} -> on_")), "{handled}");
    }
}

/// A spec without 199: 199 is interpreted as 183 and reaches its handler.
#[test]
fn unknown_provisional_reaches_183_in_a_spec_without_199() {
    use sip_responses_tests::small::{SmallResponseHandler, SmallStatus};
    struct H;
    impl SmallResponseHandler<()> for H {
        type Output = &'static str;
        fn on_trying(&mut self, (): ()) -> &'static str {
            "on_trying"
        }
        fn on_vendor_thinking(&mut self, (): ()) -> &'static str {
            "on_vendor_thinking"
        }
        fn on_session_progress(&mut self, (): ()) -> &'static str {
            "on_session_progress"
        }
        fn on_ok(&mut self, (): ()) -> &'static str {
            "on_ok"
        }
        // `handling = "required"` in the spec: no default.
        fn on_vendor_done(&mut self, (): ()) -> &'static str {
            "on_vendor_done"
        }
        // The classes the spec has no code of.
        fn on_other_redirection(&mut self, _: RawCode, (): ()) -> &'static str {
            "on_other_redirection"
        }
        fn on_other_client_error(&mut self, _: RawCode, (): ()) -> &'static str {
            "on_other_client_error"
        }
        fn on_other_server_error(&mut self, _: RawCode, (): ()) -> &'static str {
            "on_other_server_error"
        }
        fn on_other_global_failure(&mut self, _: RawCode, (): ()) -> &'static str {
            "on_other_global_failure"
        }
    }
    assert_eq!(SmallStatus::from_u16(199), None);
    assert_eq!(
        SmallStatus::dispatch_code(199, &mut H, ()),
        Ok("on_session_progress")
    );
    assert_eq!(SmallStatus::dispatch_code(250, &mut H, ()), Ok("on_ok"));
    assert_eq!(
        SmallStatus::dispatch_code(299, &mut H, ()),
        Ok("on_vendor_done")
    );
    // The spec has no 3xx to 6xx code: `interpret` has no value for 404, and the handler's
    // `on_other_client_error` has it.
    assert_eq!(SmallStatus::interpret(404), Err(CodeError::NoFallback(404)));
    assert_eq!(
        SmallStatus::dispatch_code(404, &mut H, ()),
        Ok("on_other_client_error")
    );
    for code in 100..=699 {
        assert!(
            SmallStatus::dispatch_code(code, &mut H, ()).is_ok(),
            "{code}"
        );
    }
}

#[test]
fn provisional_handler_dispatches_each_code() {
    struct P;
    impl ProvisionalHandler<()> for P {
        type Output = u16;
        fn on_trying(&mut self, (): ()) -> u16 {
            100
        }
        fn on_ringing(&mut self, (): ()) -> u16 {
            180
        }
        fn on_call_is_being_forwarded(&mut self, (): ()) -> u16 {
            181
        }
        fn on_queued(&mut self, (): ()) -> u16 {
            182
        }
        fn on_session_progress(&mut self, (): ()) -> u16 {
            183
        }
        fn on_early_dialog_terminated(&mut self, (): ()) -> u16 {
            199
        }
    }
    for &code in Provisional::ALL {
        assert_eq!(code.dispatch(&mut P, ()), code.code());
    }
}

#[test]
fn derived_enums_get_a_handler_trait() {
    use sip_responses_tests::derived::{Common, CommonHandler};
    struct H;
    impl CommonHandler<()> for H {
        type Output = &'static str;
        fn on_ringing(&mut self, (): ()) -> &'static str {
            "on_ringing"
        }
        fn on_ok(&mut self, (): ()) -> &'static str {
            "on_ok"
        }
        fn on_bad_request(&mut self, (): ()) -> &'static str {
            "on_bad_request"
        }
        // `Common` lacks 183, 300, 500 and 600.
        fn on_other_provisional(&mut self, _: RawCode, (): ()) -> &'static str {
            "on_other_provisional"
        }
        fn on_other_redirection(&mut self, _: RawCode, (): ()) -> &'static str {
            "on_other_redirection"
        }
        fn on_other_server_error(&mut self, _: RawCode, (): ()) -> &'static str {
            "on_other_server_error"
        }
        fn on_other_global_failure(&mut self, _: RawCode, (): ()) -> &'static str {
            "on_other_global_failure"
        }
    }
    assert_eq!(Common::BusyHere.dispatch(&mut H, ()), "on_bad_request");
    assert_eq!(Common::dispatch_code(499, &mut H, ()), Ok("on_bad_request"));
    assert_eq!(
        Common::dispatch_code(183, &mut H, ()),
        Ok("on_other_provisional")
    );
    assert_eq!(Common::dispatch_code(180, &mut H, ()), Ok("on_ringing"));
    assert_eq!(
        Common::dispatch_code(503, &mut H, ()),
        Ok("on_other_server_error")
    );
}

/// Issue 7's subsets: derived enums that lack the RFC 3261 8.1.3.2 target of a class (183,
/// or an x00). Their handlers have an `on_other_*` method for each such class, given the
/// code that arrived, so `dispatch_code` reaches a method for every code in 100..=699.
mod subsets {
    use sip_responses::SipResponses;

    /// Two rejections: no 183, and no x00 of any class.
    #[derive(SipResponses, Debug, PartialEq)]
    pub enum Rejections {
        BusyHere,
        Decline,
    }

    /// Two provisionals: no 183, and no final code.
    #[derive(SipResponses, Debug, PartialEq)]
    pub enum Early {
        Trying,
        Ringing,
    }
}
use subsets::{Early, EarlyHandler, Rejections, RejectionsHandler};

/// Each `on_other_*` method, checking that the code it is given is the one that arrived.
macro_rules! on_other {
    ($($method:ident)*) => {$(
        fn $method(&mut self, code: RawCode, wire: u16) -> String {
            assert_eq!(u16::from(code), wire);
            format!("{wire} -> {}", stringify!($method))
        }
    )*};
}

struct Rejecter;

impl RejectionsHandler<u16> for Rejecter {
    type Output = String;
    fn on_busy_here(&mut self, wire: u16) -> String {
        format!("{wire} -> on_busy_here")
    }
    fn on_decline(&mut self, wire: u16) -> String {
        format!("{wire} -> on_decline")
    }
    on_other! {
        on_other_provisional on_other_success on_other_redirection on_other_client_error
        on_other_server_error on_other_global_failure
    }
}

struct EarlyClient;

impl EarlyHandler<u16> for EarlyClient {
    type Output = String;
    fn on_trying(&mut self, wire: u16) -> String {
        format!("{wire} -> on_trying")
    }
    fn on_ringing(&mut self, wire: u16) -> String {
        format!("{wire} -> on_ringing")
    }
    on_other! {
        on_other_provisional on_other_success on_other_redirection on_other_client_error
        on_other_server_error on_other_global_failure
    }
}

/// The method `dispatch_code` of a subset must reach for `code`: the code's own, or its
/// class's `on_other_*` (no subset here has a class's 8.1.3.2 target).
fn expected(own: &[(u16, &str)], code: u16) -> String {
    let method = own.iter().find(|(c, _)| *c == code).map_or_else(
        || {
            let class = [
                "provisional",
                "success",
                "redirection",
                "client_error",
                "server_error",
                "global_failure",
            ];
            format!("on_other_{}", class[usize::from(code / 100 - 1)])
        },
        |(_, m)| (*m).to_owned(),
    );
    format!("{code} -> {method}")
}

#[test]
fn every_code_reaches_a_method_of_a_subset() {
    for code in 100..=699 {
        assert_eq!(
            Rejections::dispatch_code(code, &mut Rejecter, code),
            Ok(expected(
                &[(486, "on_busy_here"), (603, "on_decline")],
                code
            ))
        );
        assert_eq!(
            Early::dispatch_code(code, &mut EarlyClient, code),
            Ok(expected(&[(100, "on_trying"), (180, "on_ringing")], code))
        );
    }
    for code in [0, 99, 700, 999, u16::MAX] {
        assert_eq!(
            Rejections::dispatch_code(code, &mut Rejecter, code),
            Err(CodeError::OutOfRange(code))
        );
        assert_eq!(
            Early::dispatch_code(code, &mut EarlyClient, code),
            Err(CodeError::OutOfRange(code))
        );
    }
}

#[test]
fn the_issues_cases_reach_the_methods_they_name() {
    // 487 would be 400, which `Rejections` lacks.
    assert_eq!(
        Rejections::dispatch_code(487, &mut Rejecter, 487).as_deref(),
        Ok("487 -> on_other_client_error")
    );
    assert_eq!(
        Rejections::dispatch_code(486, &mut Rejecter, 486).as_deref(),
        Ok("486 -> on_busy_here")
    );
    // 182, 183 and an unknown 155 would be 183, which `Early` lacks.
    for code in [182, 183, 155] {
        assert_eq!(
            Early::dispatch_code(code, &mut EarlyClient, code),
            Ok(format!("{code} -> on_other_provisional"))
        );
    }
    // `interpret` gives a value of the set, and has none for them.
    assert_eq!(Rejections::interpret(487), Err(CodeError::NoFallback(487)));
    assert_eq!(Early::interpret(183), Err(CodeError::NoFallback(183)));
}

/// A class enum's handler has the methods of its class only: a code of another class is
/// `CodeError::OtherClass`, whether the set knows it (486) or not (499).
#[test]
fn a_class_enum_refuses_a_code_of_another_class() {
    struct P;
    impl ProvisionalHandler<u16> for P {
        type Output = u16;
        fn on_trying(&mut self, _: u16) -> u16 {
            100
        }
        fn on_ringing(&mut self, _: u16) -> u16 {
            180
        }
        fn on_call_is_being_forwarded(&mut self, _: u16) -> u16 {
            181
        }
        fn on_queued(&mut self, _: u16) -> u16 {
            182
        }
        fn on_session_progress(&mut self, _: u16) -> u16 {
            183
        }
        fn on_early_dialog_terminated(&mut self, _: u16) -> u16 {
            199
        }
    }
    for code in 100..=199 {
        let reached = Provisional::dispatch_code(code, &mut P, code).unwrap();
        assert_eq!(
            reached,
            Provisional::from_u16(code).map_or(183, Provisional::code)
        );
    }
    for code in 200..=699 {
        assert_eq!(
            Provisional::dispatch_code(code, &mut P, code),
            Err(CodeError::OtherClass(code))
        );
    }
    assert_eq!(
        Provisional::dispatch_code(700, &mut P, 700),
        Err(CodeError::OutOfRange(700))
    );
    assert_eq!(CodeError::OtherClass(486).code(), 486);
    assert_eq!(
        CodeError::OtherClass(486).to_string(),
        "status code 486 is of a class this set of response codes does not stand for"
    );
    // A derived enum that stands for 1xx only (`#[sip(class = "1xx")]`) answers the same.
    let mut log = Log(Vec::new());
    assert_eq!(
        sip_responses_tests::derived::Bare::dispatch_code(486, &mut log, ()),
        Err(CodeError::OtherClass(486))
    );
    assert!(log.0.is_empty());
}

/// Records the codes a handler of the 1xx-only `Bare` is given.
struct Log(Vec<u16>);

impl sip_responses_tests::derived::BareHandler<()> for Log {
    type Output = ();
    fn on_trying(&mut self, (): ()) {
        self.0.push(100);
    }
    fn on_ringing(&mut self, (): ()) {
        self.0.push(180);
    }
    fn on_call_is_being_forwarded(&mut self, (): ()) {
        self.0.push(181);
    }
    fn on_queued(&mut self, (): ()) {
        self.0.push(182);
    }
    fn on_session_progress(&mut self, (): ()) {
        self.0.push(183);
    }
    fn on_early_dialog_terminated(&mut self, (): ()) {
        self.0.push(199);
    }
}
