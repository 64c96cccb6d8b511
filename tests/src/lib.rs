//! Types the integration tests use, compiled the strictest way a user might:
//! `#![deny(warnings, missing_docs)]` and `clippy::pedantic`.
#![deny(warnings, missing_docs)]
#![warn(clippy::pedantic)]

/// A second, small spec through `include_spec!`: the generator is not tied to IANA.
pub mod small {
    sip_responses::include_spec! {
        path = "specs/small.toml",
        name = SmallStatus,
        prefix = Small,
        vis = pub,
    }
}

/// The same small spec again, under default names, to show two specs can live side by side.
pub mod small_default {
    sip_responses::include_spec!("specs/small.toml");
}

/// Derived enums over the bundled IANA spec.
pub mod derived {
    use sip_responses::SipResponses;

    /// Every provisional code: coverage is enforced.
    #[derive(SipResponses, Debug, Clone, Copy, PartialEq, Eq)]
    #[sip(class = "1xx")]
    pub enum Provisional {
        /// 100
        Trying,
        /// 180
        Ringing,
        /// 181
        CallIsBeingForwarded,
        /// 182, named explicitly.
        #[sip(code = 182)]
        InLine,
        /// 183
        SessionProgress,
        /// 199
        EarlyDialogTerminated,
    }

    /// Issue 3's example as people write it: no derives but ours, so not `Copy`, `Clone`,
    /// `Debug` or `PartialEq`. The derive must ask for nothing more.
    #[derive(SipResponses)]
    #[sip(class = "1xx")]
    pub enum Bare {
        /// 100
        Trying,
        /// 180
        Ringing,
        /// 181
        CallIsBeingForwarded,
        /// 182
        Queued,
        /// 183
        SessionProgress,
        /// 199
        EarlyDialogTerminated,
    }

    /// Every code of another spec, picked with `spec = "..."`.
    #[derive(SipResponses, Debug, Clone, Copy, PartialEq, Eq)]
    #[sip(all, spec = "specs/small.toml")]
    pub enum Small {
        /// 100
        Trying,
        /// 150
        VendorThinking,
        /// 183
        SessionProgress,
        /// 200
        Ok,
        /// 299
        VendorDone,
    }

    /// A subset, with the codes as discriminants.
    #[derive(SipResponses, Debug, Clone, Copy, PartialEq, Eq)]
    #[repr(u16)]
    pub enum Common {
        /// 200
        Ok = 200,
        /// 400
        BadRequest = 400,
        /// 486
        BusyHere = 486,
        /// 180
        Ringing = 180,
    }
}

/// The bodies of the fuzz targets (`fuzz/`), shared with the stable regression test that
/// replays their corpora. Each must return normally for every input.
pub mod fuzz {
    use sip_responses::{StatusCode, StatusLine};
    use sip_responses_codegen::{generate_spec, Options, Spec};

