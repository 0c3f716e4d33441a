//! Terminals: a line discipline (crates/tty) with a session, a foreground
//! process group and a window size, as Linux gives a tty. Two kinds: the
//! console, whose device is the serial port, and the slave side of a
//! pseudo-terminal (fs/pty.rs), whose "device" is the master's buffer.

use super::file::PollState;
use super::pty::{PtyPair, SlaveEnd};
use crate::arch::serial;
use crate::sched::{PollQueue, WaitError, WaitQueue};
use crate::sync::SpinLock;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use kernel_ops::{Error, KResult, Signal, WindowSize};
use tty::{LineDiscipline, ReadOutcome, Termios};

pub struct Tty {
    ldisc: SpinLock<LineDiscipline>,
    input: WaitQueue,
    /// Bytes received so far, counted under `ldisc`: a read that found too
    /// little waits for this to move.
    received: AtomicU64,
    /// A pseudo-terminal's master writer waits here while the input queue
    /// is full (`LineDiscipline::input_full`); readers and flushes wake it.
    room: WaitQueue,
    /// Pollers of this terminal (the slave side, for a pseudo-terminal):
    /// woken by input, by room for output and by a hang-up.
    pub pollers: PollQueue,
    /// Foreground process group (0: none yet).
    foreground: AtomicU32,
    /// The session this is the controlling terminal of (0: none).
    session: AtomicU32,
    winsize: SpinLock<WindowSize>,
    output: Output,
}

/// Where a terminal's output (and its echo) goes.
enum Output {
    Uart,
    /// A pseudo-terminal's master side reads it from here.
    Master(MasterBuffer),
}

/// What the slave side of a pseudo-terminal wrote, waiting for the master.
pub struct MasterBuffer {
    pub bytes: SpinLock<VecDeque<u8>>,
    /// Master readers wait for bytes; slave writers wait for room.
    pub changed: WaitQueue,
    /// The master is gone: the slave is hung up (reads end, writes fail).
    pub hung_up: AtomicBool,
    /// Pollers of the master side: woken by slave output and by the last
    /// slave closing.
    pub pollers: PollQueue,
}

/// How much slave output waits for the master before writers block
/// (Linux buffers a few pages too).
pub const MASTER_BUFFER: usize = 16 * 1024;

static CONSOLE: Tty = Tty::new(Output::Uart);

pub fn console() -> &'static Tty {
    &CONSOLE
}

/// An open terminal, as a descriptor holds it: the console, the slave side
/// of a pseudo-terminal (counted, so the master sees when the last one
/// closes), or a pseudo-terminal reached through its master.
#[derive(Clone)]
pub enum TtyRef {
    Console,
    Slave(Arc<SlaveEnd>),
    Pair(Arc<PtyPair>),
}

impl core::ops::Deref for TtyRef {
    type Target = Tty;
    fn deref(&self) -> &Tty {
        match self {
            TtyRef::Console => &CONSOLE,
            TtyRef::Slave(s) => &s.pair.tty,
            TtyRef::Pair(p) => &p.tty,
        }
    }
}

impl TtyRef {
    /// Which device it is (its number, for fstat and /proc, is the
    /// personality's).
    pub fn device(&self) -> kernel_ops::DeviceId {
        match self {
            TtyRef::Console => kernel_ops::DeviceId::Serial(0),
            TtyRef::Slave(s) => kernel_ops::DeviceId::PtySlave(s.pair.index),
            TtyRef::Pair(p) => kernel_ops::DeviceId::PtySlave(p.index),
        }
    }

    /// /proc/<pid>/stat's tty_nr: the device's number as /proc's
    /// personality (the default) gives it, in Linux's dev_t layout (the
    /// minor's low byte, the major, then the minor's high bits).
    pub fn tty_nr(&self) -> u32 {
        let (major, minor) = super::device::stored_number(self.device()).unwrap_or((0, 0));
        (major << 8) | (minor & 0xff) | ((minor & !0xff) << 12)
    }
}

/// The controlling terminal of session `sid`, if it has one.
pub fn controlling(sid: u32) -> Option<TtyRef> {
    if sid == 0 {
        return None;
    }
    if CONSOLE.session() == sid {
        return Some(TtyRef::Console);
    }
    super::pty::with_session(sid).map(TtyRef::Pair)
}

/// Serial interrupt: feed every waiting byte through the line discipline.
pub fn on_serial_input() {
    while let Some(byte) = serial::read_byte() {
        CONSOLE.receive(byte);
    }
}

fn to_uart(bytes: &[u8]) {
    crate::console::write_bytes(bytes);
}

impl Tty {
    const fn new(output: Output) -> Tty {
        Tty {
            ldisc: SpinLock::ranked(crate::sync::Rank::Tty, LineDiscipline::new(Termios::default_console())),
            input: WaitQueue::new(),
            received: AtomicU64::new(0),
            room: WaitQueue::new(),
            pollers: PollQueue::new(),
            foreground: AtomicU32::new(0),
            session: AtomicU32::new(0),
            winsize: SpinLock::new(WindowSize { rows: 24, cols: 80 }),
            output,
        }
    }

