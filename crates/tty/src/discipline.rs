//! The line discipline state machine.

use core::fmt;

use crate::ctype::{is_control, is_utf8_continuation, is_word};
use crate::echo::{echo_char, echo_erase_tab, echo_raw, echo_rubout};
use crate::output::{post_process, Columns, Sink};
use crate::queue::{InputQueue, Slot};
use crate::termios::*;

/// A signal typed at the terminal, for its foreground process group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// `VINTR` (or a break under `BRKINT`): SIGINT.
    Interrupt,
    /// `VQUIT`: SIGQUIT.
    Quit,
    /// `VSUSP`: SIGTSTP.
    Suspend,
}

/// What a read gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOutcome {
    /// This many bytes were copied into the buffer (0 when the buffer is
    /// empty, or when a non-canonical read timed out or polls).
    Data(usize),
    /// `VEOF` was typed at the start of a line: `read` returns 0. Reported
    /// once per keypress.
    EndOfFile,
    /// Nothing may be returned yet: block until more input arrives, then ask
    /// again.
    WouldBlock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Erase {
    Char,
    Word,
    Line,
}

/// One terminal's input and output processing.
///
/// The kernel drives it:
///
/// - each byte from the device goes to [`receive`](Self::receive); the echo
///   it produces goes back to the device, and a returned [`Signal`] to the
///   terminal's foreground process group. Unless `NOFLSH` is set, the input
///   queue has already been flushed; the kernel should also discard output
///   it has queued for the device but not yet sent, as Linux does.
/// - a `read(2)` calls [`read`](Self::read); on
///   [`ReadOutcome::WouldBlock`] the reader sleeps until more input arrives
///   and tries again. If [`read_timeout`](Self::read_timeout) gives a
///   time, the kernel arms a timer for that many tenths of a second and,
///   if it fires first, completes the read with
///   [`read_timed_out`](Self::read_timed_out). With `VMIN` > 0 the timer
///   is re-armed after every retry that still blocks (it times the gap
///   between bytes); with `VMIN` = 0 any byte completes the read, so the
///   first deadline stands.
/// - an `O_NONBLOCK` read takes [`read_nonblocking`](Self::read_nonblocking)
///   instead (`WouldBlock` is `EAGAIN`); so does a blocked read that a
///   signal interrupts, where `WouldBlock` means `EINTR` and data is
///   returned as the read's result, as Linux returns what it had gathered.
/// - a `write(2)` goes through [`process_output`](Self::process_output).
/// - while [`output_stopped`](Self::output_stopped) (`^S`), the kernel holds
///   back everything bound for the device, echo included, and sends it
///   once output is started again.
#[derive(Clone)]
pub struct LineDiscipline {
    termios: Termios,
    queue: InputQueue,
    /// Bytes that need more than plain queueing under the current termios.
    special: [u64; 4],
    cols: Columns,
    /// The previous byte was `VLNEXT`: take the next one literally.
    literal_next: bool,
    /// `ECHOPRT` is inside a `\...` run of erased characters.
    erasing: bool,
    stopped: bool,
    /// Stopped by `tcflow(TCOOFF)`, which only `TCOON` undoes.
    stopped_by_tcflow: bool,
}

const fn mark(map: &mut [u64; 4], byte: u8) {
    map[(byte / 64) as usize] |= 1 << (byte % 64);
}

/// The bytes `receive` must look at closely, as Linux's `char_map`.
const fn special_bytes(t: &Termios) -> [u64; 4] {
    let mut map = [0; 4];
    if t.iflag(IGNCR | ICRNL) {
        mark(&mut map, b'\r');
    }
    if t.iflag(INLCR) {
        mark(&mut map, b'\n');
    }
    if t.lflag(ICANON) {
        mark(&mut map, t.cc[VERASE]);
        mark(&mut map, t.cc[VKILL]);
        mark(&mut map, t.cc[VEOF]);
        mark(&mut map, b'\n');
        mark(&mut map, t.cc[VEOL]);
        if t.lflag(IEXTEN) {
            mark(&mut map, t.cc[VWERASE]);
            mark(&mut map, t.cc[VLNEXT]);
            mark(&mut map, t.cc[VEOL2]);
            if t.lflag(ECHO) {
                mark(&mut map, t.cc[VREPRINT]);
            }
        }
    }
    if t.iflag(IXON) {
        mark(&mut map, t.cc[VSTART]);
        mark(&mut map, t.cc[VSTOP]);
    }
    if t.lflag(ISIG) {
        mark(&mut map, t.cc[VINTR]);
        mark(&mut map, t.cc[VQUIT]);
        mark(&mut map, t.cc[VSUSP]);
    }
    // A disabled entry is NUL; NUL itself is never special.
    map[0] &= !1;
    map
}

