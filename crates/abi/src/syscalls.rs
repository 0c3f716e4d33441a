//! The native system calls: one table, from which the kernel's dispatch
//! (`kernel/src/native/`), the runtime's wrappers (`user/rt`) and
//! `docs/native-abi.md` all come. Numbers are stable; at most 50 calls.

use crate::Error;
use crate::Error::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arg {
    pub name: &'static str,
    pub meaning: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct SyscallInfo {
    pub call: Syscall,
    pub name: &'static str,
    pub args: &'static [Arg],
    pub returns: &'static str,
    pub summary: &'static str,
    /// Errors beyond the ones every call can return (`BadAddress` for
    /// pointers, `InvalidArgument` for malformed values are listed too).
    pub errors: &'static [Error],
}

const fn a(name: &'static str, meaning: &'static str) -> Arg {
    Arg { name, meaning }
}

macro_rules! syscalls {
    ($($variant:ident = $nr:literal, $name:literal, [$($arg:expr),*], $ret:literal, $summary:literal, [$($err:ident),*];)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u64)]
        pub enum Syscall {
            $($variant = $nr,)*
        }

        impl Syscall {
            pub fn from_nr(nr: u64) -> Option<Syscall> {
                match nr {
                    $($nr => Some(Syscall::$variant),)*
                    _ => None,
                }
            }

            pub const fn nr(self) -> u64 {
                self as u64
            }

            pub fn info(self) -> &'static SyscallInfo {
                SYSCALLS.iter().find(|s| s.call == self).expect("every call is in the table")
            }
        }

        pub static SYSCALLS: &[SyscallInfo] = &[
            $(SyscallInfo { call: Syscall::$variant, name: $name, args: &[$($arg),*], returns: $ret, summary: $summary, errors: &[$($err),*] },)*
        ];
    };
}