    /// The RSeq and RAck parsers (RFC 3262): no panic; what parses is what its digits and
    /// token say (32-bit numbers, the method as written: method names are case-sensitive),
    /// its only line breaks are folds (`LWS = [*WSP CRLF] 1*WSP`, also in the `SWS` before
    /// the value), and it writes back to a
    /// value that parses to the same thing; `FromStr` accepts exactly the known methods,
    /// spelled exactly.
    ///
    /// # Panics
    /// When a parsed value breaks an invariant.
    pub fn rseq_rack(data: &[u8]) {
        use sip_responses::reliable::{HeaderErrorKind, RAck, RSeq};
        /// The methods `RAck`'s `FromStr` borrows for `'static` (RFC 3261 and extensions).
        const KNOWN: [&str; 14] = [
            "INVITE",
            "ACK",
            "BYE",
            "CANCEL",
            "OPTIONS",
            "REGISTER",
            "PRACK",
            "SUBSCRIBE",
            "NOTIFY",
            "PUBLISH",
            "INFO",
            "REFER",
            "MESSAGE",
            "UPDATE",
        ];
        /// Every CR starts a CRLF followed by SP or HTAB, and every LF ends one.
        fn only_folds(text: &str) -> bool {
            let b = text.as_bytes();
            b.iter().enumerate().all(|(i, &c)| match c {
                b'\r' => b.get(i + 1) == Some(&b'\n') && matches!(b.get(i + 2), Some(b' ' | b'\t')),
                b'\n' => i > 0 && b[i - 1] == b'\r',
                _ => true,
            })
        }
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        match text.parse::<RSeq>() {
            Ok(rseq) => {
                // 1..=2^32-1, the digits between optional whitespace (before them, SWS,
                // which may fold).
                assert!(only_folds(text), "{text:?}");
                let digits = text.trim_matches([' ', '\t', '\r', '\n']);
                assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{text:?}");
                assert_eq!(digits.parse::<u32>(), Ok(rseq.get()));
                assert_eq!(rseq.to_string().parse::<RSeq>(), Ok(rseq));
                assert_eq!(rseq.header().to_string(), format!("RSeq: {rseq}"));
            }
            Err(e) => assert!(e.at() <= text.len(), "{e}"),
        }
        let parsed = RAck::parse(text);
        match parsed {
            Ok(rack) => {
                assert!(only_folds(text), "{text:?}");
                let parts: Vec<&str> = text.split_ascii_whitespace().collect();
                assert_eq!(parts.len(), 3, "{text:?}");
                assert_eq!(parts[0].parse::<u32>(), Ok(rack.rseq().get()));
                assert_eq!(parts[1].parse::<u32>(), Ok(rack.cseq()));
                assert_eq!(parts[2], rack.method(), "the method as written");
                let again = rack.to_string();
                assert_eq!(RAck::parse(&again), Ok(rack));
                assert_eq!(rack.header().to_string(), format!("RAck: {again}"));
            }
            Err(e) => assert!(e.at() <= text.len(), "{e}"),
        }
        // `FromStr` is `parse` restricted to the known methods, compared exactly.
        match (text.parse::<RAck<'static>>(), parsed) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b);
                assert!(KNOWN.contains(&a.method()));
            }
            (Err(e), Ok(b)) => {
                assert_eq!(e.kind(), HeaderErrorKind::UnknownMethod, "{text:?}");
                assert!(!KNOWN.contains(&b.method()));
            }
            (Err(e), Err(f)) => assert_eq!(e, f),
            (Ok(a), Err(f)) => panic!("FromStr accepted {a} where parse said {f}"),
        }
    }

    /// The lenient status-line parser against the strict one: no panic; where the strict
    /// parser accepts, the lenient one returns the same code, reason and end with nothing
    /// relaxed; where only the lenient one accepts, its code is one the strict grammar reads
    /// and its line is a prefix of the input ending in CRLF.
    ///
    /// # Panics
    /// When the two parsers disagree where they must not.
    pub fn lenient_status_line(data: &[u8]) {
        use sip_responses::LenientStatusLine;
        let strict = StatusLine::parse(data);
        let lenient = LenientStatusLine::parse(data);
        match (strict, lenient) {
            (Ok(s), Ok(l)) => {
                assert_eq!(s.code(), l.code());
                assert_eq!(s.reason_bytes(), l.reason_bytes());
                assert_eq!(s.end(), l.end());
                assert!(l.relaxed().is_strict());
            }
            (Ok(s), Err(e)) => panic!("strict accepts {s:?}, lenient refuses: {e}"),
            (Err(_), Ok(l)) => {
                assert!(!l.relaxed().is_strict(), "{l:?}");
                assert!((100..=699).contains(&l.code().get()));
                assert!(data.starts_with(l.as_bytes()));
                assert!(l.as_bytes().ends_with(b"\r\n"));
                assert!(!l.reason_bytes().contains(&0));
                assert!(!l.reason_bytes().contains(&b'\r'));
                assert!(!l.reason_bytes().contains(&b'\n'));
            }
            (Err(_), Err(_)) => {}
        }
    }

    /// The status-line parser: no panic, and a parsed reason borrows the input.
    ///
    /// # Panics
    /// When a parsed line breaks an invariant (that is the bug the fuzzer looks for).
    pub fn status_line(data: &[u8]) {
        if let Ok(line) = StatusLine::parse(data) {
            assert!((100..=699).contains(&line.code().get()));
            assert!(line.end() <= data.len());
            let reason = line.reason().as_bytes();
            let start = reason.as_ptr() as usize - data.as_ptr() as usize;
            assert_eq!(&data[start..start + reason.len()], reason);
            let _ = line.code().interpret::<StatusCode>();
        }
    }

    /// `FromStr` and `from_bytes` on the generated IANA enum agree and do not panic.
    ///
    /// # Panics
    /// When the two entry points disagree, or a parsed code does not print back.
    pub fn from_str(data: &[u8]) {
        let from_bytes = StatusCode::from_bytes(data);
        if let Ok(text) = core::str::from_utf8(data) {
            assert_eq!(text.parse::<StatusCode>(), from_bytes);
        }
        if let Ok(code) = from_bytes {
            assert!(data.starts_with(&code.as_str().as_bytes()[..3]));
        }
    }

    /// The spec parser and validator, then generation for a spec that passed: no panic on
    /// any text (a proc macro that panics gives the user no location).
    ///
    /// # Panics
    /// When a rejected spec carries no diagnostic.
    pub fn spec(data: &[u8]) {
        let Ok(text) = core::str::from_utf8(data) else {
            return;
        };
        match Spec::parse("fuzz.toml", text) {
            Ok(spec) => drop(generate_spec(&spec, &Options::default())),
            Err(e) => assert!(!e.diagnostics().is_empty()),
        }
    }
}

