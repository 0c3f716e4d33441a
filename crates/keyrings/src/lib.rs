//! The kernel key retention service (Linux's keyrings, `man 7 keyrings`)
//! without the kernel: everything that is bookkeeping.
//!
//! - [`key`]: a key, its type ("user", "logon", "keyring"), its state
//!   (positive, negative, revoked, invalidated) and expiry.
//! - [`perm`]: the four permission bytes (possessor, user, group, other)
//!   and Linux's `key_task_permission`.
//! - [`limits`]: the quotas and timers of /proc/sys/kernel/keys.
//! - [`store`]: the machine's keys by serial number, the keyrings each
//!   task holds (thread, process, session; the user keyrings per uid),
//!   quotas, possession, searching and garbage collection.
//! - [`request`]: add_key, request_key and every keyctl operation as a
//!   [`Request`] with Linux's rules and errno order after the arguments
//!   have been copied in.
//!
//! The kernel supplies who asks ([`Caller`]), the time and the locking;
//! nothing here sleeps or panics on any input. There is no upcall: a
//! request_key that would run /sbin/request-key leaves a negative key and
//! fails with `ENOENT`, as Linux does when the helper is missing.

#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod key;
pub mod limits;
pub mod perm;
pub mod request;
pub mod store;

pub use key::{Key, KeyType, State};
pub use limits::{Limits, Tunable};
pub use request::{Reply, Request};
pub use store::{Caller, Store};

/// A key's serial number (`key_serial_t`).
pub type Serial = i32;

/// The special keyring ids (`KEY_SPEC_*`).
pub mod special {
    use super::Serial;
    pub const THREAD: Serial = -1;
    pub const PROCESS: Serial = -2;
    pub const SESSION: Serial = -3;
    pub const USER: Serial = -4;
    pub const USER_SESSION: Serial = -5;
    pub const GROUP: Serial = -6;
    pub const REQKEY_AUTH: Serial = -7;
    pub const REQUESTOR: Serial = -8;
}

/// Where request_key puts keys it constructs (`KEY_REQKEY_DEFL_*`).
pub mod reqkey {
    pub const NO_CHANGE: i32 = -1;
    pub const DEFAULT: i32 = 0;
    pub const THREAD: i32 = 1;
    pub const PROCESS: i32 = 2;
    pub const SESSION: i32 = 3;
    pub const USER: i32 = 4;
    pub const USER_SESSION: i32 = 5;
    pub const GROUP: i32 = 6;
    pub const REQUESTOR: i32 = 7;
}

/// Why an operation failed; each is one Linux errno.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// ENOKEY: no such key, or a negative one.
    NoKey,
    /// EKEYREVOKED.
    Revoked,
    /// EKEYEXPIRED.
    Expired,
    /// EACCES: the permission bits refuse.
    Access,
    /// EPERM.
    NotPermitted,
    /// EINVAL.
    Invalid,
    /// EDQUOT: the owner's key count or bytes would pass the quota.
    Quota,
    /// ENOTDIR: a keyring was needed.
    NotKeyring,
    /// ENODEV: add_key of a type this kernel does not have.
    NoType,
    /// EOPNOTSUPP.
    NotSupported,
    /// EDEADLK: the link would close a cycle of keyrings.
    Deadlock,
    /// EEXIST.
    Exists,
    /// ENOENT: not linked there; or request_key found no helper to run.
    NotFound,
    /// ELOOP: keyrings nested too deep.
    TooDeep,
}

pub type Result<T> = core::result::Result<T, Error>;
