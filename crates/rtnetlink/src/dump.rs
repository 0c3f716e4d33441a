//! A dump in progress: the messages not yet handed out and the
//! `NLMSG_DONE` that ends them, cut into datagrams.
//!
//! Linux fills one buffer per step of a dump and queues it as one
//! datagram; a `recvmsg` returns exactly one datagram, so a program
//! reading with an 8-32 KiB buffer walks a long dump in several calls.
//! Each datagram here holds as many whole messages as fit in the size
//! asked for (at least one, even if it alone is larger: Linux would fail
//! the dump instead, but a link message is far below any buffer in use).
//! `NLMSG_DONE` travels in a datagram of its own, as Linux sends it for
//! link, address and route dumps (`RTNL_FLAG_DUMP_SPLIT_NLM_DONE`), which
//! old readers that stop at the first datagram's end rely on.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dump {
    messages: VecDeque<Vec<u8>>,
    done: Option<Vec<u8>>,
}

impl Dump {
    /// A dump of these messages (each a whole, aligned netlink message)
    /// ended by `done`.
    pub fn new(messages: Vec<Vec<u8>>, done: Vec<u8>) -> Dump {
        Dump { messages: messages.into(), done: Some(done) }
    }

    /// The next datagram of at most `limit` bytes (unless one message is
    /// larger), or `None` once `NLMSG_DONE` was handed out.
    pub fn next_datagram(&mut self, limit: usize) -> Option<Vec<u8>> {
        let Some(first) = self.messages.pop_front() else {
            return self.done.take();
        };
        let mut out = first;
        while let Some(next) = self.messages.front() {
            if out.len() + next.len() > limit {
                break;
            }
            out.extend_from_slice(next);
            self.messages.pop_front();
        }
        Some(out)
    }

    pub fn is_finished(&self) -> bool {
        self.messages.is_empty() && self.done.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn messages_are_packed_and_done_comes_alone() {
        let mut d = Dump::new(vec![vec![1; 8], vec![2; 8], vec![3; 8]], vec![9; 20]);
        assert_eq!(d.next_datagram(16), Some([vec![1; 8], vec![2; 8]].concat()));
        assert_eq!(d.next_datagram(16), Some(vec![3; 8]));
        assert_eq!(d.next_datagram(16), Some(vec![9; 20]));
        assert!(d.is_finished());
        assert_eq!(d.next_datagram(16), None);
    }

    #[test]
    fn an_oversized_message_goes_alone() {
        let mut d = Dump::new(vec![vec![1; 40], vec![2; 4]], vec![9; 20]);
        assert_eq!(d.next_datagram(16).map(|v| v.len()), Some(40));
        assert_eq!(d.next_datagram(16).map(|v| v.len()), Some(4));
    }
}
