//! Header requirements as data: what each code's defining RFC says a response carries, read
//! through the `ResponseCode` trait as well as the inherent methods; and the spec grammar of
//! `headers`, with its located errors.

use sip_responses::{HeaderRequirement, RequirementLevel, ResponseCode, StatusCode};
use sip_responses_codegen::Spec;

use RequirementLevel::{Must, Should};

/// Every requirement of the bundled spec: code, level, field(s), and the sentence that says
/// so. Codes not listed carry no requirement.
const FOUND: &[(u16, RequirementLevel, &[&str], &str)] = &[
    (199, Must, &["Reason"], "RFC 6228, Section 5: \"When a UAS generates a 199 response, ... The UAS MUST also insert a Reason header field [RFC3326] that contains a response code\"; Section 6 says the same of a forking proxy"),
    (300, Should, &["Contact"], "RFC 3261, Section 21.3.1: \"The choices SHOULD also be listed as Contact fields (Section 20.10).\""),
    (305, Must, &["Contact"], "RFC 3261, Section 21.3.4: \"The requested resource MUST be accessed through the proxy given by the Contact field.\""),
    (401, Must, &["WWW-Authenticate"], "RFC 3261, Section 22.2: \"The WWW-Authenticate response-header field MUST be included in 401 (Unauthorized) response messages.\" (Table 3: m)"),
    (405, Must, &["Allow"], "RFC 3261, Section 21.4.6: \"The response MUST include an Allow header field containing a list of valid methods for the indicated address.\" (Table 2: m)"),
    (407, Must, &["Proxy-Authenticate"], "RFC 3261, Section 22.3: \"The proxy MUST populate the 407 (Proxy Authentication Required) message with a Proxy-Authenticate header field value\" (Table 3: m)"),
    (413, Should, &["Retry-After"], "RFC 3261, Section 21.4.11: \"If the condition is temporary, the server SHOULD include a Retry-After header field\""),
    (415, Must, &["Accept", "Accept-Encoding", "Accept-Language"], "RFC 3261, Section 21.4.13: \"The server MUST return a list of acceptable formats using the Accept, Accept-Encoding, or Accept-Language header field, depending on the specific problem with the content.\" (Table 2: c for each)"),
    (420, Must, &["Unsupported"], "RFC 3261, Section 21.4.15: \"The server MUST include a list of the unsupported extensions in an Unsupported header field in the response.\" (Table 3: m)"),
    (421, Must, &["Require"], "RFC 3261, Section 21.4.16: \"Responses with this status code MUST contain a Require header field listing the required extensions.\""),
    (422, Must, &["Min-SE"], "RFC 4028, Section 6: \"The 422 response MUST contain a Min-SE header field with the minimum timer for that server.\""),
    (423, Must, &["Min-Expires"], "RFC 3261, Section 10.3, step 7: \"This response MUST contain a Min-Expires header field that states the minimum expiration interval the registrar is willing to honor.\" (Table 2: m for REGISTER)"),
    (424, Must, &["Geolocation-Error"], "RFC 6442, Section 4.3: \"Section 4.4 describes a Geolocation-Error header field ... This header field MUST be included in the 424 response.\""),
    (469, Must, &["Recv-Info"], "RFC 6086, Section 4.2.2: \"the UA MUST send a 469 (Bad Info Package) response (see Section 11.6), which contains a Recv-Info header field\" (its Table 2: m*)"),
    (470, Should, &["Permission-Missing"], "RFC 5360, Section 5.9.2: \"A user agent server generating a 470 (Consent Needed) response SHOULD include a Permission-Missing header field in it.\""),
    (494, Must, &["Security-Server"], "RFC 3329, Section 2.3.1: \"The server MUST add a Security-Server header field to this response listing the security mechanisms that the server supports.\""),
];

/// Generic code over any set: what a response with `code` still lacks, given the header
/// fields it has. Neither method is reachable without the trait.
fn missing<C: ResponseCode>(code: &C, present: &[&str]) -> Vec<HeaderRequirement> {
    code.header_requirements()
        .iter()
        .filter(|r| r.level() == Must && !r.is_met_by(present.iter().copied()))
        .copied()
        .collect()
}

fn must_carry<C: ResponseCode>(code: &C) -> &'static [&'static str] {
    code.required_headers()
}

#[test]
fn every_requirement_found_in_the_rfcs_is_in_the_generated_set() {
    for code in StatusCode::ALL {
        let want: Vec<(RequirementLevel, &[&str])> = FOUND
            .iter()
            .filter(|(c, ..)| *c == code.code())
            .map(|(_, level, one_of, _)| (*level, *one_of))
            .collect();
        let got: Vec<(RequirementLevel, &[&str])> = code
            .header_requirements()
            .iter()
            .map(|r| (r.level(), r.one_of()))
            .collect();
        let why: Vec<&str> = FOUND
            .iter()
            .filter(|(c, ..)| *c == code.code())
            .map(|(.., why)| *why)
            .collect();
        assert_eq!(got, want, "{code}: {why:?}");
        // Through the trait, the same data.
        assert_eq!(
            ResponseCode::header_requirements(code),
            code.header_requirements()
        );
        // `required_headers`: the MUSTs that name one field.
        let single_musts: Vec<&str> = want
            .iter()
            .filter(|(level, one_of)| *level == Must && one_of.len() == 1)
            .map(|(_, one_of)| one_of[0])
            .collect();
        assert_eq!(must_carry(code), single_musts.as_slice(), "{code}");
        assert_eq!(code.required_headers(), single_musts.as_slice(), "{code}");
    }
}