impl LineDiscipline {
    /// A line discipline with empty queues. `const`, so the kernel can
    /// place one in a static.
    pub const fn new(termios: Termios) -> Self {
        LineDiscipline {
            special: special_bytes(&termios),
            termios,
            queue: InputQueue::new(),
            cols: Columns { column: 0, canon_column: 0 },
            literal_next: false,
            erasing: false,
            stopped: false,
            stopped_by_tcflow: false,
        }
    }

    pub fn termios(&self) -> &Termios {
        &self.termios
    }

    /// Applies new settings (`TCSETS`). Switching between canonical and
    /// non-canonical mode keeps the input: to non-canonical, everything
    /// queued (the line being edited too) becomes readable; to canonical,
    /// whatever is queued becomes one complete line.
    pub fn set_termios(&mut self, termios: Termios) {
        let old = self.termios;
        self.termios = termios;
        if (old.lflag ^ termios.lflag) & ICANON != 0 {
            if termios.is_canonical() {
                self.queue.make_canonical();
            } else {
                self.queue.make_raw();
            }
            self.erasing = false;
            self.literal_next = false;
        }
        self.special = special_bytes(&termios);
        // Turning IXON off must not leave output stopped for good.
        if old.iflag(IXON) && !termios.iflag(IXON) && !self.stopped_by_tcflow {
            self.stopped = false;
        }
    }

    /// One byte arrived from the device. Echo (if any) goes to `echo`; a
    /// generated signal is returned.
    pub fn receive(&mut self, byte: u8, echo: &mut dyn FnMut(&[u8])) -> Option<Signal> {
        let mut out = Sink::new(echo);
        let literal = core::mem::take(&mut self.literal_next);
        let c = self.input_map(byte);
        if literal || !self.is_special(c) {
            self.receive_plain(c, &mut out);
            None
        } else {
            self.receive_special(c, &mut out)
        }
    }

    /// A break condition arrived from the device (the UART reported one).
    pub fn receive_break(&mut self) -> Option<Signal> {
        let t = self.termios;
        if t.iflag(IGNBRK) {
            return None;
        }
        if t.iflag(BRKINT) {
            if !t.lflag(NOFLSH) {
                self.flush_input();
            }
            return Some(Signal::Interrupt);
        }
        // Delivered as a NUL byte, or \377 \0 \0 under PARMRK.
        let marked: &[u8] = if t.iflag(PARMRK) { &[0xff, 0, 0] } else { &[0] };
        if self.has_room(marked.len(), false) {
            for &b in marked {
                self.queue.push(b, Slot::Data);
            }
        }
        None
    }

    /// What a `read(2)` of up to `buf.len()` bytes gets now.
    ///
    /// Canonical mode: one line at most, its terminator included (`VEOF`
    /// itself is never returned); a line longer than the buffer comes in
    /// pieces. Non-canonical mode, by `VMIN` and `VTIME`: with `VMIN` > 0
    /// the read waits for `VMIN` bytes (or as many as the buffer holds, if
    /// fewer); with `VMIN` = 0 and `VTIME` > 0 for any byte; with both 0 it
    /// never waits.
    pub fn read(&mut self, buf: &mut [u8]) -> ReadOutcome {
        if buf.is_empty() {
            return ReadOutcome::Data(0);
        }
        if self.termios.is_canonical() {
            return self.read_line(buf);
        }
        let held = self.queue.len();
        let (min, time) = self.min_time();
        let satisfied = if min == 0 { held > 0 || time == 0 } else { held >= min.min(buf.len()) };
        if satisfied {
            self.read_raw(buf)
        } else {
            ReadOutcome::WouldBlock
        }
    }

    /// The read after the timer from [`read_timeout`](Self::read_timeout)
    /// fired: in non-canonical mode whatever is queued, possibly nothing
    /// (`Data(0)`, and `read(2)` returns 0). Canonical reads have no timer;
    /// there this is [`read`](Self::read).
    pub fn read_timed_out(&mut self, buf: &mut [u8]) -> ReadOutcome {
        if buf.is_empty() {
            return ReadOutcome::Data(0);
        }
        if self.termios.is_canonical() {
            return self.read_line(buf);
        }
        self.read_raw(buf)
    }

