//! The sysctl MIB this personality answers, as plain data, and the pure
//! functions that walk it the way sys/kern/kern_sysctl.c does: by number
//! (`sysctl_locate` and `sysctl_dispatch`), and the node descriptions
//! CTL_QUERY lists (`sysctl_query`, `struct sysctlnode`). None of them
//! touches the core; the values are `super`'s.
//!
//! Numbers are those of sys/sys/sysctl.h (KERN_OSTYPE and the like);
//! names and types those the nodes are created with
//! (sys/kern/init_sysctl_base.c, init_sysctl.c, subr_cprng.c).

use alloc::vec::Vec;
use kernel_ops::Error;

/// The longest name, in numbers (CTL_MAXNAME).
pub const CTL_MAXNAME: usize = 12;

// The meta-numbers a name may end with, asking something of the node
// before them (sys/sys/sysctl.h).
pub const CTL_QUERY: i32 = -2;
pub const CTL_CREATE: i32 = -3;
pub const CTL_CREATESYM: i32 = -4;
pub const CTL_DESTROY: i32 = -5;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const CTL_MMAP: i32 = -6;
#[cfg_attr(not(test), allow(dead_code))] // part of the ABI table; used by the tests
pub const CTL_DESCRIBE: i32 = -7;

pub const CTL_KERN: i32 = 1;
pub const CTL_HW: i32 = 6;

/// `struct sysctlnode` on LP64.
pub const NODE_SIZE: usize = 96;
/// SYSCTL_VERS_1, the only version of `struct sysctlnode` there is.
pub const SYSCTL_VERS_1: u32 = 0x0100_0000;
const CTLFLAG_READWRITE: u32 = 0x70;
const CTLFLAG_PERMANENT: u32 = 0x200;

/// CTLTYPE_*: how a node's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Type {
    Node = 1,
    Int = 2,
    String = 3,
    Quad = 4,
    Struct = 5,
}

/// What a leaf holds; `super::value` produces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    OsType,
    OsRelease,
    OsRevision,
    Version,
    ArgMax,
    Hostname,
    NGroups,
    DomainName,
    IovMax,
    Urandom,
    Arandom,
    BootTime,
    Machine,
    NCpu,
    PhysMem,
    PageSize,
    MachineArch,
    PhysMem64,
    NCpuOnline,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    /// A node whose children are listed in ascending number order.
    Dir(&'static [Node]),
    Leaf {
        leaf: Leaf,
        ty: Type,
        writable: bool,
        /// The node has a helper function of its own (kern.hostname's
        /// sysctl_setlen, kern.arandom's sysctl_kern_arnd): numbers past
        /// it reach sysctl_lookup, which says EINVAL, where a plain leaf
        /// says ENOTDIR.
        func: bool,
        /// sysctl_size as a query reports it.
        size: u64,
    },
}

#[derive(Debug, PartialEq, Eq)]
pub struct Node {
    pub number: i32,
    pub name: &'static str,
    pub kind: Kind,
}

const fn leaf(number: i32, name: &'static str, leaf: Leaf, ty: Type, size: u64) -> Node {
    Node { number, name, kind: Kind::Leaf { leaf, ty, writable: false, func: false, size } }
}

const fn helped(number: i32, name: &'static str, leaf: Leaf, ty: Type, size: u64, writable: bool) -> Node {
    Node { number, name, kind: Kind::Leaf { leaf, ty, writable, func: true, size } }
}

/// MAXHOSTNAMELEN: kern.hostname's and kern.domainname's buffers.
pub const MAXHOSTNAMELEN: u64 = 256;

