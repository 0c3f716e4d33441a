//! The fake core's state for the file, path and metadata calls: a record
//! of every request (in `calls`, one line each, paths as text) and the
//! simple state the answers come from.

use kernel_ops::{DirFd, Error, Fd, KResult, OpenFlags, ResolveRules};

pub struct FileState {
    /// Every file, path or metadata request the core received, in order.
    pub calls: Vec<String>,
    /// What the recorded requests that only succeed or fail answer.
    pub answer: KResult<()>,
    /// Symbolic links: path and target (read_link answers from these).
    pub links: Vec<(Vec<u8>, Vec<u8>)>,
    /// The working directory getcwd reports.
    pub cwd: Vec<u8>,
    /// The file-creation mask.
    pub umask: u32,
    /// The entries of every directory read: inode, name, type; `dir_pos`
    /// is how many the directory's descriptor has already given.
    pub dir: Vec<(u64, Vec<u8>, vfs::FileType)>,
    pub dir_pos: usize,
    /// Extended attributes: name and value, for any node.
    pub xattrs: Vec<(Vec<u8>, Vec<u8>)>,
    /// Every open: directory, path, flags, mode, and openat2's rules.
    pub opens: Vec<(DirFd, Vec<u8>, OpenFlags, u32, Option<ResolveRules>)>,
    /// The descriptor the next open answers.
    pub next_open: Fd,
    /// Close-on-exec flags set through dup or fcntl, by descriptor.
    pub cloexec: Vec<(Fd, bool)>,
}

impl FileState {
    pub fn new() -> Self {
        FileState {
            calls: Vec::new(),
            answer: Ok(()),
            links: Vec::new(),
            cwd: b"/home/user".to_vec(),
            umask: 0o022,
            dir: Vec::new(),
            dir_pos: 0,
            xattrs: Vec::new(),
            opens: Vec::new(),
            next_open: 40,
            cloexec: Vec::new(),
        }
    }
    pub fn record(&mut self, call: String) -> KResult<()> {
        self.calls.push(call);
        self.answer
    }
    pub fn find_link(&self, path: &[u8]) -> KResult<Vec<u8>> {
        self.links.iter().find(|l| l.0 == path).map(|l| l.1.clone()).ok_or(Error::InvalidArgument)
    }
}

impl Default for FileState {
    fn default() -> Self {
        Self::new()
    }
}

/// A path as the call log shows it.
pub fn text(p: &[u8]) -> String {
    String::from_utf8_lossy(p).into_owned()
}
