//! The derived enums the benchmarks measure beside the generated `StatusCode`: every IANA code
//! on a bare `#[derive(SipResponses)]` enum (no `Clone`, no `Copy`), and a 1xx-only one.
#![allow(missing_docs)]

use sip_responses::SipResponses;

/// Every IANA code on a user's enum, declared in code order, with no derive but ours.
#[derive(SipResponses)]
#[sip(all)]
pub enum Derived {
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
    /// 200
    Ok,
    /// 202
    Accepted,
    /// 204
    NoNotification,
    /// 300
    MultipleChoices,
    /// 301
    MovedPermanently,
    /// 302
    MovedTemporarily,
    /// 305
    UseProxy,
    /// 380
    AlternativeService,
    /// 400
    BadRequest,
    /// 401
    Unauthorized,
    /// 402
    PaymentRequired,
    /// 403
    Forbidden,
    /// 404
    NotFound,
    /// 405
    MethodNotAllowed,
    /// 406
    NotAcceptable,
    /// 407
    ProxyAuthenticationRequired,
    /// 408
    RequestTimeout,
    /// 410
    Gone,
    /// 412
    ConditionalRequestFailed,
    /// 413
    RequestEntityTooLarge,
    /// 414
    RequestUriTooLong,
    /// 415
    UnsupportedMediaType,
    /// 416
    UnsupportedUriScheme,
    /// 417
    UnknownResourcePriority,
    /// 420
    BadExtension,
    /// 421
    ExtensionRequired,
    /// 422
    SessionIntervalTooSmall,
    /// 423
    IntervalTooBrief,
    /// 424
    BadLocationInformation,
    /// 425
    BadAlertMessage,
    /// 428
    UseIdentityHeader,
    /// 429
    ProvideReferrerIdentity,
    /// 430
    FlowFailed,
    /// 433
    AnonymityDisallowed,
    /// 436
    BadIdentityInfo,
    /// 437
    UnsupportedCredential,
    /// 438
    InvalidIdentityHeader,
    /// 439
    FirstHopLacksOutboundSupport,
    /// 440
    MaxBreadthExceeded,
    /// 469
    BadInfoPackage,
    /// 470
    ConsentNeeded,
    /// 480
    TemporarilyUnavailable,
    /// 481
    CallTransactionDoesNotExist,
    /// 482
    LoopDetected,
    /// 483
    TooManyHops,
    /// 484
    AddressIncomplete,
    /// 485
    Ambiguous,
    /// 486
    BusyHere,
    /// 487
    RequestTerminated,
    /// 488
    NotAcceptableHere,
    /// 489
    BadEvent,
    /// 491
    RequestPending,
    /// 493
    Undecipherable,
    /// 494
    SecurityAgreementRequired,
    /// 500
    ServerInternalError,
    /// 501
    NotImplemented,
    /// 502
    BadGateway,
    /// 503
    ServiceUnavailable,
    /// 504
    ServerTimeOut,
    /// 505
    VersionNotSupported,
    /// 513
    MessageTooLarge,
    /// 555
    PushNotificationServiceNotSupported,
    /// 580
    PreconditionFailure,
    /// 600
    BusyEverywhere,
    /// 603
    Decline,
    /// 604
    DoesNotExistAnywhere,
    /// 606
    NotAcceptableAnywhere,
    /// 607
    Unwanted,
    /// 608
    Rejected,
}

/// The 1xx codes only.
#[derive(SipResponses)]
#[sip(class = "1xx")]
pub enum DerivedProvisional {
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
