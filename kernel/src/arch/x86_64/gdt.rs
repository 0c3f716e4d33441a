//! The global descriptor table and task-state segment, one pair per CPU.
//!
//! Selector order is fixed by `syscall`/`sysret`: SYSRET loads user CS from
//! STAR[63:48] + 16 and user SS from STAR[63:48] + 8, so user data must sit
//! just below user code.

use core::mem::size_of;

pub const KERNEL_CODE: u16 = 0x08;
pub const KERNEL_DATA: u16 = 0x10;
pub const USER_DATA: u16 = 0x18 | 3;
pub const USER_CODE: u16 = 0x20 | 3;
// The user context's sanitiser puts these selectors back on every return.
const _: () = assert!(USER_CODE as u64 == kernel_ops::USER_CODE_SELECTOR);
const _: () = assert!(USER_DATA as u64 == kernel_ops::USER_DATA_SELECTOR);
pub const TSS: u16 = 0x28;
/// A user-readable segment whose limit is this CPU's number: the vDSO's
/// getcpu reads it with `lsl` (as Linux's vDSO does on CPUs without
/// RDPID), so a program learns where it runs without a system call.
pub const CPU_NUMBER: u16 = 0x38 | 3;
const _: () = assert!(CPU_NUMBER as u64 == vdso_data::CPU_NUMBER_SELECTOR);

/// Interrupt-stack-table slots (1-based, as the IDT names them).
pub const IST_DOUBLE_FAULT: u8 = 1;
pub const IST_NMI: u8 = 2;
pub const IST_MACHINE_CHECK: u8 = 3;
/// #DB: see debug_registers.rs for why it needs a stack of its own.
pub const IST_DEBUG: u8 = 4;

/// Size of each emergency stack reached through the IST.
pub const IST_STACK_SIZE: usize = 16 * 1024;

/// The 64-bit task-state segment: only the stack pointers matter in long mode.
#[repr(C, packed(4))]
pub struct TaskStateSegment {
    reserved0: u32,
    /// Stack loaded on an interrupt or exception from ring 3.
    pub rsp0: u64,
    rsp1: u64,
    rsp2: u64,
    reserved1: u64,
    pub ist: [u64; 7],
    reserved2: u64,
    reserved3: u16,
    iomap_base: u16,
}

impl TaskStateSegment {
    pub const fn new() -> Self {
        TaskStateSegment {
            reserved0: 0,
            rsp0: 0,
            rsp1: 0,
            rsp2: 0,
            reserved1: 0,
            ist: [0; 7],
            reserved2: 0,
            reserved3: 0,
            // Past the segment limit: no I/O permission bitmap, so user code
            // gets #GP on any port access unless IOPL says otherwise.
            iomap_base: size_of::<TaskStateSegment>() as u16,
        }
    }
}

impl Default for TaskStateSegment {
    fn default() -> Self {
        Self::new()
    }
}

#[repr(C, align(16))]
pub struct Gdt {
    entries: [u64; 8],
}

impl Gdt {
    pub const fn new() -> Self {
        Gdt {
            entries: [
                0,
                0x00af_9a00_0000_ffff, // kernel code: 64-bit, DPL 0
                0x00cf_9200_0000_ffff, // kernel data
                0x00cf_f200_0000_ffff, // user data: DPL 3
                0x00af_fa00_0000_ffff, // user code: 64-bit, DPL 3
                0,                     // TSS low
                0,                     // TSS high
                0,                     // CPU number (set_cpu_number)
            ],
        }
    }

    /// Fills in the TSS descriptor for `tss`, which must live as long as the GDT.
    pub fn set_tss(&mut self, tss: &'static TaskStateSegment) {
        let base = tss as *const TaskStateSegment as u64;
        let limit = (size_of::<TaskStateSegment>() - 1) as u64;
        let low = (limit & 0xffff)
            | ((base & 0xff_ffff) << 16)
            | (0x89 << 40) // present, 64-bit available TSS
            | (((limit >> 16) & 0xf) << 48)
            | (((base >> 24) & 0xff) << 56);
        self.entries[5] = low;
        self.entries[6] = base >> 32;
    }
}

impl Gdt {
    /// Fills in the CPU-number segment (`CPU_NUMBER`): a present, DPL 3,
    /// read-only data segment with byte granularity whose limit is `cpu`
    /// (NUMA node 0 above bit 12, as Linux encodes it).
    pub fn set_cpu_number(&mut self, cpu: u32) {
        let limit = u64::from(cpu & 0xfff);
        self.entries[7] = limit | (0xf1 << 40);
    }
}

impl Default for Gdt {
    fn default() -> Self {
        Self::new()
    }
}

#[repr(C, packed(2))]
struct DescriptorPointer {
    limit: u16,
    base: u64,
}

/// Loads `gdt`, reloads every segment register and the task register.
pub fn load(gdt: &'static Gdt) {
    let ptr = DescriptorPointer { limit: (size_of::<Gdt>() - 1) as u16, base: gdt as *const Gdt as u64 };
    // SAFETY: `gdt` is 'static and holds valid kernel code/data descriptors at
    // the selectors used here, and a TSS descriptor at `TSS`. The far return
    // reloads CS; data segments get the kernel data selector. FS/GS bases are
    // set through MSRs afterwards, so zero selectors are fine.
    unsafe {
        core::arch::asm!(
            "lgdt [{ptr}]",
            "push {code}",
            "lea {tmp}, [rip + 2f]",
            "push {tmp}",
            "retfq",
            "2:",
            "mov ds, {data:x}",
            "mov es, {data:x}",
            "mov ss, {data:x}",
            "xor {tmp:e}, {tmp:e}",
            "mov fs, {tmp:x}",
            "mov gs, {tmp:x}",
            "ltr {tss:x}",
            ptr = in(reg) &ptr,
            code = in(reg) u64::from(KERNEL_CODE),
            data = in(reg) u64::from(KERNEL_DATA),
            tss = in(reg) u64::from(TSS),
            tmp = out(reg) _,
        );
    }
}
