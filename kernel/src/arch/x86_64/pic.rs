//! The legacy 8259 interrupt controllers: we use the APICs, so the PICs are
//! remapped away from the exception vectors and fully masked. A masked PIC
//! can still raise a spurious IRQ 7/15, which lands on PIC_BASE + 7/15 and is
//! ignored by the dispatcher.

use super::port::{inb, outb};

pub const PIC_BASE: u8 = 0xe0;

pub fn disable() {
    // ICW1: initialise, expect ICW4.
    outb(0x20, 0x11);
    outb(0xa0, 0x11);
    // ICW2: vector offsets.
    outb(0x21, PIC_BASE);
    outb(0xa1, PIC_BASE + 8);
    // ICW3: slave on IRQ 2.
    outb(0x21, 0x04);
    outb(0xa1, 0x02);
    // ICW4: 8086 mode.
    outb(0x21, 0x01);
    outb(0xa1, 0x01);
    // Mask everything.
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    let _ = inb(0x21);
}
