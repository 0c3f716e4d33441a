//! The kinds of kernel object a capability can name.

macro_rules! cap_types {
    ($($(#[doc = $doc:literal])* $name:ident = $code:literal, $what:literal, $rights:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u32)]
        pub enum CapType {
            $($(#[doc = $doc])* $name = $code,)*
        }

        impl CapType {
            pub const ALL: &'static [CapType] = &[$(CapType::$name,)*];

            pub fn from_code(code: u64) -> Option<CapType> {
                match code {
                    $($code => Some(CapType::$name),)*
                    _ => None,
                }
            }

            pub const fn name(self) -> &'static str {
                match self {
                    $(CapType::$name => stringify!($name),)*
                }
            }

            /// What the object is.
            pub const fn description(self) -> &'static str {
                match self {
                    $(CapType::$name => $what,)*
                }
            }

            /// What each right allows on this type.
            pub const fn rights_meaning(self) -> &'static str {
                match self {
                    $(CapType::$name => $rights,)*
                }
            }
        }
    };
}

cap_types! {
    Task = 1, "a task: an address space, a capability table and threads", "WRITE: kill. READ: wait for its end";
    AddressSpace = 2, "a task's virtual address space", "WRITE: map and unmap memory in it";
    Thread = 3, "a thread of execution", "READ: wait for its end";
    Memory = 4, "pages of zeroed memory, mappable into address spaces", "READ/WRITE/EXEC: the mapping protections allowed";
    Dma = 5, "physically contiguous memory below 4 GiB for devices", "as Memory; READ also reveals the physical address";
    Endpoint = 6, "a rendezvous for synchronous call/reply messages", "WRITE: send and call. READ: receive. GRANT: messages may carry a capability";
    Notification = 7, "a word of bits for asynchronous signals", "WRITE: signal. READ: wait";
    Reply = 8, "the one-shot right to answer a particular call", "WRITE: reply";
    Irq = 9, "a range of interrupt lines", "READ: bind to a notification and acknowledge";
    IoPorts = 10, "a range of x86 I/O ports", "READ: in. WRITE: out";
    Mmio = 11, "a range of device physical memory", "READ/WRITE: the mapping protections allowed";
    File = 12, "an open file or directory (a Linux file descriptor is one of these)", "READ: read, open beneath. WRITE: write. EXEC: spawn a task from it";
    Vfs = 13, "the kernel's file namespace, as a place to serve and mount file systems", "WRITE: serve a file system, mount one, end boot-time mounting";
    Net = 14, "the kernel's Internet sockets, as a place to serve a network stack", "WRITE: serve the network (net_serve) and report socket readiness (net_events)";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for t in CapType::ALL {
            assert_eq!(CapType::from_code(*t as u64), Some(*t));
        }
        assert_eq!(CapType::from_code(0), None);
        assert_eq!(CapType::from_code(999), None);
    }
}
