//! Control messages of `sendmsg`/`recvmsg` at `SOL_SOCKET`: reading the
//! ones a sender passes (`__scm_send`'s rules) and writing the ones a
//! receiver gets (`put_cmsg`, `scm_detach_fds`), truncation included.

use alloc::vec::Vec;
use linux_abi::socket::{
    cmsg_align, cmsg_len, cmsg_space, Cmsghdr, Ucred, SCM_CREDENTIALS, SCM_MAX_FD, SCM_RIGHTS, SOL_SOCKET,
};

/// `net.core.optmem_max`: a larger control buffer is ENOBUFS.
pub const OPTMEM_MAX: usize = 131_072;

/// What a sender's control messages ask for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Control {
    /// Descriptors to pass, in order, across every SCM_RIGHTS message.
    pub rights: Vec<i32>,
    /// Credentials claimed with SCM_CREDENTIALS (the last one wins).
    pub credentials: Option<Ucred>,
}

/// Why a control buffer is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlError {
    /// A malformed header, too many descriptors, an unknown type (EINVAL).
    Invalid,
}

/// Parses `buf` (the whole `msg_controllen` bytes) as Linux does: headers
/// follow one another at aligned offsets while a whole header still fits;
/// each must claim at least a header and no more than what is left;
/// levels other than SOL_SOCKET are skipped.
pub fn parse_control(buf: &[u8]) -> Result<Control, ControlError> {
    let mut out = Control::default();
    let mut at = 0usize;
    while buf.len().saturating_sub(at) >= Cmsghdr::SIZE {
        let h = Cmsghdr::from_bytes(&buf[at..]).ok_or(ControlError::Invalid)?;
        let len = usize::try_from(h.cmsg_len).map_err(|_| ControlError::Invalid)?;
        if len < Cmsghdr::SIZE || len > buf.len() - at {
            return Err(ControlError::Invalid);
        }
        if h.cmsg_level == SOL_SOCKET as i32 {
            let data = &buf[at + Cmsghdr::SIZE..at + len];
            match h.cmsg_type {
                SCM_RIGHTS => {
                    let n = data.len() / 4;
                    if n > SCM_MAX_FD || out.rights.len() + n > SCM_MAX_FD {
                        return Err(ControlError::Invalid);
                    }
                    out.rights.extend(data.chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]])));
                }
                SCM_CREDENTIALS => {
                    if len != cmsg_len(Ucred::SIZE) {
                        return Err(ControlError::Invalid);
                    }
                    out.credentials = Ucred::from_bytes(data);
                }
                _ => return Err(ControlError::Invalid),
            }
        }
        // The next header starts at the aligned end of this one.
        match at.checked_add(cmsg_align(len)) {
            Some(next) => at = next,
            None => break,
        }
    }
    Ok(out)
}

/// Writes a receiver's control messages into a buffer of the size it
/// offered, the way Linux fills `msg_control`.
pub struct ControlWriter {
    room: usize,
    pub bytes: Vec<u8>,
    /// Something did not fit (MSG_CTRUNC).
    pub truncated: bool,
}

impl ControlWriter {
    pub fn new(room: usize) -> Self {
        ControlWriter { room, bytes: Vec::new(), truncated: false }
    }

    fn left(&self) -> usize {
        self.room - self.bytes.len()
    }

    /// `put_cmsg`: the message, cut short when the room ends (then flagged).
    pub fn put(&mut self, level: i32, kind: i32, data: &[u8]) {
        if self.left() < Cmsghdr::SIZE {
            self.truncated = true;
            return;
        }
        let mut len = cmsg_len(data.len());
        if self.left() < len {
            self.truncated = true;
            len = self.left();
        }
        self.bytes.extend_from_slice(&Cmsghdr { cmsg_len: len as u64, cmsg_level: level, cmsg_type: kind }.to_bytes());
        self.bytes.extend_from_slice(&data[..len - Cmsghdr::SIZE]);
        let space = cmsg_space(data.len()).min(self.room - self.bytes.len() + len);
        self.bytes.resize(self.bytes.len() - len + space, 0);
    }

    /// How many descriptors an SCM_RIGHTS message can still carry.
    pub fn fd_room(&self) -> usize {
        self.left().saturating_sub(Cmsghdr::SIZE) / 4
    }

    /// `scm_detach_fds`: `fds` are the descriptors installed (at most
    /// [`fd_room`](Self::fd_room)); `offered` how many the message carried.
    pub fn put_rights(&mut self, fds: &[i32], offered: usize) {
        if !fds.is_empty() {
            let data: Vec<u8> = fds.iter().flat_map(|fd| fd.to_le_bytes()).collect();
            self.put(SOL_SOCKET as i32, SCM_RIGHTS, &data);
        }
        if fds.len() < offered {
            self.truncated = true;
        }
    }

