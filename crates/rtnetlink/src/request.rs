//! Reading one request message: its body, its attributes, and how Linux
//! validates them.
//!
//! Two validation modes exist because Linux has two. Without
//! `NETLINK_GET_STRICT_CHK` (busybox, glibc, old programs) the fixed header
//! of a get request may be short or carry junk, and unknown or malformed
//! attributes are skipped. With it (iproute2 turns it on) header fields
//! that are not filters must be zero, and unknown attributes or leftover
//! bytes fail with EINVAL and an extended-ack message. The messages are
//! Linux's own, so `ip` prints the same `Error:` lines.

use crate::wire::{nlmsg_align, Attrs};

/// An EINVAL with the extended-ack message Linux gives for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invalid(pub &'static str);

/// A request's body: the bytes after `nlmsghdr`, `nlmsg_len - 16` of them.
#[derive(Clone, Copy, Debug)]
pub struct Body<'a> {
    bytes: &'a [u8],
}

impl<'a> Body<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Body { bytes }
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The fixed header (`ifinfomsg`, `ifaddrmsg`, `rtmsg`) if the body
    /// holds all of it (`nlmsg_payload`).
    pub fn fixed(&self, len: usize) -> Option<&'a [u8]> {
        self.bytes.get(..len)
    }

    /// `nlmsg_parse_deprecated`: the attributes after a `hdrlen`-byte
    /// header. A body shorter than the header is EINVAL; attributes that
    /// do not parse end the walk quietly.
    pub fn liberal_attrs(&self, hdrlen: usize) -> Result<Attrs<'a>, Invalid> {
        if self.bytes.len() < hdrlen {
            return Err(Invalid("Invalid header"));
        }
        let start = nlmsg_align(hdrlen).min(self.bytes.len());
        Ok(Attrs::new(&self.bytes[start..]))
    }

    /// `nlmsg_parse_deprecated_strict`: as above, but bytes left over after
    /// the last whole attribute are EINVAL.
    pub fn strict_attrs(&self, hdrlen: usize) -> Result<Attrs<'a>, Invalid> {
        let attrs = self.liberal_attrs(hdrlen)?;
        let mut walk = attrs.clone();
        for _ in walk.by_ref() {}
        if walk.leftover() != 0 {
            return Err(Invalid("bytes leftover after parsing attributes"));
        }
        Ok(attrs)
    }
}

/// `rtnl_msgtype_kind`: the low two bits of `type - RTM_BASE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    New,
    Del,
    Get,
    Set,
}

impl Kind {
    pub fn of(kind: u16) -> Kind {
        match kind.wrapping_sub(crate::uapi::rtnetlink::RTM_BASE) & 3 {
            0 => Kind::New,
            1 => Kind::Del,
            2 => Kind::Get,
            _ => Kind::Set,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uapi::rtnetlink::*;

    #[test]
    fn kinds_follow_the_low_bits() {
        assert_eq!(Kind::of(RTM_NEWLINK), Kind::New);
        assert_eq!(Kind::of(RTM_DELADDR), Kind::Del);
        assert_eq!(Kind::of(RTM_GETROUTE), Kind::Get);
        assert_eq!(Kind::of(RTM_SETLINK), Kind::Set);
        assert_eq!(Kind::of(RTM_GETNETCONF), Kind::Get);
    }

    #[test]
    fn strict_parsing_refuses_leftover_bytes() {
        let body = [0u8, 0, 0, 0, 0, 0, 0, 0, 8, 0, 15, 0, 254, 0, 0, 0, 1, 2];
        let b = Body::new(&body);
        assert!(b.liberal_attrs(8).is_ok());
        assert_eq!(b.strict_attrs(8).err(), Some(Invalid("bytes leftover after parsing attributes")));
        assert_eq!(Body::new(&body[..4]).liberal_attrs(8).err(), Some(Invalid("Invalid header")));
    }
}
