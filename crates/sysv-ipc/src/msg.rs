//! Message queues: the messages, their byte and count limits, and the
//! choice of a message by type as `msgrcv` makes it.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

/// `msgrcv` flags.
pub const MSG_NOERROR: u32 = 0o10000;
pub const MSG_EXCEPT: u32 = 0o20000;
pub const MSG_COPY: u32 = 0o40000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub mtype: i64,
    pub text: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgQueue {
    pub messages: VecDeque<Message>,
    /// Bytes of text queued, and the most it may hold.
    pub cbytes: u64,
    pub qbytes: u64,
    pub lspid: u32,
    pub lrpid: u32,
    pub stime: i64,
    pub rtime: i64,
    pub ctime: i64,
}

/// Which message a receiver wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Select {
    /// msgtyp 0: the first.
    Any,
    /// msgtyp > 0: the first of that type.
    Equal(i64),
    /// msgtyp > 0 with MSG_EXCEPT: the first of another type.
    NotEqual(i64),
    /// msgtyp < 0: the first of the lowest type at most |msgtyp|.
    LessEqual(i64),
    /// MSG_COPY: the message at this position (0 first), left queued.
    Number(i64),
}

impl Select {
    /// Linux's `convert_mode`.
    pub fn from_linux(msgtyp: i64, flags: u32) -> Select {
        if flags & MSG_COPY != 0 {
            Select::Number(msgtyp)
        } else if msgtyp == 0 {
            Select::Any
        } else if msgtyp < 0 {
            Select::LessEqual(msgtyp.checked_neg().unwrap_or(i64::MAX))
        } else if flags & MSG_EXCEPT != 0 {
            Select::NotEqual(msgtyp)
        } else {
            Select::Equal(msgtyp)
        }
    }
}

impl MsgQueue {
    pub fn new(qbytes: u64, now: i64) -> Self {
        MsgQueue { messages: VecDeque::new(), cbytes: 0, qbytes, lspid: 0, lrpid: 0, stime: 0, rtime: 0, ctime: now }
    }

    /// Whether a message of `len` bytes fits (Linux counts the messages
    /// against msg_qbytes too, so zero-length ones cannot fill memory).
    pub fn fits(&self, len: usize) -> bool {
        self.cbytes + len as u64 <= self.qbytes && (self.messages.len() as u64) < self.qbytes
    }

    /// The position of the message `select` picks (Linux's `find_msg`).
    pub fn find(&self, select: Select) -> Option<usize> {
        match select {
            Select::Any => (!self.messages.is_empty()).then_some(0),
            Select::Equal(t) => self.messages.iter().position(|m| m.mtype == t),
            Select::NotEqual(t) => self.messages.iter().position(|m| m.mtype != t),
            Select::Number(n) => usize::try_from(n).ok().filter(|&n| n < self.messages.len()),
            Select::LessEqual(max) => {
                let mut best: Option<usize> = None;
                for (i, m) in self.messages.iter().enumerate() {
                    if m.mtype <= max && best.is_none_or(|b| m.mtype < self.messages[b].mtype) {
                        best = Some(i);
                    }
                }
                best
            }
        }
    }

    pub fn push(&mut self, message: Message, pid: u32, now: i64) {
        self.cbytes += message.text.len() as u64;
        self.messages.push_back(message);
        self.lspid = pid;
        self.stime = now;
    }

    pub fn take(&mut self, at: usize, pid: u32, now: i64) -> Option<Message> {
        let m = self.messages.remove(at)?;
        self.cbytes -= m.text.len() as u64;
        self.lrpid = pid;
        self.rtime = now;
        Some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(types: &[i64]) -> MsgQueue {
        let mut q = MsgQueue::new(100, 0);
        for &t in types {
            q.push(Message { mtype: t, text: alloc::vec![t as u8] }, 1, 0);
        }
        q
    }

    #[test]
    fn selection_by_type() {
        let q = queue(&[5, 3, 7, 3, 1, 1]);
        assert_eq!(q.find(Select::from_linux(0, 0)), Some(0));
        assert_eq!(q.find(Select::from_linux(3, 0)), Some(1));
        assert_eq!(q.find(Select::from_linux(5, MSG_EXCEPT)), Some(1));
        assert_eq!(q.find(Select::from_linux(-4, 0)), Some(4));
        assert_eq!(q.find(Select::from_linux(-3, 0)), Some(4));
        assert_eq!(queue(&[5, 3, 7, 3]).find(Select::from_linux(-6, 0)), Some(1));
        assert_eq!(q.find(Select::from_linux(9, 0)), None);
        assert_eq!(q.find(Select::from_linux(i64::MIN, 0)), Some(4));
        assert_eq!(q.find(Select::from_linux(2, MSG_COPY)), Some(2));
        assert_eq!(q.find(Select::from_linux(6, MSG_COPY)), None);
    }

    #[test]
    fn limits_count_messages_and_bytes() {
        let mut q = MsgQueue::new(3, 0);
        assert!(q.fits(3));
        assert!(!q.fits(4));
        for _ in 0..3 {
            q.push(Message { mtype: 1, text: Vec::new() }, 1, 0);
        }
        assert!(!q.fits(0));
        q.take(0, 2, 5).unwrap();
        assert!(q.fits(0));
        assert_eq!((q.lrpid, q.rtime), (2, 5));
    }
}
