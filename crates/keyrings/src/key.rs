//! One key: its type, description, owner, permissions, payload and state.

use crate::{Error, Serial};
use alloc::string::String;
use alloc::vec::Vec;

/// The key types this kernel has. Linux has more (asymmetric, encrypted,
/// trusted, big_key...); add_key of those is ENODEV, as on a Linux built
/// without them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyType {
    /// Arbitrary data up to 32767 bytes, readable by its holder.
    User,
    /// Like "user", but never readable from user space; descriptions
    /// are "service:name".
    Logon,
    /// A set of links to other keys.
    Keyring,
}

/// The most data a "user" or "logon" key holds.
pub const USER_PAYLOAD_MAX: usize = 32767;

/// The longest description (KEY_MAX_DESC_SIZE).
pub const DESCRIPTION_MAX: usize = 4096;

/// How long a negative key (left by a failed request_key) lives, seconds.
pub const NEGATIVE_TIMEOUT: u64 = 60;

impl KeyType {
    pub fn from_name(name: &str) -> Option<KeyType> {
        match name {
            "user" => Some(KeyType::User),
            "logon" => Some(KeyType::Logon),
            "keyring" => Some(KeyType::Keyring),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            KeyType::User => "user",
            KeyType::Logon => "logon",
            KeyType::Keyring => "keyring",
        }
    }

    /// Whether user space may read the payload (the type's `read`).
    pub fn readable(self) -> bool {
        self != KeyType::Logon
    }

    /// Whether add_key of an existing description updates the key in
    /// place (the type's `update`); a keyring is replaced instead.
    pub fn updatable(self) -> bool {
        self != KeyType::Keyring
    }

    /// The type's `preparse` and `vet_description`: is this payload (and
    /// description) acceptable for a new or updated key?
    pub fn check(self, description: &str, payload: &[u8]) -> crate::Result<()> {
        match self {
            KeyType::Keyring if !payload.is_empty() => Err(Error::Invalid),
            KeyType::Keyring => Ok(()),
            KeyType::User | KeyType::Logon => {
                if payload.is_empty() || payload.len() > USER_PAYLOAD_MAX {
                    return Err(Error::Invalid);
                }
                if self == KeyType::Logon {
                    // "service:name", with a service.
                    match description.find(':') {
                        Some(0) | None => return Err(Error::Invalid),
                        Some(_) => {}
                    }
                }
                Ok(())
            }
        }
    }

    /// The permissions Linux gives a key add_key or request_key makes.
    pub fn default_perm(self) -> u32 {
        use crate::perm::*;
        let mut pos = VIEW | SEARCH | LINK | SETATTR;
        if self.readable() {
            pos |= READ;
        }
        if self == KeyType::Keyring || self.updatable() {
            pos |= WRITE;
        }
        (pos << POSSESSOR) | (VIEW << USER)
    }
}

/// What a key holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    Data(Vec<u8>),
    /// A keyring's links, in the order they were made.
    Links(Vec<Serial>),
}

/// Where a key is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Positive,
    /// Negatively instantiated: found, but reading or using it fails
    /// with this error (ENOKEY unless rejected with another).
    Negative(Error),
    /// Revoked at this time (seconds); gone after gc_delay more.
    Revoked(u64),
}

#[derive(Debug, Clone)]
pub struct Key {
    pub serial: Serial,
    pub ktype: KeyType,
    pub description: String,
    pub uid: u32,
    /// `u32::MAX`: no group (the user keyrings).
    pub gid: u32,
    pub perm: u32,
    pub payload: Payload,
    pub state: State,
    /// Realtime seconds at which it expires; 0: never.
    pub expiry: u64,
    /// Bytes charged to the owner's quota (description + 1, payload or
    /// 4 bytes per link).
    pub quota_bytes: u64,
    /// Charged to the owner's quota at all.
    pub in_quota: bool,
    /// KEYCTL_RESTRICT_KEYRING with no type: nothing more may be linked.
    pub restricted: bool,
}

impl Key {
    pub fn is_keyring(&self) -> bool {
        self.ktype == KeyType::Keyring
    }

    pub fn links(&self) -> &[Serial] {
        match &self.payload {
            Payload::Links(l) => l,
            Payload::Data(_) => &[],
        }
    }

    pub fn is_expired(&self, now: u64) -> bool {
        self.expiry != 0 && now >= self.expiry
    }

    pub fn is_revoked(&self) -> bool {
        matches!(self.state, State::Revoked(_))
    }

    /// Linux's `key_validate`: revoked, then expired.
    pub fn validate(&self, now: u64) -> crate::Result<()> {
        if self.is_revoked() {
            return Err(Error::Revoked);
        }
        if self.is_expired(now) {
            return Err(Error::Expired);
        }
        Ok(())
    }

    /// The error of a negative key, or Ok.
    pub fn instantiated(&self) -> crate::Result<()> {
        match self.state {
            State::Negative(e) => Err(e),
            _ => Ok(()),
        }
    }

    /// Whether the garbage collector may drop links to it: revoked or
    /// expired at least `gc_delay` seconds ago.
    pub fn is_dead(&self, now: u64, gc_delay: u64) -> bool {
        let since = match self.state {
            State::Revoked(at) => Some(at),
            _ if self.expiry != 0 && now >= self.expiry => Some(self.expiry),
            _ => None,
        };
        since.is_some_and(|t| now >= t.saturating_add(gc_delay))
    }

    /// KEYCTL_DESCRIBE's text: "type;uid;gid;perm;description".
    pub fn describe(&self) -> String {
        // A key without a group shows the overflow gid, as Linux's
        // from_kgid_munged does.
        let gid = if self.gid == u32::MAX { 65534 } else { self.gid as i32 };
        alloc::format!("{};{};{};{:08x};{}", self.ktype.name(), self.uid as i32, gid, self.perm, self.description)
    }
}