/// The accepted hostile specs (`hostile/accepted/`), each through `include_spec!`, some with
/// options: whatever `check` accepts compiles here under `#![deny(warnings, missing_docs)]`.
pub mod hostile {
    /// Line breaks of every kind in descriptions.
    pub mod crlf_prose {
        sip_responses::include_spec!("hostile/accepted/crlf_prose.toml");
    }
    /// Descriptions rustdoc would read as code, links or HTML.
    pub mod markdown_hazards {
        sip_responses::include_spec! { path = "hostile/accepted/markdown_hazards.toml", name = Hazard, prefix = Hazard }
    }
    /// Reason phrases at the edges of the grammar.
    pub mod unusual_reasons {
        sip_responses::include_spec!("hostile/accepted/unusual_reasons.toml");
    }
    /// Variants named like prelude items.
    pub mod prelude_names {
        sip_responses::include_spec! { path = "hostile/accepted/prelude_names.toml", handlers = false }
    }
    /// One class only.
    pub mod global_only {
        sip_responses::include_spec!("hostile/accepted/global_only.toml");
    }
    /// A vendor spec on the registry.
    pub mod vendor_on_iana {
        sip_responses::include_spec! { path = "hostile/accepted/vendor_on_iana.toml", name = Vendor, prefix = V }
    }
    /// A byte-order mark.
    pub mod bom {
        sip_responses::include_spec!("hostile/accepted/bom.toml");
    }
}

/// A gateway vendor's profile: its Q.850 mapping and proxy preferences, as data; with the
/// `serde` option.
pub mod gateway_vendor {
    sip_responses::include_spec! { path = "specs/gateway-vendor.toml", name = VendorStatus, prefix = Vendor, serde = true }
}

/// Every `include_spec!` option of the key table at once, with the runtime reached through a
/// renamed path (`crate = "..."`), as a crate that re-exports sip-responses would.
pub mod every_option {
    use ::sip_responses as runtime;

    runtime::include_spec! {
        path = "specs/small.toml",
        name = EveryStatus,
        prefix = Every,
        vis = pub,
        derive(serde::Serialize),
        attribute(non_exhaustive, doc(alias = "sip_status")),
        handlers = false,
        serde = false,
        crate = "runtime",
    }

    /// A derive reaching the runtime through the same renamed path, without handlers, with
    /// serde (a bare enum: no `Clone`, `Copy`).
    #[derive(runtime::SipResponses, Debug, PartialEq)]
    #[sip(crate = "runtime", handlers = false, serde = true)]
    pub enum Renamed {
        /// 200
        Ok,
        /// 486
        BusyHere,
    }
}