    /// A read that may not wait: `O_NONBLOCK`, or a blocked read cut short
    /// by a signal (which returns what it can rather than `EINTR`, as on
    /// Linux). In non-canonical mode any queued byte satisfies it; otherwise
    /// it is `WouldBlock` (`EAGAIN`), except that `VMIN` = `VTIME` = 0 reads
    /// return 0.
    pub fn read_nonblocking(&mut self, buf: &mut [u8]) -> ReadOutcome {
        if buf.is_empty() {
            return ReadOutcome::Data(0);
        }
        if self.termios.is_canonical() {
            return self.read_line(buf);
        }
        if self.queue.len() > 0 || self.min_time() == (0, 0) {
            self.read_raw(buf)
        } else {
            ReadOutcome::WouldBlock
        }
    }

    /// Whether `poll`/`select` report the terminal readable: canonical
    /// mode, a complete line or an end-of-file is queued; non-canonical,
    /// `VMIN` bytes are (one byte when `VTIME` is set, since the read will
    /// then finish within the timer).
    pub fn readable(&self) -> bool {
        if self.termios.is_canonical() {
            return self.queue.has_complete_line();
        }
        let (min, time) = self.min_time();
        let wanted = if time == 0 && min > 0 { min } else { 1 };
        self.queue.len() >= wanted
    }

    /// Whether the device should hold input back until a reader takes
    /// some: the queue has no room for another byte, and a reader can make
    /// room (non-canonical mode, or a complete line is queued). A canonical
    /// queue holding only an unfinished line never holds input back: the
    /// line can only end with more input, so bytes are taken and dropped
    /// (`VKILL`, `VERASE` and the line's end still get through), as Linux's
    /// n_tty does. A pseudo-terminal's master writer waits while this holds.
    pub fn input_full(&self) -> bool {
        if self.termios.is_canonical() {
            self.queue.room() <= 1 && self.queue.has_complete_line()
        } else {
            self.queue.room() == 0
        }
    }

    /// Bytes a reader could take now (`FIONREAD`): in canonical mode the
    /// complete lines, not the one being edited.
    pub fn available(&self) -> usize {
        if self.termios.is_canonical() {
            self.queue.complete_bytes()
        } else {
            self.queue.len()
        }
    }

    /// How long a blocked non-canonical read may wait, in tenths of a
    /// second, before it completes with what it has (POSIX's four cases):
    ///
    /// | `VMIN` | `VTIME` | timer |
    /// |---|---|---|
    /// | > 0 | > 0 | `VTIME`, between bytes, once the first byte is queued |
    /// | > 0 | 0 | none: wait for `VMIN` bytes |
    /// | 0 | > 0 | `VTIME`, from the start of the read |
    /// | 0 | 0 | none: reads never wait |
    pub fn read_timeout(&self) -> Option<u32> {
        if self.termios.is_canonical() {
            return None;
        }
        let (min, time) = self.min_time();
        if time == 0 || (min > 0 && self.queue.len() == 0) {
            None
        } else {
            Some(time as u32)
        }
    }

    /// Whether a blocked read re-arms its [`read_timeout`](Self::read_timeout)
    /// after every retry that still blocks: non-canonical with `VMIN` > 0,
    /// where `VTIME` times the gap between bytes.
    pub fn timer_between_bytes(&self) -> bool {
        !self.termios.is_canonical() && self.min_time().0 > 0
    }

    /// Output processing for a `write(2)`: the bytes for the device.
    pub fn process_output(&mut self, data: &[u8], out: &mut dyn FnMut(&[u8])) {
        if !self.termios.oflag(OPOST) {
            if !data.is_empty() {
                out(data);
            }
            return;
        }
        let mut sink = Sink::new(out);
        for &b in data {
            post_process(&self.termios, &mut self.cols, b, &mut sink);
        }
    }

    /// Discards all queued input (`TCFLSH` with `TCIFLUSH`).
    pub fn flush_input(&mut self) {
        self.queue.clear();
        self.erasing = false;
    }

    /// The cursor column as output and echo have left it.
    pub fn column(&self) -> usize {
        self.cols.column
    }

    /// Output is stopped by `VSTOP` (under `IXON`) or `tcflow(TCOOFF)`.
    pub fn output_stopped(&self) -> bool {
        self.stopped
    }

