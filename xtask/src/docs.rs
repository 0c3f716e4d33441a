//! Documents generated from the tables that are the truth (`cargo xtask
//! docs`); host tests fail when a checked-in copy is stale.

pub fn write_all() -> Result<(), String> {
    let path = crate::root().join("docs/linux-syscalls.md");
    std::fs::write(&path, personality_linux::docs::coverage_markdown()).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}
