//! Devices: port_in/port_out, irq_bind/irq_ack, and MMIO mappings, with
//! what the manifest granted: COM1's ports (slot 5), which the kernel keeps
//! (Denied); IRQ line 4 (slot 6), the kernel's COM1 line (Denied); IRQ line
//! 5 (slot 7), free; MMIO over RAM (slot 8, Denied) and over unassigned
//! device space (slot 9, mappable).

use crate::addr::window;
use crate::caps::EMPTY;
use crate::check;
use crate::memory;
use rt::abi::{Error, Rights, ADDRESS_SPACE_SELF_SLOT as AS, PROT_EXEC, PROT_READ, PROT_WRITE};
use rt::sys;

const COM1: u64 = 5;
const IRQ4: u64 = 6;
const IRQ5: u64 = 7;
const MMIO_RAM: u64 = 8;
const MMIO_DEV: u64 = 9;

pub fn run() {
    ports();
    irqs();
    mmio();
}

fn ports() {
    check::err("dev.port_in_com1_denied", sys::port_in(COM1, 0x3f8, 1), Error::Denied);
    check::err("dev.port_in_com1_lsr_denied", sys::port_in(COM1, 0x3fd, 1), Error::Denied);
    check::err("dev.port_in_com1_word_denied", sys::port_in(COM1, 0x3fc, 2), Error::Denied);
    check::err("dev.port_in_com1_dword_denied", sys::port_in(COM1, 0x3fc, 4), Error::Denied);
    check::err("dev.port_out_com1_denied", sys::port_out(COM1, 0x3f8, 1, b'!' as u64), Error::Denied);
    check::err("dev.port_out_com1_ier_denied", sys::port_out(COM1, 0x3f9, 1, 0), Error::Denied);
    check::err("dev.port_in_outside_range", sys::port_in(COM1, 0x2f8, 1), Error::InvalidArgument);
    check::err("dev.port_in_just_past_range", sys::port_in(COM1, 0x400, 1), Error::InvalidArgument);
    check::err("dev.port_in_just_below_range", sys::port_in(COM1, 0x3f7, 1), Error::InvalidArgument);
    check::err("dev.port_in_crosses_end", sys::port_in(COM1, 0x3ff, 2), Error::InvalidArgument);
    check::err("dev.port_out_crosses_end", sys::port_out(COM1, 0x3fe, 4, 0), Error::InvalidArgument);
    check::err("dev.port_in_width_3", sys::port_in(COM1, 0x3f8, 3), Error::InvalidArgument);
    check::err("dev.port_in_width_0", sys::port_in(COM1, 0x3f8, 0), Error::InvalidArgument);
    check::err("dev.port_in_width_8", sys::port_in(COM1, 0x3f8, 8), Error::InvalidArgument);
    check::err("dev.port_out_width_3", sys::port_out(COM1, 0x3f8, 3, 0), Error::InvalidArgument);
    check::err("dev.port_in_port_max", sys::port_in(COM1, u64::MAX, 1), Error::InvalidArgument);
    check::err("dev.port_in_on_irq_cap", sys::port_in(IRQ5, 0x3f8, 1), Error::WrongType);
    check::err("dev.port_out_on_endpoint", sys::port_out(4, 0x3f8, 1, 0), Error::WrongType);
    check::err("dev.port_in_empty_slot", sys::port_in(EMPTY, 0x3f8, 1), Error::InvalidCap);
}

