//! The echo primitives: how one input byte, or one editing effect, looks
//! on the terminal.
//!
//! Echo goes straight to the device as it is produced (Linux queues it and
//! replays column changes later; doing it at once gives the same bytes and
//! the same columns). Echoed bytes go through output processing like
//! program output, except for the `^X` form of control characters and the
//! backspaces that erase a tab, which are written as they are.

use crate::ctype::is_control;
use crate::output::{post_process, Columns, Sink};
use crate::termios::{Termios, ECHOCTL, OPOST};

/// Echoes `byte` as it is (a control character stays a control character).
pub(crate) fn echo_raw(t: &Termios, cols: &mut Columns, byte: u8, out: &mut Sink<'_>) {
    if byte == 0xff {
        // Linux writes 0xff without output processing: it is the escape
        // byte of its echo queue and bypasses the usual path.
        out.put(byte);
        cols.column += 1;
    } else if t.oflag(OPOST) {
        post_process(t, cols, byte, out);
    } else {
        out.put(byte);
    }
}

/// Echoes `byte` as typed input: under `ECHOCTL` a control character other
/// than tab shows as `^` and the character 0x40 above it (`^C`, `^?`).
pub(crate) fn echo_char(t: &Termios, cols: &mut Columns, byte: u8, out: &mut Sink<'_>) {
    if t.lflag(ECHOCTL) && is_control(byte) && byte != b'\t' {
        out.put(b'^');
        out.put(byte ^ 0x40);
        cols.column += 2;
    } else {
        echo_raw(t, cols, byte, out);
    }
}

/// Erases one visible character: back, blank, back.
pub(crate) fn echo_rubout(t: &Termios, cols: &mut Columns, out: &mut Sink<'_>) {
    for b in *b"\x08 \x08" {
        echo_raw(t, cols, b, out);
    }
}

/// Backs over a tab. `width` is the number of columns the input since the
/// previous tab (or since the start of the line, when `after_tab` is
/// false) takes; only its value modulo 8 matters.
pub(crate) fn echo_erase_tab(cols: &mut Columns, width: usize, after_tab: bool, out: &mut Sink<'_>) {
    let from_tab_stop = if after_tab { width } else { width + cols.canon_column };
    for _ in 0..8 - (from_tab_stop & 7) {
        out.put(0x08);
        cols.column = cols.column.saturating_sub(1);
    }
}
