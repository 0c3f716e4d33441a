//! The console terminal: the serial port behind a line discipline
//! (crates/tty), with a session, a foreground process group and a window
//! size, as Linux gives a tty.

use super::file::PollState;
use crate::arch::serial;
use crate::sched::{WaitError, WaitQueue};
use crate::sync::SpinLock;
use core::sync::atomic::{AtomicU32, Ordering};
use kernel_ops::{Error, KResult, Signal, WindowSize};
use tty::{LineDiscipline, ReadOutcome, Termios};

pub struct Tty {
    ldisc: SpinLock<LineDiscipline>,
    input: WaitQueue,
    /// Foreground process group (0: none yet).
    foreground: AtomicU32,
    /// The session this is the controlling terminal of (0: none).
    session: AtomicU32,
    winsize: SpinLock<WindowSize>,
}

static CONSOLE: Tty = Tty {
    ldisc: SpinLock::new(LineDiscipline::new(Termios::default_console())),
    input: WaitQueue::new(),
    foreground: AtomicU32::new(0),
    session: AtomicU32::new(0),
    winsize: SpinLock::new(WindowSize { rows: 24, cols: 80 }),
};

pub fn console() -> &'static Tty {
    &CONSOLE
}

/// Serial interrupt: feed every waiting byte through the line discipline.
pub fn on_serial_input() {
    while let Some(byte) = serial::read_byte() {
        CONSOLE.receive(byte);
    }
}

fn to_uart(bytes: &[u8]) {
    for &b in bytes {
        serial::write_byte(b);
    }
}

impl Tty {
    fn receive(&self, byte: u8) {
        let signal = self.ldisc.lock().receive(byte, &mut to_uart);
        self.input.wake_all();
        crate::task::poll::notify();
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
        self.check_foreground(Signal::TTIN)?;
        let deadline = self.ldisc.lock().read_timeout().map(|ds| crate::time::now_ns() + u64::from(ds) * 100_000_000);
        let waited = self.input.wait_until(true, deadline, || non_blocking || self.ldisc.lock().readable());
        let outcome = {
            let mut l = self.ldisc.lock();
            match waited {
                Ok(()) if non_blocking => l.read_nonblocking(buf),
                Ok(()) => l.read(buf),
                Err(WaitError::TimedOut) => l.read_timed_out(buf),
                Err(WaitError::Interrupted) => return Err(Error::Restart),
            }
        };
        match outcome {
            ReadOutcome::Data(n) => Ok(n),
            ReadOutcome::EndOfFile => Ok(0),
            ReadOutcome::WouldBlock => Err(Error::WouldBlock),
        }
    }

    pub fn write(&self, data: &[u8]) -> KResult<usize> {
        let tostop = self.ldisc.lock().termios().lflag & tty::TOSTOP != 0;
        if tostop {
            self.check_foreground(Signal::TTOU)?;
        }
        // Small chunks: the lock masks interrupts while the UART drains.
        for chunk in data.chunks(128) {
            self.ldisc.lock().process_output(chunk, &mut to_uart);
        }
        Ok(data.len())
    }

    pub fn poll(&self) -> PollState {
        PollState { readable: self.ldisc.lock().readable(), writable: true, ..PollState::default() }
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
    }

    pub fn flush_input(&self) {
        self.ldisc.lock().flush_input();
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

    pub fn detach(&self) {
        self.session.store(0, Ordering::Release);
        self.foreground.store(0, Ordering::Release);
    }
}