#[test]
fn generic_code_reads_requirements_through_the_trait() {
    assert_eq!(
        missing(&StatusCode::MethodNotAllowed, &["Via"]),
        [HeaderRequirement::must(&["Allow"])]
    );
    assert!(missing(&StatusCode::MethodNotAllowed, &["allow"]).is_empty());
    // One of three is enough.
    let one_of = missing(&StatusCode::UnsupportedMediaType, &[]);
    assert_eq!(one_of.len(), 1);
    assert_eq!(
        one_of[0].to_string(),
        "MUST one of Accept, Accept-Encoding, Accept-Language"
    );
    assert!(missing(&StatusCode::UnsupportedMediaType, &["Accept-Language"]).is_empty());
    // A SHOULD is not missing in this sense, but it is there to read.
    assert!(missing(&StatusCode::ConsentNeeded, &[]).is_empty());
    assert_eq!(
        StatusCode::ConsentNeeded.header_requirements()[0].to_string(),
        "SHOULD Permission-Missing"
    );
    // Class enums delegate.
    assert_eq!(
        missing(&sip_responses::ClientError::BadInfoPackage, &[]),
        [HeaderRequirement::must(&["Recv-Info"])]
    );
    assert_eq!(
        must_carry(&sip_responses::Provisional::EarlyDialogTerminated),
        ["Reason"]
    );
    assert_eq!(must_carry(&StatusCode::UseProxy), ["Contact"]);
}

/// A derived enum carries its spec's requirements through the same trait.
#[test]
fn a_derived_enum_has_the_requirements_of_its_spec() {
    #[derive(sip_responses::SipResponses)]
    #[sip(handlers = false)]
    enum Few {
        Ok,
        UseProxy,
        UnsupportedMediaType,
    }
    assert_eq!(must_carry(&Few::UseProxy), ["Contact"]);
    assert_eq!(missing(&Few::Ok, &[]), []);
    assert_eq!(
        Few::UnsupportedMediaType.header_requirements(),
        StatusCode::UnsupportedMediaType.header_requirements()
    );
}

/// `headers` in a spec: names, `{ name, level }`, `{ one-of, level }`, inherited unless
/// overridden.
#[test]
fn the_spec_grammar_of_headers() {
    let spec = Spec::parse(
        "t.toml",
        r#"
[spec]
name = "t"
[[response]]
code = 200
reason = "OK"
reference = "R"
description = "D"
headers = ["Contact", { name = "Allow", level = "should" }, { one-of = ["Accept", "Supported"], level = "must" }]
"#,
    )
    .unwrap();
    let r = spec.get(200).unwrap();
    assert_eq!(r.headers, ["Contact"]);
    let described: Vec<String> = r
        .header_requirements
        .iter()
        .map(sip_responses_codegen::HeaderRequirement::describe)
        .collect();
    assert_eq!(
        described,
        [
            "MUST Contact",
            "SHOULD Allow",
            "MUST one of Accept, Supported"
        ]
    );
}

fn errors(text: &str) -> Vec<String> {
    match Spec::parse("t.toml", text) {
        Ok(_) => panic!("spec was accepted:\n{text}"),
        Err(e) => e.diagnostics().iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn bad_headers_entries_are_located() {
    let head = "[spec]\nname = \"t\"\n[[response]]\ncode = 200\nreason = \"OK\"\nreference = \"R\"\ndescription = \"D\"\n";
    let cases: &[(&str, &str)] = &[
        (
            r#"headers = [{ one-of = ["Accept"] }]"#,
            "t.toml:8:23: `one-of` in a `headers` table of [[response]] 200 names fewer than two fields; write `name = \"...\"` for one",
        ),
        (
            r#"headers = [{ name = "Allow", level = "may" }]"#,
            "t.toml:8:38: `level` in a `headers` table of [[response]] 200 must be \"must\" or \"should\" (RFC 2119)",
        ),
        (
            r#"headers = [{ level = "must" }]"#,
            "t.toml:8:12: a `headers` table of [[response]] 200 needs `name = \"...\"` or `one-of = [...]`",
        ),
        (
            r#"headers = [{ name = "Allow", one-of = ["A", "B"] }]"#,
            "t.toml:8:12: a `headers` table of [[response]] 200 has both `name` and `one-of`: keep one",
        ),
        (
            r#"headers = [{ nam = "Allow" }]"#,
            "t.toml:8:14: unknown key `nam` in a `headers` table of [[response]] 200; expected one of: name, one-of, level",
        ),
        (
            r#"headers = ["Allow", { one-of = ["allow", "Accept"] }]"#,
            "t.toml:8:33: `allow` is named twice in `headers` of [[response]] 200",
        ),
        (
            r#"headers = ["Al low"]"#,
            "t.toml:8:12: `Al low` is not a header field name (RFC 3261 token)",
        ),
        (
            r"headers = [3]",
            "t.toml:8:12: `headers` in [[response]] 200 must be a header field name or a table ({ name = \"...\" }, { one-of = [...] }), found integer",
        ),
    ];
    let mut wrong = Vec::new();
    for (line, want) in cases {
        let got = errors(&format!("{head}{line}\n"));
        if got != [*want] {
            wrong.push(format!("{line}\n  got:  {got:?}\n  want: {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