    /// `tcflow(TCOOFF)`: stop output until [`resume_output`](Self::resume_output).
    pub fn suspend_output(&mut self) {
        self.stopped = true;
        self.stopped_by_tcflow = true;
    }

    /// `tcflow(TCOON)`: restart output however it was stopped.
    pub fn resume_output(&mut self) {
        self.stopped = false;
        self.stopped_by_tcflow = false;
    }

    // Input.

    fn input_map(&self, byte: u8) -> u8 {
        let mut c = byte;
        if self.termios.iflag(ISTRIP) {
            c &= 0x7f;
        }
        // Lower-casing is ASCII only (Linux maps Latin-1 letters too).
        if self.termios.iflag(IUCLC) && self.termios.lflag(IEXTEN) {
            c = c.to_ascii_lowercase();
        }
        c
    }

    fn is_special(&self, c: u8) -> bool {
        self.special[(c / 64) as usize] & (1 << (c % 64)) != 0
    }

    fn min_time(&self) -> (usize, u8) {
        (self.termios.cc[VMIN] as usize, self.termios.cc[VTIME])
    }

    /// Whether `slots` more bytes fit. In canonical mode one slot stays
    /// free for the byte that ends the line, so a full line can still be
    /// entered (or erased) rather than wedging the terminal.
    fn has_room(&self, slots: usize, ends_line: bool) -> bool {
        let reserve = usize::from(self.termios.is_canonical() && !ends_line);
        self.queue.room() >= slots + reserve
    }

    /// Input that did not fit is dropped; under `IMAXBEL` the terminal
    /// beeps.
    fn overflow(&mut self, out: &mut Sink<'_>) {
        if self.termios.iflag(IMAXBEL) {
            echo_raw(&self.termios, &mut self.cols, 0x07, out);
        }
    }

    /// `IXANY`: any input restarts output stopped by `VSTOP`.
    fn restart_on_any_input(&mut self) {
        let both = IXON | IXANY;
        if self.stopped && !self.stopped_by_tcflow && self.termios.iflag & both == both {
            self.stopped = false;
        }
    }

    fn start_output_by_key(&mut self) {
        if !self.stopped_by_tcflow {
            self.stopped = false;
        }
    }

    /// An ordinary byte: echo it and queue it.
    fn receive_plain(&mut self, c: u8, out: &mut Sink<'_>) {
        self.restart_on_any_input();
        self.store(c, false, out);
    }

    /// Echoes and queues a byte that does not end a line. A newline that
    /// came through the special path (a translated `\r`) echoes as a
    /// newline; any other control character, `\n` included, as `^X` under
    /// `ECHOCTL`, as Linux does.
    fn store(&mut self, c: u8, special: bool, out: &mut Sink<'_>) {
        let t = self.termios;
        // PARMRK doubles a real 0xff so that it cannot be taken for a mark.
        let doubled = c == 0xff && t.iflag(PARMRK);
        let slots = if doubled { 2 } else { 1 };
        if !self.has_room(slots, false) {
            self.overflow(out);
            return;
        }
        if t.lflag(ECHO) {
            self.finish_erasing(out);
            if special && c == b'\n' {
                echo_raw(&t, &mut self.cols, c, out);
            } else {
                self.mark_line_start();
                echo_char(&t, &mut self.cols, c, out);
            }
        }
        if doubled {
            self.queue.push(0xff, Slot::Data);
        }
        self.queue.push(c, Slot::Data);
    }

    fn receive_special(&mut self, c: u8, out: &mut Sink<'_>) -> Option<Signal> {
        let t = self.termios;
        if t.iflag(IXON) {
            if t.is_char(VSTART, c) {
                self.start_output_by_key();
                return None;
            }
            if t.is_char(VSTOP, c) {
                self.stopped = true;
                return None;
            }
        }
        if t.lflag(ISIG) {
            let signal = if t.is_char(VINTR, c) {
                Some(Signal::Interrupt)
            } else if t.is_char(VQUIT, c) {
                Some(Signal::Quit)
            } else if t.is_char(VSUSP, c) {
                Some(Signal::Suspend)
            } else {
                None
            };
            if let Some(signal) = signal {
                self.signal_char(c, out);
                return Some(signal);
            }
        }
        self.restart_on_any_input();
        let mut c = c;
        if c == b'\r' {
            if t.iflag(IGNCR) {
                return None;
            }
            if t.iflag(ICRNL) {
                c = b'\n';
            }
        } else if c == b'\n' && t.iflag(INLCR) {
            c = b'\r';
        }
        if t.is_canonical() && self.receive_canonical(c, out) {
            return None;
        }
        self.store(c, true, out);
        None
    }

