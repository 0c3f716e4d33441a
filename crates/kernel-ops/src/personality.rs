//! What the core asks of a personality.

use crate::types::{LoadedImage, SignalAction, SignalInfo};
use crate::{DevLink, DevNode, DeviceId, KResult, KernelOps, ProcFile};
use alloc::vec::Vec;

/// One operating system's view of a process: how its system calls are
/// numbered and encoded, how programs start and how signals are delivered.
pub trait Personality: Sync {
    /// Short name for logs and /proc ("linux").
    fn name(&self) -> &'static str;

    /// Handles the system call whose number and arguments are in the
    /// caller's registers, leaving the result there.
    fn syscall(&self, ops: &mut dyn KernelOps);

    /// Builds the initial stack (arguments, environment, auxiliary data) and
    /// registers of a program the core has just loaded.
    fn start_program(
        &self,
        ops: &mut dyn KernelOps,
        image: &LoadedImage,
        argv: &[Vec<u8>],
        envp: &[Vec<u8>],
    ) -> KResult<()>;

    /// Arranges for the thread to run `action`'s handler for `info` when it
    /// returns to user mode (builds the OS's signal frame). A system call
    /// that ended in `Error::Restart` is either set up to restart or made to
    /// fail as interrupted, as the OS's rules and the action's flags say.
    fn deliver_signal(&self, ops: &mut dyn KernelOps, info: &SignalInfo, action: &SignalAction) -> KResult<()>;

    /// A system call ended in `Error::Restart` but no handler ran (the
    /// signal was ignored or only stopped the process): restart it.
    fn restart_syscall(&self, ops: &mut dyn KernelOps);

    /// Whether `context`, as a system call left it, may need
    /// `restart_syscall`: asked on the way out of every call, so that the
    /// core builds the call's context only for the rare one that ended
    /// interrupted. The default asks always.
    fn may_need_restart(&self, context: &crate::UserContext) -> bool {
        let _ = context;
        true
    }

    /// Where a position-independent program is placed (its lowest address
    /// at or above this): each OS has its own (Linux x86_64's
    /// ELF_ET_DYN_BASE is 0x5555_5555_4000).
    fn program_base(&self) -> u64;

    /// Whether the OS's programs get the vDSO mapped (Linux's clock calls
    /// without a system call).
    fn maps_vdso(&self) -> bool {
        false
    }

    /// Whether a program's whole image is read in at exec instead of on
    /// demand: a program the file system itself may wait on (a native
    /// server) must never fault into it.
    fn loads_whole_image(&self) -> bool {
        false
    }

    /// The environment the first program starts with, before the kernel
    /// command line's additions.
    fn initial_environment(&self) -> &'static [&'static str] {
        &[]
    }

    /// The signal a fault in user code raises (memory faults, arithmetic,
    /// illegal instructions, breakpoints): each OS has its own rule.
    fn fault_signal(&self, reason: crate::FaultReason) -> crate::Signal;

    /// Readies a new child's copy of its parent's context (fork, clone)
    /// to return from the call as this OS's child does.
    fn start_child(&self, context: &mut crate::UserContext);

    /// Readies a new thread's context to start at `start.pc` with
    /// `start.argument` as its function's first argument (a clone with
    /// [`crate::CloneArgs::start`]); the core sets the stack afterwards.
    fn start_thread(&self, context: &mut crate::UserContext, start: crate::ThreadStart);

    /// The system call `context` is in, as a tracer sees it: the number it
    /// was entered with (or a tracer set), its arguments and the result
    /// register's value, decoded by this OS's register convention.
    fn traced_call(&self, context: &crate::UserContext) -> crate::TracedSyscall;

    /// Readies a context for a syscall-entry stop: the result register
    /// shows what a call the tracer skips returns.
    fn enter_traced_call(&self, context: &mut crate::UserContext);

    /// After the entry stop: puts the (maybe changed) number back where the
    /// call reads it; false if the tracer skipped the call.
    fn resume_traced_call(&self, context: &mut crate::UserContext) -> bool;

    /// The device a device node's stored number names, as this OS numbers
    /// devices (`block`: a block rather than a character node). Device
    /// numbers are an OS's encoding: a program made a node with `mknod`
    /// and expects the OS's numbers to open the OS's devices. None: no
    /// device of this OS has that number (opening it fails with ENXIO).
    /// The default, for an OS without device nodes, knows none.
    fn device_at(&self, major: u32, minor: u32, block: bool) -> Option<DeviceId> {
        let _ = (major, minor, block);
        None
    }

    /// The (major, minor) number this OS gives `dev`, which stat shows and
    /// device nodes store; None if this OS has no such device or cannot
    /// number it. The inverse of `device_at`.
    fn device_number(&self, dev: DeviceId) -> Option<(u32, u32)> {
        let _ = dev;
        None
    }

    /// The nodes this OS's device file system (/dev) starts with, by the
    /// OS's names; the core makes them with `device_number`'s numbers.
    /// Dynamic devices (loop devices, served disks, pseudo-terminals) get
    /// their nodes when they appear.
    fn dev_nodes(&self) -> &'static [DevNode] {
        &[]
    }

    /// The symbolic links this OS's /dev starts with.
    fn dev_links(&self) -> &'static [DevLink] {
        &[]
    }

    /// The text of a file of the OS's /proc, from what the kernel gathered
    /// (`ProcFile`): the format is the OS's ABI, so it is the
    /// personality's. None: this OS has no such file (the default).
    fn render_proc(&self, file: ProcFile<'_>) -> Option<alloc::string::String> {
        let _ = file;
        None
    }
}