static KERN: [Node; 12] = [
    leaf(1, "ostype", Leaf::OsType, Type::String, 7),
    leaf(2, "osrelease", Leaf::OsRelease, Type::String, super::OSRELEASE.len() as u64 + 1),
    leaf(3, "osrevision", Leaf::OsRevision, Type::Int, 4),
    leaf(4, "version", Leaf::Version, Type::String, super::VERSION.len() as u64 + 1),
    leaf(8, "argmax", Leaf::ArgMax, Type::Int, 4),
    helped(10, "hostname", Leaf::Hostname, Type::String, MAXHOSTNAMELEN, true),
    leaf(18, "ngroups", Leaf::NGroups, Type::Int, 4),
    helped(22, "domainname", Leaf::DomainName, Type::String, MAXHOSTNAMELEN, true),
    leaf(38, "iov_max", Leaf::IovMax, Type::Int, 4),
    helped(61, "urandom", Leaf::Urandom, Type::Int, 4, false),
    helped(81, "arandom", Leaf::Arandom, Type::Int, 4, false),
    leaf(83, "boottime", Leaf::BootTime, Type::Struct, 16),
];

static HW: [Node; 7] = [
    leaf(1, "machine", Leaf::Machine, Type::String, 6),
    leaf(3, "ncpu", Leaf::NCpu, Type::Int, 4),
    leaf(5, "physmem", Leaf::PhysMem, Type::Int, 4),
    leaf(7, "pagesize", Leaf::PageSize, Type::Int, 4),
    leaf(10, "machine_arch", Leaf::MachineArch, Type::String, 7),
    leaf(13, "physmem64", Leaf::PhysMem64, Type::Quad, 8),
    leaf(16, "ncpuonline", Leaf::NCpuOnline, Type::Int, 4),
];

/// The top level.
pub static ROOT: [Node; 2] = [
    Node { number: CTL_KERN, name: "kern", kind: Kind::Dir(&KERN) },
    Node { number: CTL_HW, name: "hw", kind: Kind::Dir(&HW) },
];

/// What a name leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A leaf to read (and maybe write).
    Leaf { leaf: Leaf, writable: bool },
    /// A meta-number (CTL_QUERY, CTL_DESCRIBE, ...) after a node: the
    /// node's children and the number.
    Meta { children: &'static [Node], op: i32 },
}

/// `sysctl_locate` and `sysctl_dispatch`: a number that names nothing
/// is ENOENT, unless it is a negative last number after a node (then it
/// asks that node something: `Target::Meta`); numbers past a plain leaf
/// are ENOTDIR, past one with a helper EINVAL; a name ending at a node
/// is EINVAL (sysctl_lookup: "you can't look up a node").
pub fn locate(name: &[i32]) -> Result<Target, Error> {
    let mut children: &'static [Node] = &ROOT;
    for (i, &n) in name.iter().enumerate() {
        let last = i + 1 == name.len();
        let Some(node) = children.iter().find(|x| x.number == n) else {
            return if last && n < 0 { Ok(Target::Meta { children, op: n }) } else { Err(Error::NotFound) };
        };
        match node.kind {
            Kind::Dir(c) => children = c,
            Kind::Leaf { leaf, writable, .. } if last => return Ok(Target::Leaf { leaf, writable }),
            Kind::Leaf { func: true, .. } => return Err(Error::InvalidArgument),
            Kind::Leaf { .. } => return Err(Error::NotDirectory),
        }
    }
    Err(Error::InvalidArgument)
}

/// A node as `struct sysctlnode` describes it to CTL_QUERY: flags (type,
/// access, SYSCTL_VERS_1) @0, number @4, name @8 (32 bytes, NUL-padded),
/// version @40, then the union @48 (a node's child count as csize and
/// clen), sysctl_size @64; the kernel pointers (data, func, parent,
/// description) are 0 here, where NetBSD gives kernel addresses no
/// program can use.
pub fn describe(node: &Node) -> [u8; NODE_SIZE] {
    let mut b = [0u8; NODE_SIZE];
    let (ty, rw, size) = match node.kind {
        Kind::Dir(c) => {
            b[48..52].copy_from_slice(&(c.len() as u32).to_le_bytes());
            b[52..56].copy_from_slice(&(c.len() as u32).to_le_bytes());
            (Type::Node, false, NODE_SIZE as u64)
        }
        Kind::Leaf { ty, writable, size, .. } => (ty, writable, size),
    };
    let flags = SYSCTL_VERS_1 | CTLFLAG_PERMANENT | if rw { CTLFLAG_READWRITE } else { 0 } | ty as u32;
    b[0..4].copy_from_slice(&flags.to_le_bytes());
    b[4..8].copy_from_slice(&node.number.to_le_bytes());
    let name = node.name.as_bytes();
    b[8..8 + name.len()].copy_from_slice(name);
    b[64..72].copy_from_slice(&size.to_le_bytes());
    b
}

