//! The netlink wire format: message headers, attributes, alignment.
//!
//! Everything is host byte order (x86_64: little-endian), as netlink is;
//! addresses inside attributes are network byte order, as Linux puts them.
//! Readers never panic: a header or attribute that does not fit in what is
//! left is reported as absent, and callers decide, as Linux does, whether
//! that ends the walk silently or is an error.

use alloc::vec::Vec;

use crate::uapi::netlink::{NLMSG_ALIGNTO, NLMSG_HDRLEN};
use crate::uapi::rtnetlink::{RTA_ALIGNTO, RTA_HDRLEN};

/// `NLMSG_ALIGN`: round a length up to the next 4-byte boundary.
pub const fn nlmsg_align(len: usize) -> usize {
    (len + NLMSG_ALIGNTO - 1) & !(NLMSG_ALIGNTO - 1)
}

/// `RTA_ALIGN` (= `NLA_ALIGN`): the same 4-byte rounding for attributes.
pub const fn rta_align(len: usize) -> usize {
    (len + RTA_ALIGNTO - 1) & !(RTA_ALIGNTO - 1)
}

/// `struct nlmsghdr`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// `nlmsg_len`: the message's length including this header, unpadded.
    pub len: u32,
    /// `nlmsg_type`.
    pub kind: u16,
    /// `nlmsg_flags`.
    pub flags: u16,
    /// `nlmsg_seq`: copied from request to reply so the program can match them.
    pub seq: u32,
    /// `nlmsg_pid`: the sending port (0 for the kernel's messages' sender
    /// field in requests; the receiving socket's port id in replies).
    pub pid: u32,
}

impl Header {
    /// The header at the start of `bytes`, if 16 bytes are there.
    pub fn parse(bytes: &[u8]) -> Option<Header> {
        Some(Header {
            len: read_u32(bytes, 0)?,
            kind: read_u16(bytes, 4)?,
            flags: read_u16(bytes, 6)?,
            seq: read_u32(bytes, 8)?,
            pid: read_u32(bytes, 12)?,
        })
    }

    /// The 16 bytes of this header.
    pub fn to_bytes(&self) -> [u8; NLMSG_HDRLEN] {
        let mut out = [0u8; NLMSG_HDRLEN];
        out[0..4].copy_from_slice(&self.len.to_ne_bytes());
        out[4..6].copy_from_slice(&self.kind.to_ne_bytes());
        out[6..8].copy_from_slice(&self.flags.to_ne_bytes());
        out[8..12].copy_from_slice(&self.seq.to_ne_bytes());
        out[12..16].copy_from_slice(&self.pid.to_ne_bytes());
        out
    }
}

pub fn read_u8(bytes: &[u8], at: usize) -> Option<u8> {
    bytes.get(at).copied()
}

pub fn read_u16(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_ne_bytes([b[0], b[1]]))
}

pub fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

pub fn read_i32(bytes: &[u8], at: usize) -> Option<i32> {
    read_u32(bytes, at).map(|v| v as i32)
}

pub fn read_u64(bytes: &[u8], at: usize) -> Option<u64> {
    let b = bytes.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Some(u64::from_ne_bytes(a))
}

/// One attribute (`struct rtattr` + payload).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr<'a> {
    /// `rta_type` without the `NLA_F_NESTED`/`NLA_F_NET_BYTEORDER` bits,
    /// which Linux's parser strips too (`nla_type`).
    pub kind: u16,
    /// The payload, `rta_len - 4` bytes, without padding.
    pub payload: &'a [u8],
}

impl<'a> Attr<'a> {
    /// The payload as a `u32` when it holds at least four bytes, as
    /// `NLA_U32`'s minimum length demands.
    pub fn u32(&self) -> Option<u32> {
        read_u32(self.payload, 0)
    }

    /// The payload as a C string: up to the first NUL, or all of it.
    pub fn c_str(&self) -> &'a [u8] {
        let end = self.payload.iter().position(|&b| b == 0).unwrap_or(self.payload.len());
        &self.payload[..end]
    }
}

/// Walks the attributes in a byte range (`nla_for_each_attr`).
///
/// Stops at the first attribute whose header does not fit, whose length is
/// below 4 or runs past the end; [`Attrs::leftover`] then says how many bytes
/// were not consumed, which strict checking refuses and Linux's liberal
/// parser only warns about.
#[derive(Clone, Debug)]
pub struct Attrs<'a> {
    rest: &'a [u8],
}

const NLA_TYPE_MASK: u16 = !(0x8000 | 0x4000);