syscalls! {
    DebugWrite = 0, "debug_write", [a("buf", "bytes to write"), a("len", "at most MAX_IO")],
        "bytes written", "Writes to the kernel's log console, prefixed with the task's name. For bring-up and tests; real output goes through a driver.",
        [BadAddress, InvalidArgument];
    CapInfo = 1, "cap_info", [a("slot", "a slot in the caller's table"), a("out", "pointer to a CapInfo (32 bytes)")],
        "0", "Describes the capability in `slot`: type, rights, badge and range.",
        [InvalidCap, Revoked, BadAddress];
    CapDerive = 2, "cap_derive", [a("slot", "the parent capability (needs DERIVE)"), a("rights", "rights of the child; must be a subset of the parent's"), a("badge", "for endpoints and notifications: a nonzero badge, allowed only if the parent has none (bit 63 clear for notifications); 0 keeps the parent's"), a("base", "for ranged capabilities: start of the sub-range (ports, IRQ lines, MMIO bytes, memory pages)"), a("len", "length of the sub-range; 0 keeps the whole range")],
        "the child's slot", "Derives a child capability in the caller's table with fewer (or equal) rights, a badge or a narrower range. The child is revoked when its parent is.",
        [InvalidCap, Revoked, MissingRights, InvalidArgument, TableFull, NoMemory];
    CapDelete = 3, "cap_delete", [a("slot", "a slot in the caller's table")],
        "0", "Empties `slot` (a live capability or a revoked tombstone). Its children stay valid; they now hang off its parent.",
        [InvalidCap];
    CapRevoke = 4, "cap_revoke", [a("slot", "a capability in the caller's table")],
        "number of capabilities revoked", "Revokes every capability derived from this one, in every table, recursively. Their slots become tombstones that fail with Revoked until deleted. The capability itself stays.",
        [InvalidCap, Revoked, NoMemory];
    MemAlloc = 5, "mem_alloc", [a("pages", "number of 4 KiB pages, 1 to 65536"), a("flags", "MEM_DMA: physically contiguous below 4 GiB (type Dma)")],
        "slot of a new Memory (or Dma) capability with all rights", "Allocates zeroed memory. It is freed when the last capability and mapping are gone.",
        [InvalidArgument, NoMemory, TableFull];
    MemMap = 6, "mem_map", [a("aspace", "an AddressSpace capability (needs WRITE)"), a("mem", "a Memory, Dma or Mmio capability"), a("vaddr", "page-aligned user address"), a("offset", "first page of the object to map"), a("pages", "number of pages"), a("prot", "PROT_READ | PROT_WRITE | PROT_EXEC, each needing the matching right on `mem`")],
        "0", "Maps pages of a memory object into an address space. The range must be free. Mmio pages are mapped uncached; RAM and the kernel's own devices are refused.",
        [InvalidCap, Revoked, WrongType, MissingRights, InvalidArgument, Busy, Denied, NoMemory];
    MemUnmap = 7, "mem_unmap", [a("aspace", "an AddressSpace capability (needs WRITE)"), a("vaddr", "page-aligned user address"), a("pages", "number of pages")],
        "0", "Removes whatever is mapped in the range (unmapped pages are skipped).",
        [InvalidCap, Revoked, WrongType, MissingRights, InvalidArgument];
    MemPhys = 8, "mem_phys", [a("dma", "a Dma capability (needs READ)"), a("page", "page index within it")],
        "physical address of that page", "Tells a driver where its DMA buffer is, to program a device.",
        [InvalidCap, Revoked, WrongType, MissingRights, InvalidArgument];
    TaskSpawn = 9, "task_spawn", [a("image", "a File capability of a native ELF (needs EXEC)"), a("spec", "pointer to a SpawnSpec (176 bytes)")],
        "slot of a Task capability for the new task (all rights)", "Creates a task running `image`, with its own address space and exactly the capabilities the spec lists, each narrowed to the listed rights (each needs TRANSFER). Its first thread starts with the spec's argument in its first argument register.",
        [InvalidCap, Revoked, WrongType, MissingRights, BadAddress, InvalidArgument, NoMemory, TableFull];
    TaskKill = 10, "task_kill", [a("task", "a Task capability (needs WRITE)")],
        "0", "Ends the task: its threads stop, its capabilities are deleted, its supervisor is told (status Killed).",
        [InvalidCap, Revoked, WrongType, MissingRights];
    TaskWait = 11, "task_wait", [a("task", "a Task capability (needs READ)"), a("timeout", "ns; 0 polls, FOREVER waits"), a("status", "pointer to a TaskStatus (24 bytes)")],
        "0", "Waits for the task to end and writes how it ended.",
        [InvalidCap, Revoked, WrongType, MissingRights, TimedOut, WouldBlock, BadAddress];
    TaskExit = 12, "task_exit", [a("code", "exit code (i32)")],
        "does not return", "Ends the calling task and all its threads.",
        [];
    ThreadCreate = 13, "thread_create", [a("entry", "user address to start at"), a("stack", "initial stack pointer (16-byte aligned)"), a("arg", "the new thread's first argument register")],
        "slot of a Thread capability", "Starts a thread in the calling task.",
        [InvalidArgument, NoMemory, TableFull];
    ThreadExit = 14, "thread_exit", [a("code", "exit code (i32)")],
        "does not return", "Ends the calling thread; the last thread's exit ends the task.",
        [];
    ThreadWait = 15, "thread_wait", [a("thread", "a Thread capability (needs READ)"), a("timeout", "ns; 0 polls, FOREVER waits"), a("status", "pointer to a TaskStatus (24 bytes)")],
        "0", "Waits for a thread to end.",
        [InvalidCap, Revoked, WrongType, MissingRights, TimedOut, WouldBlock, BadAddress];
    EndpointCreate = 16, "endpoint_create", [],
        "slot of an Endpoint capability (all rights)", "Creates an IPC endpoint.",
        [NoMemory, TableFull];
    NotificationCreate = 17, "notification_create", [],
        "slot of a Notification capability (all rights)", "Creates a notification word.",
        [NoMemory, TableFull];
    IpcCall = 18, "ipc_call", [a("ep", "an Endpoint capability (needs WRITE; GRANT to send a capability)"), a("info", "MsgInfo"), a("w0", "data"), a("w1", "data"), a("w2", "data"), a("w3", "data")],
        "0; the reply's info and data words in the message registers", "Sends a message and waits for the reply. The receiver gets a one-shot reply right. If the receiver's task dies before replying, fails with PeerGone.",
        [InvalidCap, Revoked, WrongType, MissingRights, InvalidArgument, WouldBlock, PeerGone, TableFull];
    IpcSend = 19, "ipc_send", [a("ep", "an Endpoint capability (needs WRITE)"), a("info", "MsgInfo"), a("w0", "data"), a("w1", "data"), a("w2", "data"), a("w3", "data")],
        "0", "Sends a message without expecting a reply; waits for a receiver unless NONBLOCK.",
        [InvalidCap, Revoked, WrongType, MissingRights, InvalidArgument, WouldBlock, TableFull];
    IpcRecv = 20, "ipc_recv", [a("ep", "an Endpoint capability (needs READ)"), a("timeout", "ns; 0 polls, FOREVER waits")],
        "0; badge, info and data words in the message registers", "Waits for a message. After a call, the receiver holds the reply right until it replies, saves it, or receives again.",
        [InvalidCap, Revoked, WrongType, MissingRights, TimedOut, WouldBlock];
    IpcReply = 21, "ipc_reply", [a("reply", "a Reply capability from reply_save, or NO_CAP for the pending one"), a("info", "MsgInfo"), a("w0", "data"), a("w1", "data"), a("w2", "data"), a("w3", "data")],
        "0", "Answers a call; the reply right is used up. Never blocks.",
        [InvalidCap, Revoked, WrongType, InvalidState, InvalidArgument, PeerGone, TableFull];
    IpcReplyRecv = 22, "ipc_reply_recv", [a("ep", "an Endpoint capability (needs READ)"), a("info", "MsgInfo"), a("w0", "data"), a("w1", "data"), a("w2", "data"), a("w3", "data")],
        "as ipc_recv", "Replies to the pending call (if any) and waits for the next message: a server's loop in one call, the IPC fast path.",
        [InvalidCap, Revoked, WrongType, MissingRights, InvalidArgument, PeerGone];
    ReplySave = 23, "reply_save", [],
        "slot of a Reply capability", "Moves the pending reply right into the table, to answer later (after serving other calls).",
        [InvalidState, TableFull];
    NotifySignal = 24, "notify_signal", [a("ntfn", "a Notification capability (needs WRITE)"), a("bits", "ORed into the word, with the capability's badge; bit 63 must be clear (the word has 63 bits)")],
        "0", "Sets bits and wakes a waiter. Never blocks.",
        [InvalidCap, Revoked, WrongType, MissingRights, InvalidArgument];
    NotifyWait = 25, "notify_wait", [a("ntfn", "a Notification capability (needs READ)"), a("timeout", "ns; 0 polls, FOREVER waits")],
        "the bits (nonzero), which are cleared", "Waits until some bit is set.",
        [InvalidCap, Revoked, WrongType, MissingRights, TimedOut, WouldBlock];
    IrqBind = 26, "irq_bind", [a("irq", "an Irq capability covering one line (needs READ)"), a("ntfn", "a Notification capability (needs WRITE)"), a("bits", "bits signalled on each interrupt (nonzero, bit 63 clear)")],
        "0", "Routes the line to the notification and unmasks it. After each interrupt the line stays masked until irq_ack.",
        [InvalidCap, Revoked, WrongType, MissingRights, InvalidArgument, Busy, Denied];
    IrqAck = 27, "irq_ack", [a("irq", "a bound Irq capability (needs READ)")],
        "0", "Unmasks the line after the driver has served the device.",
        [InvalidCap, Revoked, WrongType, MissingRights, InvalidState];
    PortIn = 28, "port_in", [a("ports", "an IoPorts capability (needs READ)"), a("port", "port number inside its range"), a("width", "1, 2 or 4 bytes")],
        "the value read", "Reads an x86 I/O port. PCI configuration space (a 32-bit CONFIG_ADDRESS at 0xcf8, then CONFIG_DATA at 0xcfc-0xcff) is kept per task: reading 0xcf8 gives the task's own selection, and a data access selects it and accesses the data port atomically, so two drivers scanning at once cannot interleave.",
        [InvalidCap, Revoked, WrongType, MissingRights, InvalidArgument, Denied];
    PortOut = 29, "port_out", [a("ports", "an IoPorts capability (needs WRITE)"), a("port", "port number inside its range"), a("width", "1, 2 or 4 bytes"), a("value", "the value")],
        "0", "Writes an x86 I/O port. A 32-bit write to 0xcf8 (PCI CONFIG_ADDRESS) only records the task's selection; see port_in.",
        [InvalidCap, Revoked, WrongType, MissingRights, InvalidArgument, Denied];
    ClockNs = 30, "clock_ns", [],
        "nanoseconds since boot (monotonic)", "Reads the monotonic clock.",
        [];
    Yield = 31, "yield", [],
        "0", "Lets other runnable threads run.",
        [];
    Sleep = 32, "sleep", [a("ns", "how long")],
        "0", "Sleeps for at least `ns` nanoseconds.",
        [];
    Random = 33, "random", [a("buf", "where to write"), a("len", "at most MAX_IO")],
        "bytes written", "Fills a buffer from the kernel's ChaCha20 generator.",
        [BadAddress, InvalidArgument];
    FileOpen = 34, "file_open", [a("dir", "a File capability of a directory (needs READ)"), a("path", "relative path bytes; `..` cannot climb above `dir`"), a("len", "path length, at most 4096"), a("rights", "rights of the new capability: READ, WRITE, EXEC, TRANSFER, DERIVE; each of READ/WRITE/EXEC needs the same right on `dir`")],
        "slot of a File capability", "Opens a file beneath a directory capability (there is no global namespace).",
        [InvalidCap, Revoked, WrongType, MissingRights, BadAddress, InvalidArgument, NotFound, TableFull];
    FileRead = 35, "file_read", [a("file", "a File capability (needs READ)"), a("buf", "where to read to"), a("len", "at most MAX_IO"), a("offset", "byte offset in the file")],
        "bytes read (0 at end of file)", "Reads at an offset (the capability has no shared file position).",
        [InvalidCap, Revoked, WrongType, MissingRights, BadAddress, InvalidArgument];
    FileWrite = 36, "file_write", [a("file", "a File capability (needs WRITE)"), a("buf", "what to write"), a("len", "at most MAX_IO"), a("offset", "byte offset in the file")],
        "bytes written", "Writes at an offset.",
        [InvalidCap, Revoked, WrongType, MissingRights, BadAddress, InvalidArgument];
    VfsServe = 37, "vfs_serve", [a("vfs", "a Vfs capability (needs WRITE)"), a("ep", "an Endpoint capability the kernel will call (needs WRITE)"), a("buf", "a Memory capability of at least 16 pages (needs READ and WRITE), shared with the kernel for requests and answers"), a("spec", "`<fstype> <device>`, e.g. `ext2 vda`"), a("len", "spec length, at most 64")],
        "0", "Offers a file system to the kernel's VFS: `mount -t <fstype> /dev/<device>` (and vfs_mount) will be served on `ep`, with the protocol of crates/fsproto. Creates the block device node /dev/<device>. Serving a device again replaces the earlier server (mounts made through it keep failing with I/O errors).",
        [InvalidCap, Revoked, WrongType, MissingRights, BadAddress, InvalidArgument, NoMemory];
    VfsMount = 38, "vfs_mount", [a("vfs", "a Vfs capability (needs WRITE)"), a("spec", "`<device> <fstype> <path>`, optionally followed by ` ro`"), a("len", "spec length, at most 4096")],
        "0", "Mounts a served file system at an absolute path, as Linux mount(2) would; blocks until the server has answered.",
        [InvalidCap, Revoked, WrongType, MissingRights, BadAddress, InvalidArgument, NotFound, Busy, Io];
    VfsBootDone = 39, "vfs_boot_done", [a("vfs", "a Vfs capability (needs WRITE)")],
        "0", "Boot-time mounts are made: the Linux init, held back while native services start (for at most 15 s), may run.",
        [InvalidCap, Revoked, WrongType, MissingRights];
    NetServe = 40, "net_serve", [a("net", "a Net capability (needs WRITE)"), a("ep", "an Endpoint capability the kernel will call (needs WRITE)"), a("buf", "a Memory capability of at least 16 pages (needs READ and WRITE), shared with the kernel for requests and answers")],
        "0", "Serves the kernel's Internet sockets (AF_INET, AF_INET6): every socket opened from now on is a socket of this server, and each operation on it is a call on `ep` with the protocol of crates/netproto. Serving again replaces the earlier server (its sockets fail with ECONNRESET/EPIPE).",
        [InvalidCap, Revoked, WrongType, MissingRights, InvalidArgument, NoMemory];
    NetEvents = 41, "net_events", [a("net", "a Net capability (needs WRITE)"), a("buf", "an encoded netproto EventList"), a("len", "its length, at most 65536")],
        "0", "Reports sockets whose readiness changed outside a request (frames arrived, a timer fired): the kernel wakes the threads and pollers waiting for them. Events older than one already seen for a socket are ignored.",
        [InvalidCap, Revoked, WrongType, MissingRights, BadAddress, InvalidArgument, NotFound];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_dense_unique_and_small() {
        assert!(SYSCALLS.len() <= 50, "the native ABI is capped at 50 calls");
        for (i, s) in SYSCALLS.iter().enumerate() {
            assert_eq!(s.call.nr(), i as u64, "numbers are dense and in order");
            assert_eq!(Syscall::from_nr(i as u64), Some(s.call));
            assert!(s.args.len() <= 6, "{} takes more arguments than registers", s.name);
            assert!(SYSCALLS[i + 1..].iter().all(|o| o.name != s.name));
        }
        assert_eq!(Syscall::from_nr(SYSCALLS.len() as u64), None);
        assert_eq!(Syscall::from_nr(u64::MAX), None);
    }
}
