//! Output processing (`OPOST` and friends) and the cursor column it tracks.
//!
//! Program output and echo share one column: erasing a tab must know where
//! the line started on screen, prompt included. The rules are Linux's: the
//! column is only tracked while `OPOST` is on; a tab advances to the next
//! multiple of eight; `\b` moves back one; control characters take no
//! room; UTF-8 continuation bytes take none under `IUTF8`.

use crate::ctype::{is_control, is_utf8_continuation};
use crate::termios::{Termios, IUTF8, OCRNL, OLCUC, ONLCR, ONLRET, ONOCR, TABDLY, XTABS};

/// Where the cursor is, as far as the line discipline can tell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Columns {
    /// The cursor column.
    pub(crate) column: usize,
    /// The column where echo of the current input line began; erasing a
    /// tab counts from here.
    pub(crate) canon_column: usize,
}

/// Batches bytes for a device callback so that each echo or write reaches
/// the device in few calls. Flushes when full and when dropped.
pub(crate) struct Sink<'a> {
    buf: [u8; 128],
    len: usize,
    device: &'a mut dyn FnMut(&[u8]),
}

impl<'a> Sink<'a> {
    pub(crate) fn new(device: &'a mut dyn FnMut(&[u8])) -> Self {
        Sink { buf: [0; 128], len: 0, device }
    }

    pub(crate) fn put(&mut self, byte: u8) {
        if self.len == self.buf.len() {
            self.flush();
        }
        self.buf[self.len] = byte;
        self.len += 1;
    }

    pub(crate) fn put_all(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.put(b);
        }
    }

    fn flush(&mut self) {
        if self.len > 0 {
            (self.device)(&self.buf[..self.len]);
            self.len = 0;
        }
    }
}

impl Drop for Sink<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Sends one byte through output processing; the caller has checked that
/// `OPOST` is on.
pub(crate) fn post_process(t: &Termios, cols: &mut Columns, byte: u8, out: &mut Sink<'_>) {
    match byte {
        b'\n' => {
            if t.oflag(ONLRET) {
                cols.column = 0;
            }
            if t.oflag(ONLCR) {
                cols.column = 0;
                cols.canon_column = 0;
                out.put_all(b"\r\n");
                return;
            }
            cols.canon_column = cols.column;
            out.put(b'\n');
        }
        b'\r' => {
            if t.oflag(ONOCR) && cols.column == 0 {
                return;
            }
            if t.oflag(OCRNL) {
                if t.oflag(ONLRET) {
                    cols.column = 0;
                    cols.canon_column = 0;
                }
                out.put(b'\n');
                return;
            }
            cols.column = 0;
            cols.canon_column = 0;
            out.put(b'\r');
        }
        b'\t' => {
            let spaces = 8 - (cols.column & 7);
            cols.column += spaces;
            if t.oflag & TABDLY == XTABS {
                for _ in 0..spaces {
                    out.put(b' ');
                }
            } else {
                out.put(b'\t');
            }
        }
        0x08 => {
            cols.column = cols.column.saturating_sub(1);
            out.put(byte);
        }
        _ if is_control(byte) => out.put(byte),
        _ => {
            if !(t.iflag(IUTF8) && is_utf8_continuation(byte)) {
                cols.column += 1;
            }
            // Upper-casing is ASCII only: Linux would also map Latin-1
            // letters, which corrupts UTF-8 text.
            out.put(if t.oflag(OLCUC) { byte.to_ascii_uppercase() } else { byte });
        }
    }
}