    /// `VINTR`, `VQUIT` or `VSUSP` under `ISIG`: flush, restart output,
    /// echo the key (`^C`).
    fn signal_char(&mut self, c: u8, out: &mut Sink<'_>) {
        let t = self.termios;
        if !t.lflag(NOFLSH) {
            self.flush_input();
        }
        if t.iflag(IXON) {
            self.start_output_by_key();
        }
        if t.lflag(ECHO) {
            echo_char(&t, &mut self.cols, c, out);
        }
    }

    /// The canonical-mode keys. Returns false for a byte that is just
    /// input after all.
    fn receive_canonical(&mut self, c: u8, out: &mut Sink<'_>) -> bool {
        let t = self.termios;
        let iexten = t.lflag(IEXTEN);
        let echo = t.lflag(ECHO);
        if t.is_char(VERASE, c) {
            self.erase(Erase::Char, out);
        } else if t.is_char(VWERASE, c) && iexten {
            self.erase(Erase::Word, out);
        } else if t.is_char(VKILL, c) {
            self.erase(Erase::Line, out);
        } else if t.is_char(VLNEXT, c) && iexten {
            self.literal_next = true;
            if echo {
                self.finish_erasing(out);
                if t.lflag(ECHOCTL) {
                    // A caret the next character overwrites.
                    echo_raw(&t, &mut self.cols, b'^', out);
                    echo_raw(&t, &mut self.cols, 0x08, out);
                }
            }
        } else if t.is_char(VREPRINT, c) && echo && iexten {
            self.finish_erasing(out);
            echo_char(&t, &mut self.cols, c, out);
            echo_raw(&t, &mut self.cols, b'\n', out);
            for b in self.queue.editing_bytes() {
                echo_char(&t, &mut self.cols, b, out);
            }
        } else if c == b'\n' {
            if !self.has_room(1, true) {
                self.overflow(out);
            } else {
                if echo || t.lflag(ECHONL) {
                    echo_raw(&t, &mut self.cols, b'\n', out);
                }
                self.queue.push(c, Slot::LineEnd);
            }
        } else if t.is_char(VEOF, c) {
            // Not echoed; ends the line without adding a byte to it.
            if !self.has_room(1, true) {
                self.overflow(out);
            } else {
                self.queue.push(0, Slot::Eof);
            }
        } else if t.is_char(VEOL, c) || (t.is_char(VEOL2, c) && iexten) {
            let doubled = c == 0xff && t.iflag(PARMRK);
            if !self.has_room(if doubled { 2 } else { 1 }, true) {
                self.overflow(out);
                return true;
            }
            if echo {
                self.mark_line_start();
                echo_char(&t, &mut self.cols, c, out);
            }
            if doubled {
                self.queue.push(0xff, Slot::Data);
            }
            self.queue.push(c, Slot::LineEnd);
        } else {
            return false;
        }
        true
    }

    /// Remembers where echo of a new input line starts, for tab erase.
    fn mark_line_start(&mut self) {
        if self.termios.is_canonical() && self.queue.editing_len() == 0 {
            self.cols.canon_column = self.cols.column;
        }
    }

    /// Closes an `ECHOPRT` run of erased characters with `/`.
    fn finish_erasing(&mut self, out: &mut Sink<'_>) {
        if self.erasing {
            self.erasing = false;
            echo_raw(&self.termios, &mut self.cols, b'/', out);
        }
    }

