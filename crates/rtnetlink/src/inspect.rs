//! Reading replies back: splits a datagram into messages and checks that
//! each is well formed. The tests use it to parse every reply this crate
//! makes; the kernel glue can use it to log what it sends.

use alloc::vec::Vec;

use crate::uapi::netlink::NLMSG_HDRLEN;
use crate::wire::{nlmsg_align, Attr, Attrs, Header};

/// One message of a datagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message<'a> {
    pub header: Header,
    /// `nlmsg_len - 16` bytes.
    pub body: &'a [u8],
}

impl<'a> Message<'a> {
    /// The attributes after a fixed header of `fixed` bytes, or `None`
    /// when they do not exactly fill the body.
    pub fn attrs(&self, fixed: usize) -> Option<Vec<Attr<'a>>> {
        let rest = self.body.get(nlmsg_align(fixed).min(self.body.len())..)?;
        if self.body.len() < fixed {
            return None;
        }
        let mut walk = Attrs::new(rest);
        let attrs: Vec<Attr<'a>> = walk.by_ref().collect();
        if walk.leftover() != 0 {
            return None;
        }
        Some(attrs)
    }

    /// The payload of the first attribute of this type.
    pub fn attr(&self, fixed: usize, kind: u16) -> Option<&'a [u8]> {
        self.attrs(fixed)?.into_iter().find(|a| a.kind == kind).map(|a| a.payload)
    }
}

/// Splits a datagram; `None` if any message's length is below 16, runs
/// past the end, or the messages do not end exactly at the datagram's end.
pub fn messages(datagram: &[u8]) -> Option<Vec<Message<'_>>> {
    let mut out = Vec::new();
    let mut rest = datagram;
    while !rest.is_empty() {
        let header = Header::parse(rest)?;
        let len = header.len as usize;
        if len < NLMSG_HDRLEN || len > rest.len() {
            return None;
        }
        out.push(Message { header, body: &rest[NLMSG_HDRLEN..len] });
        let step = nlmsg_align(len);
        if step > rest.len() {
            return None;
        }
        rest = &rest[step..];
    }
    Some(out)
}