    /// A pseudo-terminal's slave side (its output goes to the master).
    pub fn new_pty_slave() -> Tty {
        Tty::new(Output::Master(MasterBuffer {
            bytes: SpinLock::new(VecDeque::new()),
            changed: WaitQueue::new(),
            hung_up: AtomicBool::new(false),
            pollers: PollQueue::new(),
        }))
    }

    /// The master's buffer of a pseudo-terminal's slave.
    pub fn master_buffer(&self) -> Option<&MasterBuffer> {
        match &self.output {
            Output::Master(m) => Some(m),
            Output::Uart => None,
        }
    }

    fn hung_up(&self) -> bool {
        self.master_buffer().is_some_and(|m| m.hung_up.load(Ordering::Acquire))
    }

    /// Sends bytes to the device (the UART, or the master's buffer).
    fn emit(&self, bytes: &[u8]) {
        match &self.output {
            Output::Uart => to_uart(bytes),
            Output::Master(m) => {
                // Writers wait for room below MASTER_BUFFER before adding a
                // chunk; echo does not wait, and is dropped past twice
                // that (as Linux drops echo the device has no room for):
                // input written to the master that nobody reads back would
                // otherwise grow this without end.
                let mut buffer = m.bytes.lock();
                let room = (2 * MASTER_BUFFER).saturating_sub(buffer.len());
                buffer.extend(bytes.iter().copied().take(room));
            }
        }
    }

    fn after_output(&self) {
        if let Output::Master(m) = &self.output {
            m.changed.wake_all();
            m.pollers.wake();
        }
    }

    /// A byte from the device: the serial port, or a write to the master.
    pub fn receive(&self, byte: u8) {
        let signal = {
            let mut l = self.ldisc.lock();
            self.received.fetch_add(1, Ordering::Release);
            l.receive(byte, &mut |b| self.emit(b))
        };
        self.after_output();
        self.input.wake_all();
        self.pollers.wake();
        if let Some(s) = signal {
            let sig = match s {
                tty::Signal::Interrupt => Signal::INT,
                tty::Signal::Quit => Signal::QUIT,
                tty::Signal::Suspend => Signal::TSTP,
            };
            let pgrp = self.foreground.load(Ordering::Acquire);
            if pgrp != 0 {
                crate::task::signal::send_to_group(pgrp, sig, kernel_ops::SignalCause::Kernel);
            }
        }
    }

    /// Background readers get SIGTTIN, as job control requires.
    fn check_foreground(&self, signal: Signal) -> KResult<()> {
        let Some(me) = crate::sched::current().try_process().cloned() else { return Ok(()) };
        let fg = self.foreground.load(Ordering::Acquire);
        if fg == 0 || me.pgid() == fg || me.sid() != self.session.load(Ordering::Acquire) {
            return Ok(());
        }
        if crate::task::signal::is_ignored_or_blocked(&me, signal) {
            return if signal == Signal::TTIN { Err(Error::Io) } else { Ok(()) };
        }
        crate::task::signal::send_to_group(me.pgid(), signal, kernel_ops::SignalCause::Kernel);
        Err(Error::Restart)
    }

    pub fn read(&self, buf: &mut [u8], non_blocking: bool) -> KResult<usize> {
        if self.hung_up() {
            return Ok(0);
        }
        self.check_foreground(Signal::TTIN)?;
        let timer = |l: &LineDiscipline| l.read_timeout().map(|ds| crate::time::now_ns() + u64::from(ds) * 100_000_000);
        let mut deadline = timer(&self.ldisc.lock());
        // A try first, then a wait for more bytes whenever it finds too
        // little (a VMIN not yet reached, or a line another reader took
        // first): what the wait saw is never taken as what the read gets.
        let mut timed_out = false;
        let outcome = loop {
            if self.hung_up() {
                return Ok(0);
            }
            let mut l = self.ldisc.lock();
            let outcome = if non_blocking {
                l.read_nonblocking(buf)
            } else if timed_out {
                l.read_timed_out(buf)
            } else {
                l.read(buf)
            };
            if outcome != ReadOutcome::WouldBlock || non_blocking || timed_out {
                break outcome;
            }
            let seen = self.received.load(Ordering::Acquire);
            if l.timer_between_bytes() {
                deadline = timer(&l);
            }
            drop(l);
            match self
                .input
                .wait_until(true, deadline, || self.hung_up() || self.received.load(Ordering::Acquire) != seen)
            {
                Ok(()) => {}
                Err(WaitError::TimedOut) => timed_out = true,
                Err(WaitError::Interrupted) => return Err(Error::Restart),
            }
        };
        self.room.wake_all();
        match outcome {
            ReadOutcome::Data(n) => Ok(n),
            ReadOutcome::EndOfFile => Ok(0),
            ReadOutcome::WouldBlock => Err(Error::WouldBlock),
        }
    }