impl<'a> Attrs<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Attrs { rest: bytes }
    }

    /// Bytes left when the walk stopped (0 when every byte was used).
    pub fn leftover(&self) -> usize {
        self.rest.len()
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Attr<'a>;

    fn next(&mut self) -> Option<Attr<'a>> {
        let len = read_u16(self.rest, 0)? as usize;
        let kind = read_u16(self.rest, 2)?;
        if len < RTA_HDRLEN || len > self.rest.len() {
            return None;
        }
        let payload = &self.rest[RTA_HDRLEN..len];
        let step = rta_align(len).min(self.rest.len());
        self.rest = &self.rest[step..];
        Some(Attr { kind: kind & NLA_TYPE_MASK, payload })
    }
}

/// Builds one message into a buffer: header first, then the fixed body and
/// attributes, each padded to 4 bytes with zeros, then [`Builder::finish`]
/// writes the length. Linux zeroes its padding too, so two identical
/// configurations produce identical bytes.
pub struct Builder {
    buf: Vec<u8>,
}

impl Builder {
    /// Starts a message; `len` is filled in by [`Builder::finish`].
    pub fn new(kind: u16, flags: u16, seq: u32, pid: u32) -> Self {
        let mut buf = Vec::with_capacity(256);
        buf.extend_from_slice(&Header { len: 0, kind, flags, seq, pid }.to_bytes());
        Builder { buf }
    }

    /// Appends raw bytes (a fixed body such as `ifinfomsg`), padded.
    pub fn body(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(bytes);
        self.pad();
        self
    }

    /// Appends an attribute (`nla_put`): `rta_len` counts the header and the
    /// payload but not the padding that follows.
    pub fn attr(&mut self, kind: u16, payload: &[u8]) -> &mut Self {
        let len = (RTA_HDRLEN + payload.len()) as u16;
        self.buf.extend_from_slice(&len.to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        self.buf.extend_from_slice(payload);
        self.pad();
        self
    }

    pub fn attr_u8(&mut self, kind: u16, value: u8) -> &mut Self {
        self.attr(kind, &[value])
    }

    pub fn attr_u32(&mut self, kind: u16, value: u32) -> &mut Self {
        self.attr(kind, &value.to_ne_bytes())
    }

    /// `nla_put_string`: the bytes and a terminating NUL.
    pub fn attr_str(&mut self, kind: u16, value: &[u8]) -> &mut Self {
        let mut payload = Vec::with_capacity(value.len() + 1);
        payload.extend_from_slice(value);
        payload.push(0);
        self.attr(kind, &payload)
    }

    /// Sets `nlmsg_len` and hands the message over (its length is a multiple
    /// of 4, so messages can be laid one after another).
    pub fn finish(mut self) -> Vec<u8> {
        let len = self.buf.len() as u32;
        self.buf[0..4].copy_from_slice(&len.to_ne_bytes());
        self.buf
    }

    fn pad(&mut self) {
        while !self.buf.len().is_multiple_of(NLMSG_ALIGNTO) {
            self.buf.push(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_rounds_up_to_four() {
        assert_eq!(nlmsg_align(0), 0);
        assert_eq!(nlmsg_align(1), 4);
        assert_eq!(nlmsg_align(17), 20);
        assert_eq!(rta_align(7), 8);
    }

    #[test]
    fn header_round_trips() {
        let h = Header { len: 40, kind: 18, flags: 0x301, seq: 0x6b16_5b3d, pid: 0 };
        assert_eq!(Header::parse(&h.to_bytes()), Some(h));
        assert_eq!(Header::parse(&h.to_bytes()[..15]), None);
    }

    #[test]
    fn attributes_are_padded_but_lengths_are_not() {
        let mut b = Builder::new(16, 2, 7, 9);
        b.attr_str(3, b"lo");
        let msg = b.finish();
        assert_eq!(msg.len(), 24);
        assert_eq!(&msg[16..24], &[7, 0, 3, 0, b'l', b'o', 0, 0]);
        let attrs: Vec<Attr> = Attrs::new(&msg[16..]).collect();
        assert_eq!(attrs.len(), 1);
        assert_eq!(attrs[0].c_str(), b"lo");
    }

    #[test]
    fn a_truncated_attribute_stops_the_walk() {
        let bytes = [8u8, 0, 29, 0, 1, 0, 0, 0, 9, 0, 3, 0, b'x'];
        let mut walk = Attrs::new(&bytes);
        assert_eq!(walk.next().map(|a| a.kind), Some(29));
        assert_eq!(walk.next(), None);
        assert_eq!(walk.leftover(), 5);
    }
}
