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
