//! The key retention service's numbers (<linux/keyctl.h>): keyctl
//! commands, special keyring ids, request-key defaults, capability bits.

pub const KEY_SPEC_THREAD_KEYRING: i32 = -1;
pub const KEY_SPEC_PROCESS_KEYRING: i32 = -2;
pub const KEY_SPEC_SESSION_KEYRING: i32 = -3;
pub const KEY_SPEC_USER_KEYRING: i32 = -4;
pub const KEY_SPEC_USER_SESSION_KEYRING: i32 = -5;
pub const KEY_SPEC_GROUP_KEYRING: i32 = -6;
pub const KEY_SPEC_REQKEY_AUTH_KEY: i32 = -7;
pub const KEY_SPEC_REQUESTOR_KEYRING: i32 = -8;

pub const KEY_REQKEY_DEFL_NO_CHANGE: i32 = -1;
pub const KEY_REQKEY_DEFL_DEFAULT: i32 = 0;
pub const KEY_REQKEY_DEFL_THREAD_KEYRING: i32 = 1;
pub const KEY_REQKEY_DEFL_PROCESS_KEYRING: i32 = 2;
pub const KEY_REQKEY_DEFL_SESSION_KEYRING: i32 = 3;
pub const KEY_REQKEY_DEFL_USER_KEYRING: i32 = 4;
pub const KEY_REQKEY_DEFL_USER_SESSION_KEYRING: i32 = 5;
pub const KEY_REQKEY_DEFL_GROUP_KEYRING: i32 = 6;
pub const KEY_REQKEY_DEFL_REQUESTOR_KEYRING: i32 = 7;

pub const KEYCTL_GET_KEYRING_ID: i32 = 0;
pub const KEYCTL_JOIN_SESSION_KEYRING: i32 = 1;
pub const KEYCTL_UPDATE: i32 = 2;
pub const KEYCTL_REVOKE: i32 = 3;
pub const KEYCTL_CHOWN: i32 = 4;
pub const KEYCTL_SETPERM: i32 = 5;
pub const KEYCTL_DESCRIBE: i32 = 6;
pub const KEYCTL_CLEAR: i32 = 7;
pub const KEYCTL_LINK: i32 = 8;
pub const KEYCTL_UNLINK: i32 = 9;
pub const KEYCTL_SEARCH: i32 = 10;
pub const KEYCTL_READ: i32 = 11;
pub const KEYCTL_INSTANTIATE: i32 = 12;
pub const KEYCTL_NEGATE: i32 = 13;
pub const KEYCTL_SET_REQKEY_KEYRING: i32 = 14;
pub const KEYCTL_SET_TIMEOUT: i32 = 15;
pub const KEYCTL_ASSUME_AUTHORITY: i32 = 16;
pub const KEYCTL_GET_SECURITY: i32 = 17;
pub const KEYCTL_SESSION_TO_PARENT: i32 = 18;
pub const KEYCTL_REJECT: i32 = 19;
pub const KEYCTL_INSTANTIATE_IOV: i32 = 20;
pub const KEYCTL_INVALIDATE: i32 = 21;
pub const KEYCTL_GET_PERSISTENT: i32 = 22;
pub const KEYCTL_DH_COMPUTE: i32 = 23;
pub const KEYCTL_PKEY_QUERY: i32 = 24;
pub const KEYCTL_PKEY_ENCRYPT: i32 = 25;
pub const KEYCTL_PKEY_DECRYPT: i32 = 26;
pub const KEYCTL_PKEY_SIGN: i32 = 27;
pub const KEYCTL_PKEY_VERIFY: i32 = 28;
pub const KEYCTL_RESTRICT_KEYRING: i32 = 29;
pub const KEYCTL_MOVE: i32 = 30;
pub const KEYCTL_CAPABILITIES: i32 = 31;
pub const KEYCTL_WATCH_KEY: i32 = 32;

pub const KEYCTL_MOVE_EXCL: u32 = 0x01;

pub const KEYCTL_CAPS0_CAPABILITIES: u8 = 0x01;
pub const KEYCTL_CAPS0_PERSISTENT_KEYRINGS: u8 = 0x02;
pub const KEYCTL_CAPS0_DIFFIE_HELLMAN: u8 = 0x04;
pub const KEYCTL_CAPS0_PUBLIC_KEY: u8 = 0x08;
pub const KEYCTL_CAPS0_BIG_KEY: u8 = 0x10;
pub const KEYCTL_CAPS0_INVALIDATE: u8 = 0x20;
pub const KEYCTL_CAPS0_RESTRICT_KEYRING: u8 = 0x40;
pub const KEYCTL_CAPS0_MOVE: u8 = 0x80;

/// The longest key type name, with its NUL (key_get_type_from_user).
pub const KEY_TYPE_MAX: usize = 32;
/// The longest description, with its NUL (KEY_MAX_DESC_SIZE).
pub const KEY_MAX_DESC_SIZE: usize = 4096;
/// The largest add_key payload.
pub const KEY_MAX_PAYLOAD: usize = 1024 * 1024 - 1;
/// The largest KEYCTL_UPDATE payload and request_key callout (PAGE_SIZE).
pub const KEY_MAX_UPDATE: usize = 4096;