fn irqs() {
    let Some(n) = check::ok("dev.notification_for_irq", sys::notification_create()) else { return };
    check::err("dev.irq_ack_unbound", sys::irq_ack(IRQ5), Error::InvalidState);
    check::err("dev.irq_bind_bits_0", sys::irq_bind(IRQ5, n, 0), Error::InvalidArgument);
    check::err("dev.irq_bind_to_endpoint", sys::irq_bind(IRQ5, 4, 1), Error::WrongType);
    check::err("dev.irq_bind_on_notification", sys::irq_bind(n, n, 1), Error::WrongType);
    check::err("dev.irq_bind_on_ports", sys::irq_bind(COM1, n, 1), Error::WrongType);
    check::err("dev.irq_bind_empty_slot", sys::irq_bind(EMPTY, n, 1), Error::InvalidCap);
    check::err("dev.irq_bind_empty_notification", sys::irq_bind(IRQ5, EMPTY, 1), Error::InvalidCap);
    if let Ok(reader) = sys::cap_derive(n, Rights::READ, 0, 0, 0) {
        check::err("dev.irq_bind_needs_write_on_ntfn", sys::irq_bind(IRQ5, reader, 1), Error::MissingRights);
    }
    check::err("dev.irq_bind_kernel_line_denied", sys::irq_bind(IRQ4, n, 1), Error::Denied);
    check::err("dev.irq_ack_kernel_line_unbound", sys::irq_ack(IRQ4), Error::InvalidState);
    check::ok("dev.irq_bind_line5", sys::irq_bind(IRQ5, n, 0x2));
    check::err("dev.irq_bind_twice_busy", sys::irq_bind(IRQ5, n, 0x2), Error::Busy);
    check::ok("dev.irq_ack_line5", sys::irq_ack(IRQ5));
    check::ok("dev.irq_ack_line5_again", sys::irq_ack(IRQ5));
    // Nothing is wired to line 5: no interrupt, no bits.
    check::err("dev.irq_line5_quiet", sys::notify_wait(n, 0), Error::WouldBlock);
    check::err("dev.irq_ack_on_notification", sys::irq_ack(n), Error::WrongType);
    check::err("dev.irq_ack_empty_slot", sys::irq_ack(EMPTY), Error::InvalidCap);
}

fn mmio() {
    let w = window(10);
    check::err("dev.mmio_ram_denied", sys::mem_map(AS, MMIO_RAM, w, 0, 1, PROT_READ), Error::Denied);
    check::err("dev.mmio_ram_rw_denied", sys::mem_map(AS, MMIO_RAM, w, 0, 1, PROT_READ | PROT_WRITE), Error::Denied);
    check::err("dev.mmio_offset_past_end", sys::mem_map(AS, MMIO_DEV, w, 1, 1, PROT_READ), Error::InvalidArgument);
    check::err("dev.mmio_two_pages_of_one", sys::mem_map(AS, MMIO_DEV, w, 0, 2, PROT_READ), Error::InvalidArgument);
    check::err(
        "dev.mmio_exec_not_granted",
        sys::mem_map(AS, MMIO_DEV, w, 0, 1, PROT_READ | PROT_EXEC),
        Error::MissingRights,
    );
    check::err("dev.mmio_derive_not_granted", sys::cap_derive(MMIO_DEV, Rights::READ, 0, 0, 0), Error::MissingRights);
    match memory::map(MMIO_DEV, w, 0, 1, PROT_READ | PROT_WRITE) {
        Ok(m) => {
            check::pass("dev.mmio_device_maps");
            // Unassigned device space: reads answer (whatever the bus
            // floats to) instead of faulting.
            let (a, b) = (m.read32(0), m.read32(0xffc));
            let (a2, b2) = (m.read32(0), m.read32(0xffc));
            check::note(format_args!("unassigned MMIO at 0xfe000000 reads {a:#x} / {b:#x}"));
            check::that(
                "dev.mmio_reads_stable",
                a == a2 && b == b2,
                format_args!("reads {a:#x} {a2:#x} / {b:#x} {b2:#x}"),
            );
            check::err("dev.mmio_map_busy", sys::mem_map(AS, MMIO_DEV, w, 0, 1, PROT_READ), Error::Busy);
            check::ok("dev.mmio_unmap", m.unmap());
        }
        Err(e) => {
            check::fail("dev.mmio_device_maps", format_args!("mem_map: {e:?}"));
        }
    }
}