/// CTL_QUERY's answer for `children` into a buffer of `room` bytes
/// (`sysctl_query`, `sysctl_cvt_out`): only whole descriptions are
/// copied; the size reported is that of them all.
pub fn query(children: &[Node], room: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    for node in children {
        if room >= out.len() + NODE_SIZE {
            out.extend_from_slice(&describe(node));
        }
    }
    (out, children.len() * NODE_SIZE)
}

/// How a value of `len` bytes meets the caller's buffer (`sysctl_lookup`
/// and `sys___sysctl`): with a buffer of `oldlen` bytes, as much as fits
/// is copied; the size reported is always the whole value's; a buffer
/// that was too small makes the call ENOMEM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    pub copy: usize,
    pub reported: usize,
    pub short: bool,
}

pub fn fit(len: usize, has_buffer: bool, oldlen: usize) -> Fit {
    if has_buffer {
        Fit { copy: len.min(oldlen), reported: len, short: oldlen < len }
    } else {
        Fit { copy: 0, reported: len, short: false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_sorted(list: &[Node]) {
        assert!(list.windows(2).all(|w| w[0].number < w[1].number), "children out of order");
        for n in list {
            assert!(!n.name.is_empty() && n.name.len() < 32 && !n.name.contains('.'));
            if let Kind::Dir(c) = n.kind {
                check_sorted(c);
            }
        }
    }

    #[test]
    fn meta_numbers_are_sysctl_h_s() {
        assert_eq!(
            [CTL_QUERY, CTL_CREATE, CTL_CREATESYM, CTL_DESTROY, CTL_MMAP, CTL_DESCRIBE],
            [-2, -3, -4, -5, -6, -7]
        );
    }

    #[test]
    fn children_are_sorted_and_named() {
        check_sorted(&ROOT);
    }

    #[test]
    fn the_numbers_are_sysctl_h_s() {
        let leaf_at = |name: &[i32]| match locate(name) {
            Ok(Target::Leaf { leaf, .. }) => leaf,
            other => panic!("{name:?}: {other:?}"),
        };
        assert_eq!(leaf_at(&[1, 1]), Leaf::OsType);
        assert_eq!(leaf_at(&[1, 2]), Leaf::OsRelease);
        assert_eq!(leaf_at(&[1, 3]), Leaf::OsRevision);
        assert_eq!(leaf_at(&[1, 4]), Leaf::Version);
        assert_eq!(leaf_at(&[1, 8]), Leaf::ArgMax);
        assert_eq!(leaf_at(&[1, 10]), Leaf::Hostname);
        assert_eq!(leaf_at(&[1, 18]), Leaf::NGroups);
        assert_eq!(leaf_at(&[1, 22]), Leaf::DomainName);
        assert_eq!(leaf_at(&[1, 38]), Leaf::IovMax);
        assert_eq!(leaf_at(&[1, 61]), Leaf::Urandom);
        assert_eq!(leaf_at(&[1, 81]), Leaf::Arandom);
        assert_eq!(leaf_at(&[1, 83]), Leaf::BootTime);
        assert_eq!(leaf_at(&[6, 1]), Leaf::Machine);
        assert_eq!(leaf_at(&[6, 3]), Leaf::NCpu);
        assert_eq!(leaf_at(&[6, 5]), Leaf::PhysMem);
        assert_eq!(leaf_at(&[6, 7]), Leaf::PageSize);
        assert_eq!(leaf_at(&[6, 10]), Leaf::MachineArch, "HW_MACHINE_ARCH is 10 on NetBSD (11 on FreeBSD)");
        assert_eq!(leaf_at(&[6, 13]), Leaf::PhysMem64);
        assert_eq!(leaf_at(&[6, 16]), Leaf::NCpuOnline);
    }

    #[test]
    fn locate_follows_sysctl_dispatch() {
        assert_eq!(locate(&[1, 10]), Ok(Target::Leaf { leaf: Leaf::Hostname, writable: true }));
        assert_eq!(locate(&[1]), Err(Error::InvalidArgument), "a node cannot be looked up");
        assert_eq!(locate(&[1, 1, 1]), Err(Error::NotDirectory));
        assert_eq!(locate(&[1, 81, 1]), Err(Error::InvalidArgument), "past a leaf with a helper");
        assert_eq!(locate(&[1, 9999]), Err(Error::NotFound));
        assert_eq!(locate(&[42, 1]), Err(Error::NotFound));
        assert_eq!(locate(&[1, -2, 1]), Err(Error::NotFound), "a meta-number must come last");
        assert_eq!(locate(&[1, 1, CTL_QUERY]), Err(Error::NotDirectory), "a leaf has nothing to query");
        match locate(&[CTL_QUERY]) {
            Ok(Target::Meta { children, op }) => assert_eq!((children.len(), op), (2, CTL_QUERY)),
            other => panic!("{other:?}"),
        }
        match locate(&[6, CTL_DESCRIBE]) {
            Ok(Target::Meta { children, op }) => assert_eq!((children.len(), op), (7, CTL_DESCRIBE)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn descriptions_are_struct_sysctlnode() {
        let d = describe(&KERN[5]);
        let u32_at = |o: usize| u32::from_le_bytes(d[o..o + 4].try_into().unwrap());
        assert_eq!(u32_at(0), SYSCTL_VERS_1 | CTLFLAG_PERMANENT | CTLFLAG_READWRITE | 3);
        assert_eq!(u32_at(4), 10);
        assert_eq!(&d[8..17], b"hostname\0");
        assert!(d[17..40].iter().all(|&b| b == 0));
        assert_eq!(u64::from_le_bytes(d[64..72].try_into().unwrap()), 256);
        let root = describe(&ROOT[0]);
        assert_eq!(u32::from_le_bytes(root[0..4].try_into().unwrap()) & 0xf, 1, "CTLTYPE_NODE");
        assert_eq!(u32::from_le_bytes(root[48..52].try_into().unwrap()), KERN.len() as u32);
        assert_eq!(&root[8..13], b"kern\0");
    }

    #[test]
    fn queries_copy_whole_entries() {
        let (all, size) = query(&ROOT, 1000);
        assert_eq!((all.len(), size), (192, 192));
        let (one, size) = query(&ROOT, 150);
        assert_eq!((one.len(), size), (96, 192));
        let (none, size) = query(&HW, 0);
        assert_eq!((none.len(), size), (0, 7 * 96));
    }

    #[test]
    fn sizes_follow_sysctl_lookup() {
        assert_eq!(fit(8, false, 0), Fit { copy: 0, reported: 8, short: false });
        assert_eq!(fit(8, true, 16), Fit { copy: 8, reported: 8, short: false });
        assert_eq!(fit(8, true, 8), Fit { copy: 8, reported: 8, short: false });
        assert_eq!(fit(8, true, 3), Fit { copy: 3, reported: 8, short: true }, "NetBSD reports the full size");
        assert_eq!(fit(8, true, 0), Fit { copy: 0, reported: 8, short: true });
    }

    proptest! {
        #[test]
        fn random_names_never_panic(name in proptest::collection::vec(-8i32..100, 0..14)) {
            match locate(&name) {
                Ok(Target::Meta { op, .. }) => prop_assert!(op < 0 && name.last() == Some(&op)),
                Ok(Target::Leaf { .. }) => prop_assert!(name.len() == 2),
                Err(e) => prop_assert!(matches!(e, Error::NotFound | Error::NotDirectory | Error::InvalidArgument)),
            }
        }

        #[test]
        fn a_fit_never_copies_more_than_asked(len in 0usize..600, oldlen in 0usize..600, has in any::<bool>()) {
            let f = fit(len, has, oldlen);
            prop_assert!(f.copy <= len && (!has || f.copy <= oldlen));
            prop_assert_eq!(f.short, has && len > oldlen);
            prop_assert_eq!(f.reported, len);
        }
    }
}
