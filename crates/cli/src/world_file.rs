//! The `--world` file that `check` and `serve` both read.

use std::path::Path;

use crate::library::Facts;

/// The facts in the world file at `path`, or why they cannot be had, in the form the
/// command prints: `--world PATH: reason`, or `--world PATH:LINE:COLUMN: reason` for a file
/// that is not a valid facts document.
pub fn read_world(path: &Path) -> Result<Facts, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("--world {}: {e}", path.display()))?;
    Facts::from_json(&text).map_err(|e| {
        format!(
            "--world {}:{}:{}: {}",
            path.display(),
            e.line,
            e.column,
            e.message
        )
    })
}
