//! The `serde` feature as a downstream crate uses it (`features = ["serde"]`, `serde_json`).

use serde::{Deserialize, Serialize};
use sip_responses::{Class, ClientError, RawCode, StatusCode};

/// Issue 12's program, as written.
#[test]
fn failover_program() {
    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Failover {
        on: Vec<StatusCode>,
        #[serde(with = "sip_responses::serde::interpret")]
        upstream: StatusCode,
    }
    // a code is a number, like http-serde does for HTTP
    assert_eq!(serde_json::to_string(&StatusCode::Ringing).unwrap(), "180");
    // strings "486" and "486 Busy Here" (any reason) are read too
    assert_eq!(
        serde_json::from_str::<StatusCode>("\"486 Busy Here\"").unwrap(),
        StatusCode::BusyHere
    );
    // an unknown code is an error that names it; 8.1.3.2 only where asked for
    assert!(serde_json::from_str::<StatusCode>("499")
        .unwrap_err()
        .to_string()
        .contains("499"));
    let f: Failover = serde_json::from_str(r#"{"on": [486, "503"], "upstream": 499}"#).unwrap();
    assert_eq!(f.upstream, StatusCode::BadRequest);
    assert_eq!(f.on, [StatusCode::BusyHere, StatusCode::ServiceUnavailable]);
    assert_eq!(
        serde_json::to_string(&f).unwrap(),
        r#"{"on":[486,503],"upstream":400}"#
    );
}

#[test]
fn every_code_round_trips_as_a_number_and_as_text() {
    for &code in StatusCode::ALL {
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, code.code().to_string());
        assert_eq!(serde_json::from_str::<StatusCode>(&json).unwrap(), code);
        let text = format!("\"{}\"", code.as_str());
        assert_eq!(serde_json::from_str::<StatusCode>(&text).unwrap(), code);
    }
}

#[test]
fn class_enums_class_and_raw_codes() {
    assert_eq!(
        serde_json::to_string(&ClientError::BusyHere).unwrap(),
        "486"
    );
    assert_eq!(
        serde_json::from_str::<ClientError>("486").unwrap(),
        ClientError::BusyHere
    );
    let e = serde_json::from_str::<ClientError>("503")
        .unwrap_err()
        .to_string();
    assert!(e.contains("503"), "{e}");
    assert_eq!(
        serde_json::to_string(&Class::ClientError).unwrap(),
        "\"4xx\""
    );
    assert_eq!(
        serde_json::from_str::<Class>("\"6xx\"").unwrap(),
        Class::GlobalFailure
    );
    assert!(serde_json::from_str::<Class>("\"7xx\"").is_err());
    assert_eq!(
        serde_json::to_string(&RawCode::new(499).unwrap()).unwrap(),
        "499"
    );
    assert_eq!(
        serde_json::from_str::<RawCode>("\"499 Vendor\"")
            .unwrap()
            .get(),
        499
    );
    let e = serde_json::from_str::<RawCode>("799")
        .unwrap_err()
        .to_string();
    assert!(e.contains("799"), "{e}");
}

#[test]
fn bad_input_says_what_is_wrong() {
    for (input, want) in [
        ("70000", "70000 is not a SIP status code"),
        ("-1", "-1 is not a SIP status code"),
        ("\"abc\"", "three digits"),
        ("true", "a SIP status code"),
        ("\"486\\r\\nVia: x\"", "single space at byte 3"),
        ("\"486 Busy\\r\\nVia: x\"", "control character"),
    ] {
        let e = serde_json::from_str::<StatusCode>(input)
            .unwrap_err()
            .to_string();
        assert!(e.contains(want), "{input}: {e}");
    }
}

