//! POSIX message queues (mq_overview(7)), as Linux keeps them: names,
//! attributes and their limits, messages by priority (highest first, in
//! arrival order within one), the one registered notification, and the
//! status line a read of the descriptor gives.

use crate::perm::Caller;
use crate::{Error, Result};
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;

/// Priorities are below this.
pub const MQ_PRIO_MAX: u32 = 32768;
/// NAME_MAX: the longest name (without its leading slash).
pub const NAME_MAX: usize = 255;
/// What a privileged caller may ask for (HARD_MSGMAX, HARD_MSGSIZEMAX).
const HARD_MSGMAX: i64 = 65536;
const HARD_MSGSIZEMAX: i64 = 16 * 1024 * 1024;

/// /proc/sys/fs/mqueue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MqLimits {
    pub msg_max: i64,
    pub msgsize_max: i64,
    pub queues_max: u64,
    pub msg_default: i64,
    pub msgsize_default: i64,
}

impl MqLimits {
    pub const fn new() -> Self {
        MqLimits { msg_max: 10, msgsize_max: 8192, queues_max: 256, msg_default: 10, msgsize_default: 8192 }
    }
}

impl Default for MqLimits {
    fn default() -> Self {
        Self::new()
    }
}

/// A queue name as the system call gets it (glibc has removed the
/// leading slash): Linux's lookup rules.
pub fn check_name(name: &[u8]) -> Result<()> {
    if name.is_empty() {
        return Err(Error::NoEntry);
    }
    if name.len() > NAME_MAX {
        return Err(Error::NameTooLong);
    }
    if name.contains(&b'/') || name == b"." || name == b".." {
        return Err(Error::Access);
    }
    Ok(())
}

/// (maxmsg, msgsize) for a new queue: the defaults, or `asked` checked
/// against the limits (a privileged caller against the hard ones).
pub fn attributes(asked: Option<(i64, i64)>, limits: &MqLimits, privileged: bool) -> Result<(i64, i64)> {
    let Some((maxmsg, msgsize)) = asked else {
        return Ok((limits.msg_default.min(limits.msg_max), limits.msgsize_default.min(limits.msgsize_max)));
    };
    if maxmsg <= 0 || msgsize <= 0 {
        return Err(Error::Invalid);
    }
    let (max_msgs, max_size) =
        if privileged { (HARD_MSGMAX, HARD_MSGSIZEMAX) } else { (limits.msg_max, limits.msgsize_max) };
    if maxmsg > max_msgs || msgsize > max_size {
        return Err(Error::Invalid);
    }
    if msgsize.checked_mul(maxmsg).is_none() {
        return Err(Error::Overflow);
    }
    Ok((maxmsg, msgsize))
}

/// How a registered process wants to hear of a message arriving in the
/// empty queue (`struct sigevent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notify {
    /// SIGEV_NONE: registered, nothing is sent.
    Nothing,
    /// SIGEV_SIGNAL: this signal with this value.
    Signal { signo: u32, value: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub pid: u32,
    pub notify: Notify,
}

/// A notification to deliver: to `pid`, for a message from `sender`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fired {
    pub pid: u32,
    pub signo: u32,
    pub value: u64,
    pub sender: u32,
    pub sender_uid: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageQueue {
    pub maxmsg: i64,
    pub msgsize: i64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// By priority, highest first; arrival order within a priority.
    messages: VecDeque<(u32, Vec<u8>)>,
    bytes: u64,
    pub registration: Option<Registration>,
    /// Receivers asleep in mq_timedreceive (a notification goes out only
    /// when none is).
    pub receivers_waiting: u32,
}

impl MessageQueue {
    pub fn new(maxmsg: i64, msgsize: i64, mode: u32, caller: &Caller) -> Self {
        MessageQueue {
            maxmsg,
            msgsize,
            mode: mode & 0o777,
            uid: caller.uid,
            gid: caller.gid,
            messages: VecDeque::new(),
            bytes: 0,
            registration: None,
            receivers_waiting: 0,
        }
    }