    pub fn write(&self, data: &[u8], non_blocking: bool) -> KResult<usize> {
        if self.hung_up() {
            return Err(Error::Io);
        }
        let tostop = self.ldisc.lock().termios().lflag & tty::TOSTOP != 0;
        if tostop {
            self.check_foreground(Signal::TTOU)?;
        }
        // Small chunks: the lock masks interrupts while the UART drains.
        let mut done = 0;
        for chunk in data.chunks(128) {
            if let Output::Master(m) = &self.output {
                // The master reads slowly: wait for room, as a tty waits
                // for its device.
                let room = || m.hung_up.load(Ordering::Acquire) || m.bytes.lock().len() < MASTER_BUFFER;
                if non_blocking && !room() {
                    return if done > 0 { Ok(done) } else { Err(Error::WouldBlock) };
                }
                if let Err(e) = m.changed.wait_until(true, None, room) {
                    return if done > 0 {
                        Ok(done)
                    } else {
                        Err(if e == WaitError::Interrupted { Error::Restart } else { Error::Io })
                    };
                }
                if m.hung_up.load(Ordering::Acquire) {
                    return if done > 0 { Ok(done) } else { Err(Error::Io) };
                }
            }
            self.ldisc.lock().process_output(chunk, &mut |b| self.emit(b));
            self.after_output();
            done += chunk.len();
        }
        Ok(done)
    }

    pub fn poll(&self) -> PollState {
        let hung_up = self.hung_up();
        let writable = match &self.output {
            Output::Master(m) => hung_up || m.bytes.lock().len() < MASTER_BUFFER,
            Output::Uart => true,
        };
        PollState {
            readable: hung_up || self.ldisc.lock().readable(),
            writable,
            hang_up: hung_up,
            ..PollState::default()
        }
    }

    pub fn termios(&self) -> Termios {
        *self.ldisc.lock().termios()
    }

    pub fn set_termios(&self, t: Termios, flush: bool) {
        let mut l = self.ldisc.lock();
        if flush {
            l.flush_input();
        }
        l.set_termios(t);
        drop(l);
        self.input.wake_all();
        self.room.wake_all();
        self.pollers.wake();
    }

    pub fn flush_input(&self) {
        self.ldisc.lock().flush_input();
        self.room.wake_all();
    }

    /// Feeds `data` to the line discipline as a pseudo-terminal's master
    /// writes it: while the input queue is full the writer waits for a
    /// reader (or, non-blocking, stops: EAGAIN if nothing went), as Linux
    /// holds a master writer back; `gone` (every slave closed) ends the
    /// wait, and the input is then taken and dropped. A signal ends a
    /// wait with what was written so far (ERESTARTSYS if nothing).
    pub fn receive_from_master(&self, data: &[u8], non_blocking: bool, gone: &dyn Fn() -> bool) -> KResult<usize> {
        const CHUNK: usize = 256;
        let mut done = 0;
        for chunk in data.chunks(CHUNK) {
            for &b in chunk {
                let room = || !self.ldisc.lock().input_full() || gone();
                if !room() {
                    if non_blocking {
                        return if done > 0 { Ok(done) } else { Err(Error::WouldBlock) };
                    }
                    if self.room.wait_until(true, None, room).is_err() {
                        return if done > 0 { Ok(done) } else { Err(Error::Restart) };
                    }
                }
                self.receive(b);
                done += 1;
            }
            // A long write (sendfile from /dev/zero) must not keep the CPU
            // from everyone else: the kernel does not preempt itself.
            crate::sched::preemption_point();
        }
        Ok(done)
    }

    pub fn available(&self) -> usize {
        self.ldisc.lock().available()
    }

    pub fn window_size(&self) -> WindowSize {
        *self.winsize.lock()
    }

    pub fn set_window_size(&self, ws: WindowSize) {
        *self.winsize.lock() = ws;
        let fg = self.foreground.load(Ordering::Acquire);
        if fg != 0 {
            crate::task::signal::send_to_group(fg, Signal::WINCH, kernel_ops::SignalCause::Kernel);
        }
    }

    pub fn foreground(&self) -> u32 {
        self.foreground.load(Ordering::Acquire)
    }

    pub fn set_foreground(&self, pgrp: u32) {
        self.foreground.store(pgrp, Ordering::Release);
    }

    pub fn session(&self) -> u32 {
        self.session.load(Ordering::Acquire)
    }

    /// Makes this the controlling terminal of `sid` with `pgrp` in front.
    pub fn attach(&self, sid: u32, pgrp: u32) {
        self.session.store(sid, Ordering::Release);
        self.foreground.store(pgrp, Ordering::Release);
    }

    /// Wakes readers so they see a change (a hang-up).
    pub fn wake_readers(&self) {
        self.input.wake_all();
        self.pollers.wake();
    }

    pub fn detach(&self) {
        self.session.store(0, Ordering::Release);
        self.foreground.store(0, Ordering::Release);
    }
}
