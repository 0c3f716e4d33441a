//! x86 I/O-port access. Ports reach devices directly, so only arch code and
//! drivers handed a port range may use them.

/// Writes one byte to an I/O port.
pub fn outb(port: u16, value: u8) {
    // SAFETY: port I/O has no memory-safety effect on the kernel; callers name
    // device ports they own (serial, PIT, PIC, debug exit).
    unsafe { core::arch::asm!("out dx, al", in("dx") port, in("al") value, options(nomem, nostack, preserves_flags)) }
}

/// Reads one byte from an I/O port.
pub fn inb(port: u16) -> u8 {
    let value: u8;
    // SAFETY: as for `outb`.
    unsafe { core::arch::asm!("in al, dx", out("al") value, in("dx") port, options(nomem, nostack, preserves_flags)) }
    value
}

/// Writes a 32-bit value to an I/O port.
pub fn outl(port: u16, value: u32) {
    // SAFETY: as for `outb`.
    unsafe { core::arch::asm!("out dx, eax", in("dx") port, in("eax") value, options(nomem, nostack, preserves_flags)) }
}

/// Writes a 16-bit value to an I/O port.
pub fn outw(port: u16, value: u16) {
    // SAFETY: as for `outb`.
    unsafe { core::arch::asm!("out dx, ax", in("dx") port, in("ax") value, options(nomem, nostack, preserves_flags)) }
}

/// Reads a 16-bit value from an I/O port.
pub fn inw(port: u16) -> u16 {
    let value: u16;
    // SAFETY: as for `outb`.
    unsafe { core::arch::asm!("in ax, dx", out("ax") value, in("dx") port, options(nomem, nostack, preserves_flags)) }
    value
}

/// Reads a 32-bit value from an I/O port.
pub fn inl(port: u16) -> u32 {
    let value: u32;
    // SAFETY: as for `outb`.
    unsafe { core::arch::asm!("in eax, dx", out("eax") value, in("dx") port, options(nomem, nostack, preserves_flags)) }
    value
}

/// Ports the kernel drives itself, which no user-space driver may touch:
/// the 8259 PICs, the PIT and its gate, the CMOS clock, the console's
/// COM1, QEMU's debug-exit device and the ACPI power-management block.
pub const KERNEL_PORTS: &[(u16, u16)] =
    &[(0x20, 2), (0x40, 4), (0x61, 1), (0x70, 2), (0xa0, 2), (0xf4, 1), (0x3f8, 8), (0x600, 0x80)];

/// Whether `port..port+width` overlaps a port the kernel keeps.
pub fn is_kernel_port(port: u16, width: u16) -> bool {
    let (start, end) = (u32::from(port), u32::from(port) + u32::from(width));
    KERNEL_PORTS.iter().any(|&(b, n)| start < u32::from(b) + u32::from(n) && u32::from(b) < end)
}
