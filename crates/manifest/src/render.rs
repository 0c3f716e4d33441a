//! [`Manifest`] to canonical text.

use crate::lex::rights_text;
use crate::{Grant, Manifest};
use alloc::string::String;
use core::fmt::Write;

pub(crate) fn render(manifest: &Manifest) -> String {
    let mut out = String::new();
    // Writing to a `String` cannot fail.
    let _ = write_manifest(&mut out, manifest);
    out
}

fn write_manifest(out: &mut String, manifest: &Manifest) -> core::fmt::Result {
    for object in &manifest.objects {
        writeln!(out, "{} {}", object.kind.keyword(), object.name)?;
    }
    for (i, task) in manifest.tasks.iter().enumerate() {
        if i > 0 || !manifest.objects.is_empty() {
            out.push('\n');
        }
        writeln!(out, "task {}", task.name)?;
        if task.image != task.name {
            writeln!(out, "    image {}", task.image)?;
        }
        if task.arg != 0 {
            writeln!(out, "    arg {:#x}", task.arg)?;
        }
        if task.memory_pages != 0 {
            writeln!(out, "    memory {}", task.memory_pages)?;
        }
        if task.restart != 0 {
            writeln!(out, "    restart {}", task.restart)?;
        }
        if let Some(after) = &task.after {
            writeln!(out, "    after {after}")?;
        }
        if task.wait {
            writeln!(out, "    wait")?;
        }
        for grant in &task.grants {
            write_grant(out, grant)?;
        }
    }
    if !manifest.mounts.is_empty() && !(manifest.objects.is_empty() && manifest.tasks.is_empty()) {
        out.push('\n');
    }
    for m in &manifest.mounts {
        writeln!(out, "mount {} {} {}{}", m.device, m.fstype, m.path, if m.read_only { " ro" } else { "" })?;
    }
    Ok(())
}

fn write_grant(out: &mut String, grant: &Grant) -> core::fmt::Result {
    out.push_str("    grant ");
    match grant {
        Grant::Endpoint { name, rights } => {
            writeln!(out, "endpoint {name} {}", rights_text(*rights))
        }
        Grant::Notification { name, rights } => {
            writeln!(out, "notification {name} {}", rights_text(*rights))
        }
        Grant::IoPorts { base, count, rights } => {
            writeln!(out, "ioports {base:#x} {count} {}", rights_text(*rights))
        }
        Grant::Irq { line } => writeln!(out, "irq {line}"),
        Grant::Mmio { base, bytes, rights } => {
            writeln!(out, "mmio {base:#x} {bytes:#x} {}", rights_text(*rights))
        }
        Grant::BootDir { rights } => writeln!(out, "bootdir {}", rights_text(*rights)),
        Grant::File { path, rights } => writeln!(out, "file {path} {}", rights_text(*rights)),
        Grant::Vfs { rights } => writeln!(out, "vfs {}", rights_text(*rights)),
        Grant::Net { rights } => writeln!(out, "net {}", rights_text(*rights)),
    }
}
