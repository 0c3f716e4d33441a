//! Pseudo-terminals: opening /dev/ptmx makes a pair, a master (the
//! descriptor /dev/ptmx returns) and a slave (/dev/pts/N), as Linux's
//! devpts does. Whatever is written to the master arrives at the slave as
//! typed input, through the slave's line discipline (echo, line editing,
//! Ctrl-C); whatever the slave writes (after output processing) is read
//! from the master. Terminal emulators, `script`, expect and python's pty
//! module are built on this.
//!
//! Lifetimes: the pair lives while either side is open. When the master
//! closes, the slave is hung up: its session gets SIGHUP, its reads end
//! and its writes fail with EIO. When the last slave descriptor closes
//! (after one was opened), master reads fail with EIO, which is how a
//! program learns that the child on the terminal has gone.

use super::tty::{Tty, TtyRef};
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use kernel_ops::{Error, KResult, Signal, SignalCause};

/// How many pairs may exist at once (Linux's default kernel.pty.max is 4096).
const MAX_PAIRS: u32 = 4096;

pub struct PtyPair {
    pub index: u32,
    /// The slave side's terminal; its output is the master's input.
    pub tty: Tty,
    /// Slaves can be opened only once the master unlocked them (unlockpt).
    locked: AtomicBool,
    /// Open slave descriptions, and whether one was ever opened.
    slaves: AtomicU32,
    slave_was_open: AtomicBool,
    /// Who opened the master: the slave node's owner, as devpts shows it.
    pub uid: u32,
}

static PAIRS: SpinLock<BTreeMap<u32, Weak<PtyPair>>> = SpinLock::new(BTreeMap::new());

/// Opening /dev/ptmx: a new pair with the lowest free number.
pub fn open_master(uid: u32) -> KResult<MasterEnd> {
    let mut pairs = PAIRS.lock();
    pairs.retain(|_, w| w.strong_count() > 0);
    let index = (0..MAX_PAIRS).find(|i| !pairs.contains_key(i)).ok_or(Error::NoSpace)?;
    let pair = Arc::new(PtyPair {
        index,
        tty: Tty::new_pty_slave(),
        locked: AtomicBool::new(true),
        slaves: AtomicU32::new(0),
        slave_was_open: AtomicBool::new(false),
        uid,
    });
    pairs.insert(index, Arc::downgrade(&pair));
    Ok(MasterEnd { pair })
}

/// The live pair numbered `index`, whose master is still open.
pub fn lookup(index: u32) -> Option<Arc<PtyPair>> {
    PAIRS.lock().get(&index).and_then(Weak::upgrade).filter(|p| !p.master_closed())
}

/// The live pairs' numbers and owners, for /dev/pts listings.
pub fn list() -> alloc::vec::Vec<(u32, u32)> {
    PAIRS.lock().iter().filter_map(|(i, w)| w.upgrade().filter(|p| !p.master_closed()).map(|p| (*i, p.uid))).collect()
}

/// The pair whose slave is session `sid`'s controlling terminal.
pub fn with_session(sid: u32) -> Option<Arc<PtyPair>> {
    PAIRS.lock().values().filter_map(Weak::upgrade).find(|p| p.tty.session() == sid && !p.master_closed())
}

impl PtyPair {
    fn master_closed(&self) -> bool {
        self.tty.master_buffer().is_some_and(|m| m.hung_up.load(Ordering::Acquire))
    }

    pub fn is_locked(&self) -> bool {
        self.locked.load(Ordering::Acquire)
    }

    pub fn set_locked(&self, locked: bool) {
        self.locked.store(locked, Ordering::Release);
    }

    /// Opens the slave side (/dev/pts/N, or TIOCGPTPEER on the master).
    pub fn open_slave(self: &Arc<Self>) -> KResult<TtyRef> {
        if self.is_locked() || self.master_closed() {
            return Err(Error::Io);
        }
        self.slaves.fetch_add(1, Ordering::AcqRel);
        self.slave_was_open.store(true, Ordering::Release);
        Ok(TtyRef::Slave(Arc::new(SlaveEnd { pair: self.clone() })))
    }

    fn all_slaves_closed(&self) -> bool {
        self.slave_was_open.load(Ordering::Acquire) && self.slaves.load(Ordering::Acquire) == 0
    }
}

/// One open description of a slave.
pub struct SlaveEnd {
    pub pair: Arc<PtyPair>,
}

impl Drop for SlaveEnd {
    fn drop(&mut self) {
        self.pair.slaves.fetch_sub(1, Ordering::AcqRel);
        if let Some(m) = self.pair.tty.master_buffer() {
            m.changed.wake_all();
            m.pollers.wake();
        }
    }
}

/// The master side, as an open file holds it.
pub struct MasterEnd {
    pub pair: Arc<PtyPair>,
}

impl MasterEnd {
    /// What the slave wrote; EIO once every slave has closed and nothing
    /// is left.
    pub fn read(&self, buf: &mut [u8], non_blocking: bool) -> KResult<usize> {
        let Some(m) = self.pair.tty.master_buffer() else { return Err(Error::Io) };
        if buf.is_empty() {
            return Ok(0);
        }
        let ready = || !m.bytes.lock().is_empty() || self.pair.all_slaves_closed();
        let take = || {
            let mut bytes = m.bytes.lock();
            let n = buf.len().min(bytes.len());
            if n == 0 {
                drop(bytes);
                return if self.pair.all_slaves_closed() {
                    Some(Err(Error::Io))
                } else {
                    non_blocking.then_some(Err(Error::WouldBlock))
                };
            }
            for (slot, b) in buf.iter_mut().zip(bytes.drain(..n)) {
                *slot = b;
            }
            Some(Ok(n))
        };
        let n = m.changed.wait_for(true, None, ready, take).unwrap_or(Err(Error::Restart))?;
        // Room for slave writers.
        m.changed.wake_all();
        self.pair.tty.pollers.wake();
        Ok(n)
    }

    /// Typed input for the slave; held back while its input queue is full.
    pub fn write(&self, data: &[u8], non_blocking: bool) -> KResult<usize> {
        self.pair.tty.receive_from_master(data, non_blocking, &|| self.pair.all_slaves_closed())
    }

    pub fn poll(&self) -> super::file::PollState {
        let readable = self.pair.tty.master_buffer().is_some_and(|m| !m.bytes.lock().is_empty());
        let hang_up = self.pair.all_slaves_closed();
        super::file::PollState { readable: readable || hang_up, writable: true, hang_up, ..Default::default() }
    }
}

impl Drop for MasterEnd {
    fn drop(&mut self) {
        let tty = &self.pair.tty;
        if let Some(m) = tty.master_buffer() {
            m.hung_up.store(true, Ordering::Release);
            m.changed.wake_all();
            m.pollers.wake();
        }
        // Hang up: the session on the slave loses its terminal; its
        // foreground group (and the session leader) get SIGHUP, as when a
        // terminal window closes.
        let fg = tty.foreground();
        let sid = tty.session();
        tty.detach();
        // Slave readers and pollers see the hang-up.
        tty.wake_readers();
        if fg != 0 {
            crate::task::signal::send_to_group(fg, Signal::HUP, SignalCause::Kernel);
            crate::task::signal::send_to_group(fg, Signal::CONT, SignalCause::Kernel);
        }
        if sid != 0 && sid != fg {
            if let Some(leader) = crate::task::process::find(sid) {
                crate::task::signal::send_to_process(&leader, Signal::HUP, SignalCause::Kernel);
            }
        }
    }
}
