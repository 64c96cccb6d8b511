use core::fmt;

/// The class of a response code: its first digit (RFC 3261, Section 21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Class {
    /// 1xx: request received, continuing to process the request.
    Provisional = 1,
    /// 2xx: the action was successfully received, understood, and accepted.
    Success = 2,
    /// 3xx: further action needs to be taken in order to complete the request.
    Redirection = 3,
    /// 4xx: the request contains bad syntax or cannot be fulfilled at this server.
    ClientError = 4,
    /// 5xx: the server failed to fulfill an apparently valid request.
    ServerError = 5,
    /// 6xx: the request cannot be fulfilled at any server.
    GlobalFailure = 6,
}

impl Class {
    /// All six classes, in order.
    pub const ALL: [Class; 6] = [
        Class::Provisional,
        Class::Success,
        Class::Redirection,
        Class::ClientError,
        Class::ServerError,
        Class::GlobalFailure,
    ];

    /// The class of `code`, or `None` outside 100..=699.
    #[must_use]
    #[inline]
    pub const fn from_code(code: u16) -> Option<Class> {
        match code {
            100..=199 => Some(Class::Provisional),
            200..=299 => Some(Class::Success),
            300..=399 => Some(Class::Redirection),
            400..=499 => Some(Class::ClientError),
            500..=599 => Some(Class::ServerError),
            600..=699 => Some(Class::GlobalFailure),
            _ => None,
        }
    }

    /// The class digit, 1..=6.
    #[must_use]
    #[inline]
    pub const fn digit(self) -> u8 {
        self as u8
    }

    /// Whether responses of this class end a transaction (every class but 1xx).
    #[must_use]
    #[inline]
    pub const fn is_final(self) -> bool {
        !matches!(self, Class::Provisional)
    }

    /// The code an unknown code of this class is treated as (RFC 3261, Section 8.1.3.2):
    /// 183 Session Progress for 1xx, x00 for the final classes.
    #[must_use]
    #[inline]
    pub const fn fallback(self) -> u16 {
        crate::rules::fallback(self as u16 * 100)
    }

    /// The class's name in RFC 3261's words, e.g. "Client Error".
    #[must_use]
    #[inline]
    pub const fn name(self) -> &'static str {
        match self {
            Class::Provisional => "Provisional",
            Class::Success => "Success",
            Class::Redirection => "Redirection",
            Class::ClientError => "Client Error",
            Class::ServerError => "Server Error",
            Class::GlobalFailure => "Global Failure",
        }
    }
}

impl fmt::Display for Class {
    /// Writes the class as `1xx` .. `6xx`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::Provisional => "1xx",
            Class::Success => "2xx",
            Class::Redirection => "3xx",
            Class::ClientError => "4xx",
            Class::ServerError => "5xx",
            Class::GlobalFailure => "6xx",
        })
    }
}
