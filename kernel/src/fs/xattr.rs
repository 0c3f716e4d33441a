//! Extended attributes: which caller may read or change which namespace,
//! before a file system stores anything.
//!
//! The rules are Linux's (and close to other Unix systems'): `user.`
//! attributes follow the file's own read and write permission and exist
//! only on regular files and directories (a sticky directory's only for
//! its owner to change); `trusted.` ones are for the system administrator
//! alone, invisible to others; `security.` ones anyone may read and only
//! the administrator change; `system.` ones (access control lists) are
//! not supported, nor is any other prefix.

use kernel_ops::{Error, KResult};
use vfs::{Credentials, FileType, Metadata, Overrides};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Namespace {
    User,
    Trusted,
    Security,
}

pub fn namespace(name: &[u8]) -> KResult<Namespace> {
    let ns = if name.starts_with(b"user.") {
        Namespace::User
    } else if name.starts_with(b"trusted.") {
        Namespace::Trusted
    } else if name.starts_with(b"security.") {
        Namespace::Security
    } else {
        return Err(Error::NotSupported);
    };
    // A prefix alone names nothing.
    if name.iter().position(|&b| b == b'.').is_some_and(|dot| dot + 1 == name.len()) {
        return Err(Error::InvalidArgument);
    }
    Ok(ns)
}

/// Whether `creds` may read (`write` false) or change `meta`'s attribute
/// in namespace `ns`; `admin` is the SysAdmin privilege.
pub fn check(ns: Namespace, meta: &Metadata, creds: &Credentials, admin: bool, write: bool) -> KResult<()> {
    match ns {
        Namespace::Trusted if !admin => Err(if write { Error::NotPermitted } else { Error::NoData }),
        Namespace::Trusted => Ok(()),
        Namespace::Security if write && !admin => Err(Error::NotPermitted),
        Namespace::Security => Ok(()),
        Namespace::User => {
            if !matches!(meta.file_type, FileType::Regular | FileType::Directory) {
                return Err(if write { Error::NotPermitted } else { Error::NoData });
            }
            if write
                && meta.is_dir()
                && meta.mode & vfs::STICKY != 0
                && creds.uid != meta.uid
                && !creds.may(Overrides::OWNER)
            {
                return Err(Error::NotPermitted);
            }
            let want = if write { vfs::Access::WRITE } else { vfs::Access::READ };
            Ok(vfs::check_access(meta, creds, want)?)
        }
    }
}

/// Whether a listing shows `name` to a caller (`admin`: SysAdmin).
pub fn listed(name: &[u8], admin: bool) -> bool {
    admin || !name.starts_with(b"trusted.")
}
