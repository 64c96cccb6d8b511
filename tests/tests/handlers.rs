//! ResponseHandler applies RFC 3261 8.1.3.2 at run time: final codes default to their
//! class's x00 method, unknown codes are interpreted first.

use sip_responses::{CodeError, Provisional, ProvisionalHandler, ResponseHandler, StatusCode};

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
    assert_eq!(
        SmallStatus::dispatch_code(404, &mut H, ()),
        Err(CodeError::NoFallback(404))
    );
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
    }
    assert_eq!(Common::BusyHere.dispatch(&mut H, ()), "on_bad_request");
    assert_eq!(Common::dispatch_code(499, &mut H, ()), Ok("on_bad_request"));
}