    pub fn put_credentials(&mut self, c: &Ucred) {
        self.put(SOL_SOCKET as i32, SCM_CREDENTIALS, &c.to_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;

    fn rights_msg(fds: &[i32]) -> Vec<u8> {
        let mut b = Cmsghdr { cmsg_len: cmsg_len(fds.len() * 4) as u64, cmsg_level: 1, cmsg_type: SCM_RIGHTS }
            .to_bytes()
            .to_vec();
        for f in fds {
            b.extend_from_slice(&f.to_le_bytes());
        }
        b.resize(cmsg_space(fds.len() * 4), 0);
        b
    }

    #[test]
    fn parses_rights_and_credentials() {
        let mut b = rights_msg(&[3, 4, 5]);
        let c = Ucred { pid: 7, uid: 8, gid: 9 };
        b.extend_from_slice(&Cmsghdr { cmsg_len: 28, cmsg_level: 1, cmsg_type: SCM_CREDENTIALS }.to_bytes());
        b.extend_from_slice(&c.to_bytes());
        let got = parse_control(&b).unwrap();
        assert_eq!(got.rights, vec![3, 4, 5]);
        assert_eq!(got.credentials, Some(c));
        // Short buffers and trailing bytes under a header are ignored.
        assert_eq!(parse_control(&b[..15]), Ok(Control::default()));
        assert_eq!(parse_control(&[]), Ok(Control::default()));
        // A header claiming more than is there, or less than itself.
        assert_eq!(parse_control(&b[..20]), Err(ControlError::Invalid));
        let mut bad = rights_msg(&[1]);
        bad[0] = 8;
        assert_eq!(parse_control(&bad), Err(ControlError::Invalid));
        bad[0] = 200;
        assert_eq!(parse_control(&bad), Err(ControlError::Invalid));
        // Other levels are skipped, unknown types refused.
        let mut other = rights_msg(&[1]);
        other[8] = 41;
        assert_eq!(parse_control(&other), Ok(Control::default()));
        other[8] = 1;
        other[12] = 99;
        assert_eq!(parse_control(&other), Err(ControlError::Invalid));
        // Too many descriptors.
        let many: Vec<i32> = (0..254).collect();
        assert_eq!(parse_control(&rights_msg(&many)), Err(ControlError::Invalid));
        let mut two = rights_msg(&many[..200]);
        two.extend(rights_msg(&many[..60]));
        assert_eq!(parse_control(&two), Err(ControlError::Invalid));
    }

    #[test]
    fn writes_with_truncation() {
        let c = Ucred { pid: 1, uid: 2, gid: 3 };
        let mut w = ControlWriter::new(64);
        w.put_credentials(&c);
        assert_eq!(w.bytes.len(), 32);
        assert_eq!(w.fd_room(), 4);
        w.put_rights(&[5, 6, 7, 8], 5);
        assert!(w.truncated);
        assert_eq!(w.bytes.len(), 64);
        let mut w = ControlWriter::new(20);
        w.put_credentials(&c);
        assert!(w.truncated);
        assert_eq!(w.bytes.len(), 20);
        assert_eq!(u64::from_le_bytes(w.bytes[..8].try_into().unwrap()), 20);
        let mut w = ControlWriter::new(10);
        w.put_rights(&[], 1);
        assert!(w.truncated && w.bytes.is_empty());
        let mut w = ControlWriter::new(24);
        w.put_rights(&[9], 1);
        assert!(!w.truncated);
        assert_eq!(parse_control(&w.bytes).unwrap().rights, vec![9]);
    }

    proptest! {
        #[test]
        fn never_panics(buf in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_control(&buf);
        }

        #[test]
        fn truncated_valid_buffers(fds in proptest::collection::vec(any::<i32>(), 0..20), cut in 0usize..120) {
            let b = rights_msg(&fds);
            let end = cut.min(b.len());
            match parse_control(&b[..end]) {
                Ok(c) => prop_assert!(c.rights.is_empty() || end >= cmsg_len(fds.len() * 4)),
                Err(_) => prop_assert!(end >= Cmsghdr::SIZE && end < cmsg_len(fds.len() * 4)),
            }
        }

        #[test]
        fn writer_round_trips(fds in proptest::collection::vec(0i32..1000, 1..30), room in 0usize..200) {
            let mut w = ControlWriter::new(room);
            let n = w.fd_room().min(fds.len());
            w.put_rights(&fds[..n], fds.len());
            prop_assert!(w.bytes.len() <= room);
            prop_assert_eq!(w.truncated, n < fds.len());
            prop_assert_eq!(parse_control(&w.bytes).unwrap().rights, fds[..n].to_vec());
        }
    }
}
