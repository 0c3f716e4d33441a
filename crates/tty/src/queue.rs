//! The input queue: received bytes waiting for `read`, as a ring.
//!
//! Positions are free-running counters (wrapping) masked into the ring, so
//! `head - tail` is always the number of bytes held. In canonical mode the
//! queue is split at `canon`: `tail..canon` holds complete lines a reader
//! may take, `canon..head` the line still being edited. Each slot carries
//! two marks:
//!
//! - *line end*: the slot is the last one of a line (its `\n`, `VEOL` or
//!   `VEOL2`, or the last byte of input pushed into a line by a mode
//!   switch);
//! - *EOF*: the slot is a placeholder for a `VEOF` keypress. It also ends
//!   its line and is never handed to a reader, but it occupies a slot, so
//!   the number of pending end-of-files is bounded by the ring, as in Linux.

/// Bytes the queue holds, Linux's `N_TTY_BUF_SIZE`.
pub const CAPACITY: usize = 4096;
const MASK: usize = CAPACITY - 1;
const WORDS: usize = CAPACITY / 64;

/// What a pushed slot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    Data,
    LineEnd,
    Eof,
}

/// The first complete line in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    /// Bytes a reader gets (the terminator included, the EOF placeholder not).
    pub(crate) content: usize,
    /// Slots the line occupies, the EOF placeholder included.
    pub(crate) slots: usize,
}

#[derive(Clone)]
pub(crate) struct InputQueue {
    bytes: [u8; CAPACITY],
    line_end: [u64; WORDS],
    eof: [u64; WORDS],
    tail: usize,
    canon: usize,
    head: usize,
}

const fn bit(map: &[u64; WORDS], pos: usize) -> bool {
    let i = pos & MASK;
    map[i / 64] & (1 << (i % 64)) != 0
}

fn set_bit(map: &mut [u64; WORDS], pos: usize, value: bool) {
    let i = pos & MASK;
    if value {
        map[i / 64] |= 1 << (i % 64);
    } else {
        map[i / 64] &= !(1 << (i % 64));
    }
}

impl InputQueue {
    pub(crate) const fn new() -> Self {
        InputQueue { bytes: [0; CAPACITY], line_end: [0; WORDS], eof: [0; WORDS], tail: 0, canon: 0, head: 0 }
    }

    /// Slots in use, complete lines and the line being edited alike.
    pub(crate) fn len(&self) -> usize {
        self.head.wrapping_sub(self.tail)
    }

    /// Slots free.
    pub(crate) fn room(&self) -> usize {
        CAPACITY - self.len()
    }

    /// Slots in the line being edited (canonical mode).
    pub(crate) fn editing_len(&self) -> usize {
        self.head.wrapping_sub(self.canon)
    }

    pub(crate) fn has_complete_line(&self) -> bool {
        self.canon != self.tail
    }

    /// The caller checks [`InputQueue::room`] first.
    pub(crate) fn push(&mut self, byte: u8, slot: Slot) {
        debug_assert!(self.room() > 0);
        let at = self.head;
        self.bytes[at & MASK] = byte;
        set_bit(&mut self.line_end, at, slot != Slot::Data);
        set_bit(&mut self.eof, at, slot == Slot::Eof);
        self.head = at.wrapping_add(1);
        if slot != Slot::Data {
            self.canon = self.head;
        }
    }

    /// The byte `back` slots before the head of the line being edited
    /// (1 is the last byte typed); `None` past the start of the line.
    pub(crate) fn editing_byte_back(&self, back: usize) -> Option<u8> {
        if back == 0 || back > self.editing_len() {
            return None;
        }
        Some(self.bytes[self.head.wrapping_sub(back) & MASK])
    }

    /// The line being edited, oldest byte first.
    pub(crate) fn editing_bytes(&self) -> impl Iterator<Item = u8> + '_ {
        (0..self.editing_len()).map(move |i| self.bytes[self.canon.wrapping_add(i) & MASK])
    }

    /// Drops the last `count` bytes of the line being edited.
    pub(crate) fn erase(&mut self, count: usize) {
        let count = count.min(self.editing_len());
        self.head = self.head.wrapping_sub(count);
    }

    /// Drops the whole line being edited.
    pub(crate) fn kill_line(&mut self) {
        self.head = self.canon;
    }

    /// Forgets everything.
    pub(crate) fn clear(&mut self) {
        self.tail = 0;
        self.canon = 0;
        self.head = 0;
    }

    /// The first complete line, if there is one (canonical mode).
    pub(crate) fn first_line(&self) -> Option<Line> {
        // `canon` always sits just after a line end, so the scan finds one.
        let complete = self.canon.wrapping_sub(self.tail);
        let slots = (1..=complete).find(|&n| bit(&self.line_end, self.tail.wrapping_add(n - 1)))?;
        let last = self.tail.wrapping_add(slots - 1);
        let content = if bit(&self.eof, last) { slots - 1 } else { slots };
        Some(Line { content, slots })
    }

    /// Copies `buf.len()` bytes from the tail into `buf` and drops them;
    /// the caller makes sure they are data, not EOF placeholders.
    pub(crate) fn take(&mut self, buf: &mut [u8]) {
        debug_assert!(buf.len() <= self.len());
        let start = self.tail & MASK;
        let first = buf.len().min(CAPACITY - start);
        buf[..first].copy_from_slice(&self.bytes[start..start + first]);
        let rest = buf.len() - first;
        buf[first..].copy_from_slice(&self.bytes[..rest]);
        self.tail = self.tail.wrapping_add(buf.len());
    }

    /// Drops `count` slots from the tail without copying them.
    pub(crate) fn skip(&mut self, count: usize) {
        debug_assert!(count <= self.len());
        self.tail = self.tail.wrapping_add(count);
    }

    /// Bytes in complete lines, EOF placeholders not counted (`FIONREAD`
    /// in canonical mode).
    pub(crate) fn complete_bytes(&self) -> usize {
        let slots = self.canon.wrapping_sub(self.tail);
        let eofs = (0..slots).filter(|&i| bit(&self.eof, self.tail.wrapping_add(i))).count();
        slots - eofs
    }

    /// Switching to non-canonical mode: every byte held becomes plain
    /// input, the line being edited included. EOF placeholders carry no
    /// byte, so they are dropped rather than turned into NULs.
    pub(crate) fn make_raw(&mut self) {
        let mut write = self.tail;
        let mut read = self.tail;
        while read != self.head {
            if !bit(&self.eof, read) {
                self.bytes[write & MASK] = self.bytes[read & MASK];
                set_bit(&mut self.line_end, write, false);
                set_bit(&mut self.eof, write, false);
                write = write.wrapping_add(1);
            }
            read = read.wrapping_add(1);
        }
        self.head = write;
        self.canon = self.tail;
    }

    /// Switching to canonical mode: whatever raw input is waiting becomes
    /// one complete line, so a reader still gets it (Linux does the same).
    pub(crate) fn make_canonical(&mut self) {
        let mut pos = self.tail;
        while pos != self.head {
            set_bit(&mut self.line_end, pos, false);
            set_bit(&mut self.eof, pos, false);
            pos = pos.wrapping_add(1);
        }
        if self.head != self.tail {
            set_bit(&mut self.line_end, self.head.wrapping_sub(1), true);
        }
        self.canon = self.head;
    }
}
