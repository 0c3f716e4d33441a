//! How the fake core implements `PathOps` (the name space: links,
//! directories, the working directory, root and umask). Every request is
//! recorded in `file_state.calls`; the state is in `file_state`.

use super::file_state::text;
use super::*;

impl PathOps for FakeCore {
    /// The target of a link in `file_state.links`; EINVAL for other paths
    /// (not a link, as Linux answers).
    fn read_link(&mut self, dir: DirFd, path: &[u8]) -> KResult<Vec<u8>> {
        self.file_state.calls.push(format!("read_link {dir:?} {}", text(path)));
        self.file_state.find_link(path)
    }
    /// Any open descriptor reads `file_state.dir`, from `dir_pos` on; an
    /// entry `emit` refuses is given again by the next read.
    fn read_dir(&mut self, fd: Fd, emit: &mut dyn FnMut(&DirEntryInfo<'_>) -> bool) -> KResult<()> {
        self.open_fd(fd)?;
        let fs = &mut self.file_state;
        while let Some((ino, name, file_type)) = fs.dir.get(fs.dir_pos) {
            let e = DirEntryInfo { ino: *ino, name, file_type: *file_type, next_offset: fs.dir_pos as u64 + 1 };
            if !emit(&e) {
                break;
            }
            fs.dir_pos += 1;
        }
        Ok(())
    }
    fn make_dir(&mut self, dir: DirFd, path: &[u8], mode: u32) -> KResult<()> {
        self.file_state.record(format!("make_dir {dir:?} {} {mode:o}", text(path)))
    }
    fn make_node(&mut self, dir: DirFd, path: &[u8], node: vfs::FileType, mode: u32, rdev: (u32, u32)) -> KResult<()> {
        self.file_state.record(format!("make_node {dir:?} {} {node:?} {mode:o} {rdev:?}", text(path)))
    }
    fn unlink(&mut self, dir: DirFd, path: &[u8], remove_dir: bool) -> KResult<()> {
        self.file_state.record(format!("unlink {dir:?} {} {remove_dir}", text(path)))
    }
    fn rename(&mut self, old_dir: DirFd, old: &[u8], new_dir: DirFd, new: &[u8], no_replace: bool) -> KResult<()> {
        self.file_state.record(format!("rename {old_dir:?} {} {new_dir:?} {} {no_replace}", text(old), text(new)))
    }
    fn link(&mut self, old_dir: DirFd, old: &[u8], new_dir: DirFd, new: &[u8], follow: bool) -> KResult<()> {
        self.file_state.record(format!("link {old_dir:?} {} {new_dir:?} {} {follow}", text(old), text(new)))
    }
    fn symlink(&mut self, target: &[u8], dir: DirFd, path: &[u8]) -> KResult<()> {
        self.file_state.record(format!("symlink {} {dir:?} {}", text(target), text(path)))?;
        self.file_state.links.push((path.to_vec(), target.to_vec()));
        Ok(())
    }
    fn chdir(&mut self, path: &[u8]) -> KResult<()> {
        self.file_state.record(format!("chdir {}", text(path)))?;
        self.file_state.cwd = path.to_vec();
        Ok(())
    }
    fn fchdir(&mut self, fd: Fd) -> KResult<()> {
        self.open_fd(fd)?;
        self.file_state.record(format!("fchdir {fd}"))
    }
    fn chroot(&mut self, path: &[u8]) -> KResult<()> {
        self.file_state.record(format!("chroot {}", text(path)))
    }
    fn getcwd(&mut self) -> KResult<Vec<u8>> {
        self.file_state.calls.push("getcwd".into());
        Ok(self.file_state.cwd.clone())
    }
    /// Sets the mask's permission bits (as Linux keeps only 0777) and
    /// answers the old mask.
    fn umask(&mut self, new: u32) -> u32 {
        self.file_state.calls.push(format!("umask {new:o}"));
        std::mem::replace(&mut self.file_state.umask, new & 0o777)
    }
}
