//! The control replies: acknowledgements and errors (`NLMSG_ERROR`) and the
//! end of a dump (`NLMSG_DONE`), byte for byte as `netlink_ack` and
//! `netlink_dump_done` build them.

use alloc::vec::Vec;

use crate::uapi::netlink::*;
use crate::wire::{nlmsg_align, Builder, Header};

/// Extended-ack settings of the socket (`NETLINK_CAP_ACK`, `NETLINK_EXT_ACK`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AckMode {
    /// Do not echo a failed request's body back.
    pub cap: bool,
    /// Append the error message as `NLMSGERR_ATTR_MSG`.
    pub ext: bool,
}

/// `netlink_ack`: `struct nlmsgerr` (the error, negated, and the request's
/// header), then, for a failure without `NETLINK_CAP_ACK`, the request's
/// body; then the message attribute when extended acks are on.
///
/// A success (`errno == 0`) never echoes the body, so it is always marked
/// `NLM_F_CAPPED`, as Linux marks it.
pub fn ack(request: &[u8], pid: u32, errno: i32, mode: AckMode, msg: Option<&str>) -> Vec<u8> {
    let req = Header::parse(request).unwrap_or(Header { len: 0, kind: 0, flags: 0, seq: 0, pid: 0 });
    let echo = errno != 0 && !mode.cap;
    let msg = msg.filter(|_| mode.ext);
    let mut flags = if echo { 0 } else { NLM_F_CAPPED };
    if msg.is_some() {
        flags |= NLM_F_ACK_TLVS;
    }
    let mut b = Builder::new(NLMSG_ERROR, flags, req.seq, pid);
    let mut err = Vec::with_capacity(NLMSGERR_LEN + request.len());
    err.extend_from_slice(&(-errno).to_ne_bytes());
    err.extend_from_slice(&req.to_bytes());
    if echo {
        let len = (req.len as usize).clamp(NLMSG_HDRLEN, request.len().max(NLMSG_HDRLEN));
        err.extend_from_slice(request.get(NLMSG_HDRLEN..len).unwrap_or(&[]));
        err.resize(NLMSGERR_LEN + nlmsg_align(len - NLMSG_HDRLEN), 0);
    }
    b.body(&err);
    if let Some(text) = msg {
        b.attr_str(NLMSGERR_ATTR_MSG, text.as_bytes());
    }
    b.finish()
}

/// `netlink_dump_done`: `NLMSG_DONE` with `NLM_F_MULTI` (and the dump's
/// `NLM_F_DUMP_FILTERED`), carrying the dump's result as an int: 0, or a
/// negative errno when the dump failed; the message attribute with
/// `NLM_F_ACK_TLVS` when extended acks are on and there is a message.
pub fn done(seq: u32, pid: u32, flags: u16, errno: i32, ext: bool, msg: Option<&str>) -> Vec<u8> {
    let msg = msg.filter(|_| ext);
    let flags = NLM_F_MULTI | flags | if msg.is_some() { NLM_F_ACK_TLVS } else { 0 };
    let mut b = Builder::new(NLMSG_DONE, flags, seq, pid);
    b.body(&(-errno).to_ne_bytes());
    if let Some(text) = msg {
        b.attr_str(NLMSGERR_ATTR_MSG, text.as_bytes());
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::read_i32;

    const REQ: [u8; 32] = [
        32, 0, 0, 0, 16, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, // RTM_NEWLINK, REQUEST|ACK, seq 0
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    #[test]
    fn success_is_capped_and_short() {
        let a = ack(&REQ, 77, 0, AckMode::default(), None);
        assert_eq!(a.len(), 36);
        let h = Header::parse(&a).unwrap();
        assert_eq!((h.len, h.kind, h.flags, h.seq, h.pid), (36, NLMSG_ERROR, NLM_F_CAPPED, 0, 77));
        assert_eq!(read_i32(&a, 16), Some(0));
        assert_eq!(&a[20..36], &REQ[..16]);
    }

    #[test]
    fn failure_echoes_the_request() {
        let a = ack(&REQ, 77, 1, AckMode::default(), Some("ignored without ext ack"));
        assert_eq!(a.len(), 16 + 20 + 16);
        assert_eq!(Header::parse(&a).unwrap().flags, 0);
        assert_eq!(read_i32(&a, 16), Some(-1));
        assert_eq!(&a[20..52], &REQ[..]);
    }

    #[test]
    fn extended_ack_appends_the_message() {
        let a = ack(&REQ, 77, 22, AckMode { cap: true, ext: true }, Some("bad"));
        let h = Header::parse(&a).unwrap();
        assert_eq!(h.flags, NLM_F_CAPPED | NLM_F_ACK_TLVS);
        assert_eq!(&a[36..44], &[8, 0, 1, 0, b'b', b'a', b'd', 0]);
    }

    #[test]
    fn done_carries_an_int() {
        let d = done(5, 9, 0, 0, false, None);
        assert_eq!(d.len(), 20);
        let h = Header::parse(&d).unwrap();
        assert_eq!((h.kind, h.flags, h.seq, h.pid), (NLMSG_DONE, NLM_F_MULTI, 5, 9));
        assert_eq!(read_i32(&d, 16), Some(0));
    }
}