#[test]
fn as_str_writes_the_status_text() {
    #[derive(Serialize, Deserialize)]
    struct Row {
        #[serde(with = "sip_responses::serde::as_str")]
        code: StatusCode,
    }
    let json = serde_json::to_string(&Row {
        code: StatusCode::BusyHere,
    })
    .unwrap();
    assert_eq!(json, r#"{"code":"486 Busy Here"}"#);
    let row: Row = serde_json::from_str(&json).unwrap();
    assert_eq!(row.code, StatusCode::BusyHere);
}

/// The `serde` option gives a user's generated set the same impls.
#[test]
fn generated_sets_with_the_serde_option() {
    use sip_responses_tests::gateway_vendor::{VendorClientError, VendorStatus};
    assert_eq!(
        serde_json::to_string(&VendorStatus::BusyHere).unwrap(),
        "486"
    );
    assert_eq!(
        serde_json::from_str::<VendorStatus>("\"486 Anything\"").unwrap(),
        VendorStatus::BusyHere
    );
    assert_eq!(
        serde_json::from_str::<VendorClientError>("404").unwrap(),
        VendorClientError::NotFound
    );
}

/// Every serde path through a format that is not self-describing (postcard: it reads what it
/// is told to read) and through JSON, for every registry code: the default (a number),
/// `interpret`, `as_str`, the three `option` helpers with `Some` and `None`, the class enums,
/// `Class`, `RawCode` and a generated set with the `serde` option.
#[test]
fn every_serde_path_round_trips_in_a_binary_format_and_in_json() {
    use sip_responses_tests::gateway_vendor::VendorStatus;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Every {
        plain: StatusCode,
        #[serde(with = "sip_responses::serde::interpret")]
        interpreted: StatusCode,
        #[serde(with = "sip_responses::serde::as_str")]
        text: StatusCode,
        #[serde(with = "sip_responses::serde::option")]
        some: Option<StatusCode>,
        #[serde(with = "sip_responses::serde::option")]
        none: Option<StatusCode>,
        #[serde(with = "sip_responses::serde::option::interpret")]
        some_interpreted: Option<StatusCode>,
        #[serde(with = "sip_responses::serde::option::as_str")]
        some_text: Option<StatusCode>,
        #[serde(with = "sip_responses::serde::option::as_str")]
        none_text: Option<StatusCode>,
        class: Class,
        raw: RawCode,
        client: Option<ClientError>,
        vendor: Option<VendorStatus>,
        list: Vec<StatusCode>,
    }

    for &code in StatusCode::ALL {
        let every = Every {
            plain: code,
            interpreted: code,
            text: code,
            some: Some(code),
            none: None,
            some_interpreted: Some(code),
            some_text: Some(code),
            none_text: None,
            class: code.class(),
            raw: RawCode::new(code.code()).unwrap(),
            client: ClientError::try_from(code).ok(),
            vendor: VendorStatus::from_u16(code.code()),
            list: vec![code, StatusCode::Ok],
        };
        let bytes = postcard::to_allocvec(&every).unwrap();
        assert_eq!(
            postcard::from_bytes::<Every>(&bytes).unwrap(),
            every,
            "{code}"
        );
        let json = serde_json::to_string(&every).unwrap();
        assert_eq!(
            serde_json::from_str::<Every>(&json).unwrap(),
            every,
            "{code}"
        );
    }
    // In postcard, `as_str` is the text itself and the number is a varint: each is read back
    // as written, and an unknown code is still an error that names it.
    let text = postcard::to_allocvec(&"499 Vendor Busy").unwrap();
    #[derive(Deserialize, Debug)]
    struct Text {
        #[serde(with = "sip_responses::serde::as_str")]
        #[allow(dead_code)]
        code: StatusCode,
    }
    assert!(postcard::from_bytes::<Text>(&text).is_err());
    #[derive(Deserialize, Debug, PartialEq)]
    struct Interpreted {
        #[serde(with = "sip_responses::serde::interpret")]
        code: StatusCode,
    }
    let number = postcard::to_allocvec(&499u16).unwrap();
    assert_eq!(
        postcard::from_bytes::<Interpreted>(&number).unwrap(),
        Interpreted {
            code: StatusCode::BadRequest
        }
    );
}
