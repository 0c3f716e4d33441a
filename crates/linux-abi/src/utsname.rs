//! `struct new_utsname`, filled in by `uname(2)` (`linux/utsname.h`).
//!
//! Six NUL-terminated strings of 65 bytes each, packed with no padding
//! (390 bytes). glibc and musl compare `release` against their minimum kernel
//! version at startup, so the personality must report a plausible Linux
//! release string (for example `"6.1.0"`), not Helctic's own version.

use crate::wire::prefix;

/// Bytes in each field, including the terminating NUL.
pub const UTS_FIELD_LEN: usize = 65;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utsname {
    pub sysname: [u8; UTS_FIELD_LEN],
    pub nodename: [u8; UTS_FIELD_LEN],
    pub release: [u8; UTS_FIELD_LEN],
    pub version: [u8; UTS_FIELD_LEN],
    pub machine: [u8; UTS_FIELD_LEN],
    pub domainname: [u8; UTS_FIELD_LEN],
}

/// Copies `s` into a field, truncated to 64 bytes so a NUL always ends it,
/// and zero-fills the rest (no stale bytes reach user space).
pub fn uts_field(s: &[u8]) -> [u8; UTS_FIELD_LEN] {
    let mut f = [0u8; UTS_FIELD_LEN];
    let n = s.len().min(UTS_FIELD_LEN - 1);
    f[..n].copy_from_slice(&s[..n]);
    f
}

/// The bytes of a field up to (not including) its first NUL.
pub fn uts_str(f: &[u8; UTS_FIELD_LEN]) -> &[u8] {
    let end = f.iter().position(|&c| c == 0).unwrap_or(UTS_FIELD_LEN);
    &f[..end]
}

impl Utsname {
    pub const SIZE: usize = 6 * UTS_FIELD_LEN;

    /// Builds the record from plain strings (truncating each to 64 bytes).
    pub fn new(
        sysname: &[u8],
        nodename: &[u8],
        release: &[u8],
        version: &[u8],
        machine: &[u8],
        domainname: &[u8],
    ) -> Self {
        Self {
            sysname: uts_field(sysname),
            nodename: uts_field(nodename),
            release: uts_field(release),
            version: uts_field(version),
            machine: uts_field(machine),
            domainname: uts_field(domainname),
        }
    }

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        let fields = [&self.sysname, &self.nodename, &self.release, &self.version, &self.machine, &self.domainname];
        for (i, f) in fields.iter().enumerate() {
            b[i * UTS_FIELD_LEN..(i + 1) * UTS_FIELD_LEN].copy_from_slice(&f[..]);
        }
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        let field = |i: usize| {
            let mut f = [0u8; UTS_FIELD_LEN];
            f.copy_from_slice(&b[i * UTS_FIELD_LEN..(i + 1) * UTS_FIELD_LEN]);
            f
        };
        Some(Self {
            sysname: field(0),
            nodename: field(1),
            release: field(2),
            version: field(3),
            machine: field(4),
            domainname: field(5),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn layout() {
        let u = Utsname::new(b"Linux", b"helctic", b"6.1.0", b"#1 SMP", b"x86_64", b"(none)");
        let b = u.to_bytes();
        assert_eq!(b.len(), 390);
        assert_eq!(&b[0..6], b"Linux\0");
        assert_eq!(&b[65..73], b"helctic\0");
        assert_eq!(&b[130..136], b"6.1.0\0");
        assert_eq!(&b[260..267], b"x86_64\0");
        assert_eq!(&b[325..332], b"(none)\0");
        assert_eq!(uts_str(&u.machine), b"x86_64");
    }

    #[test]
    fn truncates_and_terminates() {
        let long = [b'a'; 100];
        let f = uts_field(&long);
        assert_eq!(uts_str(&f).len(), 64);
        assert_eq!(f[64], 0);
    }

    proptest! {
        #[test]
        fn round_trip(s in proptest::collection::vec(any::<u8>(), 390)) {
            let u = Utsname::from_bytes(&s).unwrap();
            prop_assert_eq!(&u.to_bytes()[..], &s[..]);
        }
    }
}
