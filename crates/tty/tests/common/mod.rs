//! A terminal on a test bench: type at it, read from it, watch the screen.

#![allow(dead_code)]

use tty::{LineDiscipline, ReadOutcome, Signal, Termios};

pub const DEL: u8 = 0x7f;

/// The control character typed as Ctrl+`letter`.
pub const fn ctrl(letter: u8) -> u8 {
    letter & 0x1f
}

pub struct Term {
    pub ld: LineDiscipline,
    /// Every echo byte so far.
    pub screen: Vec<u8>,
    pub signals: Vec<Signal>,
}

impl Term {
    pub fn new(termios: Termios) -> Self {
        Term { ld: LineDiscipline::new(termios), screen: Vec::new(), signals: Vec::new() }
    }

    /// Linux's defaults.
    pub fn cooked() -> Self {
        Self::new(Termios::default_console())
    }

    /// Defaults changed by `edit`.
    pub fn with(edit: impl FnOnce(&mut Termios)) -> Self {
        let mut t = Termios::default_console();
        edit(&mut t);
        Self::new(t)
    }

    /// Types `input` and returns the echo it caused.
    pub fn type_bytes(&mut self, input: &[u8]) -> Vec<u8> {
        let mut echo = Vec::new();
        for &b in input {
            let sig = self.ld.receive(b, &mut |bytes: &[u8]| echo.extend_from_slice(bytes));
            self.signals.extend(sig);
        }
        self.screen.extend_from_slice(&echo);
        echo
    }

    /// A read with a `size`-byte buffer.
    pub fn read(&mut self, size: usize) -> (ReadOutcome, Vec<u8>) {
        let mut buf = vec![0; size];
        let outcome = self.ld.read(&mut buf);
        if let ReadOutcome::Data(n) = outcome {
            buf.truncate(n);
        } else {
            buf.clear();
        }
        (outcome, buf)
    }

    /// The bytes of one successful read with a large buffer; panics on
    /// anything but data.
    pub fn read_data(&mut self) -> Vec<u8> {
        match self.read(8192) {
            (ReadOutcome::Data(_), bytes) => bytes,
            (other, _) => panic!("expected data, got {other:?}"),
        }
    }

    /// What a write of `data` sends to the device.
    pub fn write(&mut self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        self.ld.process_output(data, &mut |bytes: &[u8]| out.extend_from_slice(bytes));
        out
    }

    /// Applies `edit` to the current settings.
    pub fn set(&mut self, edit: impl FnOnce(&mut Termios)) {
        let mut t = *self.ld.termios();
        edit(&mut t);
        self.ld.set_termios(t);
    }
}
