//! /proc/sysvipc/{shm,sem,msg}: one header line, then one line per object,
//! in Linux's column formats (LTP counts the lines to learn how many ids
//! are free).

use crate::namespace::Namespace;
use crate::shm::SegmentMemory;
use alloc::string::String;
use core::fmt::Write;

pub fn shm<M: SegmentMemory>(ns: &Namespace<M>) -> String {
    let mut s = String::from("       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n");
    for (id, e) in ns.shm.iter() {
        let (p, o, u) = (&e.perm, &e.object, e.object.memory.usage());
        let _ = writeln!(
            s,
            "{:10} {:10}  {:4o} {:21} {:5} {:5}  {:5} {:5} {:5} {:5} {:5} {:10} {:10} {:10} {:21} {:21}",
            p.key,
            id,
            p.mode,
            o.size,
            o.cpid,
            u.lpid,
            u.attached,
            p.uid,
            p.gid,
            p.cuid,
            p.cgid,
            u.atime,
            u.dtime,
            o.ctime,
            u.resident_pages * crate::limits::PAGE_SIZE,
            0
        );
    }
    s
}

pub fn sem<M>(ns: &Namespace<M>) -> String {
    let mut s = String::from("       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
    for (id, e) in ns.sem.iter() {
        let p = &e.perm;
        let _ = writeln!(
            s,
            "{:10} {:10}  {:4o} {:10} {:5} {:5} {:5} {:5} {:10} {:10}",
            p.key,
            id,
            p.mode,
            e.object.sems.len(),
            p.uid,
            p.gid,
            p.cuid,
            p.cgid,
            e.object.otime,
            e.object.ctime
        );
    }
    s
}

pub fn msg<M>(ns: &Namespace<M>) -> String {
    let mut s = String::from("       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n");
    for (id, e) in ns.msg.iter() {
        let (p, q) = (&e.perm, &e.object);
        let _ = writeln!(
            s,
            "{:10} {:10}  {:4o}  {:10} {:10} {:5} {:5} {:5} {:5} {:5} {:5} {:10} {:10} {:10}",
            p.key,
            id,
            p.mode,
            q.cbytes,
            q.messages.len(),
            q.lspid,
            q.lrpid,
            p.uid,
            p.gid,
            p.cuid,
            p.cgid,
            q.stime,
            q.rtime,
            q.ctime
        );
    }
    s
}
