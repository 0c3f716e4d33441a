//! What drivers use: interrupts and I/O ports.

use super::{check, unit, Error, Syscall};
use crate::syscall::{syscall1, syscall3, syscall4};

/// Routes the interrupt line of `irq` to `ntfn`, signalling `bits`.
pub fn irq_bind(irq: u64, ntfn: u64, bits: u64) -> Result<(), Error> {
    unit(syscall3(Syscall::IrqBind.nr(), irq, ntfn, bits))
}

/// Unmasks a bound line after the device has been served.
pub fn irq_ack(irq: u64) -> Result<(), Error> {
    unit(syscall1(Syscall::IrqAck.nr(), irq))
}

/// Reads `width` (1, 2 or 4) bytes from I/O port `port` of `ports`.
pub fn port_in(ports: u64, port: u64, width: u64) -> Result<u64, Error> {
    check(syscall3(Syscall::PortIn.nr(), ports, port, width))
}

/// Writes `width` (1, 2 or 4) bytes of `value` to I/O port `port` of `ports`.
pub fn port_out(ports: u64, port: u64, width: u64, value: u64) -> Result<(), Error> {
    unit(syscall4(Syscall::PortOut.nr(), ports, port, width, value))
}
