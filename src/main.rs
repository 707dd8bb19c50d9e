//! The `safe-third` command line; it lives in the library ([`safe_third::cli`]) so that the Python package's
//! `safe-third` script runs the same code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(safe_third::cli::main(std::env::args_os()))
}
