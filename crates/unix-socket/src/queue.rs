//! A socket's receive queue: messages with their boundaries, the
//! descriptors they carry (`R`) and who sent them (`M`: credentials, the
//! sender's address).
//!
//! Reads come in two shapes, as on Linux:
//! - a *record* read (datagram and seqpacket sockets) takes one whole
//!   message; what does not fit the buffer is lost (MSG_TRUNC);
//! - a *stream* read copies from message after message until the buffer is
//!   full, but stops after the first message that carried descriptors (the
//!   descriptors arrive with the bytes of that message), and, when the
//!   caller asks, before a message from another sender.
//!
//! A message's descriptors are handed out by the first read that touches
//! it; a peek hands out copies (`R: Clone`) and leaves the queue as it was.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

struct Message<R, M> {
    data: Vec<u8>,
    /// Bytes of `data` already read (stream reads only).
    read: usize,
    rights: Option<R>,
    meta: M,
}

impl<R, M> Message<R, M> {
    fn unread(&self) -> &[u8] {
        &self.data[self.read..]
    }
}

/// What a record read returns.
#[derive(Debug, PartialEq, Eq)]
pub struct Record<R, M> {
    /// Bytes copied into the buffer.
    pub copied: usize,
    /// The message's whole length (more than `copied`: truncated).
    pub length: usize,
    pub rights: Option<R>,
    pub meta: M,
}

/// What a stream read returns.
#[derive(Debug, PartialEq, Eq)]
pub struct StreamRead<R, M> {
    pub copied: usize,
    pub rights: Option<R>,
    /// The sender of the first message read (None: nothing was there).
    pub meta: Option<M>,
}

pub struct ReceiveQueue<R, M> {
    messages: VecDeque<Message<R, M>>,
    unread: usize,
}

impl<R: Clone, M: Clone> Default for ReceiveQueue<R, M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R: Clone, M: Clone> ReceiveQueue<R, M> {
    pub const fn new() -> Self {
        ReceiveQueue { messages: VecDeque::new(), unread: 0 }
    }

    /// Appends a message (a zero-length one too: a datagram may be empty).
    pub fn push(&mut self, data: Vec<u8>, rights: Option<R>, meta: M) {
        self.unread += data.len();
        self.messages.push_back(Message { data, read: 0, rights, meta });
    }

    /// How many messages are queued.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Unread bytes in all messages (FIONREAD of a stream socket).
    pub fn unread_bytes(&self) -> usize {
        self.unread
    }

    /// The length of the next message (FIONREAD of a datagram socket).
    pub fn next_length(&self) -> Option<usize> {
        self.messages.front().map(|m| m.unread().len())
    }

    /// What the queue costs against a buffer limit: its bytes plus a fixed
    /// overhead per message, as Linux counts an skb's true size.
    pub fn cost(&self) -> usize {
        self.unread + self.messages.len() * crate::buffers::MESSAGE_OVERHEAD
    }

    /// The descriptors every queued message carries (the cycle check
    /// walks them).
    pub fn rights(&self) -> impl Iterator<Item = &R> {
        self.messages.iter().filter_map(|m| m.rights.as_ref())
    }

    /// Empties the queue, handing back what its messages carried so the
    /// caller can release it (outside any lock).
    pub fn drain(&mut self) -> Vec<R> {
        self.unread = 0;
        self.messages.drain(..).filter_map(|m| m.rights).collect()
    }

    /// Takes (or with `peek` copies) the next whole message.
    pub fn read_record(&mut self, buf: &mut [u8], peek: bool) -> Option<Record<R, M>> {
        let front = self.messages.front_mut()?;
        let data = &front.data[front.read..];
        let copied = data.len().min(buf.len());
        buf[..copied].copy_from_slice(&data[..copied]);
        let length = data.len();
        if peek {
            return Some(Record { copied, length, rights: front.rights.clone(), meta: front.meta.clone() });
        }
        let m = self.messages.pop_front()?;
        self.unread -= length;
        Some(Record { copied, length, rights: m.rights, meta: m.meta })
    }