    /// `VERASE`, `VWERASE` and `VKILL`.
    fn erase(&mut self, kind: Erase, out: &mut Sink<'_>) {
        let t = self.termios;
        if self.queue.editing_len() == 0 {
            return;
        }
        let echo = t.lflag(ECHO);
        if kind == Erase::Line {
            if !echo {
                self.queue.kill_line();
                return;
            }
            if !(t.lflag(ECHOK) && t.lflag(ECHOKE) && t.lflag(ECHOE)) {
                // Show the kill character (and a newline under ECHOK)
                // instead of wiping the line off the screen.
                self.queue.kill_line();
                self.finish_erasing(out);
                echo_char(&t, &mut self.cols, t.cc[VKILL], out);
                if t.lflag(ECHOK) {
                    echo_raw(&t, &mut self.cols, b'\n', out);
                }
                return;
            }
        }
        let utf8 = t.iflag(IUTF8);
        let mut seen_word = false;
        while self.queue.editing_len() > 0 {
            // The last character: a lead byte and its continuation bytes.
            let len = self.queue.editing_len();
            let mut width = 1;
            let mut lead = self.queue.editing_byte_back(1).unwrap_or(0);
            while utf8 && is_utf8_continuation(lead) && width < len {
                width += 1;
                lead = self.queue.editing_byte_back(width).unwrap_or(0);
            }
            if utf8 && is_utf8_continuation(lead) {
                // Continuation bytes back to the start of the line, with
                // no lead byte: take them one at a time. (Linux refuses to
                // erase them at all, which leaves the line stuck.)
                width = 1;
            }
            if kind == Erase::Word {
                if is_word(lead) {
                    seen_word = true;
                } else if seen_word {
                    break;
                }
            }
            if echo {
                self.echo_erased(kind, width, out);
            }
            self.queue.erase(width);
            if kind == Erase::Char {
                break;
            }
        }
        if echo && self.queue.editing_len() == 0 {
            self.finish_erasing(out);
        }
    }

    /// Echo for erasing the last `width` bytes of the line (one character).
    fn echo_erased(&mut self, kind: Erase, width: usize, out: &mut Sink<'_>) {
        let t = self.termios;
        let lead = self.queue.editing_byte_back(width).unwrap_or(0);
        if t.lflag(ECHOPRT) {
            // Hardcopy terminals: print what is erased between \ and /.
            if !self.erasing {
                echo_raw(&t, &mut self.cols, b'\\', out);
                self.erasing = true;
            }
            echo_char(&t, &mut self.cols, lead, out);
            for back in (1..width).rev() {
                let b = self.queue.editing_byte_back(back).unwrap_or(0);
                echo_raw(&t, &mut self.cols, b, out);
                self.cols.column = self.cols.column.saturating_sub(1);
            }
        } else if kind == Erase::Char && !t.lflag(ECHOE) {
            echo_char(&t, &mut self.cols, t.cc[VERASE], out);
        } else if lead == b'\t' {
            let (columns, after_tab) = self.columns_before(width);
            echo_erase_tab(&mut self.cols, columns, after_tab, out);
        } else if is_control(lead) {
            // Shown as ^X: two columns under ECHOCTL, none otherwise.
            if t.lflag(ECHOCTL) {
                echo_rubout(&t, &mut self.cols, out);
                echo_rubout(&t, &mut self.cols, out);
            }
        } else {
            echo_rubout(&t, &mut self.cols, out);
        }
    }

    /// The columns taken by the input before the last `skip` bytes, back
    /// to the previous tab (then `after_tab`) or the start of the line.
    fn columns_before(&self, skip: usize) -> (usize, bool) {
        let t = &self.termios;
        let mut columns = 0;
        let mut back = skip + 1;
        while let Some(b) = self.queue.editing_byte_back(back) {
            if b == b'\t' {
                return (columns, true);
            } else if is_control(b) {
                if t.lflag(ECHOCTL) {
                    columns += 2;
                }
            } else if !(t.iflag(IUTF8) && is_utf8_continuation(b)) {
                columns += 1;
            }
            back += 1;
        }
        (columns, false)
    }

    // Reading.

    fn read_line(&mut self, buf: &mut [u8]) -> ReadOutcome {
        let Some(line) = self.queue.first_line() else {
            return ReadOutcome::WouldBlock;
        };
        if line.content == 0 {
            self.queue.skip(line.slots);
            return ReadOutcome::EndOfFile;
        }
        let n = line.content.min(buf.len());
        self.queue.take(&mut buf[..n]);
        if n == line.content {
            // The rest of the line is at most its EOF placeholder: an
            // end-of-file right after data only pushes the data out.
            self.queue.skip(line.slots - line.content);
        }
        ReadOutcome::Data(n)
    }

    fn read_raw(&mut self, buf: &mut [u8]) -> ReadOutcome {
        let n = self.queue.len().min(buf.len());
        self.queue.take(&mut buf[..n]);
        ReadOutcome::Data(n)
    }
}

impl fmt::Debug for LineDiscipline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LineDiscipline")
            .field("termios", &self.termios)
            .field("queued", &self.queue.len())
            .field("column", &self.cols.column)
            .field("literal_next", &self.literal_next)
            .field("stopped", &self.stopped)
            .finish_non_exhaustive()
    }
}