    /// The mode bits for `want` (4 read, 2 write), root bypassing them.
    pub fn allows(&self, caller: &Caller, want: u32) -> bool {
        let class = if caller.uid == self.uid {
            self.mode >> 6
        } else if caller.in_group(self.gid) {
            self.mode >> 3
        } else {
            self.mode
        };
        caller.ipc_owner || want & !class & 0o7 == 0
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub fn is_full(&self) -> bool {
        self.messages.len() as i64 >= self.maxmsg
    }

    /// Queues a message (the caller checked its size); `WouldBlock` when
    /// full. A message arriving in an empty queue that nobody is waiting
    /// on fires the registered notification, which is then gone.
    pub fn send(&mut self, prio: u32, data: &[u8], sender: &Caller) -> Result<Option<Fired>> {
        if self.is_full() {
            return Err(Error::WouldBlock);
        }
        let mut copy = Vec::new();
        copy.try_reserve_exact(data.len()).map_err(|_| Error::NoMemory)?;
        copy.extend_from_slice(data);
        let was_empty = self.messages.is_empty();
        let at = self.messages.iter().position(|(p, _)| *p < prio).unwrap_or(self.messages.len());
        self.messages.insert(at, (prio, copy));
        self.bytes += data.len() as u64;
        if !was_empty || self.receivers_waiting > 0 {
            return Ok(None);
        }
        Ok(match self.registration.take() {
            Some(Registration { pid, notify: Notify::Signal { signo, value } }) => {
                Some(Fired { pid, signo, value, sender: sender.pid, sender_uid: sender.uid })
            }
            _ => None,
        })
    }

    /// Takes the oldest message of the highest priority; `WouldBlock` when empty.
    pub fn receive(&mut self) -> Result<(u32, Vec<u8>)> {
        let (prio, data) = self.messages.pop_front().ok_or(Error::WouldBlock)?;
        self.bytes -= data.len() as u64;
        Ok((prio, data))
    }

    /// mq_notify: registers `pid` (EBUSY when another process is), or
    /// with None removes its own registration.
    pub fn set_notify(&mut self, pid: u32, notify: Option<Notify>) -> Result<()> {
        match notify {
            None => {
                if self.registration.as_ref().is_some_and(|r| r.pid == pid) {
                    self.registration = None;
                }
                Ok(())
            }
            Some(n) => {
                if self.registration.is_some() {
                    return Err(Error::Busy);
                }
                self.registration = Some(Registration { pid, notify: n });
                Ok(())
            }
        }
    }

    /// What read(2) of the descriptor gives.
    pub fn status_line(&self) -> String {
        let (notify, signo, pid) = match &self.registration {
            None => (0, 0, 0),
            Some(Registration { pid, notify: Notify::Nothing }) => (1, 0, *pid),
            Some(Registration { pid, notify: Notify::Signal { signo, .. } }) => (0, *signo, *pid),
        };
        alloc::format!("QSIZE:{:<10} NOTIFY:{:<5} SIGNO:{:<5} NOTIFY_PID:{:<6}\n", self.bytes, notify, signo, pid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller() -> Caller {
        Caller::new(5, 1000, 1000, Vec::new(), false, 0)
    }

    #[test]
    fn names_and_attributes() {
        assert_eq!(check_name(b""), Err(Error::NoEntry));
        assert_eq!(check_name(b"a/b"), Err(Error::Access));
        assert_eq!(check_name(&[b'a'; 256]), Err(Error::NameTooLong));
        assert!(check_name(b"queue").is_ok());
        let l = MqLimits::new();
        assert_eq!(attributes(None, &l, false), Ok((10, 8192)));
        assert_eq!(attributes(Some((0, 10)), &l, false), Err(Error::Invalid));
        assert_eq!(attributes(Some((11, 10)), &l, false), Err(Error::Invalid));
        assert_eq!(attributes(Some((11, 10)), &l, true), Ok((11, 10)));
        assert_eq!(attributes(Some((10, 8193)), &l, false), Err(Error::Invalid));
    }

    #[test]
    fn priorities_and_notification() {
        let c = caller();
        let mut q = MessageQueue::new(3, 16, 0o600, &c);
        q.set_notify(7, Some(Notify::Signal { signo: 10, value: 99 })).unwrap();
        assert_eq!(q.set_notify(8, Some(Notify::Nothing)), Err(Error::Busy));
        let fired = q.send(1, b"low", &c).unwrap();
        assert_eq!(fired, Some(Fired { pid: 7, signo: 10, value: 99, sender: 5, sender_uid: 1000 }));
        assert!(q.registration.is_none());
        assert_eq!(q.send(5, b"high", &c).unwrap(), None);
        q.send(5, b"high2", &c).unwrap();
        assert_eq!(q.send(9, b"x", &c), Err(Error::WouldBlock));
        assert_eq!(q.status_line(), "QSIZE:12         NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n");
        assert_eq!(q.receive().unwrap(), (5, b"high".to_vec()));
        assert_eq!(q.receive().unwrap(), (5, b"high2".to_vec()));
        assert_eq!(q.receive().unwrap(), (1, b"low".to_vec()));
        assert_eq!(q.receive(), Err(Error::WouldBlock));
        assert!(q.allows(&c, 6));
        assert!(!q.allows(&Caller::new(6, 1, 1, Vec::new(), false, 0), 4));
    }
}
