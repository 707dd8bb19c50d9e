//! `safe-third merge`: the arguments, and what is printed; the merge itself is [`safe_third::run::merge`].

use std::path::PathBuf;

use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Directories written by `safe-third run --shard K/N`, in any order.
    #[arg(required = true, value_name = "DIR")]
    partials: Vec<PathBuf>,
    /// Output directory for the merged results.
    #[arg(long)]
    out: PathBuf,
    /// Overwrite results of another scenario or seed in the output directory.
    #[arg(long)]
    force: bool,
}

pub fn merge(args: MergeArgs) -> Result<()> {
    let merged = safe_third::run::merge(&args.partials, &args.out, args.force, super::command())?;
    for warning in &merged.outcome.warnings {
        eprintln!("warning: {warning}");
    }
    super::print(&merged.text(&args.out))
}
