// The crate docs are the README (every Rust example in it runs as a doctest), where its
// examples can run: with the `derive`, `serde`, `proto` and `alloc` features, as on docs.rs
// and in CI.
#![cfg_attr(all(feature = "derive", feature = "serde", feature = "proto", feature = "alloc"), doc = include_str!("../README.md"))]
#![cfg_attr(
    not(all(
        feature = "derive",
        feature = "serde",
        feature = "proto",
        feature = "alloc"
    )),
    doc = "SIP response codes as exhaustive, compiler-checked Rust types: the complete IANA \
           registry as [`StatusCode`] and one enum per class, handler traits with RFC 3261 \
           8.1.3.2 dispatch ([`ResponseHandler`]), [`Status`] and [`StatusLine`] for the wire, \
           [`Code`] for relays and [`q850`]; with the `proto` feature the sans-IO protocol \
           machines `reliable` and `proxy`. The full guide (the README) is the crate \
           documentation with the `derive`, `serde`, `proto` and `alloc` features, as on \
           docs.rs.\n\n\
           ```\n\
           use sip_responses::StatusCode;\n\
           assert_eq!(StatusCode::interpret(499), Ok(StatusCode::BadRequest));\n\
           ```"
)]
#![no_std]
#![deny(missing_docs, unsafe_code)]
#![warn(clippy::pedantic)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Everything but the macros lives in `sip-responses-core`, which compiles while syn and the
// proc macros do (serde's split into serde_core and serde): a derive user's build waits for
// the macros once, not for the macros and then these types.
#[doc(inline)]
pub use sip_responses_core::*;

#[cfg(feature = "derive")]
#[cfg_attr(docsrs, doc(cfg(feature = "derive")))]
pub use sip_responses_macros::{include_spec, SipResponses};

#[cfg(feature = "proto")]
#[cfg_attr(docsrs, doc(cfg(feature = "proto")))]
pub use sip_responses_proto::{proxy, reliable, transaction, T1};