    /// Copies bytes from the front messages (removing them unless `peek`).
    /// `same(first, next)` says whether the next message may join the
    /// read (Linux: the same credentials, when the reader asks for them).
    pub fn read_stream(&mut self, buf: &mut [u8], peek: bool, same: impl Fn(&M, &M) -> bool) -> StreamRead<R, M> {
        let mut out = StreamRead { copied: 0, rights: None, meta: None };
        let mut index = 0;
        // Bytes of the current message already passed over by this peek.
        while out.copied < buf.len() || (out.meta.is_none() && buf.is_empty()) {
            let Some(m) = self.messages.get_mut(index) else { break };
            match &out.meta {
                Some(first) if !same(first, &m.meta) => break,
                Some(_) => {}
                None => out.meta = Some(m.meta.clone()),
            }
            let data = &m.data[m.read..];
            let n = data.len().min(buf.len() - out.copied);
            buf[out.copied..out.copied + n].copy_from_slice(&data[..n]);
            out.copied += n;
            let carried = if peek { m.rights.clone() } else { m.rights.take() };
            let had_rights = carried.is_some();
            if had_rights {
                out.rights = carried;
            }
            if peek {
                index += 1;
            } else {
                m.read += n;
                self.unread -= n;
                if m.read == m.data.len() {
                    self.messages.pop_front();
                }
            }
            if had_rights || buf.is_empty() {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;

    type Q = ReceiveQueue<u32, u8>;

    #[test]
    fn records_keep_boundaries_and_truncate() {
        let mut q = Q::new();
        q.push(b"hello".to_vec(), None, 1);
        q.push(Vec::new(), Some(7), 2);
        let mut b = [0u8; 3];
        assert_eq!(q.read_record(&mut b, true), Some(Record { copied: 3, length: 5, rights: None, meta: 1 }));
        assert_eq!(q.read_record(&mut b, false), Some(Record { copied: 3, length: 5, rights: None, meta: 1 }));
        assert_eq!(&b, b"hel");
        assert_eq!(q.unread_bytes(), 0);
        assert_eq!(q.read_record(&mut b, false), Some(Record { copied: 0, length: 0, rights: Some(7), meta: 2 }));
        assert_eq!(q.read_record(&mut b, false), None);
    }

    #[test]
    fn stream_stops_after_rights_and_at_other_senders() {
        let mut q = Q::new();
        q.push(b"ab".to_vec(), None, 1);
        q.push(b"cd".to_vec(), Some(9), 1);
        q.push(b"ef".to_vec(), None, 1);
        q.push(b"gh".to_vec(), None, 2);
        let mut b = [0u8; 16];
        let r = q.read_stream(&mut b, true, |_, _| true);
        assert_eq!((r.copied, r.rights), (4, Some(9)));
        let r = q.read_stream(&mut b[..3], false, |_, _| true);
        assert_eq!((r.copied, r.rights, r.meta), (3, Some(9), Some(1)));
        assert_eq!(&b[..3], b"abc");
        // The rest of "cd" comes without the descriptors (already taken).
        let r = q.read_stream(&mut b, false, |a, b| a == b);
        assert_eq!((r.copied, r.rights), (3, None));
        assert_eq!(&b[..3], b"def");
        let r = q.read_stream(&mut b, false, |a, b| a == b);
        assert_eq!((r.copied, r.meta), (2, Some(2)));
        assert!(q.is_empty());
        assert_eq!(q.read_stream(&mut b, false, |_, _| true), StreamRead { copied: 0, rights: None, meta: None });
    }

    #[test]
    fn drain_returns_rights() {
        let mut q = Q::new();
        q.push(vec![1], Some(3), 0);
        q.push(vec![2], None, 0);
        q.push(vec![], Some(4), 0);
        assert_eq!(q.rights().copied().collect::<Vec<_>>(), vec![3, 4]);
        assert_eq!(q.cost(), 2 + 3 * crate::buffers::MESSAGE_OVERHEAD);
        assert_eq!(q.drain(), vec![3, 4]);
        assert_eq!((q.len(), q.unread_bytes()), (0, 0));
    }

    proptest! {
        /// Stream reads of any sizes give back exactly the bytes written,
        /// in order, and each message's descriptors exactly once.
        #[test]
        fn stream_model(msgs in proptest::collection::vec((proptest::collection::vec(any::<u8>(), 0..20), any::<bool>()), 0..12), sizes in proptest::collection::vec(0usize..25, 1..40), peeks in proptest::collection::vec(any::<bool>(), 1..40)) {
            let mut q: ReceiveQueue<usize, u8> = ReceiveQueue::new();
            let mut expected = Vec::new();
            let mut expected_rights = Vec::new();
            for (i, (d, r)) in msgs.iter().enumerate() {
                expected.extend_from_slice(d);
                if *r && !d.is_empty() { expected_rights.push(i); }
                q.push(d.clone(), if *r && !d.is_empty() { Some(i) } else { None }, 0);
            }
            let mut got = Vec::new();
            let mut rights = Vec::new();
            for (k, &s) in sizes.iter().cycle().take(400).enumerate() {
                let mut b = vec![0u8; s.max(1)];
                let peek = peeks[k % peeks.len()];
                let before = q.unread_bytes();
                let r = q.read_stream(&mut b, peek, |_, _| true);
                if peek {
                    prop_assert_eq!(q.unread_bytes(), before);
                    prop_assert_eq!(&b[..r.copied], &expected[got.len()..got.len() + r.copied]);
                } else {
                    got.extend_from_slice(&b[..r.copied]);
                    rights.extend(r.rights);
                }
                prop_assert_eq!(q.unread_bytes(), expected.len() - got.len());
            }
            // Whatever is left, drained by big reads.
            loop {
                let mut b = vec![0u8; 64];
                let r = q.read_stream(&mut b, false, |_, _| true);
                if r.meta.is_none() { break; }
                got.extend_from_slice(&b[..r.copied]);
                rights.extend(r.rights);
            }
            prop_assert_eq!(got, expected);
            prop_assert_eq!(rights, expected_rights);
        }

        #[test]
        fn records_model(msgs in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..30), 0..10), size in 0usize..40) {
            let mut q: ReceiveQueue<(), usize> = ReceiveQueue::new();
            for (i, d) in msgs.iter().enumerate() { q.push(d.clone(), None, i); }
            for (i, d) in msgs.iter().enumerate() {
                let mut b = vec![0u8; size];
                let r = q.read_record(&mut b, false).unwrap();
                prop_assert_eq!(r.length, d.len());
                prop_assert_eq!(r.copied, d.len().min(size));
                prop_assert_eq!(&b[..r.copied], &d[..r.copied]);
                prop_assert_eq!(r.meta, i);
            }
            prop_assert!(q.read_record(&mut [], false).is_none());
        }
    }
}
